//! Which encoding and which signal a request body holds.
//!
//! JSON: the top-level key (`resourceSpans`, `resourceMetrics`, `resourceLogs`) names the signal.
//! Protobuf: the three request types share field 1 but their leaf messages use incompatible wire
//! types (a span starts with a 16-byte trace id, a log record with a fixed64 time, a metric with a
//! UTF-8 name), so a strict decode as the wrong type fails or yields implausible records. We try the
//! type the path names first and accept the first type that decodes into plausible records.

use super::{DecodeError, ExportRequest};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Protobuf,
    Json,
}

impl Encoding {
    pub fn content_type(self) -> &'static str {
        match self {
            Encoding::Protobuf => "application/x-protobuf",
            Encoding::Json => "application/json",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    Traces,
    Metrics,
    Logs,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Traces => "traces",
            Signal::Metrics => "metrics",
            Signal::Logs => "logs",
        }
    }

    /// The signal an OTLP/HTTP path names (`/v1/traces` → traces), if any.
    pub fn from_path(path: &str) -> Option<Signal> {
        let last = path.trim_end_matches('/').rsplit('/').next()?;
        match last {
            "traces" => Some(Signal::Traces),
            "metrics" => Some(Signal::Metrics),
            "logs" => Some(Signal::Logs),
            _ => None,
        }
    }
}

/// Content types a client may legitimately send; anything else is refused with 415.
fn content_type_encoding(content_type: &str) -> Result<Option<Encoding>, DecodeError> {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "" | "application/octet-stream" => Ok(None),
        "application/x-protobuf" | "application/protobuf" | "application/vnd.google.protobuf" => Ok(Some(Encoding::Protobuf)),
        "application/json" | "text/json" => Ok(Some(Encoding::Json)),
        _ => Err(DecodeError::UnsupportedContentType(content_type.to_owned())),
    }
}

/// Sniffs the body: JSON objects start with `{` (after whitespace); an OTLP protobuf request starts
/// with field 1, length-delimited (`0x0a`). The Content-Type decides only when the body is neither.
pub fn detect_encoding(body: &[u8], content_type: Option<&str>) -> Result<Encoding, DecodeError> {
    let declared = match content_type {
        Some(value) => content_type_encoding(value)?,
        None => None,
    };
    let first = body.iter().copied().find(|byte| !byte.is_ascii_whitespace());
    let sniffed = match first {
        Some(b'{') => Some(Encoding::Json),
        Some(0x0a) => Some(Encoding::Protobuf),
        _ => None,
    };
    Ok(sniffed.or(declared).unwrap_or(Encoding::Protobuf))
}

pub(super) fn decode_json_any(body: &[u8], path_signal: Option<Signal>) -> Result<ExportRequest, DecodeError> {
    let signal = json_top_level_signal(body)
        .or(path_signal)
        .ok_or_else(|| DecodeError::UnknownSignal("JSON object has no resourceSpans, resourceMetrics or resourceLogs key".to_owned()))?;
    Ok(match signal {
        Signal::Traces => ExportRequest::Traces(super::decode_traces_json(body)?),
        Signal::Metrics => ExportRequest::Metrics(super::decode_metrics_json(body)?),
        Signal::Logs => ExportRequest::Logs(super::decode_logs_json(body)?),
    })
}

/// Finds the first of the three OTLP top-level keys without parsing the whole document.
fn json_top_level_signal(body: &[u8]) -> Option<Signal> {
    #[derive(serde::Deserialize)]
    struct TopLevelKeys {
        #[serde(rename = "resourceSpans", alias = "resource_spans", default)]
        spans: Option<serde::de::IgnoredAny>,
        #[serde(rename = "resourceMetrics", alias = "resource_metrics", default)]
        metrics: Option<serde::de::IgnoredAny>,
        #[serde(rename = "resourceLogs", alias = "resource_logs", default)]
        logs: Option<serde::de::IgnoredAny>,
    }
    let keys: TopLevelKeys = serde_json::from_slice(body).ok()?;
    if keys.spans.is_some() {
        Some(Signal::Traces)
    } else if keys.metrics.is_some() {
        Some(Signal::Metrics)
    } else if keys.logs.is_some() {
        Some(Signal::Logs)
    } else {
        None
    }
}

pub(super) fn decode_protobuf_any(body: &[u8], path_signal: Option<Signal>) -> Result<ExportRequest, DecodeError> {
    let mut order = vec![Signal::Traces, Signal::Metrics, Signal::Logs];
    if let Some(hint) = path_signal {
        order.retain(|signal| *signal != hint);
        order.insert(0, hint);
    }
    let mut first_error = None;
    for signal in order {
        match decode_protobuf_as(body, signal) {
            Ok(request) if is_plausible(&request) => return Ok(request),
            Ok(_) => {}
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    // Nothing plausible: an empty-but-valid request of the path's signal is still a valid request.
    if let Some(hint) = path_signal
        && let Ok(request) = decode_protobuf_as(body, hint)
        && resource_count(&request) == 0
    {
        return Ok(request);
    }
    Err(first_error.unwrap_or_else(|| DecodeError::UnknownSignal("protobuf body decodes as no OTLP request with records".to_owned())))
}

fn decode_protobuf_as(body: &[u8], signal: Signal) -> Result<ExportRequest, DecodeError> {
    let error = |error: prost::DecodeError| DecodeError::Protobuf { signal: signal.as_str(), message: error.to_string() };
    Ok(match signal {
        Signal::Traces => ExportRequest::Traces(ExportTraceServiceRequest::decode(body).map_err(error)?),
        Signal::Metrics => ExportRequest::Metrics(ExportMetricsServiceRequest::decode(body).map_err(error)?),
        Signal::Logs => ExportRequest::Logs(ExportLogsServiceRequest::decode(body).map_err(error)?),
    })
}

fn resource_count(request: &ExportRequest) -> usize {
    match request {
        ExportRequest::Traces(r) => r.resource_spans.len(),
        ExportRequest::Metrics(r) => r.resource_metrics.len(),
        ExportRequest::Logs(r) => r.resource_logs.len(),
    }
}

/// A decoded request is plausible when it has resources and its leaf records look like records of
/// that signal (ids of the right length, metrics with a name and data, logs with a time).
fn is_plausible(request: &ExportRequest) -> bool {
    if resource_count(request) == 0 {
        return false;
    }
    match request {
        ExportRequest::Traces(r) => {
            let spans: Vec<_> = r.resource_spans.iter().flat_map(|rs| &rs.scope_spans).flat_map(|ss| &ss.spans).collect();
            !spans.is_empty() && spans.iter().all(|span| span.trace_id.len() == 16 && span.span_id.len() == 8)
        }
        ExportRequest::Metrics(r) => {
            let metrics: Vec<_> = r.resource_metrics.iter().flat_map(|rm| &rm.scope_metrics).flat_map(|sm| &sm.metrics).collect();
            !metrics.is_empty() && metrics.iter().all(|metric| !metric.name.is_empty() && metric.data.is_some())
        }
        ExportRequest::Logs(r) => {
            let records: Vec<_> = r.resource_logs.iter().flat_map(|rl| &rl.scope_logs).flat_map(|sl| &sl.log_records).collect();
            !records.is_empty()
                && records.iter().all(|record| {
                    record.time_unix_nano != 0
                        || record.observed_time_unix_nano != 0
                        || record.body.is_some()
                        || !record.attributes.is_empty()
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_wins_over_a_protobuf_content_type() {
        let encoding = detect_encoding(b"  {\"resourceLogs\":[]}", Some("application/x-protobuf")).unwrap();
        assert_eq!(encoding, Encoding::Json);
    }

    #[test]
    fn unknown_content_types_are_refused() {
        let error = detect_encoding(b"{}", Some("text/plain")).unwrap_err();
        assert!(matches!(error, DecodeError::UnsupportedContentType(_)));
    }

    #[test]
    fn signal_from_path_reads_the_last_segment() {
        assert_eq!(Signal::from_path("/v1/traces"), Some(Signal::Traces));
        assert_eq!(Signal::from_path("/otlp/v1/logs/"), Some(Signal::Logs));
        assert_eq!(Signal::from_path("/"), None);
    }
}
