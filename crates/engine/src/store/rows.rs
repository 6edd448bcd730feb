//! Model values into Appender rows, column for column in the order of the table definitions.

use crate::model::{LogRecord, MetricPoint, Span, UsageRecord, attributes_to_json};
use duckdb::types::{TimeUnit, Value};
use duckdb::{Appender, params};

/// A TIMESTAMP value (DuckDB keeps microseconds) from Unix nanoseconds.
pub fn timestamp_value(nanos: i64) -> Value {
    Value::Timestamp(TimeUnit::Microsecond, nanos.div_euclid(1000))
}

fn json_array<T: serde::Serialize>(values: &[T]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".to_owned())
}

fn optional_json_array<T: serde::Serialize>(values: &Option<Vec<T>>) -> Option<String> {
    values.as_ref().map(|values| json_array(values))
}

pub fn append_span(appender: &mut Appender<'_>, span: &Span) -> duckdb::Result<()> {
    let event_times: Vec<String> = span.events.iter().map(|event| crate::model::time::rfc3339_nanos(event.time)).collect();
    let event_names: Vec<&str> = span.events.iter().map(|event| event.name.as_str()).collect();
    let event_attributes: Vec<&crate::model::Attributes> = span.events.iter().map(|event| &event.attributes).collect();
    let link_trace_ids: Vec<&str> = span.links.iter().map(|link| link.trace_id.as_str()).collect();
    let link_span_ids: Vec<&str> = span.links.iter().map(|link| link.span_id.as_str()).collect();
    let link_states: Vec<&str> = span.links.iter().map(|link| link.trace_state.as_str()).collect();
    let link_attributes: Vec<&crate::model::Attributes> = span.links.iter().map(|link| &link.attributes).collect();
    appender.append_row(params![
        timestamp_value(span.start_time),
        span.trace_id,
        span.span_id,
        span.parent_span_id,
        span.trace_state,
        span.name,
        span.kind,
        span.service_name,
        attributes_to_json(&span.resource_attributes),
        span.scope_name,
        span.scope_version,
        attributes_to_json(&span.attributes),
        span.duration_nanos,
        span.status_code,
        span.status_message,
        json_array(&event_times),
        json_array(&event_names),
        json_array(&event_attributes),
        json_array(&link_trace_ids),
        json_array(&link_span_ids),
        json_array(&link_states),
        json_array(&link_attributes),
    ])
}

pub fn append_log(appender: &mut Appender<'_>, record: &LogRecord) -> duckdb::Result<()> {
    appender.append_row(params![
        timestamp_value(record.time),
        record.trace_id,
        record.span_id,
        record.trace_flags,
        record.severity_text,
        record.severity_number,
        record.service_name,
        record.body,
        record.resource_schema_url,
        attributes_to_json(&record.resource_attributes),
        record.scope_schema_url,
        record.scope_name,
        record.scope_version,
        attributes_to_json(&record.scope_attributes),
        attributes_to_json(&record.attributes),
        record.record_key,
        record.session_id(),
        record.event_name(),
    ])
}

pub fn append_metric(appender: &mut Appender<'_>, point: &MetricPoint) -> duckdb::Result<()> {
    appender.append_row(params![
        timestamp_value(point.time),
        point.service_name,
        point.name,
        point.description,
        point.unit,
        attributes_to_json(&point.resource_attributes),
        point.scope_name,
        point.scope_version,
        attributes_to_json(&point.attributes),
        point.kind.as_str(),
        point.value,
        point.temporality,
        point.is_monotonic,
        point.count,
        point.sum,
        optional_json_array(&point.bucket_counts),
        optional_json_array(&point.explicit_bounds),
        point.scale,
        point.zero_count,
        point.positive_offset,
        optional_json_array(&point.positive_bucket_counts),
        point.negative_offset,
        optional_json_array(&point.negative_bucket_counts),
        optional_json_array(&point.quantile_values),
        optional_json_array(&point.quantile_quantiles),
        point.min,
        point.max,
        point.start_time.map(timestamp_value),
        point.record_key,
    ])
}

/// The `Tool` column of a usage record: the tool's key, or `other:<service.name>` for a service no
/// tool claims (a tool we do not know that sends GenAI spans), so its spend stands under its name.
pub fn usage_tool_key(usage: &UsageRecord) -> String {
    match usage.tool {
        Some(tool) => tool.key().to_owned(),
        None => format!("{OTHER_TOOL_PREFIX}{}", usage.service_name),
    }
}

/// The prefix of the `Tool` key of a service no tool claims.
pub const OTHER_TOOL_PREFIX: &str = "other:";

pub fn append_usage(appender: &mut Appender<'_>, usage: &UsageRecord) -> duckdb::Result<()> {
    appender.append_row(params![
        usage.record_key,
        timestamp_value(usage.time),
        usage_tool_key(usage),
        usage.source.map_or("otlp", |source| source.as_str()),
        usage.service_name,
        usage.session_id,
        usage.request_id,
        usage.message_id,
        usage.model,
        usage.project,
        usage.repository,
        usage.input_tokens,
        usage.cache_read_tokens,
        usage.cache_write_5m_tokens,
        usage.cache_write_1h_tokens,
        usage.output_tokens,
        usage.reasoning_tokens,
        usage.tool_tokens,
        usage.reported_cost_usd,
        usage.computed_cost_usd,
        usage.price_version,
        usage.speed,
        usage.query_source,
        usage.agent_id,
        usage.duration_ms,
        usage.source_file,
        None::<String>,
        None::<bool>,
        usage.machine,
        usage.user_email,
        usage.host,
    ])
}
