//! Data out: Parquet exports (one file per table, or hive-partitioned by day, plus a DuckDB file
//! of views over them), read from one consistent snapshot while ingest goes on, and where an export
//! asked for through the API may write (`destination`); the same Parquet to S3-compatible object
//! storage, incrementally by day (`object_storage`).

pub mod destination;
pub mod object_storage;
mod parquet;

pub use parquet::{ExportRequest, ExportResult, export};

use crate::error::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("output folder {0} is not empty; choose an empty folder or confirm overwriting")]
    NotEmpty(String),
    #[error(
        "exports through the API are written inside the export folder {root}; {requested:?} is outside it (choose a folder inside it, or change the export folder in Settings)"
    )]
    OutsideExportRoot { requested: String, root: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error("the export task failed: {0}")]
    TaskFailed(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl HasErrorCode for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            ExportError::InvalidRequest(_) => ErrorCode::BadRequest,
            ExportError::NotEmpty(_) => ErrorCode::Conflict,
            ExportError::OutsideExportRoot { .. } => ErrorCode::Forbidden,
            ExportError::Write { .. } => ErrorCode::BadRequest,
            ExportError::TaskFailed(_) => ErrorCode::Internal,
            ExportError::Store(error) => error.code(),
        }
    }
}
