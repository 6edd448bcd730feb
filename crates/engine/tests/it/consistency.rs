//! Issue 13: every read of the session-level numbers tells the same truth as `/api/spend`, from the
//! real captures loaded by telemetry only, by session files only, and by both.
//!
//! For every session: the Sessions list entry and the transcript's `summary` equal
//! `/api/spend?groupBy=session` for it (requests, tokens by type, cost, unpriced requests); the
//! sessions add up to spend by tool; the transcript shows no text twice at one time and never an
//! event name as text, and has exactly one message per model request of the session; the token and
//! cost metrics add up to spend per tool.

use crate::support::fixtures::captured_homes;
use crate::support::imports::import_homes;
use crate::support::spend::metric_sums;
use crate::support::{TestServer, captures};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Telemetry,
    Files,
    Both,
}

async fn loaded(load: Load) -> TestServer {
    let server = TestServer::start().await;
    if load != Load::Files {
        for capture in captures(&[]) {
            assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
        }
    }
    if load != Load::Telemetry {
        import_homes(&server, &captured_homes()).await;
    }
    server
}

/// The figures every view must agree on: requests, the five token types, cost, unpriced requests.
fn figures(totals: &Value) -> (i64, [i64; 5], Option<String>, i64) {
    let tokens = &totals["tokens"];
    let number = |key: &str| tokens[key].as_i64().unwrap();
    (
        totals["requests"].as_i64().unwrap(),
        [number("input"), number("cacheRead"), number("cacheCreation"), number("output"), number("reasoning")],
        totals["costUsd"].as_f64().map(|cost| format!("{cost:.9}")),
        totals["unpricedRequests"].as_i64().unwrap(),
    )
}

async fn spend_by(server: &TestServer, group_by: &str) -> BTreeMap<String, Value> {
    let spend = server.get_json(&format!("/api/spend?groupBy={group_by}&{ALL_TIME}")).await;
    spend["groups"].as_array().unwrap().iter().map(|group| (group["key"].as_str().unwrap().to_owned(), group.clone())).collect()
}

async fn sessions_list(server: &TestServer) -> BTreeMap<String, Value> {
    let list = server.get_json(&format!("/api/sessions?limit=1000&{ALL_TIME}")).await;
    list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|session| (session["sessionId"].as_str().unwrap().to_owned(), session.clone()))
        .collect()
}

#[tokio::test]
async fn sessions_list_and_session_pages_equal_spend_by_session_from_either_source_or_both() {
    for load in [Load::Telemetry, Load::Files, Load::Both] {
        let server = loaded(load).await;
        let by_session = spend_by(&server, "session").await;
        let list = sessions_list(&server).await;
        assert!(by_session.len() >= 6, "{load:?}: {} sessions in spend", by_session.len());
        let mut by_tool: BTreeMap<String, (i64, [i64; 5])> = BTreeMap::new();
        for (session_id, group) in &by_session {
            let expected = figures(group);
            let entry = list.get(session_id).unwrap_or_else(|| panic!("{load:?}: {session_id} missing from /api/sessions"));
            assert_eq!(figures(entry), expected, "{load:?}: list entry of {session_id}");
            let transcript = server.get_json(&format!("/api/sessions/{session_id}/transcript")).await;
            assert_eq!(figures(&transcript["summary"]), expected, "{load:?}: transcript summary of {session_id}");
            assert_eq!(transcript["summary"]["models"], entry["models"], "{load:?}: models of {session_id}");
            let tool = entry["tool"].as_str().unwrap().to_owned();
            let sum = by_tool.entry(tool).or_default();
            sum.0 += expected.0;
            for (total, value) in sum.1.iter_mut().zip(expected.1) {
                *total += value;
            }
        }
        // Every captured request names its session: the sessions add up to the tools.
        let tools: BTreeMap<String, (i64, [i64; 5])> = spend_by(&server, "tool")
            .await
            .into_iter()
            .map(|(tool, group)| {
                let (requests, tokens, _, _) = figures(&group);
                (tool, (requests, tokens))
            })
            .collect();
        assert_eq!(by_tool, tools, "{load:?}: sessions add up to spend by tool");
        server.stop().await;
    }
}

/// The Overview's costliest sessions (`sort=cost`, a page at a time): spend by session in order of
/// cost, each entry as the whole list shows it (its details are read for the page only).
#[tokio::test]
async fn the_costliest_sessions_come_a_page_at_a_time_in_order_of_spend() {
    let server = loaded(Load::Both).await;
    let mut by_cost: Vec<(String, f64)> = spend_by(&server, "session")
        .await
        .into_iter()
        .map(|(session_id, group)| (session_id, group["costUsd"].as_f64().unwrap_or(f64::NEG_INFINITY)))
        .collect();
    by_cost.sort_by(|a, b| b.1.total_cmp(&a.1));
    let list = sessions_list(&server).await;
    assert_eq!(list.len(), 6, "the captures' sessions");
    let mut paged = Vec::new();
    for offset in [0, 2, 4] {
        let page = server.get_json(&format!("/api/sessions?sort=cost&limit=2&offset={offset}&{ALL_TIME}")).await;
        assert_eq!(page["total"].as_i64().unwrap(), list.len() as i64, "every session is counted, not only the page's");
        for session in page["sessions"].as_array().unwrap() {
            let session_id = session["sessionId"].as_str().unwrap();
            assert_eq!(session, &list[session_id], "{session_id}: the page's entry equals the whole list's");
            paged.push(session_id.to_owned());
        }
    }
    let past_the_end = server.get_json(&format!("/api/sessions?sort=cost&limit=2&offset=6&{ALL_TIME}")).await;
    assert_eq!(past_the_end["sessions"], serde_json::json!([]));
    assert_eq!(past_the_end["total"], 6, "a page past the end still counts every session");
    assert_eq!(past_the_end["hasMore"], false);
    let expected: Vec<String> = by_cost.iter().map(|(session_id, _)| session_id.clone()).collect();
    assert!(by_cost.windows(2).all(|pair| pair[0].1 > pair[1].1), "no two sessions cost the same: {by_cost:?}");
    assert_eq!(paged, expected);
    server.stop().await;
}

/// The models `expected.json` says each tool's sessions used, as spend names them.
#[tokio::test]
async fn a_session_lists_every_model_it_used() {
    let server = loaded(Load::Both).await;
    let by_model = server.get_json(&format!("/api/spend?groupBy=model&{ALL_TIME}")).await;
    let all_models: BTreeSet<String> =
        by_model["groups"].as_array().unwrap().iter().map(|group| group["key"].as_str().unwrap().to_owned()).collect();
    let listed: BTreeSet<String> = sessions_list(&server)
        .await
        .values()
        .flat_map(|session| {
            session["models"].as_array().unwrap().iter().map(|model| model.as_str().unwrap().to_owned()).collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(listed, all_models);
    let multi_model = sessions_list(&server).await.values().filter(|session| session["models"].as_array().unwrap().len() > 1).count();
    assert!(multi_model >= 2, "Claude (Haiku + main model) and Gemini (flash + flash-lite) sessions list several models");
    server.stop().await;
}

#[tokio::test]
async fn a_transcript_shows_each_request_and_text_once_and_never_an_event_name() {
    for load in [Load::Telemetry, Load::Files, Load::Both] {
        let server = loaded(load).await;
        for (session_id, group) in spend_by(&server, "session").await {
            let transcript = server.get_json(&format!("/api/sessions/{session_id}/transcript")).await;
            let messages = transcript["messages"].as_array().unwrap();
            let mut seen = BTreeSet::new();
            for message in messages {
                let content = message["content"].as_str().unwrap();
                assert!(
                    !content.contains("api_request") && !content.contains("api_response") && !content.starts_with("{\"candidates\""),
                    "{load:?} {session_id}: event name or raw reply shown as text: {content:.80}"
                );
                if !content.is_empty() {
                    let key = (message["role"].to_string(), content.to_owned(), message["timestamp"].to_string());
                    assert!(seen.insert(key), "{load:?} {session_id}: shown twice: {content:.80}");
                }
            }
            let with_usage = messages.iter().filter(|message| message["inputTokens"].is_i64() || message["outputTokens"].is_i64()).count();
            assert_eq!(
                with_usage as i64,
                group["requests"].as_i64().unwrap(),
                "{load:?} {session_id}: messages carrying a request's usage"
            );
            let cost: f64 = messages.iter().filter_map(|message| message["costUsd"].as_f64()).sum();
            assert!(
                (cost - group["costUsd"].as_f64().unwrap_or(0.0)).abs() < 1e-9,
                "{load:?} {session_id}: message costs {cost} vs spend {}",
                group["costUsd"]
            );
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_session_whose_every_request_is_unpriced_has_no_cost_not_zero() {
    let server = loaded(Load::Both).await;
    let by_session = spend_by(&server, "session").await;
    let unpriced: Vec<&Value> = by_session.values().filter(|group| group["unpricedRequests"] == group["requests"]).collect();
    assert!(!unpriced.is_empty(), "the Codex captures use a model without a price");
    let list = sessions_list(&server).await;
    for group in unpriced {
        let session_id = group["key"].as_str().unwrap();
        assert_eq!(group["costUsd"], Value::Null, "spend of {session_id}");
        assert_eq!(list[session_id]["costUsd"], Value::Null, "list entry of {session_id}");
    }
    server.stop().await;
}

/// A tool's token metric in spend's terms: `[input, cacheRead, cacheCreation, output, reasoning]`
/// (each tool names and counts its types its own way: Gemini's `input` includes the cache and
/// its `output` leaves thoughts out; Codex's types are already spend's).
fn tokens_in_spend_terms(tool: &str, sums: &BTreeMap<String, f64>) -> [i64; 5] {
    let value = |key: &str| sums.get(key).copied().unwrap_or(0.0) as i64;
    match tool {
        "gemini" => [value("input") - value("cache"), value("cache"), 0, value("output") + value("thought"), value("thought")],
        "claude-code" => [value("input"), value("cacheRead"), value("cacheCreation"), value("output"), 0],
        _ => [value("input"), value("cacheRead"), value("cacheCreation"), value("output"), value("reasoning")],
    }
}

#[tokio::test]
async fn token_and_cost_metrics_add_up_to_spend_per_tool_from_either_source_or_both() {
    let metrics = [
        ("claude-code", "claude_code.token.usage", "claude_code.cost.usage"),
        ("codex", "codex_cli_rs.token.usage", "codex_cli_rs.cost.usage"),
        ("gemini", "gemini_cli.token.usage.delta", "gemini_cli.cost.usage"),
    ];
    for load in [Load::Telemetry, Load::Files, Load::Both] {
        let server = loaded(load).await;
        let spend = spend_by(&server, "tool").await;
        for (tool, token_metric, cost_metric) in metrics {
            let group = &spend[tool];
            let (_, mut tokens, _, _) = figures(group);
            if tool == "claude-code" {
                tokens[4] = 0; // Claude Code's token metric has no reasoning type.
            }
            assert_eq!(
                tokens_in_spend_terms(tool, &metric_sums(&server, token_metric, ALL_TIME).await),
                tokens,
                "{load:?} {tool}: {token_metric}"
            );
            let cost: f64 = metric_sums(&server, cost_metric, ALL_TIME).await.values().sum();
            let spent = group["costUsd"].as_f64().unwrap_or(0.0);
            assert!((cost - spent).abs() < 1e-6, "{load:?} {tool}: {cost_metric} {cost} vs spend {spent}");
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn the_logs_list_one_api_request_event_per_claude_request_from_either_source_or_both() {
    for load in [Load::Telemetry, Load::Files, Load::Both] {
        let server = loaded(load).await;
        let requests = spend_by(&server, "tool").await["claude-code"]["requests"].as_i64().unwrap();
        let logs = server.get_json(&format!("/api/logs?service=claude-code&search=api_request&limit=1000&{ALL_TIME}")).await;
        let events = logs["logs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|log| log["logAttributes"]["event.name"].as_str().is_some_and(|name| name.ends_with("api_request")))
            .count();
        assert_eq!(events as i64, requests, "{load:?}: api_request events listed");
        server.stop().await;
    }
}

#[tokio::test]
async fn a_session_is_titled_by_the_tool_else_by_its_first_prompt() {
    let server = loaded(Load::Files).await;
    let list = sessions_list(&server).await;
    // Claude Code names its sessions in `ai-title` lines (here the file's first line, before any time).
    assert_eq!(list["677f8f78-93ed-4224-a767-00ee82d17a17"]["title"], "List and summarise project files");
    // Codex and Gemini CLI write no title here: the first prompt, on one line.
    for session in list.values().filter(|session| session["tool"] != "claude-code") {
        let title = session["title"].as_str().unwrap_or_else(|| panic!("{session}: no title"));
        assert!(!title.is_empty() && !title.contains('\n') && title.chars().count() <= 120, "{title}");
    }
    server.stop().await;
}

#[tokio::test]
async fn a_claude_session_page_shows_its_sub_agent_as_a_line_of_its_own() {
    let root = crate::support::fixtures::capture_set("fork-subagent-captures");
    let server = TestServer::start().await;
    import_homes(&server, &[root.join("claude-subagent/sessions")]).await;
    for capture in crate::support::fixtures::captures_in(&root, &["claude-subagent"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let transcript = server.get_json("/api/sessions/1c11535b-d905-4e05-a2c1-8d4c98a73e5b/transcript").await;
    let agents = transcript["subAgents"].as_array().unwrap();
    assert_eq!(agents.len(), 1, "{agents:?}");
    // The sub-agent's file: two Haiku requests, 25 uncached input, 4102 cache read, 4490 cache write, 320 output.
    // Named as the counted record names it: telemetry's agent name, else the file's agent id.
    assert!(agents[0]["agentId"] == "Explore" || agents[0]["agentId"] == "a71087a39d4eb55fd", "{agents:?}");
    assert_eq!(agents[0]["requests"], 2);
    assert_eq!(agents[0]["tokens"]["cacheRead"], 4102);
    assert_eq!(agents[0]["tokens"]["cacheCreation"], 4490);
    assert_eq!(agents[0]["tokens"]["output"], 320);
    // And it is part of the session's total.
    let summary = &transcript["summary"];
    assert!(summary["requests"].as_i64().unwrap() >= 4, "{summary}");
    assert!(summary["models"].as_array().unwrap().iter().any(|model| model == "claude-haiku-4-5-20251001"), "{summary}");
    server.stop().await;
}

#[tokio::test]
async fn the_cache_savings_are_each_models_cache_reads_priced_as_input_less_the_cache_read_rate() {
    let server = loaded(Load::Both).await;
    let prices = server.get_json("/api/prices").await;
    let rate = |model: &str| {
        prices["models"]
            .as_array()
            .unwrap()
            .iter()
            .find(|price| price["model"] == model || price["aliases"].as_array().unwrap().iter().any(|alias| alias == model))
    };
    let by_model = server.get_json(&format!("/api/spend?groupBy=model&{ALL_TIME}")).await;
    let mut expected = 0.0;
    let mut priced_reads = 0;
    for group in by_model["groups"].as_array().unwrap() {
        let reads = group["tokens"]["cacheRead"].as_i64().unwrap();
        if let Some(price) = rate(group["key"].as_str().unwrap()).filter(|_| reads > 0) {
            let input = price["input"].as_f64().unwrap();
            expected += reads as f64 * (input - price["cacheRead"].as_f64().unwrap_or(input)) / 1e6;
            priced_reads += 1;
        }
    }
    assert!(priced_reads >= 2, "Claude and Gemini models read the cache with a price");
    let total = &server.get_json(&format!("/api/spend?groupBy=tool&{ALL_TIME}")).await["total"];
    let saved = total["cacheSavingsUsd"].as_f64().unwrap();
    assert!((saved - expected).abs() < 1e-9 && saved > 0.0, "{saved} vs {expected}");
    server.stop().await;
}

/// Log records with their stored session and event name, and how many differ from the JSON rule
/// (`SESSION_ID_EXPRESSION`, the event.name attribute).
async fn stored_log_columns(server: &TestServer) -> (i64, i64, i64) {
    let sql = format!(
        "SELECT count(SessionId), count(EventName),
                count(*) FILTER (WHERE SessionId IS DISTINCT FROM {session} OR EventName IS DISTINCT FROM json_extract_string(LogAttributes, '$.\"event.name\"'))
         FROM otel_logs",
        session = ai_observer_engine::query::sessions::SESSION_ID_EXPRESSION
    );
    server
        .engine
        .store()
        .read(move |connection| Ok(connection.query_row(&sql, [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?))
        .await
        .unwrap()
}

#[tokio::test]
async fn stored_session_and_event_columns_follow_the_attributes_when_written_and_after_the_migration() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("columns.duckdb");
    let server = TestServer::start_on(&database).await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
    }
    import_homes(&server, &captured_homes()).await;
    let written = stored_log_columns(&server).await;
    assert_eq!(written.2, 0, "rows whose stored columns differ from their attributes");
    assert!(written.0 > 100 && written.1 > 100, "{written:?}");
    let sessions = sessions_list(&server).await;
    server.stop().await;

    // A database written before the columns existed: the migration fills them with the same rule.
    {
        let connection = duckdb::Connection::open(&database).unwrap();
        connection
            .execute_batch(
                "ALTER TABLE otel_logs DROP COLUMN SessionId; ALTER TABLE otel_logs DROP COLUMN EventName;
                 DELETE FROM schema_migrations WHERE version >= 4;",
            )
            .unwrap();
    }
    let server = TestServer::start_on(&database).await;
    assert_eq!(stored_log_columns(&server).await, written);
    let migrated = sessions_list(&server).await;
    assert_eq!(migrated.keys().collect::<Vec<_>>(), sessions.keys().collect::<Vec<_>>());
    for (id, session) in &sessions {
        assert_eq!(&migrated[id], session, "session {id}");
    }
    server.stop().await;
}
