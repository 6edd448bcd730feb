//! One mapping from every engine error to a small set of codes.
//!
//! REST answers and Tauri command errors carry the same `{code, message}` body; the HTTP status is
//! derived from the code in exactly one place (`ErrorCode::http_status`), so the two transports can
//! never disagree about what an error means.

use serde::Serialize;

/// What kind of failure an error is, independent of the module it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "types.gen.ts")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    Unsupported,
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// The HTTP status used for this code by the REST API and the OTLP/HTTP receiver.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::Unsupported => 415,
            ErrorCode::Unavailable => 503,
            ErrorCode::Internal => 500,
        }
    }
}

/// Implemented by every module error so the shells can turn it into `{code, message}`.
pub trait HasErrorCode: std::error::Error {
    fn code(&self) -> ErrorCode;
}

/// The error body both transports send.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The original AI Observer's clients read `error`; it repeats `message`.
    pub error: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        let message = message.into();
        ErrorBody { code, error: message.clone(), message }
    }

    pub fn from_error(error: &(impl HasErrorCode + ?Sized)) -> Self {
        ErrorBody::new(error.code(), error.to_string())
    }
}
