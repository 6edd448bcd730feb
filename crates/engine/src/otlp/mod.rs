//! OTLP decoding: request bytes (protobuf or JSON, any signal) into `model` values.
//!
//! Decoding only: nothing here stores, derives or prices. `decode_request` picks the encoding by
//! sniffing the body (the Content-Type is the fallback) and the signal from the body itself, so a
//! request on the wrong path (Codex used to send traces to `/v1/logs`) or on `/` still lands right.
//! Each signal has its own file with a `*_protobuf` / `*_json` decoder pair and a converter into
//! model rows.

mod any_value;
mod detect;
mod logs;
mod metrics;
mod rpc_status;
pub mod severity;
mod traces;

pub use any_value::{any_value_to_string, attributes_from_key_values};
pub use detect::{Encoding, Signal, detect_encoding};
pub use logs::{LogsBatch, decode_logs_json, decode_logs_protobuf, logs_from_request};
pub use metrics::{
    MetricsBatch, data_point_count, decode_metrics_json, decode_metrics_protobuf, holds_cumulative_counter, metrics_from_request,
};
pub use rpc_status::RpcStatus;
pub use traces::{TracesBatch, decode_traces_json, decode_traces_protobuf, spans_from_request};

use crate::error::{ErrorCode, HasErrorCode};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("request body is empty")]
    EmptyBody,
    #[error("unsupported content type {0:?}: send application/x-protobuf or application/json")]
    UnsupportedContentType(String),
    #[error("unsupported content encoding {0:?}: send gzip or no encoding")]
    UnsupportedContentEncoding(String),
    #[error("request body exceeds the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("invalid gzip body: {0}")]
    Gzip(String),
    #[error("failed to decode {signal} protobuf: {message}")]
    Protobuf { signal: &'static str, message: String },
    #[error("failed to decode {signal} JSON: {message}")]
    Json { signal: &'static str, message: String },
    #[error("body is not an OTLP traces, metrics or logs request: {0}")]
    UnknownSignal(String),
}

impl HasErrorCode for DecodeError {
    fn code(&self) -> ErrorCode {
        match self {
            DecodeError::UnsupportedContentType(_) | DecodeError::UnsupportedContentEncoding(_) => ErrorCode::Unsupported,
            DecodeError::TooLarge { .. } => ErrorCode::PayloadTooLarge,
            _ => ErrorCode::BadRequest,
        }
    }
}

/// A decoded OTLP export request of any signal.
#[derive(Debug, Clone)]
pub enum ExportRequest {
    Traces(ExportTraceServiceRequest),
    Metrics(ExportMetricsServiceRequest),
    Logs(ExportLogsServiceRequest),
}

impl ExportRequest {
    pub fn signal(&self) -> Signal {
        match self {
            ExportRequest::Traces(_) => Signal::Traces,
            ExportRequest::Metrics(_) => Signal::Metrics,
            ExportRequest::Logs(_) => Signal::Logs,
        }
    }

    /// The request as an OTLP/HTTP protobuf body.
    pub fn encode_protobuf(&self) -> Vec<u8> {
        use prost::Message;
        match self {
            ExportRequest::Traces(request) => request.encode_to_vec(),
            ExportRequest::Metrics(request) => request.encode_to_vec(),
            ExportRequest::Logs(request) => request.encode_to_vec(),
        }
    }
}

/// Decodes a (decompressed) request body. `path_signal` is the signal the URL path names, if any;
/// the body decides when the two disagree.
pub fn decode_request(
    body: &[u8],
    content_type: Option<&str>,
    path_signal: Option<Signal>,
) -> Result<(ExportRequest, Encoding), DecodeError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::EmptyBody);
    }
    let encoding = detect_encoding(body, content_type)?;
    let request = match encoding {
        Encoding::Json => detect::decode_json_any(body, path_signal)?,
        Encoding::Protobuf => detect::decode_protobuf_any(body, path_signal)?,
    };
    Ok((request, encoding))
}
