//! Issue 15: plan limits as the real CLIs exposed them (`tests/fixtures/limits-captures`): Codex's
//! `token_count.rate_limits` read by the importer, Claude Code's status-line JSON handed over as
//! `ai-observer statusline` does; the latest state per tool and window equals the last state the
//! scripted model API served, and a reset time that has passed reads as expired.

use crate::support::TestServer;
use crate::support::fixtures::capture_set;
use crate::support::imports::import_homes;
use serde_json::{Value, json};
use std::path::PathBuf;

fn root() -> PathBuf {
    capture_set("limits-captures")
}

fn last_served(run: &str) -> Vec<Value> {
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(root().join("limits-expected.json")).unwrap()).unwrap();
    expected["runs"][run]["last_served"].as_array().unwrap().clone()
}

/// `(tool, window, usedPercent, resetsAt, expired)` of each latest state, as the API answers.
async fn latest(server: &TestServer) -> Vec<(String, String, f64, String, bool)> {
    let answer = server.get_json("/api/limits").await;
    answer["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|state| {
            (
                state["tool"].as_str().unwrap().to_owned(),
                state["window"].as_str().unwrap().to_owned(),
                state["usedPercent"].as_f64().unwrap(),
                state["resetsAt"].as_str().unwrap().to_owned(),
                state["expired"].as_bool().unwrap(),
            )
        })
        .collect()
}

/// What the API must say for the states the scripted API served last: expired once the reset is
/// past (the captures' resets are hours after capture, so in the past when CI runs).
fn expected_latest(run: &str) -> Vec<(String, String, f64, String, bool)> {
    let now = chrono::Utc::now().timestamp();
    last_served(run)
        .iter()
        .map(|state| {
            let reset = state["resets_at"].as_i64().unwrap();
            (
                state["tool"].as_str().unwrap().to_owned(),
                state["window"].as_str().unwrap().to_owned(),
                state["used_percent"].as_f64().unwrap(),
                state["resets_at_rfc3339"].as_str().unwrap().to_owned(),
                reset <= now,
            )
        })
        .collect()
}

fn close(actual: &[(String, String, f64, String, bool)], expected: &[(String, String, f64, String, bool)]) -> bool {
    actual.len() == expected.len()
        && actual.iter().zip(expected).all(|(a, e)| a.0 == e.0 && a.1 == e.1 && (a.2 - e.2).abs() < 1e-6 && a.3 == e.3 && a.4 == e.4)
}

#[tokio::test]
async fn codex_limits_come_from_its_rollout_files_and_a_run_without_limits_records_none() {
    let server = TestServer::start().await;
    import_homes(&server, &[root().join("codex-nolimits/sessions")]).await;
    assert!(latest(&server).await.is_empty(), "a token_count with null windows invents no state");
    import_homes(&server, &[root().join("codex-limits/sessions")]).await;
    let found = latest(&server).await;
    assert!(close(&found, &expected_latest("codex-limits")), "{found:?} vs {:?}", expected_latest("codex-limits"));
    // The history has every state Codex wrote, in order: 12 → 31 → 47 % of the 5-hour window.
    let history = server.get_json("/api/limits/history?tool=codex&window=5h&from=2026-11-29T00:00:00Z&to=2026-12-01T00:00:00Z").await;
    let percents: Vec<f64> = history["limits"].as_array().unwrap().iter().map(|state| state["usedPercent"].as_f64().unwrap()).collect();
    assert_eq!(percents, vec![12.0, 31.0, 47.0]);
    // A re-import stores nothing twice.
    import_homes(&server, &[root().join("codex-limits/sessions")]).await;
    let again = server.get_json("/api/limits/history?tool=codex&from=2026-11-29T00:00:00Z&to=2026-12-01T00:00:00Z").await;
    assert_eq!(again["limits"].as_array().unwrap().len(), 6);
    server.stop().await;
}

async fn post_statusline(server: &TestServer, path: &std::path::Path) -> Value {
    let body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (status, answer) = server.send_json(reqwest::Method::POST, "/api/limits/statusline", &body).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

fn statusline_files(run: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(root().join(run).join("statusline")).unwrap().flatten().map(|entry| entry.path()).collect();
    files.sort();
    files
}

#[tokio::test]
async fn claude_limits_come_from_the_status_line_of_either_version_and_an_api_key_session_has_none() {
    for run in ["claude-limits-tui", "claude-limits-tui-2.1.332"] {
        let server = TestServer::start().await;
        for path in statusline_files("claude-apikey-tui") {
            assert_eq!(post_statusline(&server, &path).await["recorded"], 0, "API-key login: no rate_limits");
        }
        assert!(latest(&server).await.is_empty());
        let mut last = Value::Null;
        for path in statusline_files(run) {
            last = post_statusline(&server, &path).await;
        }
        let found = latest(&server).await;
        assert!(close(&found, &expected_latest(run)), "{run}: {found:?} vs {:?}", expected_latest(run));
        // The answer carries what the status line prints; a repeat of the known state records nothing.
        assert_eq!(last["limits"].as_array().unwrap().len(), 2);
        let last_file = statusline_files(run).pop().unwrap();
        assert_eq!(post_statusline(&server, &last_file).await["recorded"], 0);
        assert_eq!(last["todayCostUsd"], 0.0);
        // Only changes are kept: 23 → 31 → 47 → 86 % of the 5-hour window.
        let history = server.get_json("/api/limits/history?tool=claude-code&window=5h&from=2000-01-01&to=2100-01-01").await;
        let percents: Vec<i64> =
            history["limits"].as_array().unwrap().iter().map(|state| state["usedPercent"].as_f64().unwrap().round() as i64).collect();
        assert_eq!(percents, vec![23, 31, 47, 86], "{run}");
        server.stop().await;
    }
}

#[tokio::test]
async fn odd_status_line_input_is_accepted_without_inventing_a_state() {
    let server = TestServer::start().await;
    for body in [
        json!({}),
        json!({"rate_limits": null}),
        json!({"rate_limits": {"five_hour": null, "seven_day": {"used_percentage": null, "resets_at": 1}}}),
        json!({"rate_limits": {"five_hour": {"used_percentage": "high"}}}),
    ] {
        let (status, answer) = server.send_json(reqwest::Method::POST, "/api/limits/statusline", &body).await;
        assert_eq!((status, answer["recorded"].clone()), (200, json!(0)), "{body}");
    }
    assert!(latest(&server).await.is_empty());
    // Over 100 % and a reset in the past: kept as reported, and shown as expired.
    let body = json!({"rate_limits": {"five_hour": {"used_percentage": 104.5, "resets_at": 1_000_000_000}}});
    let (status, _) = server.send_json(reqwest::Method::POST, "/api/limits/statusline", &body).await;
    assert_eq!(status, 200);
    let found = latest(&server).await;
    assert_eq!(found, vec![("claude-code".to_owned(), "5h".to_owned(), 104.5, "2001-09-09T01:46:40Z".to_owned(), true)]);
    server.stop().await;
}

/// The watcher records Codex's limits as Codex writes them: the rollout file grows in two steps (up
/// to its first `token_count`, then the rest), and after each step the latest state is the one
/// the scripted API served for the step's last `token_count`.
#[tokio::test]
async fn the_watcher_records_codex_limits_as_the_rollout_file_grows() {
    use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
    use ai_observer_engine::importers::watch::{WatchOptions, start};
    use ai_observer_engine::model::Tool;
    use std::io::Write;

    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let relative = ".codex/sessions/2026/11/29";
    let source = root().join("codex-limits/sessions").join(relative);
    let name = std::fs::read_dir(&source).unwrap().flatten().next().unwrap().file_name();
    let text = std::fs::read_to_string(source.join(&name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let first_count = lines.iter().position(|line| line.contains("\"token_count\"")).unwrap();
    let folder = home.path().join(relative);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(&name);
    std::fs::write(&path, lines[..=first_count].iter().map(|line| format!("{line}\n")).collect::<String>()).unwrap();

    let handle = start(
        server.engine.import_context(),
        WatchOptions { tools: vec![Tool::Codex], environment: DiscoveryEnvironment::with_home(home.path()), backfill: true },
    );
    let first_served: Vec<(String, String, f64, String, bool)> = {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(root().join("limits-expected.json")).unwrap()).unwrap();
        let now = chrono::Utc::now().timestamp();
        expected["runs"]["codex-limits"]["served"][0]["states"]
            .as_array()
            .unwrap()
            .iter()
            .map(|state| {
                (
                    "codex".to_owned(),
                    state["window"].as_str().unwrap().to_owned(),
                    state["used_percent"].as_f64().unwrap(),
                    state["resets_at_rfc3339"].as_str().unwrap().to_owned(),
                    state["resets_at"].as_i64().unwrap() <= now,
                )
            })
            .collect()
    };
    let mut seen = Vec::new();
    for _ in 0..100 {
        seen = latest(&server).await;
        if close(&seen, &first_served) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(close(&seen, &first_served), "after the first token_count: {seen:?} vs {first_served:?}");

    let mut file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
    for line in &lines[first_count + 1..] {
        writeln!(file, "{line}").unwrap();
    }
    drop(file);
    let expected = expected_latest("codex-limits");
    for _ in 0..100 {
        seen = latest(&server).await;
        if close(&seen, &expected) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(close(&seen, &expected), "after the whole file: {seen:?} vs {expected:?}");
    let history = server.get_json("/api/limits/history?tool=codex&from=2026-11-29T00:00:00Z&to=2026-12-01T00:00:00Z").await;
    let percents: Vec<(String, f64)> = history["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|state| (state["window"].as_str().unwrap().to_owned(), state["usedPercent"].as_f64().unwrap()))
        .collect();
    let expected_history: Vec<(String, f64)> = [("5h", 12.0), ("7d", 3.0), ("5h", 31.0), ("7d", 4.0), ("5h", 47.0), ("7d", 5.0)]
        .iter()
        .map(|(w, p)| ((*w).to_owned(), *p))
        .collect();
    assert_eq!(percents, expected_history, "every state Codex wrote, each once, in order");
    handle.stop().await;
    server.stop().await;
}
