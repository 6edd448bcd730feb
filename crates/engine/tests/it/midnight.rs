//! Issue 12 (g): a session that runs across local midnight, in a zone that is not UTC, read with
//! bare dates. The captures in `tests/fixtures/midnight-captures` were made so that local midnight
//! in America/Noronha (UTC−2) fell between a Codex and a Claude Code session's first and resumed
//! processes; all six requests share one UTC date. A bare date is the user's day: in Noronha the
//! first processes belong to 2026-11-29 and the resumed ones to 2026-11-30, by telemetry, by the
//! files and by both, in spend, in day groups and in an import limited to one day.

use crate::support::TestServer;
use crate::support::fixtures::{capture_set, captures_in, expected_in};
use crate::support::imports::{import_with, options_for};
use crate::support::spend::{ByKey, spend_by_tool};
use ai_observer_engine::importers::plan::ImportOptions;
use ai_observer_engine::model::UsageSource;
use ai_observer_engine::model::time::DayWindow;
use serde_json::json;

const ZONE: &str = "America/Noronha";
const TOOLS: [(&str, &str); 2] = [("claude-code", "claude_code"), ("codex", "codex")];

/// `[requests, input, cacheRead, cacheCreation, output, reasoning]` by tool.
type ByTool = ByKey;

/// The expected usage by tool on one local date (`totals_by_local_date`) or in total.
fn expected_on(date: Option<&str>) -> ByTool {
    let expected = expected_in(&capture_set("midnight-captures"));
    let mut by_tool = ByTool::new();
    for (tool, name) in TOOLS {
        for session in expected["tools"][name]["sessions"].as_object().unwrap().values() {
            let totals = match date {
                Some(date) => &session["totals_by_local_date"][date],
                None => &session["totals_all_requests"],
            };
            if totals.is_null() {
                continue;
            }
            let number = |key: &str| totals[key].as_i64().unwrap();
            let entry = by_tool.entry(tool.to_owned()).or_default();
            for (sum, value) in entry.iter_mut().zip([
                number("requests"),
                number("input_uncached"),
                number("cache_read"),
                number("cache_creation"),
                number("output"),
                number("reasoning"),
            ]) {
                *sum += value;
            }
        }
    }
    by_tool
}

fn import_options(window: Option<(i64, i64)>) -> ImportOptions {
    let root = capture_set("midnight-captures");
    let homes: Vec<_> = ["claude-across-boundary", "codex-across-boundary"].iter().map(|run| root.join(run).join("sessions")).collect();
    ImportOptions { window, ..options_for(&homes, UsageSource::Import) }
}

async fn post_all(server: &TestServer) {
    for capture in captures_in(&capture_set("midnight-captures"), &[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{} {}", capture.run, capture.name);
    }
}

#[tokio::test]
async fn a_session_across_local_midnight_splits_at_the_users_midnight() {
    let server = TestServer::start().await;
    post_all(&server).await;
    import_with(&server, &import_options(None)).await;
    let (before, after) = (expected_on(Some("2026-11-29")), expected_on(Some("2026-11-30")));
    assert_eq!(before["codex"][0] + before["claude-code"][0], 4, "requests before local midnight");
    assert_eq!(after["codex"][0] + after["claude-code"][0], 2, "requests after local midnight");

    assert_eq!(spend_by_tool(&server, &format!("from=2026-11-29&to=2026-11-30&tz={ZONE}")).await, before, "the local 29th");
    assert_eq!(spend_by_tool(&server, &format!("from=2026-11-30&to=2026-12-01&tz={ZONE}")).await, after, "the local 30th");
    assert_eq!(spend_by_tool(&server, "from=2026-11-30&to=2026-12-01&tz=UTC").await, expected_on(None), "the UTC 30th holds all");

    let days = server.get_json(&format!("/api/spend?groupBy=day&from=2026-11-29&to=2026-12-01&tz={ZONE}")).await;
    let found: Vec<(String, i64)> = days["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| (group["key"].as_str().unwrap().to_owned(), group["requests"].as_i64().unwrap()))
        .collect();
    assert_eq!(found, vec![("2026-11-29".to_owned(), 4), ("2026-11-30".to_owned(), 2)]);

    // Without `tz`, the configured zone says whose day a bare date is.
    let status = server.client.put(server.api("/api/settings")).json(&json!({"timeZone": ZONE})).send().await.unwrap().status();
    assert_eq!(status, 200);
    assert_eq!(spend_by_tool(&server, "from=2026-11-30&to=2026-12-01").await, after, "the configured zone's 30th");
    server.stop().await;
}

#[tokio::test]
async fn an_import_of_one_local_day_takes_that_days_requests() {
    let zone: chrono_tz::Tz = ZONE.parse().unwrap();
    let server = TestServer::start().await;
    let window = DayWindow::parse(Some("2026-11-30"), Some("2026-11-30"), zone).unwrap().map(|window| window.nanos_inclusive());
    import_with(&server, &import_options(window)).await;
    // Only what the files hold: Claude Code's title request reached telemetry alone.
    let mut after = expected_on(Some("2026-11-30"));
    let from_files = spend_by_tool(&server, "from=2026-01-01&to=2027-01-01&tz=UTC").await;
    after.retain(|tool, _| from_files.contains_key(tool));
    assert_eq!(from_files, after, "an import of the local 30th");
    server.stop().await;
}
