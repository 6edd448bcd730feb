//! The `otel_traces` table as the API reads it: the column list (events and links are kept as JSON
//! arrays of their fields) and the decoder of one row into a span.

use crate::wire::telemetry::{Span, SpanEvent, SpanLink, parse_attributes};

pub const SPAN_COLUMNS: &str = "epoch_ns(Timestamp), TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName,
    ResourceAttributes::VARCHAR, ScopeName, ScopeVersion, SpanAttributes::VARCHAR, Duration, StatusCode, StatusMessage,
    \"Events.Timestamp\"::VARCHAR, \"Events.Name\"::VARCHAR, \"Events.Attributes\"::VARCHAR,
    \"Links.TraceId\"::VARCHAR, \"Links.SpanId\"::VARCHAR, \"Links.TraceState\"::VARCHAR, \"Links.Attributes\"::VARCHAR";

fn json_list<T: serde::de::DeserializeOwned>(text: Option<String>) -> Vec<T> {
    text.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default()
}

pub fn span_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<Span> {
    let event_times: Vec<String> = json_list(row.get(15)?);
    let event_names: Vec<String> = json_list(row.get(16)?);
    let event_attributes: Vec<crate::model::Attributes> = json_list(row.get(17)?);
    let link_traces: Vec<String> = json_list(row.get(18)?);
    let link_spans: Vec<String> = json_list(row.get(19)?);
    let link_states: Vec<String> = json_list(row.get(20)?);
    let link_attributes: Vec<crate::model::Attributes> = json_list(row.get(21)?);
    let events: Vec<SpanEvent> = event_names
        .into_iter()
        .enumerate()
        .map(|(index, name)| SpanEvent {
            timestamp: event_times.get(index).cloned().unwrap_or_default(),
            name,
            attributes: event_attributes.get(index).cloned().unwrap_or_default(),
        })
        .collect();
    let links: Vec<SpanLink> = link_traces
        .into_iter()
        .enumerate()
        .map(|(index, trace_id)| SpanLink {
            trace_id,
            span_id: link_spans.get(index).cloned().unwrap_or_default(),
            trace_state: link_states.get(index).cloned().unwrap_or_default(),
            attributes: link_attributes.get(index).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(Span {
        timestamp: crate::model::time::rfc3339_nanos(row.get(0)?),
        trace_id: row.get(1)?,
        span_id: row.get(2)?,
        parent_span_id: row.get(3)?,
        trace_state: row.get(4)?,
        span_name: row.get(5)?,
        span_kind: row.get(6)?,
        service_name: row.get(7)?,
        resource_attributes: parse_attributes(row.get(8)?),
        scope_name: row.get(9)?,
        scope_version: row.get(10)?,
        span_attributes: parse_attributes(row.get(11)?),
        duration: row.get::<_, Option<i64>>(12)?.unwrap_or(0),
        status_code: row.get(13)?,
        status_message: row.get(14)?,
        events: if events.is_empty() { None } else { Some(events) },
        links: if links.is_empty() { None } else { Some(links) },
    })
}
