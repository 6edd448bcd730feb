//! The JSON shape of every REST endpoint, with real values, on the fixtures' data.

use crate::support::{TestServer, captures};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const DAY: &str = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap_or_else(|| panic!("not an object: {value}")).keys().cloned().collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

async fn loaded() -> TestServer {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    server
}

#[tokio::test]
async fn telemetry_endpoints_keep_the_original_shapes() {
    let server = loaded().await;

    let traces = server.get_json(&format!("/api/traces?limit=2&{DAY}")).await;
    assert_eq!(keys(&traces), set(&["traces", "total", "hasMore"]));
    assert_eq!(traces["traces"].as_array().unwrap().len(), 2);
    assert_eq!(traces["hasMore"], true);
    let first = &traces["traces"][0];
    assert_eq!(
        keys(first),
        set(&["id", "kind", "traceId", "rootSpanId", "rootSpan", "serviceName", "startTime", "duration", "spanCount", "status"])
    );
    assert_eq!(first["kind"], "otel_trace");
    assert_eq!(first["id"], first["traceId"]);

    let filtered = server.get_json(&format!("/api/traces?service=claude-code&search=claude_code.interaction&{DAY}")).await;
    assert!(filtered["total"].as_i64().unwrap() >= 1);
    assert!(filtered["traces"].as_array().unwrap().iter().all(|trace| trace["serviceName"] == "claude-code"));

    let recent = server.get_json(&format!("/api/traces/recent?limit=3&{DAY}")).await;
    assert_eq!(recent["traces"].as_array().unwrap().len(), 3);
    assert_eq!(recent["hasMore"], false);
    assert_eq!(recent["total"], 3);

    let trace_id = first["traceId"].as_str().unwrap();
    let (status, missing_kind) = server.get_status(&format!("/api/traces/{trace_id}")).await;
    assert_eq!(status, 400);
    assert_eq!(keys(&missing_kind), set(&["code", "message", "error"]));
    assert_eq!(missing_kind["code"], "bad_request");
    let detail = server.get_json(&format!("/api/traces/{trace_id}?kind=otel_trace")).await;
    let spans = detail["spans"].as_array().unwrap();
    assert_eq!(spans.len() as i64, first["spanCount"].as_i64().unwrap());
    assert!(spans.iter().all(|span| span["traceId"] == trace_id));
    for key in ["timestamp", "traceId", "spanId", "spanName", "serviceName", "duration"] {
        assert!(spans[0].get(key).is_some(), "span lacks {key}");
    }
    let alias = server.get_json(&format!("/api/traces/{trace_id}/spans?kind=otel_trace")).await;
    assert_eq!(alias, detail);
    let (status, not_found) = server.get_status("/api/traces/ffffffffffffffffffffffffffffffff?kind=otel_trace").await;
    assert_eq!((status, not_found["message"].as_str()), (404, Some("trace not found")));

    // A Codex operation: the span and its descendants.
    let codex_turn = server.get_json(&format!("/api/traces?service=codex_exec&search=session_task.turn&limit=1&{DAY}")).await;
    let codex_trace = codex_turn["traces"][0]["traceId"].as_str().expect("a codex trace").to_owned();
    let codex_spans = server.get_json(&format!("/api/traces/{codex_trace}?kind=otel_trace")).await;
    let turn_span =
        codex_spans["spans"].as_array().unwrap().iter().find(|span| span["spanName"] == "session_task.turn").expect("turn span");
    let operation = server.get_json(&format!("/api/traces/{}?kind=codex_operation", turn_span["spanId"].as_str().unwrap())).await;
    let operation_spans = operation["spans"].as_array().unwrap();
    assert!(operation_spans.len() > 1);
    assert!(operation_spans.len() <= codex_spans["spans"].as_array().unwrap().len());

    // Two operations inside one turn (each `run_sampling_request` carries the turn's id) open their
    // own spans: each its subtree, never the same set.
    let all_traces = server.get_json(&format!("/api/traces?service=codex_exec&limit=200&{DAY}")).await;
    let mut sampling_sizes = Vec::new();
    for trace in all_traces["traces"].as_array().unwrap() {
        let spans = server.get_json(&format!("/api/traces/{}?kind=otel_trace", trace["traceId"].as_str().unwrap())).await;
        let spans = spans["spans"].as_array().unwrap().clone();
        let sampling: Vec<&Value> = spans.iter().filter(|span| span["spanName"] == "run_sampling_request").collect();
        if sampling.len() < 2 {
            continue;
        }
        for request in sampling {
            let id = request["spanId"].as_str().unwrap();
            let operation = server.get_json(&format!("/api/traces/{id}?kind=codex_operation")).await;
            let ids: BTreeSet<String> =
                operation["spans"].as_array().unwrap().iter().map(|span| span["spanId"].as_str().unwrap().to_owned()).collect();
            // Only the request and its descendants.
            let mut expected = BTreeSet::from([id.to_owned()]);
            loop {
                let before = expected.len();
                for span in &spans {
                    if span["parentSpanId"].as_str().is_some_and(|parent| expected.contains(parent)) {
                        expected.insert(span["spanId"].as_str().unwrap().to_owned());
                    }
                }
                if expected.len() == before {
                    break;
                }
            }
            assert_eq!(ids, expected, "operation {id}");
            sampling_sizes.push(ids.len());
        }
    }
    assert!(sampling_sizes.len() >= 2, "the Codex captures have a turn with several model requests");
    assert!(sampling_sizes.windows(2).any(|pair| pair[0] != pair[1]), "{sampling_sizes:?}");

    let logs = server.get_json(&format!("/api/logs?service=claude-code&limit=5&{DAY}")).await;
    assert_eq!(keys(&logs), set(&["logs", "total", "hasMore"]));
    let log = &logs["logs"][0];
    // Claude Code sets no severity on its events (severityNumber 0, no text): the engine derives one
    // (otlp::severity), INFO for these.
    assert_eq!(log["severityNumber"], 9);
    assert_eq!(log["severityText"], "INFO");
    for key in ["timestamp", "serviceName", "severityNumber", "body", "logAttributes", "traceId", "spanId"] {
        assert!(log.get(key).is_some(), "log lacks {key}: {log}");
    }
    let searched = server.get_json(&format!("/api/logs?search=api_request&service=claude-code&{DAY}")).await;
    assert!(searched["total"].as_i64().unwrap() >= 6, "{searched}");
    // `event` filters on the event name alone (any case): exactly the records whose name holds it.
    let event_of = |log: &Value| log["logAttributes"]["event.name"].as_str().unwrap_or_default().to_owned();
    let every = server.get_json(&format!("/api/logs?service=claude-code&limit=1000&{DAY}")).await;
    let requests = every["logs"].as_array().unwrap().iter().filter(|log| event_of(log).contains("api_re")).count();
    let by_event = server.get_json(&format!("/api/logs?event=API_RE&service=claude-code&limit=1000&{DAY}")).await;
    assert!(requests >= 6, "{every}");
    assert_eq!(by_event["total"], requests as i64, "{by_event}");
    assert!(by_event["logs"].as_array().unwrap().iter().all(|log| event_of(log).contains("api_request")), "{by_event}");
    let levels = server.get_json(&format!("/api/logs/levels?{DAY}")).await;
    assert!(levels["INFO"].as_i64().unwrap() > 0, "{levels}");
    assert!(levels.get("UNSET").is_none(), "every record has a severity: {levels}");

    let metrics = server.get_json(&format!("/api/metrics?name=claude_code.token.usage&limit=3&{DAY}")).await;
    assert_eq!(keys(&metrics), set(&["metrics", "total", "hasMore"]));
    let point = &metrics["metrics"][0];
    assert_eq!(point["metricName"], "claude_code.token.usage");
    assert_eq!(point["metricType"], "sum");
    assert_eq!(point["aggregationTemporality"], 1);

    let names = server.get_json("/api/metrics/names?service=claude-code").await;
    let names: Vec<&str> = names["names"].as_array().unwrap().iter().map(|name| name.as_str().unwrap()).collect();
    assert!(names.contains(&"claude_code.token.usage") && names.contains(&"claude_code.token.usage_user_facing"), "{names:?}");
    let values = server.get_json("/api/metrics/breakdown-values?name=claude_code.token.usage&attribute=type").await;
    assert_eq!(values["values"], json!(["cacheCreation", "cacheRead", "input", "output"]));
    let (status, bad) = server.get_status("/api/metrics/breakdown-values?name=claude_code.token.usage&attribute=type')%20OR%201=1--").await;
    assert_eq!(status, 400, "{bad}");

    let series = server.get_json(&format!("/api/metrics/series?name=claude_code.cost.usage&interval=3600&{DAY}")).await;
    let first_series = &series["series"][0];
    assert_eq!(keys(first_series), set(&["name", "labels", "datapoints"]));
    assert_eq!(first_series["datapoints"].as_array().unwrap().len(), 25, "hourly buckets over the day, missing ones are 0");
    let (status, _) = server.get_status("/api/metrics/series").await;
    assert_eq!(status, 400);

    let (status, batch) = server
        .send_json(
            reqwest::Method::POST,
            "/api/metrics/batch-series",
            &json!({"from": "2026-11-28T00:00:00Z", "to": "2026-11-29T00:00:00Z", "interval": 3600, "queries": [
                {"id": "a", "name": "claude_code.token.usage", "aggregate": true},
                {"id": "b", "name": "no.such.metric"}
            ]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(batch["results"][0]["id"], "a");
    assert_eq!(batch["results"][0]["success"], true);
    assert_eq!(batch["results"][1]["series"], json!([]));

    let sessions = server.get_json(&format!("/api/sessions?{DAY}")).await;
    assert_eq!(keys(&sessions), set(&["sessions", "total", "hasMore"]));
    let session_ids: BTreeSet<String> =
        sessions["sessions"].as_array().unwrap().iter().map(|s| s["sessionId"].as_str().unwrap().to_owned()).collect();
    for id in ["729b2895-3270-4bb9-ba1d-f11545480b27", "01a22268-e163-7b90-80b5-06ec8ebe16c4", "d99d563d-9512-499c-bdfa-fe3c3553b7ca"] {
        assert!(session_ids.contains(id), "{id} missing from {session_ids:?}");
    }
    let transcript = server.get_json("/api/sessions/729b2895-3270-4bb9-ba1d-f11545480b27/transcript").await;
    assert_eq!(keys(&transcript), set(&["sessionId", "serviceName", "startTime", "lastTime", "messages", "summary", "subAgents"]));
    let messages = transcript["messages"].as_array().unwrap();
    assert!(messages.iter().any(|message| message["role"] == "user"));
    assert!(messages.iter().any(|message| message["role"] == "assistant" && message["costUsd"].as_f64().is_some()));
    assert!(messages.iter().enumerate().all(|(index, message)| message["index"] == index));
    let (status, _) = server.get_status("/api/sessions/no-such-session/transcript").await;
    assert_eq!(status, 404);

    let services = server.get_json("/api/services").await;
    assert_eq!(services["services"], json!(["claude-code", "codex_exec", "gemini-cli"]));
    let stats = server.get_json("/api/stats").await;
    assert_eq!(
        keys(&stats),
        set(&[
            "traceCount",
            "rawTraceCount",
            "codexOperationCount",
            "spanCount",
            "logCount",
            "metricCount",
            "serviceCount",
            "services",
            "errorRate"
        ])
    );
    assert_eq!(stats["serviceCount"], 3);
    let (spans, logs_count, points, _) = server.row_counts().await;
    assert_eq!(
        (stats["spanCount"].as_i64(), stats["logCount"].as_i64(), stats["metricCount"].as_i64()),
        (Some(spans), Some(logs_count), Some(points))
    );

    let health = server.get_json("/health").await;
    assert_eq!(health, json!({"status": "ok"}));
    server.stop().await;
}

/// The trace list across every page: sorted by duration or span count, and without the traces
/// shorter than a minimum (Codex sends many tiny spans of its own).
#[tokio::test]
async fn traces_sort_and_filter_across_pages() {
    let server = loaded().await;
    let every = server.get_json(&format!("/api/traces?limit=1000&{DAY}")).await;
    let all: Vec<(String, i64, i64)> = every["traces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|trace| {
            (trace["traceId"].as_str().unwrap().to_owned(), trace["duration"].as_i64().unwrap(), trace["spanCount"].as_i64().unwrap())
        })
        .collect();
    assert!(all.len() > 5, "the fixtures hold traces of several lengths");
    // Each listed trace names its root: the earliest span without a parent (else the earliest).
    let mut checked_roots = 0;
    for trace in every["traces"].as_array().unwrap().iter().filter(|trace| trace["kind"] == "otel_trace") {
        let spans = server.get_json(&format!("/api/traces/{}?kind=otel_trace", trace["traceId"].as_str().unwrap())).await;
        let spans = spans["spans"].as_array().unwrap();
        let key = |span: &Value| (!span["parentSpanId"].is_null(), span["timestamp"].as_str().unwrap().to_owned());
        let first = spans.iter().map(key).min().unwrap();
        let root = spans.iter().find(|span| key(span) == first && span["spanId"] == trace["rootSpanId"]);
        let root = root.unwrap_or_else(|| panic!("{} is not the root of {}", trace["rootSpanId"], trace["traceId"]));
        assert_eq!((&trace["rootSpan"], &trace["serviceName"]), (&root["spanName"], &root["serviceName"]));
        checked_roots += 1;
    }
    assert!(checked_roots > 5, "{checked_roots} roots checked");

    let longest = server.get_json(&format!("/api/traces?limit=3&sort=duration&{DAY}")).await;
    let durations: Vec<i64> = longest["traces"].as_array().unwrap().iter().map(|trace| trace["duration"].as_i64().unwrap()).collect();
    let mut expected: Vec<i64> = all.iter().map(|(_, duration, _)| *duration).collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(durations, expected[..3].to_vec(), "the three longest of all, not of the first page");

    let most = server.get_json(&format!("/api/traces?limit=2&sort=spans&{DAY}")).await;
    let counts: Vec<i64> = most["traces"].as_array().unwrap().iter().map(|trace| trace["spanCount"].as_i64().unwrap()).collect();
    let mut expected_counts: Vec<i64> = all.iter().map(|(_, _, spans)| *spans).collect();
    expected_counts.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(counts, expected_counts[..2].to_vec());

    // A threshold between the shortest and the longest trace.
    let threshold_ms = (expected[expected.len() / 2] / 1_000_000).max(1);
    let long_enough = all.iter().filter(|(_, duration, _)| *duration >= threshold_ms * 1_000_000).count() as i64;
    assert!(long_enough > 0 && long_enough < all.len() as i64, "threshold {threshold_ms} ms splits the list");
    let filtered = server.get_json(&format!("/api/traces?limit=1000&minDurationMs={threshold_ms}&{DAY}")).await;
    assert_eq!(filtered["total"].as_i64(), Some(long_enough));
    assert!(filtered["traces"].as_array().unwrap().iter().all(|trace| trace["duration"].as_i64().unwrap() >= threshold_ms * 1_000_000));
    let beyond = server.get_json(&format!("/api/traces?limit=10&offset=5000&minDurationMs={threshold_ms}&{DAY}")).await;
    assert_eq!(
        (beyond["traces"].as_array().unwrap().len(), beyond["total"].as_i64()),
        (0, Some(long_enough)),
        "a page past the end still counts"
    );
    let (status, _) = server.get_status(&format!("/api/traces?sort=size&{DAY}")).await;
    assert_eq!(status, 400);
    server.stop().await;
}

/// The traces list, every trace's spans and the span count, as the API answers them.
async fn trace_views(server: &TestServer) -> (Value, Vec<Value>, Value) {
    let list = server.get_json(&format!("/api/traces?limit=1000&{DAY}")).await;
    let mut spans = Vec::new();
    for trace in list["traces"].as_array().unwrap() {
        if trace["kind"] == "otel_trace" {
            spans.push(server.get_json(&format!("/api/traces/{}?kind=otel_trace", trace["traceId"].as_str().unwrap())).await);
        }
    }
    let stats = server.get_json("/api/stats").await;
    (list, spans, json!([stats["spanCount"], stats["traceCount"]]))
}

#[tokio::test]
async fn spans_are_stored_once_so_the_trace_views_count_each_once_also_after_the_migration() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("spans.duckdb");
    let server = TestServer::start_on(&database).await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
    }
    let first = trace_views(&server).await;
    // Sent again: the writer keeps the first copy of every span, so nothing changes.
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
    }
    assert_eq!(trace_views(&server).await, first);
    let span_count = first.2[0].as_i64().unwrap();
    let list_spans: i64 = first.0["traces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|trace| trace["kind"] == "otel_trace")
        .map(|trace| trace["spanCount"].as_i64().unwrap())
        .sum();
    let detail_spans: usize = first.1.iter().map(|detail| detail["spans"].as_array().unwrap().len()).sum();
    assert!(span_count > 1000, "{span_count}");
    assert_eq!((list_spans, detail_spans as i64), (span_count, span_count), "the list, the trace pages and the stats count the same spans");
    server.stop().await;

    // A store an earlier version wrote, holding second copies of 50 spans (resent with another
    // start time): migration 9 keeps the earliest copy of each, and every view is as before.
    {
        let connection = duckdb::Connection::open(&database).unwrap();
        connection
            .execute_batch(
                "INSERT INTO otel_traces SELECT * REPLACE (Timestamp + INTERVAL 1 SECOND AS Timestamp) FROM otel_traces ORDER BY TraceId, SpanId LIMIT 50;
                 DELETE FROM schema_migrations WHERE version >= 9;",
            )
            .unwrap();
        let stored: i64 = connection.query_row("SELECT count(*) FROM otel_traces", [], |row| row.get(0)).unwrap();
        assert_eq!(stored, span_count + 50);
    }
    let server = TestServer::start_on(&database).await;
    assert_eq!(trace_views(&server).await, first);
    server.stop().await;
}

#[tokio::test]
async fn dashboards_and_widgets_round_trip() {
    let server = TestServer::start().await;
    let (status, missing) = server.get_status("/api/dashboards/default").await;
    assert_eq!((status, missing["message"].as_str()), (404, Some("no default dashboard found")));
    let (status, created) =
        server.send_json(reqwest::Method::POST, "/api/dashboards", &json!({"name": "Default Dashboard", "isDefault": true})).await;
    assert_eq!(status, 201);
    assert_eq!(keys(&created), set(&["id", "name", "isDefault", "createdAt", "updatedAt"]));
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, _) = server.send_json(reqwest::Method::POST, "/api/dashboards", &json!({"name": ""})).await;
    assert_eq!(status, 400);
    let (status, _) = server.send_json(reqwest::Method::POST, "/api/dashboards", &json!({"name": "x".repeat(256)})).await;
    assert_eq!(status, 400);

    let (status, widget) = server
        .send_json(
            reqwest::Method::POST,
            &format!("/api/dashboards/{id}/widgets"),
            &json!({"widgetType": "metric_chart", "title": "Tokens", "gridColumn": 1, "gridRow": 1, "colSpan": 2, "rowSpan": 0,
                    "config": {"metricName": "claude_code.token.usage", "breakdownAttribute": "type", "chartStacked": true}}),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(widget["rowSpan"], 1, "0 means 1");
    assert_eq!(widget["config"], json!({"metricName": "claude_code.token.usage", "breakdownAttribute": "type", "chartStacked": true}));
    let widget_id = widget["id"].as_str().unwrap().to_owned();
    let (status, second) = server
        .send_json(
            reqwest::Method::POST,
            &format!("/api/dashboards/{id}/widgets"),
            &json!({"widgetType": "stats_logs", "title": "Logs", "gridColumn": 3, "gridRow": 1}),
        )
        .await;
    assert_eq!(status, 201);

    let (status, ok) = server
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/dashboards/{id}/widgets/positions"),
            &json!({"positions": [{"id": widget_id, "gridColumn": 3, "gridRow": 2}, {"id": second["id"], "gridColumn": 1, "gridRow": 1}]}),
        )
        .await;
    assert_eq!((status, ok), (200, json!({"status": "ok"})));
    let (status, _) = server
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/dashboards/{id}/widgets/positions"),
            &json!({"positions": [{"id": "nope", "gridColumn": 1, "gridRow": 1}]}),
        )
        .await;
    assert_eq!(status, 404);

    let (status, updated) = server
        .send_json(
            reqwest::Method::PUT,
            &format!("/api/dashboards/{id}/widgets/{widget_id}"),
            &json!({"title": "Token usage", "colSpan": 4}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (updated["title"].as_str(), updated["colSpan"].as_i64(), updated["gridColumn"].as_i64()),
        (Some("Token usage"), Some(4), Some(3))
    );

    let full = server.get_json("/api/dashboards/default").await;
    assert_eq!(full["id"], id.as_str());
    let widgets = full["widgets"].as_array().unwrap();
    assert_eq!(widgets.len(), 2);
    assert_eq!(widgets[0]["title"], "Logs", "ordered by row, then column");

    let (status, renamed) =
        server.send_json(reqwest::Method::PUT, &format!("/api/dashboards/{id}"), &json!({"name": "Mine", "description": ""})).await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("Mine")));
    let (_, other) = server.send_json(reqwest::Method::POST, "/api/dashboards", &json!({"name": "Other"})).await;
    let other_id = other["id"].as_str().unwrap().to_owned();
    let (status, _) = server.send_json(reqwest::Method::PUT, &format!("/api/dashboards/{other_id}/default"), &json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(server.get_json("/api/dashboards/default").await["id"], other_id.as_str());
    let list = server.get_json("/api/dashboards").await;
    assert_eq!(list["dashboards"].as_array().unwrap().iter().filter(|d| d["isDefault"] == true).count(), 1);

    let response = server.client.delete(server.api(&format!("/api/dashboards/{id}/widgets/{widget_id}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let response = server.client.delete(server.api(&format!("/api/dashboards/{id}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 204);
    let (status, _) = server.get_status(&format!("/api/dashboards/{id}")).await;
    assert_eq!(status, 404);
    server.stop().await;
}

#[tokio::test]
async fn spend_budget_blocks_settings_and_setup_shapes() {
    let server = loaded().await;
    let spend = server.get_json(&format!("/api/spend?groupBy=day&tz=America/New_York&{DAY}")).await;
    assert_eq!(keys(&spend), set(&["from", "to", "tz", "groupBy", "groups", "total", "unpricedModels"]));
    assert_eq!(spend["tz"], "America/New_York");
    let days: Vec<&str> = spend["groups"].as_array().unwrap().iter().map(|group| group["key"].as_str().unwrap()).collect();
    assert_eq!(days, vec!["2026-11-27", "2026-11-28"], "the UTC day spans two New York days");
    assert_eq!(
        keys(&spend["total"]),
        set(&[
            "key",
            "requests",
            "costUsd",
            "reportedCostUsd",
            "computedCostUsd",
            "unpricedRequests",
            "computedRequests",
            "tokens",
            "cacheSavingsUsd"
        ])
    );
    // Only the total carries the cache savings.
    assert!(spend["groups"].as_array().unwrap().iter().all(|group| group.get("cacheSavingsUsd").is_none()));
    // Claude Code reports each request's cost; Codex and Gemini costs are computed (where the
    // price table knows the model: Codex's `gpt-6.2-sol` it does not).
    let by_tool = server.get_json(&format!("/api/spend?groupBy=tool&tz=UTC&{DAY}")).await;
    for group in by_tool["groups"].as_array().unwrap() {
        let priced = group["requests"].as_i64().unwrap() - group["unpricedRequests"].as_i64().unwrap();
        let computed = if group["key"] == "claude-code" { 0 } else { priced };
        assert!(group["requests"].as_i64().unwrap() > 0);
        assert_eq!(group["computedRequests"], computed, "{}", group["key"]);
    }
    assert_eq!(keys(&spend["total"]["tokens"]), set(&["input", "cacheRead", "cacheCreation", "output", "reasoning"]));
    let (status, error) = server.get_status("/api/spend?groupBy=planet").await;
    assert_eq!((status, error["code"].as_str()), (400, Some("bad_request")));
    let (status, _) = server.get_status("/api/spend?tz=Mars/Olympus").await;
    assert_eq!(status, 400);
    let by_session = server.get_json(&format!("/api/spend?groupBy=session&{DAY}")).await;
    assert_eq!(by_session["groups"].as_array().unwrap().len(), 6);

    let summary = server.get_json("/api/spend/summary?tz=UTC").await;
    assert_eq!(keys(&summary), set(&["tz", "today", "last7Days", "last30Days", "thisMonth", "todayByTool", "unpricedModels"]));

    let budget = server.get_json("/api/budget").await;
    assert_eq!(budget["daily"], Value::Null);
    let (status, settings) = server
        .send_json(
            reqwest::Method::PUT,
            "/api/settings",
            &json!({"dailyBudgetUsd": 5.0, "monthlyBudgetUsd": 100, "timeZone": "Europe/Berlin"}),
        )
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(
        keys(&settings),
        set(&[
            "timeZone",
            "dailyBudgetUsd",
            "monthlyBudgetUsd",
            "ports",
            "databasePath",
            "listen",
            "version",
            "receivingPaused",
            "exportRoot",
            "limitAlerts"
        ])
    );
    assert_eq!(settings["timeZone"], "Europe/Berlin");
    assert_eq!(settings["limitAlerts"], json!({"warnPercent": 80.0, "urgentPercent": 95.0, "pace": true}), "the defaults");
    let alerts = json!({"warnPercent": 60.0, "urgentPercent": 90.0, "pace": false});
    let (status, changed) = server.send_json(reqwest::Method::PUT, "/api/settings", &json!({"limitAlerts": alerts})).await;
    assert_eq!((status, &changed["limitAlerts"]), (200, &alerts));
    assert_eq!(server.get_json("/api/settings").await["limitAlerts"], alerts, "kept");
    for bad in [json!({"warnPercent": 95, "urgentPercent": 80, "pace": true}), json!({"warnPercent": 0, "urgentPercent": 80, "pace": true})]
    {
        let (status, body) = server.send_json(reqwest::Method::PUT, "/api/settings", &json!({"limitAlerts": bad})).await;
        assert_eq!(status, 400, "{body}");
    }
    assert_eq!(server.get_json("/api/settings").await["limitAlerts"], alerts, "a refused change changes nothing");
    assert_eq!(settings["ports"]["otlpHttp"], server.ports.otlp_http);
    let budget = server.get_json("/api/budget").await;
    assert_eq!(budget["tz"], "Europe/Berlin");
    assert_eq!(
        keys(&budget["daily"]),
        set(&["period", "budgetUsd", "spentUsd", "percent", "state", "periodStart", "periodEnd", "projectedUsd"])
    );
    assert_eq!(budget["daily"]["budgetUsd"], 5.0);
    let (status, _) = server.send_json(reqwest::Method::PUT, "/api/settings", &json!({"dailyBudgetUsd": -1})).await;
    assert_eq!(status, 400);
    let (_, cleared) = server.send_json(reqwest::Method::PUT, "/api/settings", &json!({"dailyBudgetUsd": null})).await;
    assert_eq!(cleared["dailyBudgetUsd"], Value::Null);
    assert_eq!(cleared["monthlyBudgetUsd"], 100.0);

    let blocks = server.get_json(&format!("/api/blocks?{DAY}")).await;
    let block = &blocks["blocks"][0];
    assert_eq!(block["start"], "2026-11-28T13:00:00Z");
    assert_eq!(block["requests"], 6);

    let setup = server.get_json("/api/setup/status").await;
    let tools: Vec<&str> = setup["tools"].as_array().unwrap().iter().map(|tool| tool["tool"].as_str().unwrap()).collect();
    assert_eq!(tools, vec!["claude-code", "codex", "gemini", "qwen-code", "opencode", "copilot", "goose"]);
    // The captures here are of the first three; the others have sent nothing.
    let heard: Vec<bool> = setup["tools"].as_array().unwrap().iter().map(|tool| tool["lastOtlpEvent"].is_string()).collect();
    assert_eq!(heard, vec![true, true, true, false, false, false, false]);

    let prices = server.get_json("/api/prices").await;
    assert!(prices["models"].as_array().unwrap().len() > 100);
    server.stop().await;
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let server = TestServer::start().await;
    let response = server.client.get(server.api("/api/stats")).header("host", "attacker.example").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let response = server.client.post(server.otlp("/v1/logs")).header("host", "attacker.example:4318").body("{}").send().await.unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let allowed = server
        .client
        .get(server.api("/api/stats"))
        .header("origin", format!("http://127.0.0.1:{}", server.ports.api))
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()),
        Some(format!("http://127.0.0.1:{}", server.ports.api).as_str())
    );
    let foreign = server.client.get(server.api("/api/stats")).header("origin", "https://evil.example").send().await.unwrap();
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
    server.stop().await;
}
