//! Issue 16: Qwen Code, opencode, Copilot CLI and Goose, from the real runs in
//! `tests/fixtures/more-tools-captures` (see its CAPTURE-NOTES.md). Their telemetry's GenAI spans,
//! their session files, and both together give exactly the usage the scripted API served, by tool,
//! each request once.

use crate::support::TestServer;
use crate::support::fixtures::{capture_set, captures_in, copy_tree};
use crate::support::imports::import_homes;
use crate::support::spend::{self, add};
use serde_json::Value;
use std::collections::BTreeMap;

const RANGE: &str = "from=2026-11-28&to=2026-12-01&tz=UTC";

/// `[requests, input, cacheRead, cacheCreation, output, reasoning]` by tool key.
type ByTool = spend::ByKey;

fn expected() -> Value {
    let path = capture_set("more-tools-captures").join("expected-more-tools.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn counts(totals: &Value) -> [i64; 6] {
    let number = |key: &str| totals[key].as_i64().unwrap();
    [number("requests"), number("input_uncached"), number("cache_read"), number("cache_creation"), number("output"), number("reasoning")]
}

/// The sum of `totals` over the sessions of the runs named, for one tool of the expected file.
fn sessions_total(tool: &str, runs: &[&str], totals: &str) -> [i64; 6] {
    let expected = expected();
    let mut sum = [0; 6];
    for run in runs {
        add(&mut sum, &counts(&expected["tools"][tool]["sessions"][*run][totals]));
    }
    sum
}

async fn spend_by_tool(server: &TestServer) -> ByTool {
    spend::spend_by_tool(server, RANGE).await
}

async fn post_all(server: &TestServer) {
    for capture in captures_in(&capture_set("more-tools-captures"), &[]) {
        let response = capture.replay(&server.client, &server.otlp("")).await;
        assert_eq!(response.status(), 200, "{} {}", capture.run, capture.name);
    }
}

const RUNS_WITH_FILES: [&str; 10] = [
    "qwen-plain",
    "qwen-toolcall",
    "qwen-anthropic-plain",
    "opencode-plain",
    "opencode-toolcall",
    "copilot-plain",
    "copilot-file-plain",
    "copilot-toolcall",
    "goose-plain",
    "goose-toolcall",
];

/// Each run's captured HOME, copied: a SQLite reader may touch a store's `-shm` index, and the
/// fixtures stay as captured.
fn copied_homes() -> (tempfile::TempDir, Vec<std::path::PathBuf>) {
    let root = capture_set("more-tools-captures");
    let scratch = tempfile::tempdir().unwrap();
    let homes = RUNS_WITH_FILES
        .iter()
        .map(|run| {
            let home = scratch.path().join(run);
            copy_tree(&root.join(run).join("sessions"), &home);
            home
        })
        .collect();
    (scratch, homes)
}

async fn import_all(server: &TestServer) {
    let (_scratch, homes) = copied_homes();
    import_homes(server, &homes).await;
}

/// Per-call GenAI spans, from the telemetry alone. Qwen's spans keep the Anthropic cache writes
/// its events fold into input (all 8 served requests, exactly); opencode lost the spans of the
/// calls it made just before exiting (it does not flush), so only the 4 that arrived count;
/// Copilot's file-exporter run sent nothing; Goose records no reasoning.
fn expected_from_telemetry() -> ByTool {
    let expected = expected();
    ByTool::from([
        ("qwen-code".to_owned(), counts(&expected["tools"]["qwen_code"]["totals_all_requests"])),
        ("opencode".to_owned(), counts(&expected["tools"]["opencode"]["totals_in_otlp_requests"])),
        ("copilot".to_owned(), sessions_total("copilot_cli", &["copilot-plain", "copilot-toolcall"], "totals_in_otlp_requests")),
        ("goose".to_owned(), counts(&expected["tools"]["goose"]["totals_in_otlp_requests"])),
    ])
}

#[tokio::test]
async fn genai_spans_of_each_tool_count_each_model_call_once() {
    let server = TestServer::start().await;
    post_all(&server).await;
    let expected = expected_from_telemetry();
    assert_eq!(expected["qwen-code"], [8, 9469, 59392, 2048, 878, 224]);
    assert_eq!(expected["copilot"], [4, 1465, 38400, 12064, 553, 40]);
    assert_eq!(spend_by_tool(&server).await, expected);

    // Every model is priced from the table but Qwen's own, which is listed, never counted as $0.
    let spend = server.get_json(&format!("/api/spend?groupBy=tool&{RANGE}")).await;
    let unpriced: Vec<(String, String, i64)> = spend["unpricedModels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|model| {
            (model["tool"].as_str().unwrap().to_owned(), model["model"].as_str().unwrap().to_owned(), model["requests"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(unpriced, vec![("qwen-code".to_owned(), "qwen3-coder-plus".to_owned(), 6)]);
    for group in spend["groups"].as_array().unwrap() {
        let (tool, unpriced) = (group["key"].as_str().unwrap(), group["unpricedRequests"].as_i64().unwrap());
        assert_eq!(unpriced, if tool == "qwen-code" { 6 } else { 0 }, "{tool}");
        assert!(group["costUsd"].as_f64().unwrap() > 0.0, "{tool} is priced");
    }

    // A resend of every request adds nothing.
    post_all(&server).await;
    assert_eq!(spend_by_tool(&server).await, expected);
    server.stop().await;
}

/// What the four tools' own files and stores hold.
fn expected_from_files() -> ByTool {
    let expected = expected();
    ByTool::from([
        // Qwen's files copy every `api_response` event (the memory extractor's too), as its log
        // events carry them: cache writes inside input.
        ("qwen-code".to_owned(), counts(&expected["tools"]["qwen_code"]["totals_in_otlp_requests"])),
        // opencode's store has every call of the conversation, not the title requests.
        ("opencode".to_owned(), counts(&expected["tools"]["opencode"]["totals_in_session_files"])),
        ("copilot".to_owned(), counts(&expected["tools"]["copilot_cli"]["totals_in_session_files"])),
        // Goose records no reasoning.
        ("goose".to_owned(), counts(&expected["tools"]["goose"]["totals_as_recorded_in_session_files"])),
    ])
}

#[tokio::test]
async fn the_session_files_and_stores_of_each_tool_import_every_call() {
    let server = TestServer::start().await;
    import_all(&server).await;
    let want = expected_from_files();
    assert_eq!(want["qwen-code"], [8, 11517, 59392, 0, 878, 224]);
    assert_eq!(want["opencode"], [4, 1402, 33858, 10528, 570, 64]);
    assert_eq!(want["goose"], [4, 1516, 28516, 9361, 540, 0]);
    assert_eq!(spend_by_tool(&server).await, want);

    // Importing again adds nothing.
    import_all(&server).await;
    assert_eq!(spend_by_tool(&server).await, want);
    server.stop().await;
}

#[tokio::test]
async fn a_sqlite_store_written_while_it_is_read_adds_only_the_new_calls() {
    let server = TestServer::start().await;
    let root = capture_set("more-tools-captures");
    let scratch = tempfile::tempdir().unwrap();
    let home = scratch.path().join("home");
    copy_tree(&root.join("goose-toolcall/sessions"), &home);
    import_homes(&server, std::slice::from_ref(&home)).await;
    let mut want = sessions_total("goose", &["goose-toolcall"], "totals_as_recorded_in_session_files");
    assert_eq!(spend_by_tool(&server).await, ByTool::from([("goose".to_owned(), want)]));

    // Goose goes on: one more call, written as Goose writes it (WAL mode, the store kept open).
    let store = rusqlite::Connection::open(home.join(".local/share/goose/sessions/sessions.db")).unwrap();
    let journal: String = store.query_row("PRAGMA journal_mode", [], |row| row.get(0)).unwrap();
    assert_eq!(journal, "wal");
    store
        .execute(
            "INSERT INTO messages (message_id, session_id, role, content_json, created_timestamp, metadata_json)
             SELECT 'msg_written_later', session_id, role, content_json, created_timestamp + 60, metadata_json
             FROM messages WHERE message_id = 'msg_8878cad8b8df7e7c54e0a041'",
            [],
        )
        .unwrap();
    import_homes(&server, std::slice::from_ref(&home)).await;
    // That message's usage: 9348 input of which 8704 read and 356 written, 117 output.
    add(&mut want, &[1, 288, 8704, 356, 117, 0]);
    assert_eq!(spend_by_tool(&server).await, ByTool::from([("goose".to_owned(), want)]));

    // Nothing new: nothing added.
    import_homes(&server, std::slice::from_ref(&home)).await;
    assert_eq!(spend_by_tool(&server).await, ByTool::from([("goose".to_owned(), want)]));
    // The session is listed under the name it was given (`goose run -n goose-toolcall`).
    let listed = server.get_json(&format!("/api/sessions?{RANGE}")).await;
    assert_eq!(listed["sessions"][0]["title"], "goose-toolcall");
    drop(store);
    server.stop().await;
}

#[tokio::test]
async fn telemetry_and_files_together_count_every_served_request_once() {
    for files_first in [false, true] {
        let server = TestServer::start().await;
        if files_first {
            import_all(&server).await;
            post_all(&server).await;
        } else {
            post_all(&server).await;
            import_all(&server).await;
        }
        let expected = expected();
        let mut want = expected_from_telemetry();
        // Matched by response id: the span counts (it has the cache writes), the file row stands by.
        want.insert("qwen-code".to_owned(), counts(&expected["tools"]["qwen_code"]["totals_all_requests"]));
        want.insert("copilot".to_owned(), counts(&expected["tools"]["copilot_cli"]["totals_all_requests"]));
        // opencode: the spans that arrived (title requests among them) and the stored steps, matched
        // by model and tokens: every served request.
        want.insert("opencode".to_owned(), counts(&expected["tools"]["opencode"]["totals_all_requests"]));
        assert_eq!(spend_by_tool(&server).await, want, "files first: {files_first}");
        server.stop().await;
    }
}

#[tokio::test]
async fn new_tools_sessions_carry_their_ids_and_totals() {
    let server = TestServer::start().await;
    post_all(&server).await;
    import_all(&server).await;
    let expected = expected();
    let sessions = server.get_json(&format!("/api/spend?groupBy=session&{RANGE}")).await;
    let by_session: BTreeMap<String, i64> = sessions["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| (group["key"].as_str().unwrap().to_owned(), group["requests"].as_i64().unwrap()))
        .collect();
    for (tool, run) in [("qwen_code", "qwen-toolcall"), ("copilot_cli", "copilot-toolcall"), ("opencode", "opencode-toolcall")] {
        let session = &expected["tools"][tool]["sessions"][run];
        let id = session["session_id"].as_str().unwrap();
        assert_eq!(by_session.get(id).copied(), Some(session["totals_all_requests"]["requests"].as_i64().unwrap()), "{run}");
    }
    // Titles: the first prompt of the imported transcript (Qwen, Copilot), the tool's own (opencode).
    let listed = server.get_json(&format!("/api/sessions?limit=50&{RANGE}")).await;
    let titles: BTreeMap<String, Value> = listed["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|session| (session["sessionId"].as_str().unwrap().to_owned(), session["title"].clone()))
        .collect();
    for (tool, run, title) in [
        ("qwen_code", "qwen-toolcall", "TOOLCALL: list the files in this project"),
        ("copilot_cli", "copilot-toolcall", "TOOLCALL: list the files in this project"),
        ("opencode", "opencode-toolcall", "Listing project files"),
    ] {
        let id = expected["tools"][tool]["sessions"][run]["session_id"].as_str().unwrap();
        assert_eq!(titles[id], title, "{run}");
    }
    server.stop().await;
}

/// A tool we have never heard of: Copilot's real spans re-labelled with another `service.name`.
#[tokio::test]
async fn an_unknown_service_with_genai_spans_stands_under_its_own_name() {
    let server = TestServer::start().await;
    for capture in captures_in(&capture_set("more-tools-captures"), &["copilot-toolcall"]) {
        if !capture.path.ends_with("/v1/traces") {
            continue;
        }
        let mut body: Value = serde_json::from_slice(&capture.body).unwrap();
        for resource in body["resourceSpans"].as_array_mut().unwrap() {
            for attribute in resource["resource"]["attributes"].as_array_mut().unwrap() {
                if attribute["key"] == "service.name" {
                    attribute["value"] = serde_json::json!({"stringValue": "my-agent"});
                }
            }
        }
        let response = server.client.post(server.otlp("/v1/traces")).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let want = sessions_total("copilot_cli", &["copilot-toolcall"], "totals_in_otlp_requests");
    assert_eq!(want[0], 3);
    assert_eq!(spend_by_tool(&server).await, ByTool::from([("other:my-agent".to_owned(), want)]));
    let only = server.get_json(&format!("/api/spend?groupBy=model&tool=other:my-agent&{RANGE}")).await;
    assert_eq!(only["total"]["requests"], 3);
    assert!(only["total"]["costUsd"].as_f64().unwrap() > 0.0, "priced from the table by model");
    let (status, _) = server.get_status(&format!("/api/spend?tool=nobody&{RANGE}")).await;
    assert_eq!(status, 400);
    server.stop().await;
}
