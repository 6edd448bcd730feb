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

fn statusline(api: &str, stdin: &str) -> Output {
    let mut child = Command::new(BINARY)
        .args(["statusline", "--api-url", api])
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
    // The capture's reset times are hours after it was made: past when this runs, or not yet.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let five_hours_open = 1796009700 > now;

    let output = statusline(&server.api, &capture("0008.json"));
    assert!(output.status.success());
    let line = String::from_utf8(output.stdout).unwrap();
    let expected_start = "Sonnet 5 · $0.08 session · $0.00 today";
    assert!(line.starts_with(expected_start), "{line}");
    assert_eq!(line.contains("5h 86%"), five_hours_open, "{line}");
    assert!(line.contains("wk 9%"), "{line}");

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
