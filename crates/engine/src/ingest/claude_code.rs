//! Claude Code telemetry: per-request usage from `api_request` events and the "user-facing" token
//! and cost series.
//!
//! Claude Code reports every model call, including internal ones (session titles, tool routing with a
//! small model). The `*_user_facing` series keep only the calls a transcript would show. Recent
//! versions say which call is which in `query_source` (`main`, `subagent` vs `auxiliary`); older ones
//! do not, and then the original's heuristic applies (a call that touched the prompt cache is a
//! conversation turn). Cache writes keep their TTL split when the event carries it.

use crate::model::identity::{host_of, user_of};
use crate::model::{AttributeValues, LogRecord, MetricPoint, Tool, UsageRecord, UsageSource};
use std::collections::BTreeMap;

const TOKEN_METRIC: &str = "claude_code.token.usage";
const COST_METRIC: &str = "claude_code.cost.usage";

fn is_api_request(record: &LogRecord) -> bool {
    matches!(record.event_name(), Some("api_request") | Some("claude_code.api_request"))
}

/// One usage record per `api_request` event.
pub fn usage_from_logs(records: &[LogRecord]) -> Vec<UsageRecord> {
    records
        .iter()
        .filter(|record| Tool::from_service_name(&record.service_name) == Some(Tool::ClaudeCode) && is_api_request(record))
        .map(|record| {
            let attributes = &record.attributes;
            let session_id = attributes.text("session.id").map(str::to_owned);
            let request_id = attributes.text("request_id").map(str::to_owned);
            let record_key = match &request_id {
                Some(request_id) => format!("otlp:claude-code:{}", request_id),
                None => format!(
                    "otlp:claude-code:{}:{}:{}:{}",
                    session_id.as_deref().unwrap_or("-"),
                    attributes.text("prompt.id").unwrap_or("-"),
                    attributes.text("event.sequence").unwrap_or("-"),
                    record.time
                ),
            };
            let (five_minute, one_hour) = cache_write_split(attributes);
            UsageRecord {
                record_key,
                time: record.time,
                tool: Some(Tool::ClaudeCode),
                source: Some(UsageSource::Otlp),
                service_name: record.service_name.clone(),
                session_id,
                request_id,
                message_id: None,
                model: attributes.text("model").unwrap_or("unknown").to_owned(),
                input_tokens: attributes.int("input_tokens").unwrap_or(0),
                cache_read_tokens: attributes.int("cache_read_tokens").unwrap_or(0),
                cache_write_5m_tokens: five_minute,
                cache_write_1h_tokens: one_hour,
                output_tokens: attributes.int("output_tokens").unwrap_or(0),
                reported_cost_usd: attributes.float("cost_usd"),
                speed: attributes.text("speed").map(str::to_owned),
                query_source: attributes.text("query_source").map(str::to_owned),
                agent_id: attributes.first_text(&["agent.name", "agent_id"]).map(str::to_owned),
                duration_ms: attributes.int("duration_ms"),
                user_email: user_of(&record.attributes, &record.resource_attributes),
                host: host_of(&record.resource_attributes),
                ..UsageRecord::default()
            }
        })
        .collect()
}

/// Cache writes by TTL: `(5-minute, 1-hour)`. Claude Code 2.1.332 and later send the split
/// (`cache_creation_5m_tokens`, `cache_creation_1h_tokens`) beside the total; older versions send
/// the total only, counted as 5-minute writes (Claude Code's default) until a session file's split
/// for the same request replaces it (`store::reconcile`).
fn cache_write_split(attributes: &impl AttributeValues) -> (i64, i64) {
    let total = attributes.int("cache_creation_tokens");
    let one_hour = attributes.int("cache_creation_1h_tokens").unwrap_or(0).max(0);
    let five_minute = attributes.int("cache_creation_5m_tokens").unwrap_or(0).max(0);
    match total {
        Some(total) => {
            let one_hour = one_hour.min(total.max(0));
            (total - one_hour, one_hour)
        }
        None => (five_minute, one_hour),
    }
}

/// Copies of the token and cost points of user-facing calls, as `*_user_facing` series.
pub fn user_facing_points(points: &[MetricPoint]) -> Vec<MetricPoint> {
    let mut groups: BTreeMap<(i64, String, String), Vec<&MetricPoint>> = BTreeMap::new();
    for point in points.iter().filter(|point| point.name == TOKEN_METRIC || point.name == COST_METRIC) {
        let model = point.attributes.text("model").unwrap_or_default().to_owned();
        let source = point.attributes.text("query_source").unwrap_or_default().to_owned();
        groups.entry((point.time, model, source)).or_default().push(point);
    }
    let mut derived = Vec::new();
    for ((_, _, query_source), group) in groups {
        if !is_user_facing(&query_source, &group) {
            continue;
        }
        for point in group.into_iter().filter(|point| point.value.unwrap_or(0.0) > 0.0) {
            let mut copy = point.clone();
            copy.name = format!("{}_user_facing", point.name);
            copy.description = Some(if point.name == TOKEN_METRIC {
                "Token usage for user-facing API calls (excludes tool-routing)".to_owned()
            } else {
                "Cost for user-facing API calls (excludes tool-routing)".to_owned()
            });
            derived.push(copy);
        }
    }
    derived
}

fn is_user_facing(query_source: &str, group: &[&MetricPoint]) -> bool {
    match query_source {
        "main" | "subagent" | "sdk" | "repl_main_thread" => true,
        "auxiliary" | "generate_session_title" | "compact" => false,
        _ if query_source.starts_with("agent:") => true,
        _ => group.iter().any(|point| {
            point.name == TOKEN_METRIC
                && matches!(point.attributes.text("type"), Some("cacheRead") | Some("cacheCreation"))
                && point.value.unwrap_or(0.0) > 0.0
        }),
    }
}
