//! Every request the real CLIs sent, replayed over HTTP into a running server: token totals,
//! request counts and costs must equal what the model API served (`expected.json`).

use crate::support::{TestServer, captures, expected};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message;
use serde_json::Value;
use std::collections::BTreeMap;

const DAY: &str = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";

async fn loaded_server() -> TestServer {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        let response = capture.replay(&server.client, &server.otlp("")).await;
        let status = response.status();
        let body = response.bytes().await.expect("body");
        assert_eq!(status, 200, "{}/{} was refused: {:?}", capture.run, capture.name, String::from_utf8_lossy(&body));
    }
    server
}

fn tool_totals(tool: &str) -> Value {
    expected()["tools"][tool]["totals_all_requests"].clone()
}

fn group<'a>(spend: &'a Value, key: &str) -> &'a Value {
    spend["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|group| group["key"] == key)
        .unwrap_or_else(|| panic!("no group {key} in {spend}"))
}

/// Sums a numeric attribute over the Claude Code `api_request` events of the captured logs.
fn claude_reported_cost() -> f64 {
    let mut total = 0.0;
    for capture in captures(&["claude-json-plain", "claude-proto-toolcall"]).into_iter().filter(|capture| capture.path == "/v1/logs") {
        let request: ExportLogsServiceRequest = if capture.header("content-type").is_some_and(|value| value.contains("json")) {
            serde_json::from_slice(&capture.body).expect("json logs")
        } else {
            ExportLogsServiceRequest::decode(capture.body.as_slice()).expect("protobuf logs")
        };
        for record in request.resource_logs.iter().flat_map(|r| &r.scope_logs).flat_map(|s| &s.log_records) {
            let attribute = |key: &str| record.attributes.iter().find(|kv| kv.key == key).and_then(|kv| kv.value.clone());
            let is_api_request = attribute("event.name").map(|value| ai_observer_engine::otlp::any_value_to_string(&value))
                == Some("api_request".to_owned());
            if is_api_request {
                let cost = attribute("cost_usd").map(|value| ai_observer_engine::otlp::any_value_to_string(&value)).expect("cost_usd");
                total += cost.parse::<f64>().expect("numeric cost");
            }
        }
    }
    total
}

#[tokio::test]
async fn spend_by_tool_equals_the_usage_the_model_api_served() {
    let server = loaded_server().await;
    let spend = server.get_json(&format!("/api/spend?groupBy=tool&tz=UTC&{DAY}")).await;

    for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
        let expected = tool_totals(tool);
        let found = group(&spend, key);
        assert_eq!(found["requests"], expected["requests"], "{key} requests");
        assert_eq!(found["tokens"]["input"], expected["input_uncached"], "{key} input");
        assert_eq!(found["tokens"]["cacheRead"], expected["cache_read"], "{key} cacheRead");
        assert_eq!(found["tokens"]["cacheCreation"], expected["cache_creation"], "{key} cacheCreation");
        assert_eq!(found["tokens"]["reasoning"], expected["reasoning"], "{key} reasoning");
        // `output` is every billed output token: OpenAI's output already includes reasoning,
        // Gemini's excludes thinking, which is billed as output.
        let billed_output = if tool == "gemini_cli" {
            expected["output"].as_i64().unwrap() + expected["reasoning"].as_i64().unwrap()
        } else {
            expected["output"].as_i64().unwrap()
        };
        assert_eq!(found["tokens"]["output"].as_i64(), Some(billed_output), "{key} output");
    }
    assert_eq!(spend["total"]["requests"], 17);
    server.stop().await;
}

#[tokio::test]
async fn claude_code_cost_is_the_cost_it_reported_and_unknown_models_are_listed_not_free() {
    let server = loaded_server().await;
    let spend = server.get_json(&format!("/api/spend?groupBy=tool&tz=UTC&{DAY}")).await;
    let claude = group(&spend, "claude-code");
    let reported = claude_reported_cost();
    assert!(reported > 0.0);
    assert!((claude["costUsd"].as_f64().unwrap() - reported).abs() < 1e-9, "claude cost {claude} vs reported {reported}");
    assert!((claude["reportedCostUsd"].as_f64().unwrap() - reported).abs() < 1e-9);
    assert_eq!(claude["unpricedRequests"], 0);

    // gpt-5.5 is in the table (5 / 30 per million): 15279 uncached input + 49 output.
    let codex = group(&spend, "codex");
    let gpt_5_5 = 15279.0 * 5.0e-6 + 49.0 * 30.0e-6;
    assert!((codex["computedCostUsd"].as_f64().unwrap() - gpt_5_5).abs() < 1e-9, "{codex}");
    assert_eq!(codex["unpricedRequests"], 3);

    // gpt-6.2-sol (Codex's newest default) has no price: listed with its tokens, never $0.
    let unpriced = spend["unpricedModels"].as_array().expect("unpricedModels");
    let sol = unpriced.iter().find(|model| model["model"] == "gpt-6.2-sol").expect("gpt-6.2-sol is listed");
    assert_eq!(sol["tool"], "codex");
    assert_eq!(sol["requests"], 3);
    assert_eq!(sol["tokens"]["input"], 14085);
    assert_eq!(sol["tokens"]["cacheRead"], 13689);
    assert!(unpriced.iter().all(|model| model["tool"] != "claude-code"), "{unpriced:?}");

    let by_model = server.get_json(&format!("/api/spend?groupBy=model&tz=UTC&{DAY}")).await;
    let sol_group = group(&by_model, "gpt-6.2-sol");
    assert_eq!(sol_group["computedCostUsd"], Value::Null);
    // Every request unpriced: no cost at all, never $0.
    assert_eq!(sol_group["costUsd"], Value::Null);
    assert_eq!(sol_group["unpricedRequests"], 3);
    server.stop().await;
}

#[tokio::test]
async fn gemini_requests_are_priced_from_the_served_usage() {
    let server = loaded_server().await;
    let spend = server.get_json(&format!("/api/spend?groupBy=model&tool=gemini&tz=UTC&{DAY}")).await;
    // Rates per million tokens in the table: (input, cache read, output incl. thinking).
    let rates: BTreeMap<&str, (f64, f64, f64)> =
        [("gemini-3.8-flash", (0.75, 0.075, 3.75)), ("gemini-3.5-flash-lite", (0.30, 0.03, 2.50))].into();
    let mut expected_costs: BTreeMap<String, f64> = BTreeMap::new();
    for session in expected()["tools"]["gemini_cli"]["sessions"].as_object().unwrap().values() {
        for request in session["requests"].as_array().unwrap() {
            let model = request["model"].as_str().unwrap();
            let usage = &request["normalized"];
            let (input, cache_read, output) = rates[model];
            let cost = (usage["input_uncached"].as_f64().unwrap() * input
                + usage["cache_read"].as_f64().unwrap() * cache_read
                + (usage["output"].as_f64().unwrap() + usage["reasoning"].as_f64().unwrap()) * output)
                / 1e6;
            *expected_costs.entry(model.to_owned()).or_default() += cost;
        }
    }
    for (model, cost) in expected_costs {
        let found = group(&spend, &model);
        assert!((found["computedCostUsd"].as_f64().unwrap() - cost).abs() < 1e-4, "{model}: {found} vs {cost}");
    }
    server.stop().await;
}

/// Sums an aggregate token series by its `type` label.
async fn series_by_type(server: &TestServer, name: &str) -> BTreeMap<String, f64> {
    let response = server.get_json(&format!("/api/metrics/series?name={name}&aggregate=true&{DAY}")).await;
    let mut totals = BTreeMap::new();
    for series in response["series"].as_array().expect("series") {
        let kind = series["labels"]["type"].as_str().unwrap().to_owned();
        let value = series["datapoints"][0][1].as_f64().unwrap();
        assert_eq!(series["datapoints"][0][0], 0, "aggregate points sit at time 0");
        *totals.entry(kind).or_default() += value;
    }
    totals
}

#[tokio::test]
async fn token_usage_metric_series_add_up_to_the_served_usage() {
    let server = loaded_server().await;
    let claude = tool_totals("claude_code");
    let series = series_by_type(&server, "claude_code.token.usage").await;
    assert_eq!(series["input"], claude["input_uncached"].as_f64().unwrap());
    assert_eq!(series["cacheRead"], claude["cache_read"].as_f64().unwrap());
    assert_eq!(series["cacheCreation"], claude["cache_creation"].as_f64().unwrap());
    assert_eq!(series["output"], claude["output"].as_f64().unwrap());

    let codex = tool_totals("codex");
    let series = series_by_type(&server, "codex_cli_rs.token.usage").await;
    assert_eq!(series["input"], codex["input_uncached"].as_f64().unwrap());
    assert_eq!(series["cacheRead"], codex["cache_read"].as_f64().unwrap());
    assert_eq!(series["output"], codex["output"].as_f64().unwrap());
    assert_eq!(series["reasoning"], codex["reasoning"].as_f64().unwrap());

    // Gemini's cumulative counters, as deltas per (attributes, start time): the resumed session's
    // second process restarts its counters under the same session id and must not lose tokens.
    let gemini = tool_totals("gemini_cli");
    let series = series_by_type(&server, "gemini_cli.token.usage.delta").await;
    assert_eq!(series["input"], gemini["input_total"].as_f64().unwrap());
    assert_eq!(series["cache"], gemini["cache_read"].as_f64().unwrap());
    assert_eq!(series["output"], gemini["output"].as_f64().unwrap());
    assert_eq!(series["thought"], gemini["reasoning"].as_f64().unwrap());
    server.stop().await;
}

#[tokio::test]
async fn codex_log_quirks_are_normalised() {
    let server = loaded_server().await;
    let (sse_events, callsite_names, epoch_zero, codex_logs): (i64, i64, i64, i64) = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT count(*) FILTER (WHERE json_extract_string(LogAttributes, '$.\"event.name\"') = 'codex.sse_event'),
                        count(*) FILTER (WHERE json_extract_string(LogAttributes, '$.\"event.name\"') LIKE 'event %'),
                        count(*) FILTER (WHERE Timestamp < TIMESTAMP '2026-01-01'),
                        count(*)
                 FROM otel_logs WHERE ServiceName LIKE 'codex%'",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )?)
        })
        .await
        .unwrap();
    assert!(codex_logs > 0);
    assert_eq!(sse_events, 0, "SSE chunk records are not stored");
    assert_eq!(callsite_names, 0, "the eventName callsite never replaces event.name");
    assert_eq!(epoch_zero, 0, "timeUnixNano = 0 falls back to event.timestamp");
    // Codex logs have no body: the event name becomes the body.
    let logs = server.get_json(&format!("/api/logs?service=codex_exec&search=codex.user_prompt&limit=5&{DAY}")).await;
    let first = &logs["logs"][0];
    assert_eq!(first["body"], "codex.user_prompt");
    server.stop().await;
}

#[tokio::test]
async fn claude_span_models_with_a_context_suffix_are_priced() {
    let server = loaded_server().await;
    let spans: i64 = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT count(*) FROM otel_traces WHERE json_extract_string(SpanAttributes, '$.model') = 'claude-opus-4-8[1m]'",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap();
    assert!(spans > 0, "the capture has [1m] span models");
    let prices = server.engine.prices();
    assert_eq!(prices.lookup("claude-opus-4-8[1m]").map(|price| price.model.as_str()), Some("claude-opus-4-8"));
    server.stop().await;
}

#[tokio::test]
async fn grpc_export_with_gzip_is_stored_like_http() {
    use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
    let server = TestServer::start().await;
    let capture = captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/logs").expect("a logs capture");
    let request = ExportLogsServiceRequest::decode(capture.body.as_slice()).expect("protobuf");
    let mut client = LogsServiceClient::connect(format!("http://127.0.0.1:{}", server.ports.otlp_grpc))
        .await
        .expect("grpc connects")
        .send_compressed(tonic::codec::CompressionEncoding::Gzip);
    let response = client.export(request.clone()).await.expect("export succeeds").into_inner();
    assert!(response.partial_success.is_none());
    let records = request.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len() as i64).sum::<i64>();
    let (_, logs, _, usage) = server.row_counts().await;
    assert_eq!(logs, records);
    assert!(usage > 0, "api_request events became usage records");
    server.stop().await;
}

/// The tools send most events without a severity: each gets one from what it reports.
#[tokio::test]
async fn events_sent_without_a_severity_get_one() {
    let server = loaded_server().await;
    let range = "from=2026-11-01&to=2100-01-01";
    let levels = server.get_json(&format!("/api/logs/levels?{range}")).await;
    let total = server.get_json(&format!("/api/logs?{range}&limit=1")).await["total"].as_i64().unwrap();
    let counts = levels.as_object().unwrap();
    assert!(!counts.contains_key("") && !counts.contains_key("UNSPECIFIED"), "{levels}");
    assert_eq!(counts.values().map(|count| count.as_i64().unwrap()).sum::<i64>(), total);
    // The three DEBUG records came with their own severity (kept); every other event is INFO: the
    // captured runs had no error and no failed tool call (the rule for those: otlp::severity).
    assert_eq!(levels, serde_json::json!({"DEBUG": 3, "INFO": 117}));
    server.stop().await;
}
