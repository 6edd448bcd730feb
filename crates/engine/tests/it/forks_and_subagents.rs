//! Issue 12 (f): forks and sub-agents of every tool that has them, from the real captures in
//! `tests/fixtures/fork-subagent-captures` (Codex `exec fork` and a sub-agent that inherits its
//! parent's history, Claude Code `--fork-session` and `Agent` sub-agents, Gemini's
//! `codebase_investigator`), plus an older-style Codex fork built from the Codex sub-agent capture.
//!
//! For each run: telemetry alone, files alone, and both count every served request once, with the
//! usage the model API served (the files' own figures where only they hold the request), and each
//! request in the session the CLI's telemetry names.

use crate::support::TestServer;
use crate::support::fixtures::{Capture, capture_set, captures_in, expected_in};
use crate::support::imports::import_homes;
use crate::support::spend::{Counts, add, group_counts};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";
const TOOLS: [(&str, &str); 3] = [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")];

fn root() -> PathBuf {
    capture_set("fork-subagent-captures")
}

/// `[requests, input, cacheRead, cacheCreation, output, reasoning]`.
type Tokens = Counts;

/// What a run should add up to, by tool and by session.
#[derive(Debug, Default, PartialEq, Eq)]
struct Totals {
    by_tool: BTreeMap<String, Tokens>,
    by_session: BTreeMap<String, i64>,
}

fn normalized_tokens(tool: &str, normalized: &Value, requests: i64) -> Tokens {
    let number = |key: &str| normalized[key].as_i64().unwrap_or(0);
    // Gemini's normalized output leaves thoughts out; the engine bills them as output.
    let output = number("output") + if tool == "gemini" { number("reasoning") } else { 0 };
    [requests, number("input_uncached"), number("cache_read"), number("cache_creation"), output, number("reasoning")]
}

/// The expected totals of `run`: every served request (`files_only`: those a session file holds,
/// with the usage the files wrote).
fn expected_totals(run: &str, files_only: bool) -> Totals {
    let expected = expected_in(&root());
    let mut totals = Totals::default();
    for (tool, name) in TOOLS {
        let Some(sessions) = expected["tools"][name]["sessions"].as_object() else { continue };
        for (session_id, session) in sessions.iter().filter(|(_, session)| session["run"] == run) {
            let (requests, tokens) = if files_only {
                let recorded = &session["totals_as_recorded_in_session_files"];
                (recorded["requests"].as_i64().unwrap(), normalized_tokens(tool, recorded, recorded["requests"].as_i64().unwrap()))
            } else {
                let all = &session["totals_all_requests"];
                (all["requests"].as_i64().unwrap(), normalized_tokens(tool, all, all["requests"].as_i64().unwrap()))
            };
            if requests > 0 {
                add(totals.by_tool.entry(tool.to_owned()).or_default(), &tokens);
                *totals.by_session.entry(session_id.clone()).or_default() += requests;
            }
        }
    }
    totals
}

fn runs() -> Vec<String> {
    expected_in(&root())["runs"].as_object().unwrap().keys().cloned().collect()
}

async fn spend(server: &TestServer) -> Totals {
    let by_tool = server.get_json(&format!("/api/spend?groupBy=tool&{ALL_TIME}")).await;
    let by_session = server.get_json(&format!("/api/spend?groupBy=session&{ALL_TIME}")).await;
    Totals {
        by_tool: by_tool["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|group| (group["key"].as_str().unwrap().to_owned(), group_counts(group)))
            .collect(),
        by_session: by_session["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|group| (group["key"].as_str().unwrap().to_owned(), group["requests"].as_i64().unwrap()))
            .collect(),
    }
}

async fn import_home(server: &TestServer, home: &Path) {
    import_homes(server, &[home.to_path_buf()]).await;
}

async fn post_all(server: &TestServer, captures: &[Capture]) {
    for capture in captures {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{} {}", capture.run, capture.name);
    }
}

#[tokio::test]
async fn each_fork_and_sub_agent_counts_every_request_once_from_either_source_or_both() {
    for run in runs() {
        let home = root().join(&run).join("sessions");
        let captures = captures_in(&root(), &[run.as_str()]);

        let server = TestServer::start().await;
        post_all(&server, &captures).await;
        assert_eq!(spend(&server).await, expected_totals(&run, false), "{run}: telemetry only");
        import_home(&server, &home).await;
        assert_eq!(spend(&server).await, expected_totals(&run, false), "{run}: telemetry, then the files");
        server.stop().await;

        let server = TestServer::start().await;
        import_home(&server, &home).await;
        assert_eq!(spend(&server).await, expected_totals(&run, true), "{run}: files only");
        post_all(&server, &captures).await;
        assert_eq!(spend(&server).await, expected_totals(&run, false), "{run}: the files, then telemetry");
        server.stop().await;
    }
}

/// Writes `lines` as a rollout under `home` with the file name Codex would give it.
fn write_rollout(home: &Path, file_name: &str, lines: &[Value]) {
    let folder = home.join(".codex/sessions/2026/11/30");
    std::fs::create_dir_all(&folder).unwrap();
    let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
    std::fs::write(folder.join(file_name), text).unwrap();
}

fn rollout_lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

#[tokio::test]
async fn an_older_codex_fork_that_copies_token_counts_counts_only_its_own_turns() {
    // Codex before paginated history copied the parent's lines, `token_count` events included,
    // into the fork, stamped when copied, and wrote no `token_usage_record`. Built from the real
    // `codex-subagent` capture: the parent's own lines are copied behind the child's two
    // `session_meta` lines (as the real child file does), ordinals and usage records removed.
    let run = root().join("codex-subagent/sessions/.codex/sessions/2026/11/30");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&run).unwrap().flatten().map(|entry| entry.path()).collect();
    files.sort();
    let (parent, child) = (rollout_lines(&files[0]), rollout_lines(&files[1]));
    let old_style = |line: &Value| -> Option<Value> {
        let mut line = line.clone();
        if line["type"] == "token_usage_record" {
            return None;
        }
        let object = line.as_object_mut().unwrap();
        object.remove("ordinal");
        if let Some(payload) = object.get_mut("payload").and_then(Value::as_object_mut) {
            payload.remove("subagent_history_start_ordinal");
            payload.remove("history_mode");
        }
        Some(line)
    };
    let boundary = child.iter().position(|line| line["ordinal"] == child[0]["payload"]["subagent_history_start_ordinal"]).unwrap();
    // Stamped as Codex stamps a copy: when it writes it, just after the fork's `session_meta`.
    let fork_time = child[boundary - 1]["timestamp"].clone();
    assert_ne!(fork_time, child[0]["timestamp"]);
    // What Codex copies: the kinds of line the real child's copied region holds, and the token
    // counts older versions copied too.
    let kind = |line: &Value| format!("{}/{}", line["type"].as_str().unwrap_or(""), line["payload"]["type"].as_str().unwrap_or(""));
    let copied_kinds: std::collections::BTreeSet<String> =
        child[2..boundary].iter().map(kind).chain(["event_msg/token_count".to_owned()]).collect();
    let mut fork: Vec<Value> = child[..2].iter().filter_map(old_style).collect();
    fork.extend(parent[1..].iter().filter(|line| copied_kinds.contains(&kind(line))).filter_map(old_style).map(|mut line| {
        line["timestamp"] = fork_time.clone();
        line
    }));
    let copied_counts = fork.iter().filter(|line| kind(line) == "event_msg/token_count").count();
    assert!(copied_counts >= 3, "the fork copies the parent's token counts ({copied_counts})");
    fork.extend(child[boundary..].iter().filter_map(old_style));
    let parent_old: Vec<Value> = parent.iter().filter_map(old_style).collect();

    let home = tempfile::tempdir().unwrap();
    let parent_name = files[0].file_name().unwrap().to_str().unwrap();
    let child_name = files[1].file_name().unwrap().to_str().unwrap();
    write_rollout(home.path(), parent_name, &parent_old);
    write_rollout(home.path(), child_name, &fork);

    let server = TestServer::start().await;
    import_home(&server, home.path()).await;
    assert_eq!(spend(&server).await, expected_totals("codex-subagent", false), "parent and older-style fork");
    // Imported again, and the fork alone into a fresh store: still once.
    import_home(&server, home.path()).await;
    assert_eq!(spend(&server).await, expected_totals("codex-subagent", false), "imported twice");
    server.stop().await;
}
