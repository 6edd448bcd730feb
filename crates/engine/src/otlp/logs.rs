//! Logs: `ExportLogsServiceRequest` bytes into `model::LogRecord` rows.
//!
//! The CLIs bend OTLP in different ways, normalised here exactly once:
//! - Codex sends `timeUnixNano = 0` and puts the time in the `event.timestamp` attribute (RFC 3339);
//!   the fallback order is time, `event.timestamp`, observed time.
//! - Codex fills the OTLP `eventName` field with a Rust callsite, so the `event.name` attribute wins;
//!   `eventName` is copied into `event.name` only when the attribute is missing and it looks like a
//!   name (no spaces or slashes).
//! - Empty severity text is derived from the severity number, and a record with neither gets one
//!   from what it reports (`severity::derive`); an empty body becomes the event name.

use super::DecodeError;
use super::any_value::{any_value_into_string, attributes_from_owned_key_values, hex_id};
use super::traces::{clamp_nanos, non_empty, service_name_of};
use crate::model::LogRecord;
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use prost::Message;

pub fn decode_logs_protobuf(body: &[u8]) -> Result<ExportLogsServiceRequest, DecodeError> {
    ExportLogsServiceRequest::decode(body).map_err(|error| DecodeError::Protobuf { signal: "logs", message: error.to_string() })
}

pub fn decode_logs_json(body: &[u8]) -> Result<ExportLogsServiceRequest, DecodeError> {
    serde_json::from_slice(body).map_err(|error| DecodeError::Json { signal: "logs", message: error.to_string() })
}

#[derive(Debug, Default)]
pub struct LogsBatch {
    pub records: Vec<LogRecord>,
    pub rejected: i64,
    pub rejection_reason: Option<String>,
}

/// The request's log records as rows. The request is consumed: its strings (attribute keys and
/// values, bodies) move into the rows instead of being copied.
pub fn logs_from_request(request: ExportLogsServiceRequest) -> LogsBatch {
    let mut batch = LogsBatch::default();
    for resource_logs in request.resource_logs {
        let resource_attributes =
            resource_logs.resource.map(|resource| attributes_from_owned_key_values(resource.attributes)).unwrap_or_default();
        let service_name = service_name_of(&resource_attributes);
        let resource_schema_url = non_empty(&resource_logs.schema_url);
        for scope_logs in resource_logs.scope_logs {
            let scope = scope_logs.scope;
            let scope_schema_url = non_empty(&scope_logs.schema_url);
            let scope_name = scope.as_ref().and_then(|scope| non_empty(&scope.name));
            let scope_version = scope.as_ref().and_then(|scope| non_empty(&scope.version));
            let scope_attributes = scope.map(|scope| attributes_from_owned_key_values(scope.attributes)).unwrap_or_default();
            for record in scope_logs.log_records {
                let mut attributes = attributes_from_owned_key_values(record.attributes);
                if looks_like_event_name(&record.event_name) && !attributes.contains_key("event.name") {
                    attributes.insert("event.name".to_owned(), record.event_name);
                }
                let Some(time) = record_time(record.time_unix_nano, attributes.get("event.timestamp"), record.observed_time_unix_nano)
                else {
                    batch.rejected += 1;
                    batch.rejection_reason = Some("log record without any timestamp".to_owned());
                    continue;
                };
                let mut body = record.body.map(any_value_into_string).unwrap_or_default();
                if body.is_empty()
                    && let Some(event_name) = attributes.get("event.name")
                {
                    body = event_name.clone();
                }
                let (severity_text, severity_number) = if record.severity_text.is_empty() && record.severity_number == 0 {
                    let (text, number) = super::severity::derive(&attributes);
                    (text.to_owned(), number)
                } else if record.severity_text.is_empty() {
                    (severity_text_for(record.severity_number).to_owned(), record.severity_number)
                } else {
                    (record.severity_text, record.severity_number)
                };
                batch.records.push(LogRecord {
                    time,
                    trace_id: hex_id(&record.trace_id),
                    span_id: hex_id(&record.span_id),
                    trace_flags: Some(record.flags),
                    severity_text,
                    severity_number,
                    service_name: service_name.clone(),
                    body,
                    resource_schema_url: resource_schema_url.clone(),
                    resource_attributes: resource_attributes.clone(),
                    scope_schema_url: scope_schema_url.clone(),
                    scope_name: scope_name.clone(),
                    scope_version: scope_version.clone(),
                    scope_attributes: scope_attributes.clone(),
                    attributes,
                    record_key: None,
                });
            }
        }
    }
    batch
}

/// Codex fills `eventName` with a source location (`event otel/src/…rs:1187`); only a name
/// without spaces or slashes is taken as an event name.
fn looks_like_event_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(char::is_whitespace) && !name.contains('/')
}

fn record_time(time: u64, event_timestamp: Option<&String>, observed: u64) -> Option<i64> {
    if time != 0 {
        return Some(clamp_nanos(time));
    }
    if let Some(parsed) = event_timestamp.and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok()) {
        return parsed.timestamp_nanos_opt();
    }
    if observed != 0 {
        return Some(clamp_nanos(observed));
    }
    None
}

/// OTLP severity number ranges to their short names (TRACE 1-4 … FATAL 21-24).
pub fn severity_text_for(number: i32) -> &'static str {
    match number {
        21.. => "FATAL",
        17..=20 => "ERROR",
        13..=16 => "WARN",
        9..=12 => "INFO",
        5..=8 => "DEBUG",
        1..=4 => "TRACE",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_records_take_their_time_from_event_timestamp() {
        let stamp = "2026-11-28T13:47:08.123Z".to_owned();
        let nanos = record_time(0, Some(&stamp), 5).unwrap();
        assert_eq!(nanos, 1_795_873_628_123_000_000);
        assert_eq!(record_time(0, None, 5), Some(5));
        assert_eq!(record_time(0, None, 0), None);
    }

    #[test]
    fn severity_is_derived_from_the_number() {
        assert_eq!(severity_text_for(9), "INFO");
        assert_eq!(severity_text_for(17), "ERROR");
        assert_eq!(severity_text_for(24), "FATAL");
        assert_eq!(severity_text_for(0), "");
    }
}
