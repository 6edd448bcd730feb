//! `ai-observer statusline` and `ai-observer limits` with the real binary: Claude Code's captured
//! status-line JSON piped in as Claude Code pipes it, the answer line, the state it leaves in the
//! app, and the exit status scripts read from `limits --check`.

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use support::{BINARY, Server};

fn capture(name: &str) -> String {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures/limits-captures/claude-limits-tui/statusline").join(name);
    std::fs::read_to_string(path).unwrap()
}

/// The capture with its windows' reset times moved to hours and days from now, as when it was made,
/// so that its limits read as open whenever the test runs (the captured times are in the past now).
fn capture_with_open_windows(name: &str) -> String {
    let mut input: serde_json::Value = serde_json::from_str(&capture(name)).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    input["rate_limits"]["five_hour"]["resets_at"] = (now + 3 * 3600).into();
    input["rate_limits"]["seven_day"]["resets_at"] = (now + 3 * 86400).into();
    input.to_string()
}

fn statusline(api: &str, stdin: &str) -> Output {
    statusline_with(api, stdin, &[], Path::new("/nonexistent/ai-observer-test/store.duckdb"))
}

/// The status line with `extra` arguments, its database (where a report is spooled when the app
/// does not answer) at `database`.
fn statusline_with(api: &str, stdin: &str, extra: &[&str], database: &Path) -> Output {
    let mut child = Command::new(BINARY)
        .args(["statusline", "--api-url", api])
        .args(extra)
        .env("AI_OBSERVER_DATABASE_PATH", database)
        // What is tested is the line, not how fast an unoptimised server answers beside others.
        .env("AI_OBSERVER_STATUSLINE_TIMEOUT_MS", "5000")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn limits(api: &str, extra: &[&str]) -> Output {
    Command::new(BINARY).args(["limits", "--api-url", api]).args(extra).output().unwrap()
}

#[test]
fn the_status_line_reports_its_limits_to_the_app_and_prints_one_line() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(&directory.path().join("store.duckdb"), &[]);
    let output = statusline(&server.api, &capture_with_open_windows("0008.json"));
    assert!(output.status.success());
    let line = String::from_utf8(output.stdout).unwrap();
    // Each open window with the time left until it resets (about 3 h and 3 d).
    assert!(line.starts_with("Sonnet 5 · $0.08 session · $0.00 today · 5h 86%"), "{line}");
    assert!(line.contains(" · wk 9% (2d)") || line.contains(" · wk 9% (3d)"), "{line}");

    let table = String::from_utf8(limits(&server.api, &[]).stdout).unwrap();
    assert!(table.contains("claude-code") && table.contains("7d  9 % used"), "{table}");
    // 9 % of the week used: 91 % left. Asking for 95 % fails; for 50 % passes.
    assert_eq!(limits(&server.api, &["--check", "--min-remaining", "95", "--window", "7d"]).status.code(), Some(1));
    assert_eq!(limits(&server.api, &["--check", "--min-remaining", "50", "--window", "7d"]).status.code(), Some(0));
    server.stop();
}

#[test]
fn with_the_app_down_the_line_comes_from_stdin_at_once() {
    let started = std::time::Instant::now();
    let output = statusline("http://127.0.0.1:9", &capture("0008.json"));
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "Sonnet 5 · $0.08 session · 5h 86% · wk 9%");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "never hangs");
    // Not JSON at all: an empty line, no error for Claude Code to show.
    let output = statusline("http://127.0.0.1:9", "not json");
    assert!(output.status.success());
}

#[test]
fn with_the_app_down_the_limits_wait_beside_the_database_for_the_next_start() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("store.duckdb");
    let input = capture_with_open_windows("0008.json");
    let output = statusline_with("http://127.0.0.1:9", &input, &[], &database);
    assert!(output.status.success());
    // The same state again is spooled too, but recorded once.
    statusline_with("http://127.0.0.1:9", &input, &[], &database);
    assert!(directory.path().join("statusline-pending.jsonl").is_file());

    let server = Server::start(&database, &[]);
    let table = String::from_utf8(limits(&server.api, &[]).stdout).unwrap();
    assert!(table.contains("claude-code") && table.contains("7d  9 % used"), "{table}");
    assert!(!directory.path().join("statusline-pending.jsonl").exists(), "taken by the app");
    let url = format!("{}/api/limits/history?from=2000-01-01&to=2100-01-01", server.api);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let history: serde_json::Value = runtime.block_on(async { reqwest::get(url).await.unwrap().json().await.unwrap() });
    assert_eq!(history["limits"].as_array().map(Vec::len), Some(2), "one 5h and one 7d state: {history}");
    server.stop();
}

#[test]
fn a_chained_status_line_prints_first_with_the_same_input() {
    let output = statusline_with(
        "http://127.0.0.1:9",
        &capture("0008.json"),
        &["--chain", "python3 -c 'import json,sys; print(\"mine:\", json.load(sys.stdin)[\"model\"][\"display_name\"])'"],
        Path::new("/nonexistent/ai-observer-test/store.duckdb"),
    );
    assert!(output.status.success());
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim(), "mine: Sonnet 5 │ Sonnet 5 · $0.08 session · 5h 86% · wk 9%");
}
