//! Operations of the import wizard: scan, start, follow and cancel an import.

use crate::engine::{Engine, EngineError};
use crate::importers::jobs::ImportJob;
use crate::importers::run::{ImportOptions, ImportPaths, ScanResponse, plan, summarize};
use crate::importers::{ImportError, parse_tools};
use crate::model::UsageSource;
use crate::query::spend::start_of_local_day;
use chrono::NaiveDate;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

/// A tool list as JSON array or comma-separated text (query strings).
fn tool_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrText {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Option::<ListOrText>::deserialize(deserializer)? {
        None => None,
        Some(ListOrText::List(items)) => Some(items),
        Some(ListOrText::Text(text)) => Some(text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_owned).collect()),
    })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportScanRequest {
    /// `claude-code`, `codex`, `gemini` (default: all).
    #[serde(default, deserialize_with = "tool_list")]
    #[ts(optional)]
    pub tools: Option<Vec<String>>,
    /// Folders to search instead of each tool's default locations.
    #[serde(default)]
    #[ts(optional)]
    pub paths: Option<ImportPaths>,
    #[serde(default)]
    #[ts(optional)]
    pub force: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportStartRequest {
    #[serde(default, deserialize_with = "tool_list")]
    #[ts(optional)]
    pub tools: Option<Vec<String>>,
    /// First day to import (`YYYY-MM-DD`, in the configured time zone).
    #[ts(optional)]
    pub from: Option<String>,
    /// Last day to import, inclusive.
    #[ts(optional)]
    pub to: Option<String>,
    /// Read every file again, even unchanged ones (rows are replaced, never doubled).
    #[serde(default)]
    #[ts(optional)]
    pub force: Option<bool>,
    #[serde(default)]
    #[ts(optional)]
    pub paths: Option<ImportPaths>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportStartResponse {
    pub job_id: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportJobRequest {
    pub job_id: String,
}

fn parse_day(text: &str, field: &str) -> Result<NaiveDate, ImportError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ImportError::InvalidRequest(format!("invalid date format for {field}: {text:?} (expected YYYY-MM-DD)")))
}

/// The window of whole local days `[from, to]` in Unix nanoseconds.
pub fn day_window(from: Option<&str>, to: Option<&str>, tz: Tz) -> Result<Option<(i64, i64)>, ImportError> {
    let from = from.map(str::trim).filter(|text| !text.is_empty()).map(|text| parse_day(text, "from")).transpose()?;
    let to = to.map(str::trim).filter(|text| !text.is_empty()).map(|text| parse_day(text, "to")).transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(ImportError::InvalidRequest("--from must not be after --to".to_owned()));
        }
    }
    if from.is_none() && to.is_none() {
        return Ok(None);
    }
    let start = from.map_or(i64::MIN, |day| start_of_local_day(day, tz).timestamp_nanos_opt().unwrap_or(i64::MIN));
    let end = to
        .and_then(|day| day.succ_opt())
        .map_or(i64::MAX, |next| start_of_local_day(next, tz).timestamp_nanos_opt().unwrap_or(i64::MAX) - 1);
    Ok(Some((start, end)))
}

fn options(
    tools: Option<&[String]>,
    paths: Option<&ImportPaths>,
    force: bool,
    window: Option<(i64, i64)>,
) -> Result<ImportOptions, ImportError> {
    Ok(ImportOptions {
        tools: parse_tools(tools.unwrap_or(&[]))?,
        environment: paths.cloned().unwrap_or_default().environment(),
        force,
        window,
        source: UsageSource::Import,
        remember_skipped: false,
    })
}

pub async fn import_scan(engine: Engine, request: ImportScanRequest) -> Result<ScanResponse, EngineError> {
    let options = options(request.tools.as_deref(), request.paths.as_ref(), request.force.unwrap_or(false), None)?;
    let plan = plan(&engine, &options).await?;
    Ok(summarize(&plan, &options))
}

pub async fn import_start(engine: Engine, request: ImportStartRequest) -> Result<ImportStartResponse, EngineError> {
    let tz = engine.time_zone().await;
    let window = day_window(request.from.as_deref(), request.to.as_deref(), tz)?;
    let options = options(request.tools.as_deref(), request.paths.as_ref(), request.force.unwrap_or(false), window)?;
    let job_id = engine.imports().start(&engine, options)?;
    Ok(ImportStartResponse { job_id })
}

pub async fn import_job(engine: Engine, request: ImportJobRequest) -> Result<ImportJob, EngineError> {
    Ok(engine.imports().get(&request.job_id)?)
}

pub async fn import_cancel(engine: Engine, request: ImportJobRequest) -> Result<ImportJob, EngineError> {
    Ok(engine.imports().cancel(&request.job_id)?)
}
