//! Traces: `ExportTraceServiceRequest` bytes into `model::Span` rows.

use super::DecodeError;
use super::any_value::{attributes_from_key_values, hex_id};
use crate::model::{Attributes, Span, SpanEvent, SpanLink};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::trace::v1::{span::SpanKind, status::StatusCode};
use prost::Message;

pub fn decode_traces_protobuf(body: &[u8]) -> Result<ExportTraceServiceRequest, DecodeError> {
    ExportTraceServiceRequest::decode(body).map_err(|error| DecodeError::Protobuf { signal: "traces", message: error.to_string() })
}

pub fn decode_traces_json(body: &[u8]) -> Result<ExportTraceServiceRequest, DecodeError> {
    serde_json::from_slice(body).map_err(|error| DecodeError::Json { signal: "traces", message: error.to_string() })
}

/// Spans of one request, plus how many were rejected (no valid trace or span id).
#[derive(Debug, Default)]
pub struct TracesBatch {
    pub spans: Vec<Span>,
    pub rejected: i64,
    pub rejection_reason: Option<String>,
}

pub fn spans_from_request(request: &ExportTraceServiceRequest) -> TracesBatch {
    let mut batch = TracesBatch::default();
    for resource_spans in &request.resource_spans {
        let resource_attributes =
            resource_spans.resource.as_ref().map(|resource| attributes_from_key_values(&resource.attributes)).unwrap_or_default();
        let service_name = service_name_of(&resource_attributes);
        for scope_spans in &resource_spans.scope_spans {
            let scope = scope_spans.scope.as_ref();
            for span in &scope_spans.spans {
                let (Some(trace_id), Some(span_id)) = (hex_id(&span.trace_id), hex_id(&span.span_id)) else {
                    batch.rejected += 1;
                    batch.rejection_reason = Some("span without a valid trace id or span id".to_owned());
                    continue;
                };
                let start = clamp_nanos(span.start_time_unix_nano);
                let end = clamp_nanos(span.end_time_unix_nano);
                let status = span.status.as_ref();
                batch.spans.push(Span {
                    start_time: start,
                    trace_id,
                    span_id,
                    parent_span_id: hex_id(&span.parent_span_id),
                    trace_state: non_empty(&span.trace_state),
                    name: span.name.clone(),
                    kind: span_kind_name(span.kind).to_owned(),
                    service_name: service_name.clone(),
                    resource_attributes: resource_attributes.clone(),
                    scope_name: scope.and_then(|scope| non_empty(&scope.name)),
                    scope_version: scope.and_then(|scope| non_empty(&scope.version)),
                    attributes: attributes_from_key_values(&span.attributes),
                    duration_nanos: end.saturating_sub(start).max(0),
                    status_code: status_code_name(status.map_or(0, |status| status.code)).to_owned(),
                    status_message: status.and_then(|status| non_empty(&status.message)),
                    events: span
                        .events
                        .iter()
                        .map(|event| SpanEvent {
                            time: clamp_nanos(event.time_unix_nano),
                            name: event.name.clone(),
                            attributes: attributes_from_key_values(&event.attributes),
                        })
                        .collect(),
                    links: span
                        .links
                        .iter()
                        .map(|link| SpanLink {
                            trace_id: hex_id(&link.trace_id).unwrap_or_default(),
                            span_id: hex_id(&link.span_id).unwrap_or_default(),
                            trace_state: link.trace_state.clone(),
                            attributes: attributes_from_key_values(&link.attributes),
                        })
                        .collect(),
                });
            }
        }
    }
    batch
}

/// `service.name` of a resource; `unknown` when it is missing, as in the original.
pub(super) fn service_name_of(resource_attributes: &Attributes) -> String {
    resource_attributes.get("service.name").filter(|name| !name.is_empty()).cloned().unwrap_or_else(|| "unknown".to_owned())
}

pub(super) fn clamp_nanos(nanos: u64) -> i64 {
    i64::try_from(nanos).unwrap_or(i64::MAX)
}

pub(super) fn non_empty(text: &str) -> Option<String> {
    if text.is_empty() { None } else { Some(text.to_owned()) }
}

fn span_kind_name(kind: i32) -> &'static str {
    match SpanKind::try_from(kind).unwrap_or(SpanKind::Unspecified) {
        SpanKind::Internal => "INTERNAL",
        SpanKind::Server => "SERVER",
        SpanKind::Client => "CLIENT",
        SpanKind::Producer => "PRODUCER",
        SpanKind::Consumer => "CONSUMER",
        SpanKind::Unspecified => "UNSPECIFIED",
    }
}

fn status_code_name(code: i32) -> &'static str {
    match StatusCode::try_from(code).unwrap_or(StatusCode::Unset) {
        StatusCode::Ok => "OK",
        StatusCode::Error => "ERROR",
        StatusCode::Unset => "UNSET",
    }
}
