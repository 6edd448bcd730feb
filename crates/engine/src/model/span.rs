//! One span, as stored in `otel_traces`.

use super::{Attributes, UnixNanos};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Span {
    pub start_time: UnixNanos,
    pub trace_id: String,
    pub span_id: String,
    pub parent_span_id: Option<String>,
    pub trace_state: Option<String>,
    pub name: String,
    pub kind: String,
    pub service_name: String,
    pub resource_attributes: Attributes,
    pub scope_name: Option<String>,
    pub scope_version: Option<String>,
    pub attributes: Attributes,
    pub duration_nanos: i64,
    pub status_code: String,
    pub status_message: Option<String>,
    pub events: Vec<SpanEvent>,
    pub links: Vec<SpanLink>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpanEvent {
    pub time: UnixNanos,
    pub name: String,
    pub attributes: Attributes,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SpanLink {
    pub trace_id: String,
    pub span_id: String,
    pub trace_state: String,
    pub attributes: Attributes,
}
