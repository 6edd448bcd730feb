//! The desktop shell's errors, and the one error shape its commands return.
//!
//! Every command fails with the engine's `{code, message, error}` body (`ErrorBody`), whether the
//! failure came from an engine operation or from the shell itself, so the UI switches on `code` the
//! same way over both transports.

use ai_observer_engine::EngineError;
use ai_observer_engine::error::{ErrorBody, ErrorCode, HasErrorCode};
use serde::Serialize;

/// Failures of the shell's own work: starting the engine, dialogs, files, the updater.
#[derive(Debug, thiserror::Error)]
pub enum DesktopError {
    #[error("the engine is not running: {0}")]
    EngineUnavailable(String),
    #[error("the OTLP receiver is not listening, so there is no address to configure")]
    ReceiverNotListening,
    #[error(transparent)]
    ToolConfig(#[from] crate::tool_config::ToolConfigError),
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("launch at login: {0}")]
    Autostart(String),
    #[error("update check failed: {0}")]
    Updater(String),
    #[error("the update's signature does not match AI Observer's key or version ({0})")]
    UpdateRefused(String),
    #[error("no home directory found")]
    NoHomeDirectory,
    #[error("{0}")]
    Internal(String),
}

impl HasErrorCode for DesktopError {
    fn code(&self) -> ErrorCode {
        match self {
            DesktopError::EngineUnavailable(_) | DesktopError::ReceiverNotListening | DesktopError::Updater(_) => ErrorCode::Unavailable,
            DesktopError::UpdateRefused(_) => ErrorCode::Unavailable,
            DesktopError::ToolConfig(error) => error.code(),
            DesktopError::InvalidRequest(_) => ErrorCode::BadRequest,
            DesktopError::Autostart(_) | DesktopError::NoHomeDirectory | DesktopError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// What a command returns on failure: serialises exactly like a REST error body.
#[derive(Debug, Clone)]
pub struct CommandError(pub ErrorBody);

impl Serialize for CommandError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl From<EngineError> for CommandError {
    fn from(error: EngineError) -> Self {
        CommandError(ErrorBody::from_error(&error))
    }
}

impl From<DesktopError> for CommandError {
    fn from(error: DesktopError) -> Self {
        CommandError(ErrorBody::from_error(&error))
    }
}
