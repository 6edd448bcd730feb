//! Data out and away: Parquet exports (one file per table, or hive-partitioned by day, plus a
//! DuckDB file of views over them) and deletion by time range. Both run on the writer thread so
//! they see a consistent store and never race an import.

mod delete;
pub mod destination;
mod parquet;

pub use delete::{DeleteCounts, DeleteRequest, DeleteScope, delete, preview};
pub use parquet::{ExportRequest, ExportResult, export};

use crate::error::{ErrorCode, HasErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("output folder {0} is not empty; choose an empty folder or confirm overwriting")]
    NotEmpty(String),
    #[error("exports through the API are written inside the export folder {root}; {requested:?} is outside it (choose a folder inside it, change the export folder in Settings, or use `ai-observer export`)")]
    OutsideExportRoot { requested: String, root: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
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
            ExportError::Store(error) => error.code(),
        }
    }
}

/// Service filter for a tool argument: `claude-code`, `codex`, `gemini` or a service name;
/// `all` (or nothing) means every service. Codex matches all its originators.
pub fn service_condition(tool: Option<&str>) -> Result<Option<(String, String)>, ExportError> {
    let Some(tool) = tool.map(str::trim).filter(|tool| !tool.is_empty() && *tool != "all") else { return Ok(None) };
    if !tool.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')) {
        return Err(ExportError::InvalidRequest(format!("invalid tool or service {tool:?}")));
    }
    Ok(Some(match crate::model::Tool::from_key(tool) {
        Some(crate::model::Tool::Codex) => ("ServiceName LIKE ?".to_owned(), "codex%".to_owned()),
        Some(crate::model::Tool::Gemini) => ("ServiceName LIKE ?".to_owned(), "gemini%".to_owned()),
        Some(crate::model::Tool::ClaudeCode) => ("ServiceName LIKE ?".to_owned(), "claude-code%".to_owned()),
        None => ("ServiceName = ?".to_owned(), tool.to_owned()),
    }))
}

/// `YYYY-MM-DD` days (UTC) as a timestamp window: from the start of `from` to the end of `to`.
pub fn day_range(from: Option<&str>, to: Option<&str>) -> Result<(Option<i64>, Option<i64>), ExportError> {
    let parse = |text: &str, field: &str| {
        chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| ExportError::InvalidRequest(format!("invalid date format for {field}: {text:?} (expected YYYY-MM-DD)")))
    };
    let from = from.filter(|text| !text.trim().is_empty()).map(|text| parse(text, "from")).transpose()?;
    let to = to.filter(|text| !text.trim().is_empty()).map(|text| parse(text, "to")).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(ExportError::InvalidRequest("from must not be after to".to_owned()));
        }
    }
    let start = from.and_then(|day| day.and_hms_opt(0, 0, 0)).and_then(|time| time.and_utc().timestamp_nanos_opt());
    let end = to
        .and_then(|day| day.succ_opt())
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .and_then(|time| time.and_utc().timestamp_nanos_opt())
        .map(|nanos| nanos - 1);
    Ok((start, end))
}
