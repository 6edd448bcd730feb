//! Issue 12: spend stays exact in the situations real use brings, each built from the real captures.
//!
//! Every scenario loads some of the captured OTLP requests and some of the captured session files,
//! in the order and the pieces the situation gives, and checks `/api/spend` by tool and by model
//! against `expected.json`: each request that reached the engine by either source counts once,
//! with the tokens the model API served. It also checks that no keyed log or metric row is stored
//! twice.

use crate::support::fixtures::{Capture, fixtures_root};
use crate::support::imports::{import_with, options_for};
use crate::support::spend::{add, group_counts};
use crate::support::{TestServer, captures, expected};
use ai_observer_engine::importers::plan::ImportOptions;
use ai_observer_engine::model::UsageSource;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";

/// The tool keys of the API and of `expected.json`.
const TOOLS: [(&str, &str); 3] = [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")];

/// A served request of `expected.json`.
#[derive(Debug, Clone)]
struct Served {
    tool: &'static str,
    run: String,
    invocation: usize,
    in_session_file: bool,
    model: String,
    /// Requests, uncached input, cache reads, cache writes, output (reasoning included), reasoning.
    tokens: [i64; 6],
}

fn served() -> Vec<Served> {
    let expected = expected();
    let mut all = Vec::new();
    for (tool, name) in TOOLS {
        for session in expected["tools"][name]["sessions"].as_object().unwrap().values() {
            for request in session["requests"].as_array().unwrap() {
                let normalized = &request["normalized"];
                let number = |key: &str| normalized[key].as_i64().unwrap();
                // Gemini's normalized output leaves thoughts out; the engine bills them as output.
                let output = number("output") + if name == "gemini_cli" { number("reasoning") } else { 0 };
                let invocation = request["invocation"].as_str().unwrap();
                all.push(Served {
                    tool,
                    run: session["run"].as_str().unwrap().to_owned(),
                    invocation: invocation.rsplit('#').next().unwrap().parse().unwrap(),
                    in_session_file: request["in_session_file"].as_bool().unwrap(),
                    model: request["model"].as_str().unwrap().to_owned(),
                    tokens: [1, number("input_uncached"), number("cache_read"), number("cache_creation"), output, number("reasoning")],
                });
            }
        }
    }
    all
}

/// A run's captured requests, one list per CLI process: a process ends with its metrics export
/// (and what it sends in the same instant after it).
fn processes(run: &str) -> Vec<Vec<Capture>> {
    let mut processes: Vec<Vec<Capture>> = Vec::new();
    let mut ended_at: Option<f64> = None;
    for capture in captures(&[run]) {
        let meta: Value = serde_json::from_str(
            &std::fs::read_to_string(fixtures_root().join(run).join("otlp").join(format!("{}.meta.json", capture.name))).unwrap(),
        )
        .unwrap();
        let time = meta["time"].as_f64().unwrap();
        if processes.is_empty() || ended_at.is_some_and(|ended| time - ended > 0.5) {
            processes.push(Vec::new());
            ended_at = None;
        }
        if capture.path.ends_with("/v1/metrics") {
            ended_at = Some(time);
        }
        processes.last_mut().unwrap().push(capture);
    }
    processes
}

fn runs() -> Vec<String> {
    let mut runs: Vec<String> = served().iter().map(|request| request.run.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    runs.sort();
    runs
}

async fn post(server: &TestServer, captures: &[Capture]) {
    for capture in captures {
        let status = capture.replay(&server.client, &server.otlp("")).await.status();
        assert_eq!(status, 200, "{} {}", capture.run, capture.name);
    }
}

fn fixture_homes() -> Vec<PathBuf> {
    runs().iter().map(|run| fixtures_root().join(run).join("sessions")).collect()
}

/// Spend by tool and by (tool, model), as the API answers it.
async fn spend(server: &TestServer) -> (BTreeMap<String, [i64; 6]>, BTreeMap<(String, String), [i64; 6]>) {
    let by_tool = server.get_json(&format!("/api/spend?groupBy=tool&{ALL_TIME}")).await;
    let tools: BTreeMap<String, [i64; 6]> = by_tool["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| (group["key"].as_str().unwrap().to_owned(), group_counts(group)))
        .collect();
    let mut models = BTreeMap::new();
    for tool in tools.keys() {
        let by_model = server.get_json(&format!("/api/spend?groupBy=model&tool={tool}&{ALL_TIME}")).await;
        for group in by_model["groups"].as_array().unwrap() {
            models.insert((tool.clone(), group["key"].as_str().unwrap().to_owned()), group_counts(group));
        }
    }
    (tools, models)
}

/// Asserts spend equals the served usage of the requests `reached` selects.
async fn assert_spend(server: &TestServer, what: &str, reached: impl Fn(&Served) -> bool) {
    let mut tools: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    let mut models: BTreeMap<(String, String), [i64; 6]> = BTreeMap::new();
    for request in served().iter().filter(|request| reached(request)) {
        add(tools.entry(request.tool.to_owned()).or_default(), &request.tokens);
        add(models.entry((request.tool.to_owned(), request.model.clone())).or_default(), &request.tokens);
    }
    let (found_tools, found_models) = spend(server).await;
    assert_eq!(found_tools, tools, "{what}: spend by tool [requests, input, cacheRead, cacheCreation, output, reasoning]");
    assert_eq!(found_models, models, "{what}: spend by model");
    assert_no_duplicate_rows(server, what).await;
}

/// No keyed log or metric row is stored twice.
async fn assert_no_duplicate_rows(server: &TestServer, what: &str) {
    let duplicates: (i64, i64) = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT (SELECT count(*) FROM (SELECT RecordKey FROM otel_logs WHERE RecordKey IS NOT NULL GROUP BY 1 HAVING count(*) > 1)),
                        (SELECT count(*) FROM (SELECT RecordKey FROM otel_metrics WHERE RecordKey IS NOT NULL GROUP BY 1 HAVING count(*) > 1))",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(duplicates, (0, 0), "{what}: keyed log and metric rows stored twice");
}

#[tokio::test]
async fn a_telemetry_only_first_process_and_all_files_count_every_request_once() {
    // (a) and (b): the app runs only during the first process of each resumed session (the user
    // quit it before resuming), then imports every session file.
    let server = TestServer::start().await;
    for run in runs() {
        post(&server, &processes(&run)[0]).await;
    }
    import_with(&server, &options_for(&fixture_homes(), UsageSource::Import)).await;
    assert_spend(&server, "first process by OTLP, all files", |request| request.invocation == 0 || request.in_session_file).await;
    // The files again, and every capture once more: nothing changes.
    import_with(&server, &ImportOptions { force: true, ..options_for(&fixture_homes(), UsageSource::Import) }).await;
    assert_spend(&server, "after a forced re-import", |request| request.invocation == 0 || request.in_session_file).await;
    server.stop().await;
}

#[tokio::test]
async fn receiving_paused_for_a_while_loses_nothing_the_files_hold() {
    // (c): receiving is paused while the second process of each run exports (the CLI gets 503
    // and drops those batches); the files are complete.
    let server = TestServer::start().await;
    for run in runs() {
        for (number, process) in processes(&run).iter().enumerate() {
            if number == 1 {
                server.engine.ingestor().set_paused(true);
                for capture in process {
                    assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 503);
                }
                server.engine.ingestor().set_paused(false);
            } else {
                post(&server, process).await;
            }
        }
    }
    import_with(&server, &options_for(&fixture_homes(), UsageSource::Import)).await;
    assert_spend(&server, "paused during the second processes", |request| request.invocation != 1 || request.in_session_file).await;
    server.stop().await;
}

#[tokio::test]
async fn a_restart_between_two_halves_counts_everything_once() {
    // (d): the app restarts (an update) between the first and second processes, and the watcher
    // had read the files of the first half before.
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("restart.duckdb");
    let server = TestServer::start_on(&database).await;
    for run in runs() {
        post(&server, &processes(&run)[0]).await;
    }
    import_with(&server, &options_for(&fixture_homes(), UsageSource::Watch)).await;
    server.stop().await;
    let server = TestServer::start_on(&database).await;
    for run in runs() {
        for process in processes(&run).iter().skip(1) {
            post(&server, process).await;
        }
    }
    import_with(&server, &ImportOptions { force: true, ..options_for(&fixture_homes(), UsageSource::Watch) }).await;
    assert_spend(&server, "restarted between the halves", |_| true).await;
    server.stop().await;
}

/// The Claude Code session file of the tool-call run, as the CLI wrote it, line by line.
fn claude_session_lines() -> (PathBuf, Vec<Vec<u8>>) {
    let root = fixtures_root().join("claude-proto-toolcall").join("sessions");
    let projects = root.join(".claude/projects");
    let folder = std::fs::read_dir(&projects).unwrap().flatten().next().unwrap().path();
    let file = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "jsonl"))
        .unwrap();
    let text = std::fs::read(&file).unwrap();
    let lines: Vec<Vec<u8>> = text.split_inclusive(|byte| *byte == b'\n').map(<[u8]>::to_vec).collect();
    (file.strip_prefix(&root).unwrap().to_path_buf(), lines)
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap().write_all(bytes).unwrap();
}

#[tokio::test]
async fn a_response_written_block_by_block_and_read_between_blocks_is_stored_once() {
    // (e): the watcher reads after every line Claude Code writes, and once in the middle of a
    // line (the last line of a pass without its newline, then the rest).
    let home = tempfile::tempdir().unwrap();
    let (relative, lines) = claude_session_lines();
    let path = home.path().join(&relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let server = TestServer::start().await;
    let options = options_for(&[home.path().to_path_buf()], UsageSource::Watch);
    for line in &lines {
        let (head, tail) = line.split_at(line.len() - 1);
        append(&path, head);
        import_with(&server, &options).await;
        append(&path, tail);
        import_with(&server, &options).await;
    }
    assert_spend(&server, "Claude file read between its blocks", |request| {
        request.run == "claude-proto-toolcall" && request.in_session_file
    })
    .await;
    // The token counters the file yields add up to the same tokens.
    let metric_sum: f64 = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT coalesce(sum(Value), 0) FROM otel_metrics WHERE MetricName = 'claude_code.token.usage'",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap();
    let tokens: i64 = served()
        .iter()
        .filter(|request| request.run == "claude-proto-toolcall" && request.in_session_file)
        .map(|request| request.tokens[1..5].iter().sum::<i64>())
        .sum();
    assert_eq!(metric_sum as i64, tokens, "claude_code.token.usage from the file");
    server.stop().await;
}

/// The keyed log rows (transcripts, request events) a store holds.
async fn keyed_log_count(server: &TestServer) -> i64 {
    server.scalar("SELECT count(*) FROM otel_logs WHERE RecordKey IS NOT NULL").await
}

#[tokio::test]
async fn a_codex_line_read_before_its_newline_keeps_its_line_number() {
    // Item 8: a pass takes a complete last line whose newline is not written yet; the next pass
    // reads the lone newline. Codex keys transcript rows by line number: they must not shift.
    let root = fixtures_root().join("codex-binary-toolcall").join("sessions");
    let mut stack = vec![root.clone()];
    let mut file = None;
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path())
            } else if entry.path().extension().is_some_and(|e| e == "jsonl") {
                file = Some(entry.path())
            }
        }
    }
    let file = file.unwrap();
    let text = std::fs::read(&file).unwrap();
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join(file.strip_prefix(&root).unwrap());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let server = TestServer::start().await;
    let options = options_for(&[home.path().to_path_buf()], UsageSource::Watch);
    for line in text.split_inclusive(|byte| *byte == b'\n') {
        let (head, tail) = line.split_at(line.len() - 1);
        append(&path, head);
        import_with(&server, &options).await;
        append(&path, tail);
        import_with(&server, &options).await;
    }
    // Read again from the start (as a forced import does): the same keys, so nothing is added.
    import_with(&server, &ImportOptions { force: true, ..options_for(&[home.path().to_path_buf()], UsageSource::Import) }).await;
    assert_spend(&server, "Codex file read line by line", |request| request.run == "codex-binary-toolcall" && request.in_session_file)
        .await;
    // The same rows as one read of the finished file.
    let once = TestServer::start().await;
    import_with(&once, &options).await;
    assert_eq!(keyed_log_count(&server).await, keyed_log_count(&once).await, "keyed log rows");
    assert!(keyed_log_count(&once).await > 5);
    once.stop().await;
    server.stop().await;
}

#[tokio::test]
async fn the_watcher_and_an_import_reading_the_same_files_at_once_store_each_request_once() {
    // (h): a manual import and the watcher start on the same files together.
    let server = TestServer::start().await;
    let homes = fixture_homes();
    let watched = options_for(&homes, UsageSource::Watch);
    let imported = options_for(&homes, UsageSource::Import);
    let (first, second) = tokio::join!(import_with(&server, &watched), import_with(&server, &imported));
    let ((), ()) = (first, second);
    assert_spend(&server, "watcher and import at once", |request| request.in_session_file).await;
    let reads: i64 = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row("SELECT count(*) FROM import_state WHERE byte_offset <> file_size", [], |row| row.get(0))?)
        })
        .await
        .unwrap();
    assert_eq!(reads, 0, "every file's saved offset is its end");
    server.stop().await;
}

#[tokio::test]
async fn bare_dates_are_the_users_days() {
    // (g, part): the captures ran at 13:47 UTC on 2026-11-28, which is 03:47 on 2026-11-29 in
    // Kiritimati (UTC+14): a bare date names the user's day, not the UTC day.
    let server = TestServer::start().await;
    for run in runs() {
        for process in processes(&run) {
            post(&server, &process).await;
        }
    }
    let all_requests: i64 = served().len() as i64;
    let requests = |body: &Value| body["total"]["requests"].as_i64().unwrap();
    let local_day = server.get_json("/api/spend?from=2026-11-29&to=2026-11-30&tz=Pacific/Kiritimati").await;
    assert_eq!(requests(&local_day), all_requests);
    let utc_day = server.get_json("/api/spend?from=2026-11-28&to=2026-11-29&tz=Pacific/Kiritimati").await;
    assert_eq!(requests(&utc_day), 0);
    let days = server.get_json("/api/spend?from=2026-11-29&to=2026-11-30&tz=Pacific/Kiritimati&groupBy=day").await;
    assert_eq!(
        days["groups"].as_array().unwrap().iter().map(|group| group["key"].as_str().unwrap()).collect::<Vec<_>>(),
        vec!["2026-11-29"]
    );
    server.stop().await;
}
