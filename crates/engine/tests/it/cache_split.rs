//! Issue 12 (7): Claude Code cache writes priced by their TTL when the cost is computed, from the
//! real captures in `tests/fixtures/cache-split-captures` (Claude Code 2.1.197 and 2.1.332 asked
//! for 1-hour cache writes; the session files keep the 5-minute/1-hour split, 2.1.197's telemetry
//! only the total, 2.1.332's telemetry the split too).
//!
//! The cost a tool reports wins; where it is missing (stripped here from the real events: a
//! collector that drops attributes, a proxy, a version that leaves it out) the engine computes the
//! cost from the price table with the best split it has, and `/api/spend` says how many requests
//! it computed.

use crate::support::TestServer;
use crate::support::fixtures::{Capture, capture_set, captures_in, expected_in};
use crate::support::imports::import_homes;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message;
use serde_json::Value;
use std::path::PathBuf;

const ALL_TIME: &str = "from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z&tz=UTC";

fn root() -> PathBuf {
    capture_set("cache-split-captures")
}

/// The run's requests as `expected.json` lists them.
fn requests(run: &str) -> Vec<Value> {
    expected_in(&root())["runs"][run]["requests"].as_array().unwrap().clone()
}

/// The sum over the run's requests of Claude Code's list-price cost, the 1-hour writes priced at
/// the 1-hour rate (`true`) or at the 5-minute rate (`false`). The captures' price rows equal
/// the engine's for these models (opus-4-8, opus-5-5, haiku-4-5).
fn list_price(run: &str, one_hour_rate: bool) -> f64 {
    price_of(&requests(run), one_hour_rate)
}

fn price_of(requests: &[Value], one_hour_rate: bool) -> f64 {
    let key = if one_hour_rate { "1h_at_1h_rate" } else { "1h_at_5m_rate" };
    requests
        .iter()
        .map(|request| {
            let prices = request["cost_at_list_prices"].as_object().unwrap();
            assert_eq!(prices.len(), 1, "one price row per request");
            prices.values().next().unwrap()[key].as_f64().unwrap()
        })
        .sum()
}

fn reported_cost(run: &str) -> f64 {
    requests(run).iter().map(|request| request["otlp_api_request"]["cost_usd"].as_f64().unwrap()).sum()
}

/// The run's OTLP requests; `without_cost` removes `cost_usd` and `cost_usd_micros` from every
/// log record (decoded from the captured protobuf and encoded again).
fn telemetry(run: &str, without_cost: bool) -> Vec<Capture> {
    let mut captures = captures_in(&root(), &[run]);
    if without_cost {
        for capture in captures.iter_mut().filter(|capture| capture.path == "/v1/logs") {
            let mut request = ExportLogsServiceRequest::decode(capture.body.as_slice()).unwrap();
            let mut removed = 0;
            for record in request.resource_logs.iter_mut().flat_map(|r| r.scope_logs.iter_mut()).flat_map(|s| s.log_records.iter_mut()) {
                let before = record.attributes.len();
                record.attributes.retain(|attribute| attribute.key != "cost_usd" && attribute.key != "cost_usd_micros");
                removed += before - record.attributes.len();
            }
            assert!(removed > 0, "{run}: the capture carried cost attributes");
            capture.body = request.encode_to_vec();
        }
    }
    captures
}

async fn post_all(server: &TestServer, captures: &[Capture]) {
    for capture in captures {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{}", capture.name);
    }
}

async fn import_files(server: &TestServer, run: &str) {
    import_homes(server, &[root().join(run).join("sessions")]).await;
}

/// `(requests, computedRequests, costUsd, cacheCreation tokens)` of the whole range.
async fn spend(server: &TestServer) -> (i64, i64, f64, i64) {
    let spend = server.get_json(&format!("/api/spend?groupBy=tool&{ALL_TIME}")).await;
    let groups = spend["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{spend}");
    let group = &groups[0];
    (
        group["requests"].as_i64().unwrap(),
        group["computedRequests"].as_i64().unwrap(),
        group["costUsd"].as_f64().unwrap(),
        group["tokens"]["cacheCreation"].as_i64().unwrap(),
    )
}

fn cache_writes(run: &str) -> i64 {
    requests(run).iter().map(|request| request["usage_served"]["cache_creation_total"].as_i64().unwrap()).sum()
}

fn assert_cost(actual: f64, expected: f64, what: &str) {
    assert!((actual - expected).abs() < 1e-9, "{what}: {actual} vs {expected}");
}

#[tokio::test]
async fn the_reported_cost_wins_and_is_not_counted_as_computed() {
    for run in ["claude-cache-split", "claude-cache-split-2.1.332"] {
        let server = TestServer::start().await;
        post_all(&server, &telemetry(run, false)).await;
        let (requests_seen, computed, cost, writes) = spend(&server).await;
        assert_eq!((requests_seen, computed, writes), (requests(run).len() as i64, 0, cache_writes(run)), "{run}");
        assert_cost(cost, reported_cost(run), run);
        // Claude Code prices the 1-hour writes at the 1-hour rate; so do the captures' list prices.
        assert_cost(cost, list_price(run, true), run);
        server.stop().await;
    }
}

#[tokio::test]
async fn telemetry_with_the_split_is_priced_at_the_one_hour_rate_without_the_files() {
    let run = "claude-cache-split-2.1.332";
    let server = TestServer::start().await;
    post_all(&server, &telemetry(run, true)).await;
    let (requests_seen, computed, cost, writes) = spend(&server).await;
    assert_eq!((requests_seen, computed, writes), (2, 2, cache_writes(run)));
    assert_cost(cost, list_price(run, true), "2.1.332 split attributes");
    assert!(list_price(run, true) > list_price(run, false) + 0.001, "the split matters here");
    server.stop().await;
}

#[tokio::test]
async fn telemetry_without_the_split_takes_it_from_the_session_file_in_either_order() {
    let run = "claude-cache-split";
    let total = requests(run).len() as i64;

    // Telemetry alone has only the total: the writes are priced as 5-minute writes.
    let server = TestServer::start().await;
    post_all(&server, &telemetry(run, true)).await;
    let (requests_seen, computed, cost, writes) = spend(&server).await;
    assert_eq!((requests_seen, computed, writes), (total, total, cache_writes(run)));
    assert_cost(cost, list_price(run, false), "telemetry alone");
    // The session file keeps the split: the same requests, now priced at the 1-hour rate.
    import_files(&server, run).await;
    let (requests_seen, computed, cost, writes) = spend(&server).await;
    assert_eq!((requests_seen, computed, writes), (total, total, cache_writes(run)));
    assert_cost(cost, list_price(run, true), "telemetry, then the file");
    server.stop().await;

    let server = TestServer::start().await;
    import_files(&server, run).await;
    // The file holds the main requests only (the session-title call is telemetry's alone).
    let in_file: Vec<Value> = requests(run).into_iter().filter(|request| !request["session_file"].is_null()).collect();
    assert_eq!(in_file.len() as i64, total - 1);
    let (file_requests, file_computed, file_cost, _) = spend(&server).await;
    assert_eq!((file_requests, file_computed), (total - 1, total - 1));
    assert_cost(file_cost, price_of(&in_file, true), "the file alone");
    post_all(&server, &telemetry(run, true)).await;
    let (requests_seen, computed, cost, writes) = spend(&server).await;
    assert_eq!((requests_seen, computed, writes), (total, total, cache_writes(run)));
    assert_cost(cost, list_price(run, true), "the file, then telemetry");
    server.stop().await;
}
