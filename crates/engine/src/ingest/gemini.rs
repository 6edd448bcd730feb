//! Gemini CLI telemetry: per-request usage from `gemini_cli.api_response` events, and cost points
//! priced from the token-usage *deltas* (Gemini's counters are cumulative; pricing the running
//! totals, as the original did, counts every earlier token again).
//!
//! Gemini semantics: `input_token_count` includes cached tokens; `output_token_count` excludes
//! thinking (`thoughts_token_count`), which is billed as output; tool-use prompt tokens are billed
//! as input.

use crate::model::identity::{host_of, user_of};
use crate::model::{AttributeValues, Attributes, LogRecord, MetricPoint, Tool, UsageRecord, UsageSource};
use crate::pricing::{PriceTable, cost_of_usage};
use std::collections::BTreeMap;

pub const TOKEN_DELTA_METRIC: &str = "gemini_cli.token.usage.delta";
pub const COST_METRIC: &str = "gemini_cli.cost.usage";

pub fn usage_from_logs(records: &[LogRecord]) -> Vec<UsageRecord> {
    records
        .iter()
        .filter(|record| Tool::from_service_name(&record.service_name) == Some(Tool::Gemini))
        .filter(|record| record.event_name() == Some("gemini_cli.api_response"))
        .filter_map(|record| {
            let attributes = &record.attributes;
            let input_total = attributes.int("input_token_count")?;
            let cached = attributes.int("cached_content_token_count").unwrap_or(0).clamp(0, input_total.max(0));
            let thoughts = attributes.int("thoughts_token_count").unwrap_or(0);
            let session_id = attributes.text("session.id").or_else(|| record.resource_attributes.text("session.id")).map(str::to_owned);
            Some(UsageRecord {
                record_key: format!(
                    "otlp:gemini:{}:{}:{}:{}",
                    session_id.as_deref().unwrap_or("-"),
                    attributes.text("prompt_id").unwrap_or("-"),
                    record.time,
                    attributes.text("total_token_count").unwrap_or("-")
                ),
                time: record.time,
                tool: Some(Tool::Gemini),
                source: Some(UsageSource::Otlp),
                service_name: record.service_name.clone(),
                session_id,
                model: attributes.text("model").unwrap_or("unknown").to_owned(),
                input_tokens: (input_total - cached).max(0),
                cache_read_tokens: cached,
                output_tokens: attributes.int("output_token_count").unwrap_or(0) + thoughts,
                reasoning_tokens: thoughts,
                tool_tokens: attributes.int("tool_token_count").unwrap_or(0),
                duration_ms: attributes.int("duration_ms"),
                user_email: user_of(&record.attributes, &record.resource_attributes),
                host: host_of(&record.resource_attributes),
                ..UsageRecord::default()
            })
        })
        .collect()
}

/// One cost point per (time, model, series attributes) group of token-usage delta points.
pub fn cost_points_from_deltas(deltas: &[MetricPoint], prices: &PriceTable) -> Vec<MetricPoint> {
    let mut groups: BTreeMap<(i64, String, String), (Attributes, UsageRecord, String)> = BTreeMap::new();
    for point in deltas.iter().filter(|point| point.name == TOKEN_DELTA_METRIC) {
        let (Some(model), Some(kind), Some(value)) = (point.attributes.text("model"), point.attributes.text("type"), point.value) else {
            continue;
        };
        let mut group_attributes = point.attributes.clone();
        group_attributes.remove("type");
        let key = (point.time, model.to_owned(), crate::model::attributes_to_json(&group_attributes));
        let entry = groups.entry(key).or_insert_with(|| {
            let usage = UsageRecord { model: model.to_owned(), ..UsageRecord::default() };
            (group_attributes, usage, point.service_name.clone())
        });
        let tokens = value.round() as i64;
        match kind {
            // `input` includes the cached tokens counted again under `cache`.
            "input" => entry.1.input_tokens += tokens,
            "cache" => {
                entry.1.cache_read_tokens += tokens;
                entry.1.input_tokens -= tokens;
            }
            "output" | "thought" => entry.1.output_tokens += tokens,
            "tool" => entry.1.tool_tokens += tokens,
            _ => {}
        }
    }
    let mut points = Vec::new();
    for ((time, model, group_json), (attributes, usage, service_name)) in groups {
        let Some(price) = prices.lookup(&model) else { continue };
        let cost = cost_of_usage(price, &usage).total();
        if cost > 0.0 {
            let mut cost_attributes = Attributes::new();
            cost_attributes.insert("model".to_owned(), model.clone());
            if let Some(session) = attributes.text("session.id") {
                cost_attributes.insert("session.id".to_owned(), session.to_owned());
            }
            let mut point = MetricPoint::derived_sum(
                time,
                &service_name,
                COST_METRIC,
                "USD",
                "Cost of Gemini CLI requests (derived)",
                cost_attributes,
                cost,
            );
            // Keyed like the deltas it is priced from, so a delta emitted again replaces its cost too.
            point.record_key = Some(format!("gemini-cost:{}:{time}", short_hash(&format!("{service_name}|{model}|{group_json}"))));
            points.push(point);
        }
    }
    points
}

fn short_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes()).iter().take(12).map(|byte| format!("{byte:02x}")).collect()
}
