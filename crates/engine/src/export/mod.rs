//! Export to Parquet and delete by range.

use crate::error::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl HasErrorCode for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            ExportError::InvalidRequest(_) => ErrorCode::BadRequest,
            ExportError::Store(error) => error.code(),
        }
    }
}
