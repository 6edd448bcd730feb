//! Prices: hand-computed golden cases per vendor, the fixtures' requests priced from the table,
//! `prices --check` against Claude Code's own costs, local-day boundaries and user overrides.

use crate::support::{TestServer, captures, expected};
use ai_observer_engine::model::UsageRecord;
use ai_observer_engine::pricing::{PriceTable, cost_of_usage};
use serde_json::json;

fn cost(table: &PriceTable, model: &str, usage: UsageRecord) -> Option<f64> {
    table.lookup(model).map(|price| cost_of_usage(price, &UsageRecord { model: model.to_owned(), ..usage }).total())
}

fn close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("model is priced");
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn anthropic_golden_cases() {
    let table = PriceTable::builtin().unwrap();
    // claude-sonnet-4-5: 3 in, 15 out, 0.30 cache read, 3.75 / 6 cache write (5 m / 1 h) per million;
    // above 200k input: 6 / 22.50 / 0.60 / 7.50 / 12, for every token of the request.
    close(cost(&table, "claude-sonnet-4-5", UsageRecord { input_tokens: 1000, output_tokens: 500, ..Default::default() }), 0.0105);
    close(
        cost(
            &table,
            "claude-sonnet-4-5-20250929",
            UsageRecord { input_tokens: 100, cache_read_tokens: 10_000, output_tokens: 200, ..Default::default() },
        ),
        0.0063,
    );
    close(cost(&table, "claude-sonnet-4-5", UsageRecord { cache_write_5m_tokens: 2000, ..Default::default() }), 0.0075);
    close(cost(&table, "claude-sonnet-4-5", UsageRecord { cache_write_1h_tokens: 2000, ..Default::default() }), 0.012);
    // 150k + 40k cached = 190k: under the threshold.
    close(
        cost(
            &table,
            "claude-sonnet-4-5",
            UsageRecord { input_tokens: 150_000, cache_read_tokens: 40_000, output_tokens: 1000, ..Default::default() },
        ),
        0.477,
    );
    // 150k + 60k cached = 210k: the whole request at the long-context rates.
    close(
        cost(
            &table,
            "claude-sonnet-4-5",
            UsageRecord { input_tokens: 150_000, cache_read_tokens: 60_000, output_tokens: 1000, ..Default::default() },
        ),
        0.9585,
    );
    // Fast mode on claude-opus-4-8 doubles every rate.
    close(
        cost(
            &table,
            "claude-opus-4-8",
            UsageRecord { input_tokens: 1000, output_tokens: 1000, speed: Some("fast".into()), ..Default::default() },
        ),
        0.06,
    );
}

#[test]
fn openai_golden_cases() {
    let table = PriceTable::builtin().unwrap();
    // gpt-5.5: 5 in, 0.50 cached, 30 out; usage records hold uncached input and output with
    // reasoning included, so reasoning is not billed twice.
    close(
        cost(
            &table,
            "gpt-5.5",
            UsageRecord { input_tokens: 6000, cache_read_tokens: 4000, output_tokens: 1000, reasoning_tokens: 300, ..Default::default() },
        ),
        0.062,
    );
    // Above 272k input: 10 / 1 / 45.
    close(cost(&table, "gpt-5.5", UsageRecord { input_tokens: 300_000, output_tokens: 100, ..Default::default() }), 3.0045);
    close(cost(&table, "openai/gpt-5", UsageRecord { input_tokens: 1_000_000, ..Default::default() }), 1.25);
}

#[test]
fn google_golden_cases() {
    let table = PriceTable::builtin().unwrap();
    // gemini-2.5-pro: 1.25 in, 0.125 cached, 10 out (thinking included); above 200k: 2.5 / 0.25 / 15.
    close(
        cost(
            &table,
            "gemini-2.5-pro",
            UsageRecord { input_tokens: 12_000, cache_read_tokens: 8000, output_tokens: 800, reasoning_tokens: 300, ..Default::default() },
        ),
        0.024,
    );
    close(cost(&table, "models/gemini-2.5-pro", UsageRecord { input_tokens: 250_000, output_tokens: 1000, ..Default::default() }), 0.64);
}

#[test]
fn unknown_models_have_no_cost() {
    let table = PriceTable::builtin().unwrap();
    assert!(cost(&table, "gpt-6.2-sol", UsageRecord { input_tokens: 1000, ..Default::default() }).is_none());
    assert!(cost(&table, "totally-new-model", UsageRecord::default()).is_none());
}

async fn loaded() -> TestServer {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    server
}

/// Hand rates (input, cache read, cache write 5 m, output) per million tokens.
fn hand_rates(model: &str) -> Option<(f64, f64, f64, f64)> {
    match model {
        "claude-opus-4-8" => Some((5.0, 0.5, 6.25, 25.0)),
        "claude-sonnet-5" => Some((2.0, 0.2, 2.5, 10.0)),
        "claude-haiku-4-5-20251001" => Some((1.0, 0.1, 1.25, 5.0)),
        "gpt-5.5" => Some((5.0, 0.5, 5.0, 30.0)),
        "gemini-3.8-flash" => Some((0.75, 0.075, 0.75, 3.75)),
        "gemini-3.5-flash-lite" => Some((0.30, 0.03, 0.30, 2.50)),
        _ => None,
    }
}

#[tokio::test]
async fn every_priced_fixture_request_costs_what_its_served_usage_costs_by_hand() {
    let server = loaded().await;
    let records: Vec<(String, i64, i64, i64, Option<f64>)> = server
        .engine
        .store()
        .read(|connection| {
            let mut statement =
                connection.prepare("SELECT Model, InputTokens, CacheReadTokens, OutputTokens, ComputedCostUsd FROM usage_records")?;
            let mut rows = statement.query([])?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?));
            }
            Ok(found)
        })
        .await
        .unwrap();
    let mut checked = 0;
    for (tool, tool_key) in [("claude_code", "claude"), ("codex", "codex"), ("gemini_cli", "gemini")] {
        for session in expected()["tools"][tool]["sessions"].as_object().unwrap().values() {
            for request in session["requests"].as_array().unwrap() {
                let model = request["model"].as_str().unwrap();
                let usage = &request["normalized"];
                let value = |key: &str| usage[key].as_i64().unwrap();
                let billed_output = value("output") + if tool_key == "gemini" { value("reasoning") } else { 0 };
                let record = records
                    .iter()
                    .find(|record| {
                        record.0 == model
                            && record.1 == value("input_uncached")
                            && record.2 == value("cache_read")
                            && record.3 == billed_output
                    })
                    .unwrap_or_else(|| panic!("no stored request for {model} {usage}"));
                match hand_rates(model) {
                    Some((input, cache_read, cache_write, output)) => {
                        let by_hand = (value("input_uncached") as f64 * input
                            + value("cache_read") as f64 * cache_read
                            + value("cache_creation") as f64 * cache_write
                            + billed_output as f64 * output)
                            / 1e6;
                        let computed = record.4.expect("priced model has a computed cost");
                        assert!((computed - by_hand).abs() < 0.0001, "{model}: computed {computed} vs by hand {by_hand}");
                        checked += 1;
                    }
                    None => assert_eq!(record.4, None, "{model} is not in the table"),
                }
            }
        }
    }
    assert_eq!(checked, 14, "6 Claude, 1 gpt-5.5 and 7 Gemini requests are priced");
    server.stop().await;
}

#[tokio::test]
async fn prices_check_reports_where_claude_codes_own_cost_disagrees() {
    let server = loaded().await;
    let check = server.get_json("/api/prices/check").await;
    // Claude Code 2.1.197 bills claude-sonnet-5 at 3 / 15 per million, the table at 2 / 10: a
    // stale price on one side, which is what the check is for. Opus and Haiku agree.
    let disagreements = check["disagreements"].as_array().unwrap();
    assert_eq!(disagreements.len(), 1, "{check}");
    assert_eq!(disagreements[0]["model"], "claude-sonnet-5");
    assert_eq!(disagreements[0]["requests"], 1);
    assert!((disagreements[0]["maxDifferencePercent"].as_f64().unwrap() - 33.333).abs() < 0.01);
    assert_eq!(
        check["unpriced"],
        json!([{"tool": "codex", "model": "gpt-6.2-sol", "requests": 3, "firstSeen": check["unpriced"][0]["firstSeen"], "lastSeen": check["unpriced"][0]["lastSeen"]}])
    );
    server.stop().await;
}

/// A Claude Code `api_request` event at a given time, as OTLP/JSON.
fn claude_request(time: &str, request_id: &str, cost: f64) -> serde_json::Value {
    let nanos = chrono::DateTime::parse_from_rfc3339(time).unwrap().timestamp_nanos_opt().unwrap().to_string();
    let attribute = |key: &str, value: serde_json::Value| json!({"key": key, "value": value});
    json!({"resourceLogs": [{"resource": {"attributes": [attribute("service.name", json!({"stringValue": "claude-code"}))]},
    "scopeLogs": [{"logRecords": [{"timeUnixNano": nanos, "body": {"stringValue": "claude_code.api_request"}, "attributes": [
        attribute("event.name", json!({"stringValue": "api_request"})),
        attribute("session.id", json!({"stringValue": "tz-session"})),
        attribute("request_id", json!({"stringValue": request_id})),
        attribute("model", json!({"stringValue": "claude-haiku-4-5"})),
        attribute("input_tokens", json!({"intValue": 100})),
        attribute("output_tokens", json!({"intValue": 10})),
        attribute("cost_usd", json!({"doubleValue": cost}))
    ]}]}]}]})
}

#[tokio::test]
async fn spend_is_the_same_whatever_order_its_requests_were_stored_in() {
    // Added in this order, 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floating point; in the other
    // order, 0.6. Two stores holding the same requests must show the same spend.
    let range = "/api/spend?groupBy=tool&from=2026-11-27T00:00:00Z&to=2026-11-28T00:00:00Z";
    let mut answers = Vec::new();
    for costs in [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]] {
        let server = TestServer::start().await;
        for (index, cost) in costs.into_iter().enumerate() {
            let request = claude_request(&format!("2026-11-27T10:0{index}:00Z"), &format!("req_{cost}"), cost);
            assert_eq!(server.client.post(server.otlp("/v1/logs")).json(&request).send().await.unwrap().status(), 200);
        }
        answers.push(server.get_json(range).await);
        server.stop().await;
    }
    assert_eq!(answers[0]["total"]["costUsd"], json!(0.6));
    assert_eq!(answers[0]["total"]["reportedCostUsd"], json!(0.6));
    assert_eq!(answers[0]["total"]["requests"], json!(3));
    assert_eq!(answers[0], answers[1]);
}

#[tokio::test]
async fn usage_at_2330_and_0030_local_falls_on_two_local_days() {
    let server = TestServer::start().await;
    // 23:30 and 00:30 in Berlin (UTC+1 in November) are 22:30 and 23:30 UTC: one UTC day.
    for (time, id, cost) in [("2026-11-27T22:30:00Z", "req_late", 0.25), ("2026-11-27T23:30:00Z", "req_early", 0.5)] {
        let response = server.client.post(server.otlp("/v1/logs")).json(&claude_request(time, id, cost)).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }
    let range = "from=2026-11-27T00:00:00Z&to=2026-11-28T12:00:00Z";
    let berlin = server.get_json(&format!("/api/spend?groupBy=day&tz=Europe/Berlin&{range}")).await;
    let days: Vec<(String, f64)> = berlin["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["requests"].as_i64().unwrap() > 0)
        .map(|g| (g["key"].as_str().unwrap().to_owned(), g["costUsd"].as_f64().unwrap()))
        .collect();
    assert_eq!(days, vec![("2026-11-27".to_owned(), 0.25), ("2026-11-28".to_owned(), 0.5)]);
    let utc = server.get_json(&format!("/api/spend?groupBy=day&tz=UTC&{range}")).await;
    let days: Vec<String> = utc["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["requests"].as_i64().unwrap() > 0)
        .map(|g| g["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(days, vec!["2026-11-27".to_owned()]);
    server.stop().await;
}

#[tokio::test]
async fn an_override_prices_a_model_that_had_no_price_after_a_recompute() {
    let directory = tempfile::tempdir().unwrap();
    let overrides = directory.path().join("prices.toml");
    let server =
        TestServer::start_with(&directory.path().join("db.duckdb"), |config| config.price_overrides_path = Some(overrides.clone())).await;
    for capture in captures(&["codex-binary-toolcall"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let range = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";
    let before = server.get_json(&format!("/api/spend?{range}")).await;
    assert_eq!(before["unpricedModels"][0]["model"], "gpt-6.2-sol");
    std::fs::write(&overrides, "[models.\"gpt-6.2-sol\"]\nvendor = \"openai\"\ninput = 2.0\noutput = 16.0\ncacheRead = 0.2\n").unwrap();
    let (status, outcome) = server.send_json(reqwest::Method::POST, "/api/prices/recompute", &json!({})).await;
    assert_eq!(status, 200, "{outcome}");
    let after = server.get_json(&format!("/api/spend?{range}")).await;
    assert_eq!(after["unpricedModels"], json!([]));
    // 14085 uncached input, 13689 cached, 1353 output at 2 / 0.2 / 16 per million.
    let by_hand = (14085.0 * 2.0 + 13689.0 * 0.2 + 1353.0 * 16.0) / 1e6;
    assert!((after["total"]["computedCostUsd"].as_f64().unwrap() - by_hand).abs() < 1e-9, "{after}");
    let prices = server.get_json("/api/prices").await;
    let entry = prices["models"].as_array().unwrap().iter().find(|model| model["model"] == "gpt-6.2-sol").unwrap();
    assert_eq!(entry["source"], "override");
    server.stop().await;
}
