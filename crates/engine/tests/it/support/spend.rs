//! Spend answers as the numbers tests compare: `[requests, input, cacheRead, cacheCreation,
//! output, reasoning]` per group.

use super::TestServer;
use serde_json::Value;
use std::collections::BTreeMap;

/// `[requests, input, cacheRead, cacheCreation, output, reasoning]`.
pub type Counts = [i64; 6];

/// Counts by group key (tool, session, …).
pub type ByKey = BTreeMap<String, Counts>;

/// The counts of one `/api/spend` group.
pub fn group_counts(group: &Value) -> Counts {
    let tokens = &group["tokens"];
    let number = |value: &Value| value.as_i64().unwrap_or(0);
    [
        number(&group["requests"]),
        number(&tokens["input"]),
        number(&tokens["cacheRead"]),
        number(&tokens["cacheCreation"]),
        number(&tokens["output"]),
        number(&tokens["reasoning"]),
    ]
}

/// Adds `more` into `total`.
pub fn add(total: &mut Counts, more: &Counts) {
    for (sum, value) in total.iter_mut().zip(more) {
        *sum += value;
    }
}

/// `/api/spend?groupBy=tool&<query>` as counts by tool key.
pub async fn spend_by_tool(server: &TestServer, query: &str) -> ByKey {
    spend_by(server, "tool", query).await
}

/// `/api/spend?groupBy=<group_by>&<query>` as counts by group key.
pub async fn spend_by(server: &TestServer, group_by: &str, query: &str) -> ByKey {
    let body = server.get_json(&format!("/api/spend?groupBy={group_by}&{query}")).await;
    body["groups"].as_array().unwrap().iter().map(|group| (group["key"].as_str().unwrap().to_owned(), group_counts(group))).collect()
}

/// The sum over `query`'s time range of a metric's series (`/api/metrics/series`), by `type` label.
pub async fn metric_sums(server: &TestServer, name: &str, query: &str) -> BTreeMap<String, f64> {
    let answer = server.get_json(&format!("/api/metrics/series?name={name}&aggregate=true&{query}")).await;
    let mut sums = BTreeMap::new();
    for series in answer["series"].as_array().unwrap() {
        let value: f64 = series["datapoints"].as_array().unwrap().iter().map(|point| point[1].as_f64().unwrap()).sum();
        *sums.entry(series["labels"]["type"].as_str().unwrap_or("default").to_owned()).or_default() += value;
    }
    sums
}

/// The counts of a tool's `totals_*` object in an `expected.json`.
pub fn expected_counts(totals: &Value) -> Counts {
    let number = |key: &str| totals[key].as_i64().unwrap();
    [number("requests"), number("input_uncached"), number("cache_read"), number("cache_creation"), number("output"), number("reasoning")]
}

/// Gemini CLI's input tokens on the captures' day, from the delta series the engine derives from
/// its cumulative counters (`gemini_cli.token.usage.delta`).
pub async fn gemini_delta_input_tokens(server: &TestServer) -> f64 {
    let deltas = server
        .get_json("/api/metrics/series?name=gemini_cli.token.usage.delta&aggregate=true&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z")
        .await;
    deltas["series"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|series| series["labels"]["type"] == "input")
        .map(|series| series["datapoints"][0][1].as_f64().unwrap())
        .sum()
}
