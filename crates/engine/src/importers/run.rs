//! Scanning and importing: find the files, compare them with their stored state, read what is new,
//! write the rows, remember how far each file was read.
//!
//! Parsing runs on blocking threads (files are read line by line, never whole), rows go to the
//! store's writer in chunks, and each file's state is saved only after its rows are committed, so
//! a crash mid-import is repaired by running the import again (rows have natural keys).

use super::discovery::{DiscoveryEnvironment, SessionFile, discover};
use super::line_reader::{LineEvent, LineReader, read_bounded};
use super::projects::ProjectResolver;
use super::state::{self, FileState, FileStatus};
use super::{Emitted, ImportError, ParseContext, importer_for};
use crate::engine::Engine;
use crate::model::{Tool, UsageSource};
use crate::query::spend::TokenCounts;
use crate::query::time_range::format_micros;
use crate::store::WriteBatch;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use ts_rs::TS;

/// Rows handed to the writer at once while a file is read.
const ROWS_PER_WRITE: usize = 20_000;
/// Largest whole-file (JSON) session accepted.
const MAX_WHOLE_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Most problems kept in a result.
const MAX_PROBLEMS: usize = 1000;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportPaths {
    #[serde(default)]
    #[ts(optional)]
    pub claude_code: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub codex: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub gemini: Option<Vec<String>>,
}

impl ImportPaths {
    /// The process environment with these folders replacing the defaults of their tools.
    pub fn environment(&self) -> DiscoveryEnvironment {
        let mut environment = DiscoveryEnvironment::from_process();
        for (tool, paths) in [(Tool::ClaudeCode, &self.claude_code), (Tool::Codex, &self.codex), (Tool::Gemini, &self.gemini)] {
            if let Some(paths) = paths.as_ref().filter(|paths| !paths.is_empty()) {
                environment.roots.insert(tool, paths.iter().map(PathBuf::from).collect());
            }
        }
        environment
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ScanToolResult {
    pub tool: String,
    pub roots: Vec<String>,
    #[ts(type = "number")]
    pub files: u64,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub new_files: u64,
    #[ts(type = "number")]
    pub changed_files: u64,
    #[ts(type = "number")]
    pub imported_files: u64,
    /// Bytes that an import would read (new files, appended or rewritten parts).
    #[ts(type = "number")]
    pub bytes_to_read: u64,
    pub first_time: Option<String>,
    pub last_time: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ClaudeRetention {
    pub cleanup_period_days: u32,
    /// True when Claude Code uses its default (30 days): older transcripts are being deleted.
    pub is_default: bool,
    pub settings_path: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ScanResponse {
    pub tools: Vec<ScanToolResult>,
    pub claude_retention: ClaudeRetention,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportProgress {
    #[ts(type = "number")]
    pub files_done: u64,
    #[ts(type = "number")]
    pub files_total: u64,
    #[ts(type = "number")]
    pub bytes_done: u64,
    #[ts(type = "number")]
    pub bytes_total: u64,
    #[ts(type = "number")]
    pub records: u64,
    pub current_file: Option<String>,
}

/// A line or file that could not be imported; the rest was.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct FileProblem {
    pub file: String,
    #[ts(type = "number | null")]
    pub line: Option<u64>,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportToolResult {
    pub tool: String,
    #[ts(type = "number")]
    pub files: u64,
    #[ts(type = "number")]
    pub records: u64,
    #[ts(type = "number")]
    pub requests: u64,
    pub tokens: TokenCounts,
    pub cost_usd: f64,
    #[ts(type = "number")]
    pub unpriced_requests: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportResult {
    pub tools: Vec<ImportToolResult>,
    pub errors: Vec<FileProblem>,
    pub cancelled: bool,
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub tools: Vec<Tool>,
    pub environment: DiscoveryEnvironment,
    /// Re-read files even when they look unchanged.
    pub force: bool,
    /// Only records in this window (Unix nanoseconds, inclusive); file state is then not saved.
    pub window: Option<(i64, i64)>,
    pub source: UsageSource,
    /// Save file state even with a window: records before the window are skipped for good (the
    /// watcher's "from now on" start), which an import with `--from` must not do.
    pub remember_skipped: bool,
}

#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub file: SessionFile,
    pub status: FileStatus,
    pub state: Option<FileState>,
}

#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub files: Vec<PlannedFile>,
    pub problems: Vec<FileProblem>,
}

impl ImportPlan {
    /// Files an import reads, with the bytes it will read from each.
    pub fn work(&self, force: bool) -> Vec<(&PlannedFile, u64)> {
        self.files
            .iter()
            .filter_map(|planned| match (planned.status, force) {
                (FileStatus::Unchanged, false) => None,
                (FileStatus::Grown, false) => {
                    Some((planned, planned.file.size.saturating_sub(planned.state.as_ref().map_or(0, |state| state.byte_offset))))
                }
                _ => Some((planned, planned.file.size)),
            })
            .collect()
    }
}

/// Finds the files and compares them with their stored state.
pub async fn plan(engine: &Engine, options: &ImportOptions) -> Result<ImportPlan, ImportError> {
    let mut plan = ImportPlan::default();
    for tool in &options.tools {
        let environment = options.environment.clone();
        let tool = *tool;
        let (files, problems) = tokio::task::spawn_blocking(move || {
            let mut problems = Vec::new();
            let files = discover(tool, &environment, &mut problems);
            (files, problems)
        })
        .await
        .map_err(|error| ImportError::InvalidRequest(error.to_string()))?;
        plan.problems.extend(problems.into_iter().map(|(path, message)| FileProblem {
            file: path.display().to_string(),
            line: None,
            message,
        }));
        let states = engine.store().read(move |connection| state::load(connection, tool.key())).await?;
        let classified = tokio::task::spawn_blocking(move || {
            files
                .into_iter()
                .map(|file| {
                    let state = states.get(&file.path).cloned();
                    let status = state::classify(&file, state.as_ref());
                    PlannedFile { file, status, state }
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|error| ImportError::InvalidRequest(error.to_string()))?;
        plan.files.extend(classified);
    }
    Ok(plan)
}

/// A per-tool summary of a plan, with Claude Code's retention setting.
pub fn summarize(plan: &ImportPlan, options: &ImportOptions) -> ScanResponse {
    let mut tools = Vec::new();
    for tool in &options.tools {
        let files: Vec<&PlannedFile> = plan.files.iter().filter(|planned| planned.file.tool == *tool).collect();
        let count = |status: FileStatus| files.iter().filter(|planned| planned.status == status).count() as u64;
        let first = files.iter().filter_map(|planned| planned.state.as_ref().and_then(|state| state.first_time)).min();
        let last = files.iter().filter_map(|planned| planned.state.as_ref().and_then(|state| state.last_time)).max();
        let bytes_to_read =
            plan.work(options.force).iter().filter(|(planned, _)| planned.file.tool == *tool).map(|(_, bytes)| *bytes).sum();
        tools.push(ScanToolResult {
            tool: tool.key().to_owned(),
            roots: options.environment.roots(*tool).iter().map(|root| root.display().to_string()).collect(),
            files: files.len() as u64,
            bytes: files.iter().map(|planned| planned.file.size).sum(),
            new_files: count(FileStatus::New),
            changed_files: count(FileStatus::Changed) + count(FileStatus::Grown),
            imported_files: files.iter().filter(|planned| planned.state.is_some()).count() as u64,
            bytes_to_read,
            first_time: first.map(|nanos| format_micros(nanos / 1000)),
            last_time: last.map(|nanos| format_micros(nanos / 1000)),
        });
    }
    let (days, is_default, path) = options.environment.claude_retention();
    ScanResponse {
        tools,
        claude_retention: ClaudeRetention { cleanup_period_days: days, is_default, settings_path: path.display().to_string() },
    }
}

/// Receives progress while an import runs (called at most every 100 ms, and at the end).
pub type ProgressSink = Arc<dyn Fn(&ImportProgress) + Send + Sync>;

struct Tally {
    progress: ImportProgress,
    tools: BTreeMap<Tool, ImportToolResult>,
    errors: Vec<FileProblem>,
    last_report: std::time::Instant,
}

impl Tally {
    fn problem(&mut self, file: &SessionFile, line: Option<u64>, message: String) {
        if self.errors.len() < MAX_PROBLEMS {
            self.errors.push(FileProblem { file: file.path.display().to_string(), line, message });
        }
    }

    /// Adds a batch to the totals; a request written twice while reading one file (a response
    /// repeated in the file) is counted once, as it is stored once.
    fn count(&mut self, tool: Tool, batch: &WriteBatch, records: usize, counted: &mut std::collections::HashSet<String>) {
        let entry =
            self.tools.entry(tool).or_insert_with(|| ImportToolResult { tool: tool.key().to_owned(), ..ImportToolResult::default() });
        entry.records += records as u64;
        self.progress.records += records as u64;
        for usage in batch.usage.iter().filter(|usage| counted.insert(usage.record_key.clone())) {
            entry.requests += 1;
            entry.tokens.input += usage.input_tokens;
            entry.tokens.cache_read += usage.cache_read_tokens;
            entry.tokens.cache_creation += usage.cache_write_tokens();
            entry.tokens.output += usage.output_tokens;
            entry.tokens.reasoning += usage.reasoning_tokens;
            match usage.reported_cost_usd.or(usage.computed_cost_usd) {
                Some(cost) => entry.cost_usd += cost,
                None => entry.unpriced_requests += 1,
            }
        }
    }
}

/// Imports the plan's files. Returns what was imported and every problem met.
pub async fn import(
    engine: &Engine,
    plan: &ImportPlan,
    options: &ImportOptions,
    sink: Option<ProgressSink>,
    cancel: Arc<AtomicBool>,
) -> Result<ImportResult, ImportError> {
    let work: Vec<(PlannedFile, u64)> = plan.work(options.force).into_iter().map(|(planned, bytes)| (planned.clone(), bytes)).collect();
    let tally = Arc::new(std::sync::Mutex::new(Tally {
        progress: ImportProgress {
            files_total: work.len() as u64,
            bytes_total: work.iter().map(|(_, bytes)| bytes).sum(),
            ..ImportProgress::default()
        },
        tools: options
            .tools
            .iter()
            .map(|tool| (*tool, ImportToolResult { tool: tool.key().to_owned(), ..ImportToolResult::default() }))
            .collect(),
        errors: plan.problems.clone(),
        last_report: std::time::Instant::now(),
    }));
    let projects = Arc::new(ProjectResolver::default());
    let runtime = tokio::runtime::Handle::current();
    for (planned, _) in work {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        let engine = engine.clone();
        let options = options.clone();
        let tally = Arc::clone(&tally);
        let sink = sink.clone();
        let cancel = Arc::clone(&cancel);
        let projects = Arc::clone(&projects);
        let runtime = runtime.clone();
        tokio::task::spawn_blocking(move || import_file(&runtime, &engine, &planned, &options, &projects, &tally, sink.as_ref(), &cancel))
            .await
            .map_err(|error| ImportError::InvalidRequest(format!("import task failed: {error}")))?;
    }
    let tally = tally.lock().map_err(|_| ImportError::InvalidRequest("import state poisoned".to_owned()))?;
    if let Some(sink) = &sink {
        sink(&tally.progress);
    }
    Ok(ImportResult {
        tools: tally.tools.values().cloned().collect(),
        errors: tally.errors.clone(),
        cancelled: cancel.load(Ordering::SeqCst),
    })
}

#[allow(clippy::too_many_arguments)]
fn import_file(
    runtime: &tokio::runtime::Handle,
    engine: &Engine,
    planned: &PlannedFile,
    options: &ImportOptions,
    projects: &ProjectResolver,
    tally: &std::sync::Mutex<Tally>,
    sink: Option<&ProgressSink>,
    cancel: &AtomicBool,
) {
    let file = &planned.file;
    let importer = importer_for(file.tool);
    let resume = planned.status == FileStatus::Grown && !options.force;
    let (offset, first_line, saved) = match (&planned.state, resume) {
        (Some(state), true) => (state.byte_offset, state.lines_read + 1, state.parser_state.clone()),
        _ => (0, 1, None),
    };
    let prices = engine.prices();
    let context = ParseContext { file, source: options.source, prices: &prices, projects, window: options.window };
    let mut parser = importer.parser(file, saved);
    let mut emitted = Emitted::default();
    let mut file_records = 0usize;
    let mut bytes_reported = 0u64;
    let counted = std::sync::Mutex::new(std::collections::HashSet::new());
    let write = |emitted: &mut Emitted, tally: &std::sync::Mutex<Tally>| -> Result<usize, String> {
        let batch = std::mem::take(&mut emitted.batch);
        let records = std::mem::take(&mut emitted.records);
        if batch.is_empty() {
            return Ok(0);
        }
        if let (Ok(mut tally), Ok(mut counted)) = (tally.lock(), counted.lock()) {
            tally.count(file.tool, &batch, records, &mut counted);
        }
        // The watcher announces new rows like OTLP ingest does; an import does not flood clients.
        let announcements = if options.source == UsageSource::Watch && engine.live().has_listeners() {
            crate::ingest::live_messages(&batch)
        } else {
            Vec::new()
        };
        runtime.block_on(engine.store().write_waiting(batch)).map_err(|error| error.to_string())?;
        for message in announcements {
            engine.live().publish(message);
        }
        Ok(records)
    };
    let report = |bytes: u64, done: bool, tally: &std::sync::Mutex<Tally>| {
        if let Ok(mut tally) = tally.lock() {
            tally.progress.bytes_done += bytes;
            tally.progress.current_file = Some(file.path.display().to_string());
            if done {
                tally.progress.files_done += 1;
                if let Some(entry) = tally.tools.get_mut(&file.tool) {
                    entry.files += 1;
                }
            }
            if let Some(sink) = sink {
                if done || tally.last_report.elapsed() >= std::time::Duration::from_millis(100) {
                    tally.last_report = std::time::Instant::now();
                    sink(&tally.progress);
                }
            }
        }
    };

    let outcome: Result<(u64, u64, bool), String> = (|| {
        let mut handle = std::fs::File::open(&file.path).map_err(|error| format!("cannot open: {error}"))?;
        if importer.is_whole_file(file) {
            let bytes = read_bounded(&mut handle, MAX_WHOLE_FILE_BYTES).map_err(|error| format!("cannot read: {error}"))?;
            if let Err(message) = parser.line(&context, 1, &bytes, &mut emitted) {
                if let Ok(mut tally) = tally.lock() {
                    tally.problem(file, None, message);
                }
            }
            return Ok((bytes.len() as u64, 1, false));
        }
        let mut reader = LineReader::open(handle, offset, first_line).map_err(|error| format!("cannot read: {error}"))?;
        let mut lines_read = first_line - 1;
        let mut interrupted = false;
        while let Some(event) = reader.next_event().map_err(|error| format!("read failed: {error}"))? {
            match event {
                LineEvent::Line { number, text, .. } => {
                    lines_read = number;
                    if text.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    if let Err(message) = parser.line(&context, number, &text, &mut emitted) {
                        if let Ok(mut tally) = tally.lock() {
                            tally.problem(file, Some(number), message);
                        }
                    }
                }
                LineEvent::TooLong { number, length, .. } => {
                    lines_read = number;
                    if let Ok(mut tally) = tally.lock() {
                        tally.problem(
                            file,
                            Some(number),
                            format!("line of {length} bytes is longer than the {} byte limit; skipped", super::line_reader::MAX_LINE_BYTES),
                        );
                    }
                }
                LineEvent::Partial { number, text, .. } => {
                    // A last line without a newline: complete JSON is taken, anything else is left
                    // for the next run (the tool may still be writing it).
                    if serde_json::from_slice::<serde::de::IgnoredAny>(&text).is_ok() {
                        lines_read = number;
                        if let Err(message) = parser.line(&context, number, &text, &mut emitted) {
                            if let Ok(mut tally) = tally.lock() {
                                tally.problem(file, Some(number), message);
                            }
                        }
                        return Ok((reader.offset() + text.len() as u64, lines_read, interrupted));
                    }
                    if options.source == UsageSource::Import {
                        if let Ok(mut tally) = tally.lock() {
                            tally.problem(
                                file,
                                Some(number),
                                "incomplete last line (truncated, or still being written); it is read again next time".to_owned(),
                            );
                        }
                    }
                }
            }
            if emitted.batch.row_count() >= ROWS_PER_WRITE {
                file_records += write(&mut emitted, tally)?;
            }
            let position = reader.offset();
            if position - offset - bytes_reported > 1024 * 1024 {
                report(position - offset - bytes_reported, false, tally);
                bytes_reported = position - offset;
            }
            if cancel.load(Ordering::SeqCst) {
                interrupted = true;
                break;
            }
        }
        Ok((reader.offset(), lines_read, interrupted))
    })();

    match outcome {
        Ok((end_offset, lines_read, interrupted)) => {
            parser.finish(&context, &mut emitted);
            let first_time = emitted.first_time;
            let last_time = emitted.last_time;
            match write(&mut emitted, tally) {
                Ok(records) => file_records += records,
                Err(message) => {
                    if let Ok(mut tally) = tally.lock() {
                        tally.problem(file, None, format!("rows could not be stored: {message}"));
                    }
                    report(0, true, tally);
                    return;
                }
            }
            // The state is saved only for a complete, unfiltered read: a filtered or cancelled
            // import must not hide the rest of the file from the next one.
            if !interrupted && (options.window.is_none() || options.remember_skipped) {
                let fingerprint = state::fingerprint_for_size(&file.path, file.size).unwrap_or_default();
                let previous = planned.state.as_ref().filter(|_| resume);
                let file_state = FileState {
                    fingerprint,
                    byte_offset: end_offset,
                    lines_read,
                    parser_state: Some(parser.state()),
                    size: file.size,
                    modified_ms: file.modified_ms,
                    records: previous.map_or(0, |state| state.records) + file_records as i64,
                    first_time: min_option(previous.and_then(|state| state.first_time), first_time),
                    last_time: max_option(previous.and_then(|state| state.last_time), last_time),
                };
                let source = file.tool.key();
                let path = file.path.clone();
                let saved =
                    runtime.block_on(engine.store().with_writer(move |connection| state::save(connection, source, &path, &file_state)));
                if let Err(error) = saved {
                    if let Ok(mut tally) = tally.lock() {
                        tally.problem(file, None, format!("progress could not be saved: {error}"));
                    }
                }
            }
            let remaining = end_offset.saturating_sub(offset).saturating_sub(bytes_reported);
            report(remaining, true, tally);
        }
        Err(message) => {
            if let Ok(mut tally) = tally.lock() {
                tally.problem(file, None, message);
            }
            report(0, true, tally);
        }
    }
}

fn min_option(left: Option<i64>, right: Option<i64>) -> Option<i64> {
    match (left, right) {
        (Some(left), Some(right)) => Some(left.min(right)),
        (left, right) => left.or(right),
    }
}

fn max_option(left: Option<i64>, right: Option<i64>) -> Option<i64> {
    match (left, right) {
        (Some(left), Some(right)) => Some(left.max(right)),
        (left, right) => left.or(right),
    }
}

/// Per-file states of a tool, for tests and diagnostics.
pub async fn stored_states(engine: &Engine, tool: Tool) -> Result<HashMap<PathBuf, FileState>, ImportError> {
    Ok(engine.store().read(move |connection| state::load(connection, tool.key())).await?)
}
