//! `ai-observer tokens` with the real binary, as a team server's admin uses it while `serve` runs:
//! the new token is the last line of `add`, a machine sending with it is counted as that machine,
//! `list` never shows secrets, and `revoke` shuts the machine out at once.

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::{BINARY, Server};

fn tokens(api: &str, arguments: &[&str]) -> Output {
    Command::new(BINARY).arg("tokens").args(arguments).args(["--api-url", api]).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Claude Code's captured log export (two model requests), sent as its exporter sends it with
/// `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer <token>`; the answer's status.
fn send_claude_logs(otlp: &str, token: &str) -> u16 {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures/cli-captures/claude-json-plain/otlp/0002-logs.bin"),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let request = reqwest::Client::new().post(format!("{otlp}/v1/logs")).header("content-type", "application/json").bearer_auth(token);
        request.body(body).send().await.unwrap().status().as_u16()
    })
}

fn spend_by_machine(api: &str) -> Vec<(String, i64)> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let body: serde_json::Value = runtime.block_on(async {
        let url = format!("{api}/api/spend?groupBy=machine&from=2026-11-01&to=2100-01-01&tz=UTC");
        reqwest::get(url).await.unwrap().json().await.unwrap()
    });
    body["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| (group["key"].as_str().unwrap().to_owned(), group["requests"].as_i64().unwrap()))
        .collect()
}

#[test]
fn an_admin_makes_lists_and_revokes_machine_tokens_while_the_server_runs() {
    let directory = tempfile::tempdir().unwrap();
    let server = Server::start(&directory.path().join("team.duckdb"), &[]);

    let added = tokens(&server.api, &["add", "laptop"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let printed = stdout(&added);
    let token = printed.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("aio_") && token.len() == 68, "the token is the last line: {printed}");

    assert_eq!(send_claude_logs(&server.otlp, &token), 200);
    assert_eq!(spend_by_machine(&server.api), [("laptop".to_owned(), 2)]);

    let listed = stdout(&tokens(&server.api, &["list"]));
    assert!(listed.lines().any(|line| line.starts_with("laptop\t") && line.ends_with("in force")), "{listed}");
    assert!(!listed.contains(&token), "list never shows a secret");

    let again = tokens(&server.api, &["add", "laptop"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("is in force"), "{}", String::from_utf8_lossy(&again.stderr));
    let invalid = tokens(&server.api, &["add", "two words"]);
    assert!(!invalid.status.success());
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("invalid token name"));

    let revoked = tokens(&server.api, &["revoke", "laptop"]);
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    assert_eq!(send_claude_logs(&server.otlp, &token), 401, "refused from the moment revoke returned");
    let listed = stdout(&tokens(&server.api, &["list"]));
    assert!(listed.lines().any(|line| line.starts_with("laptop\t") && line.contains("revoked")), "{listed}");

    // The name can be issued again, with a new secret; the old one stays refused.
    let reissued = tokens(&server.api, &["add", "laptop"]);
    let new_token = stdout(&reissued).lines().last().unwrap().trim().to_owned();
    assert_ne!(new_token, token);
    assert_eq!(send_claude_logs(&server.otlp, &token), 401);
    assert_eq!(send_claude_logs(&server.otlp, &new_token), 200);
    assert!(server.stop().success());
}
