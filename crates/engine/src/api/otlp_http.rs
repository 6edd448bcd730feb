//! The OTLP/HTTP receiver (port 4318): `POST /v1/traces|metrics|logs`, `POST /`, and any path ending
//! in `/v1/<signal>` (Gemini CLI puts the endpoint's own path in front).
//!
//! Answers follow the OTLP specification: 200 with an empty `Export*ServiceResponse` in the request's
//! encoding (with `partial_success` when records were refused), 400 with a `google.rpc.Status` for
//! undecodable bodies, 413 over the body limit (also after decompression, so a gzip bomb is refused
//! without being inflated), 415 for other media types or encodings, 503 when the store cannot write.

use super::guard::Caller;
use super::http_error::error_response;
use crate::engine::Engine;
use crate::error::{ErrorCode, HasErrorCode};
use crate::ingest::{IngestError, IngestReport};
use crate::otlp::{DecodeError, Encoding, RpcStatus, Signal, decode_request, detect_encoding};
use axum::body::{Body, Bytes};
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use opentelemetry_proto::tonic::collector::logs::v1::{ExportLogsPartialSuccess, ExportLogsServiceResponse};
use opentelemetry_proto::tonic::collector::metrics::v1::{ExportMetricsPartialSuccess, ExportMetricsServiceResponse};
use opentelemetry_proto::tonic::collector::trace::v1::{ExportTracePartialSuccess, ExportTraceServiceResponse};
use prost::Message;
use std::io::Read;

#[derive(Clone)]
pub struct OtlpState {
    pub engine: Engine,
    pub max_body_bytes: usize,
}

/// Which signal a path names: `Some(None)` for `/`, `Some(Some(signal))` for `…/v1/<signal>`,
/// `None` for any other path.
fn path_signal(path: &str) -> Option<Option<Signal>> {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Some(None);
    }
    let mut segments = trimmed.rsplit('/');
    let signal = Signal::from_path(segments.next()?)?;
    (segments.next()? == "v1").then_some(Some(signal))
}

pub async fn receive(
    State(state): State<OtlpState>,
    caller: Option<Extension<Caller>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(hint) = path_signal(uri.path()) else {
        return error_response(ErrorCode::NotFound, format!("no OTLP endpoint at {}: use /v1/traces, /v1/metrics or /v1/logs", uri.path()));
    };
    if method != Method::POST {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "POST")], "OTLP endpoints accept POST only").into_response();
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let failure_encoding = content_type.as_deref().and_then(|value| detect_encoding(b"", Some(value)).ok()).unwrap_or(Encoding::Protobuf);
    let body = match read_body(body, &headers, state.max_body_bytes).await {
        Ok(body) => body,
        Err(error) => return decode_failure(&error, failure_encoding),
    };
    let (request, encoding) = match decode_request(&body, content_type.as_deref(), hint) {
        Ok(decoded) => decoded,
        Err(error) => {
            tracing::debug!(error = %error, path = uri.path(), "refused an undecodable OTLP request");
            return decode_failure(&error, failure_encoding);
        }
    };
    let signal = request.signal();
    let sender = match caller {
        Some(Extension(Caller::Machine(sender))) => Some(sender),
        _ => None,
    };
    let copy = state.engine.forwards().then(|| request.clone());
    match state.engine.ingestor().ingest_from(request, sender).await {
        Ok(report) => {
            if let Some(copy) = copy {
                state.engine.forward(copy);
            }
            success(signal, encoding, &report)
        }
        Err(error) => ingest_failure(&error, encoding),
    }
}

/// Reads the body (chunked or not) up to the limit and decompresses it, again up to the limit.
async fn read_body(body: Body, headers: &HeaderMap, limit: usize) -> Result<Bytes, DecodeError> {
    let raw = axum::body::to_bytes(body, limit).await.map_err(|_| DecodeError::TooLarge { limit })?;
    let encoding = headers.get(header::CONTENT_ENCODING).and_then(|value| value.to_str().ok()).unwrap_or("").trim().to_ascii_lowercase();
    match encoding.as_str() {
        "" | "identity" => Ok(raw),
        "gzip" | "x-gzip" => inflate(flate2::read::GzDecoder::new(&raw[..]), limit),
        "deflate" => inflate(flate2::read::ZlibDecoder::new(&raw[..]), limit),
        other => Err(DecodeError::UnsupportedContentEncoding(other.to_owned())),
    }
}

fn inflate(decoder: impl Read, limit: usize) -> Result<Bytes, DecodeError> {
    let mut output = Vec::new();
    decoder.take(limit as u64 + 1).read_to_end(&mut output).map_err(|error| DecodeError::Gzip(error.to_string()))?;
    if output.len() > limit {
        return Err(DecodeError::TooLarge { limit });
    }
    Ok(Bytes::from(output))
}

fn encoded(encoding: Encoding, status: StatusCode, protobuf: Vec<u8>, json: String) -> Response {
    let body = match encoding {
        Encoding::Protobuf => protobuf,
        Encoding::Json => json.into_bytes(),
    };
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(encoding.content_type()))], body).into_response()
}

fn status_body(encoding: Encoding, status: StatusCode, rpc_code: i32, message: String) -> Response {
    let rpc = RpcStatus { code: rpc_code, message };
    encoded(encoding, status, rpc.encode_to_vec(), rpc.to_json())
}

fn decode_failure(error: &DecodeError, encoding: Encoding) -> Response {
    let code = error.code();
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let rpc_code = match code {
        ErrorCode::PayloadTooLarge => RpcStatus::RESOURCE_EXHAUSTED,
        ErrorCode::Unsupported => RpcStatus::UNIMPLEMENTED,
        _ => RpcStatus::INVALID_ARGUMENT,
    };
    status_body(encoding, status, rpc_code, error.to_string())
}

fn ingest_failure(error: &IngestError, encoding: Encoding) -> Response {
    let code = error.code();
    let (status, rpc_code) = match code {
        ErrorCode::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, RpcStatus::UNAVAILABLE),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, RpcStatus::INTERNAL),
    };
    let mut response = status_body(encoding, status, rpc_code, error.to_string());
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

fn success(signal: Signal, encoding: Encoding, report: &IngestReport) -> Response {
    let rejected = report.rejected;
    let message = report.rejection_message.clone().unwrap_or_default();
    let json_partial = |field: &str| {
        if rejected > 0 {
            serde_json::json!({ "partialSuccess": { field: rejected.to_string(), "errorMessage": message } }).to_string()
        } else {
            "{}".to_owned()
        }
    };
    match signal {
        Signal::Traces => {
            let response = ExportTraceServiceResponse {
                partial_success: (rejected > 0)
                    .then(|| ExportTracePartialSuccess { rejected_spans: rejected, error_message: message.clone() }),
            };
            encoded(encoding, StatusCode::OK, response.encode_to_vec(), json_partial("rejectedSpans"))
        }
        Signal::Metrics => {
            let response = ExportMetricsServiceResponse {
                partial_success: (rejected > 0)
                    .then(|| ExportMetricsPartialSuccess { rejected_data_points: rejected, error_message: message.clone() }),
            };
            encoded(encoding, StatusCode::OK, response.encode_to_vec(), json_partial("rejectedDataPoints"))
        }
        Signal::Logs => {
            let response = ExportLogsServiceResponse {
                partial_success: (rejected > 0)
                    .then(|| ExportLogsPartialSuccess { rejected_log_records: rejected, error_message: message.clone() }),
            };
            encoded(encoding, StatusCode::OK, response.encode_to_vec(), json_partial("rejectedLogRecords"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_ending_in_a_v1_signal_are_otlp_endpoints() {
        assert_eq!(path_signal("/"), Some(None));
        assert_eq!(path_signal("/v1/logs"), Some(Some(Signal::Logs)));
        assert_eq!(path_signal("/otlp/v1/traces/"), Some(Some(Signal::Traces)));
        assert_eq!(path_signal("/v2/logs"), None);
        assert_eq!(path_signal("/api/traces"), None);
        assert_eq!(path_signal("/logs"), None);
    }
}
