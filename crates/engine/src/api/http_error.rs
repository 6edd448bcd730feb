//! Errors as HTTP answers: the status comes from the error's code, the body is `{code, message}`.
//! Turning an error into a response never logs; the tracing layer logs 5xx once.

use crate::engine::EngineError;
use crate::error::{ErrorBody, ErrorCode, HasErrorCode};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub fn error_response(code: ErrorCode, message: impl Into<String>) -> Response {
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(ErrorBody::new(code, message))).into_response()
}

impl IntoResponse for EngineError {
    fn into_response(self) -> Response {
        error_response(self.code(), self.to_string())
    }
}
