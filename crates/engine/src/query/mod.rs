//! Typed reads: request structs in, response structs out, SQL in between. No HTTP here: the REST
//! routes and the Tauri commands both reach these functions through the operation table
//! (`operations`). Writes live with their concept (`dashboards`, `settings`, `retention`).
//!
//! Request and response types derive `ts_rs::TS`, which writes `ui/src/lib/api/types.gen.ts`.

pub mod blocks;
pub mod budget;
pub mod limits;
pub mod logs;
pub mod metrics;
pub mod price_check;
pub mod series;
pub mod sessions;
pub mod spend;
pub mod sql_console;
pub mod stats;
pub mod time_range;
pub mod traces;
pub mod transcript;

mod filters;
mod list_page;
pub mod tables;

use crate::error::{ErrorCode, HasErrorCode};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{0}")]
    InvalidParameter(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl QueryError {
    pub fn invalid(message: impl Into<String>) -> QueryError {
        QueryError::InvalidParameter(message.into())
    }
}

impl From<duckdb::Error> for QueryError {
    fn from(error: duckdb::Error) -> Self {
        QueryError::Store(StoreError::from(error))
    }
}

impl HasErrorCode for QueryError {
    fn code(&self) -> ErrorCode {
        match self {
            QueryError::InvalidParameter(_) => ErrorCode::BadRequest,
            QueryError::NotFound(_) => ErrorCode::NotFound,
            QueryError::Store(error) => error.code(),
        }
    }
}
