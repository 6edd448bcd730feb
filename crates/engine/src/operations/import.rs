//! Operations of the import wizard: scan, start, follow and cancel an import.

use crate::engine::{Engine, EngineError};
use crate::importers::jobs::StartedJob;
use crate::importers::plan::{ImportOptions, ImportPaths, ImportPlan, plan, summarize};
use crate::importers::run::import;
use crate::importers::tally::ProgressSink;
use crate::importers::watch::{WatchHandle, WatchOptions};
use crate::importers::{ImportError, parse_tools};
use crate::model::UsageSource;
use crate::model::time::DayWindow;
use crate::wire::import::{ImportJob, ImportProgress, ImportResult, ScanResponse};
use crate::wire::live::{LiveMessage, now_stamp};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize};
use std::sync::Arc;
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
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

/// The window of whole local days `[from, to]` in Unix nanoseconds.
fn day_window(from: Option<&str>, to: Option<&str>, tz: Tz) -> Result<Option<(i64, i64)>, ImportError> {
    let window = DayWindow::parse(from, to, tz).map_err(|error| ImportError::InvalidRequest(error.0))?;
    Ok(window.map(|window| window.nanos_inclusive()))
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
        always_bulk: false,
    })
}

pub async fn import_scan(engine: Engine, request: ImportScanRequest) -> Result<ScanResponse, EngineError> {
    let options = options(request.tools.as_deref(), request.paths.as_ref(), request.force.unwrap_or(false), None)?;
    let plan = plan(engine.store(), &options).await?;
    Ok(summarize(&plan, &options))
}

pub async fn import_start(engine: Engine, request: ImportStartRequest) -> Result<ImportStartResponse, EngineError> {
    let tz = engine.time_zone().await;
    let window = day_window(request.from.as_deref(), request.to.as_deref(), tz)?;
    let options = options(request.tools.as_deref(), request.paths.as_ref(), request.force.unwrap_or(false), window)?;
    let job = engine.imports().begin()?;
    let job_id = job.id.clone();
    tokio::spawn(run_job(engine, job, options));
    Ok(ImportStartResponse { job_id })
}

pub async fn import_job(engine: Engine, request: ImportJobRequest) -> Result<ImportJob, EngineError> {
    Ok(engine.imports().get(&request.job_id)?)
}

pub async fn import_cancel(engine: Engine, request: ImportJobRequest) -> Result<ImportJob, EngineError> {
    Ok(engine.imports().cancel(&request.job_id)?)
}

/// Runs a job the registry accepted, publishing its progress and its end on the live channel.
async fn run_job(engine: Engine, job: StartedJob, options: ImportOptions) {
    let context = engine.import_context();
    let progress_engine = engine.clone();
    let progress_id = job.id.clone();
    let sink: ProgressSink = Arc::new(move |progress: &ImportProgress| {
        if let Ok(job) = progress_engine.imports().progress(&progress_id, progress) {
            publish(&progress_engine, job);
        }
    });
    let outcome = match plan(&context.store, &options).await {
        Ok(plan) => import(&context, &plan, &options, Some(sink), Arc::clone(&job.cancel)).await,
        Err(error) => Err(error),
    };
    if let Ok(finished) = engine.imports().finish(&job.id, outcome) {
        tracing::info!(job = %finished.id, state = ?finished.state, records = finished.progress.records, "import finished");
        publish(&engine, finished);
    }
}

fn publish(engine: &Engine, job: ImportJob) {
    if engine.live().has_listeners() {
        engine.live().publish(LiveMessage::ImportProgress { timestamp: now_stamp(), payload: job });
    }
}

/// Starts watching the session folders (`serve --watch`): new session data is imported as written.
pub fn start_watching(engine: &Engine, options: WatchOptions) -> WatchHandle {
    crate::importers::watch::start(engine.import_context(), options)
}

/// For the command line: the plan of an import with the given options and its per-tool summary.
pub async fn plan_import(engine: &Engine, options: &ImportOptions) -> Result<(ImportPlan, ScanResponse), EngineError> {
    let plan = plan(engine.store(), options).await?;
    let scan = summarize(&plan, options);
    Ok((plan, scan))
}

/// For the command line: runs a planned import in this process, with its own progress display.
pub async fn run_planned_import(
    engine: &Engine,
    plan: &ImportPlan,
    options: &ImportOptions,
    sink: Option<ProgressSink>,
    cancel: Arc<std::sync::atomic::AtomicBool>,
) -> Result<ImportResult, EngineError> {
    Ok(import(&engine.import_context(), plan, options, sink, cancel).await?)
}

/// Whole local days `[from, to]` (`YYYY-MM-DD`, the engine's time zone) as an import window.
pub async fn import_window(engine: &Engine, from: Option<&str>, to: Option<&str>) -> Result<Option<(i64, i64)>, EngineError> {
    Ok(day_window(from, to, engine.time_zone().await)?)
}
