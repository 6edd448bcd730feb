//! Codex CLI telemetry: token usage lives only in `codex.sse_event` log records of kind
//! `response.completed`.
//!
//! Codex logs one record per streamed SSE chunk (hundreds per answer), so those records are not
//! stored; each `response.completed` becomes one usage record plus `codex_cli_rs.token.usage` /
//! `codex_cli_rs.cost.usage` points. Codex logs every `response.completed` twice, once without token
//! attributes: only the copy carrying `input_token_count` counts. `tool_token_count` equals the
//! total despite its name and is ignored.

use crate::model::identity::{host_of, user_of};
use crate::model::{AttributeValues, Attributes, LogRecord, MetricPoint, Tool, UsageRecord, UsageSource};

pub const TOKEN_METRIC: &str = "codex_cli_rs.token.usage";
pub const COST_METRIC: &str = "codex_cli_rs.cost.usage";

fn is_sse_event(record: &LogRecord) -> bool {
    Tool::from_service_name(&record.service_name) == Some(Tool::Codex) && record.event_name() == Some("codex.sse_event")
}

/// Removes Codex SSE chunk records from `records` and returns the usage of the completed responses.
pub fn take_sse_usage(records: &mut Vec<LogRecord>) -> Vec<UsageRecord> {
    let mut usage = Vec::new();
    records.retain(|record| {
        if !is_sse_event(record) {
            return true;
        }
        if record.attributes.text("event.kind") == Some("response.completed")
            && let Some(found) = usage_from_completed(record)
        {
            usage.push(found);
        }
        false
    });
    usage
}

fn usage_from_completed(record: &LogRecord) -> Option<UsageRecord> {
    let attributes = &record.attributes;
    let input_total = attributes.int("input_token_count")?;
    let cached = attributes.int("cached_token_count").unwrap_or(0).clamp(0, input_total.max(0));
    let output = attributes.int("output_token_count").unwrap_or(0);
    let reasoning = attributes.int("reasoning_token_count").unwrap_or(0);
    let session_id = attributes.text("conversation.id").map(str::to_owned);
    Some(UsageRecord {
        record_key: format!("otlp:codex:{}:{}:{}:{}:{}", session_id.as_deref().unwrap_or("-"), record.time, input_total, cached, output),
        time: record.time,
        tool: Some(Tool::Codex),
        source: Some(UsageSource::Otlp),
        service_name: record.service_name.clone(),
        session_id,
        model: attributes.text("model").or_else(|| record.resource_attributes.text("model")).unwrap_or("unknown").to_owned(),
        input_tokens: (input_total - cached).max(0),
        cache_read_tokens: cached,
        output_tokens: output,
        reasoning_tokens: reasoning,
        duration_ms: attributes.int("duration_ms"),
        user_email: user_of(&record.attributes, &record.resource_attributes),
        host: host_of(&record.resource_attributes),
        ..UsageRecord::default()
    })
}

/// `codex_cli_rs.token.usage` points (normalised types: uncached `input`, `cacheRead`, `output`
/// including reasoning, `reasoning`) and a `codex_cli_rs.cost.usage` point when priced.
pub fn derived_points(usage: &[UsageRecord]) -> Vec<MetricPoint> {
    let mut points = Vec::new();
    for record in usage.iter().filter(|record| record.tool == Some(Tool::Codex)) {
        let base = |kind: Option<&str>| {
            let mut attributes = Attributes::new();
            attributes.insert("model".to_owned(), record.model.clone());
            if let Some(session) = &record.session_id {
                attributes.insert("session.id".to_owned(), session.clone());
            }
            if let Some(kind) = kind {
                attributes.insert("type".to_owned(), kind.to_owned());
            }
            attributes
        };
        for (kind, count) in [
            ("input", record.input_tokens),
            ("cacheRead", record.cache_read_tokens),
            ("output", record.output_tokens),
            ("reasoning", record.reasoning_tokens),
        ] {
            if count > 0 {
                points.push(MetricPoint::derived_sum(
                    record.time,
                    &record.service_name,
                    TOKEN_METRIC,
                    "tokens",
                    "Number of tokens consumed by Codex CLI",
                    base(Some(kind)),
                    count as f64,
                ));
            }
        }
        if let Some(cost) = record.computed_cost_usd.filter(|cost| *cost > 0.0) {
            points.push(MetricPoint::derived_sum(
                record.time,
                &record.service_name,
                COST_METRIC,
                "USD",
                "Cost of Codex CLI requests",
                base(None),
                cost,
            ));
        }
    }
    points
}
