//! Session-file importers: the history of every tool into the store.
//!
//! Each tool is a folder (`claude_code/`, `codex/`, `gemini_cli/`, `qwen_code/`, `copilot/`) or
//! file (`opencode.rs`, `goose.rs`: SQLite stores, read through `sqlite_store`) with `format.rs` (the file's
//! serde shapes) and a parser that turns lines into model rows; every importer is registered in
//! `ALL`. `discovery` finds files, `plan` compares them with what `state` remembers per file
//! (offset, size, mtime, prefix fingerprint, parser state) so a second run reads only new bytes,
//! `run` reads the planned files side by side (`read_file`, streaming with `line_reader`; their
//! rows committed together by `commit_queue`) while `tally` keeps progress and totals, `jobs` keeps the jobs the app started, and `watch` imports on
//! file-system events. Importers get an `ImportContext` (store, prices, live channel), never the
//! whole engine. Rows carry natural keys, so importing a file twice never adds a row twice.

pub mod claude_code;
pub mod codex;
mod commit_queue;
pub mod copilot;
pub mod discovery;
pub mod emit;
pub mod file_locks;
pub mod fuzzing;
pub mod gemini_cli;
pub mod goose;
pub mod jobs;
pub mod lenient_number;
pub mod line_reader;
pub mod opencode;
pub mod plan;
pub mod projects;
pub mod qwen_code;
mod read_file;
pub mod run;
mod spend_first;
mod sqlite_store;
pub mod state;
pub mod tally;
pub mod watch;

use crate::error::{ErrorCode, HasErrorCode};
use crate::model::{Tool, UsageSource};
use crate::pricing::PriceTable;
use crate::store::{Store, WriteBatch};
use crate::wire::live::LiveHub;
use discovery::SessionFile;
use std::sync::Arc;

/// What an import needs from the engine, and nothing more: where rows go, the price table to
/// price them with, and the live channel the watcher announces new rows on.
#[derive(Debug, Clone)]
pub struct ImportContext {
    pub store: Store,
    pub prices: Arc<PriceTable>,
    pub live: LiveHub,
    /// The files being read now, shared by every import of the engine (jobs, watcher, CLI).
    pub file_locks: Arc<file_locks::FileLocks>,
    /// Where the usage records an import stores are also sent (`forward`), when configured.
    pub forwarder: Option<Arc<crate::forward::Forwarder>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    InvalidRequest(String),
    #[error("import job {0} not found")]
    JobNotFound(String),
    #[error("an import is already running (job {0})")]
    AlreadyRunning(String),
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("the import failed inside: {0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

impl HasErrorCode for ImportError {
    fn code(&self) -> ErrorCode {
        match self {
            ImportError::InvalidRequest(_) | ImportError::Read { .. } => ErrorCode::BadRequest,
            ImportError::JobNotFound(_) => ErrorCode::NotFound,
            ImportError::AlreadyRunning(_) => ErrorCode::Conflict,
            ImportError::Internal(_) => ErrorCode::Internal,
            ImportError::Store(error) => error.code(),
        }
    }
}

/// What a parser needs besides the line: where the line comes from and how to price it.
pub struct ParseContext<'a> {
    pub file: &'a SessionFile,
    pub source: UsageSource,
    pub prices: &'a PriceTable,
    pub projects: &'a projects::ProjectResolver,
    /// Only records in this window are emitted (Unix nanoseconds, inclusive).
    pub window: Option<(i64, i64)>,
    /// Only usage records are wanted (`spend_first`): transcripts, events and counters are not
    /// built, and the parser may skip lines `SessionParser::may_carry_usage` rules out.
    pub usage_only: bool,
    /// A bulk import's full read: the token and cost counters of its usage records are not built
    /// here but derived from the stored records at the import's end (`store::import_counters`).
    pub counters_owed: bool,
}

impl ParseContext<'_> {
    pub fn in_window(&self, time: i64) -> bool {
        self.window.is_none_or(|(from, to)| time >= from && time <= to)
    }

    /// `import_source` attribute value of the rows this read builds.
    pub fn import_source(&self) -> &'static str {
        import_source_of(self.source)
    }
}

/// `import_source` attribute value: the original's names for imported and watched rows.
pub fn import_source_of(source: UsageSource) -> &'static str {
    match source {
        UsageSource::Watch => "file_watcher",
        _ => "local_jsonl",
    }
}

/// Rows produced so far, with the time range they cover.
#[derive(Debug, Default)]
pub struct Emitted {
    pub batch: WriteBatch,
    pub first_time: Option<i64>,
    pub last_time: Option<i64>,
    pub records: usize,
}

impl Emitted {
    pub fn saw_time(&mut self, time: i64) {
        self.first_time = Some(self.first_time.map_or(time, |first| first.min(time)));
        self.last_time = Some(self.last_time.map_or(time, |last| last.max(time)));
    }
}

/// Turns one file's lines into rows, keeping whatever it must remember between runs.
pub trait SessionParser: Send {
    /// One complete line (1-based `number`); an `Err` is reported with the file name and line
    /// number and the parser goes on with the next line.
    fn line(&mut self, context: &ParseContext<'_>, number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String>;
    /// Whether a line can matter to the usage records (carry usage, or state they depend on);
    /// only asked in a usage-only read, which hands in only the lines this keeps. A byte search,
    /// so it may keep lines it need not, never the other way round.
    fn may_carry_usage(&self, text: &[u8]) -> bool {
        let _ = text;
        true
    }
    /// The end of the data available now: emit anything held back.
    fn finish(&mut self, context: &ParseContext<'_>, out: &mut Emitted);
    /// State to resume from after the last line handed in.
    fn state(&self) -> serde_json::Value;
    /// For an importer whose files are databases: reads the whole store at `context.file.path`.
    fn database(&mut self, context: &ParseContext<'_>, out: &mut Emitted) -> Result<(), String> {
        let _ = (context, out);
        Err("not a database".to_owned())
    }
}

/// One tool's importer.
pub trait Importer: Sync {
    fn tool(&self) -> Tool;
    /// A parser for `file`, resuming from `state` when the file is read incrementally.
    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser>;
    /// Files that are one JSON document (not JSONL) are read whole and handed in as one "line".
    fn is_whole_file(&self, file: &SessionFile) -> bool {
        let _ = file;
        false
    }
    /// Files that are a database (opencode's and Goose's SQLite stores) are read by the parser
    /// itself (`SessionParser::database`), whole, each time they change: natural keys keep a
    /// re-read from adding anything twice.
    fn is_database(&self) -> bool {
        false
    }
}

/// Every importer, in the order imports run.
pub static ALL: &[&dyn Importer] = &[
    &claude_code::ClaudeCodeImporter,
    &codex::CodexImporter,
    &gemini_cli::GeminiImporter,
    &qwen_code::QwenImporter,
    &opencode::OpencodeImporter,
    &copilot::CopilotImporter,
    &goose::GooseImporter,
];

/// The importer of `tool`, if its history is kept in files we read (the match is exhaustive, so
/// a new tool has to say).
pub fn importer_for(tool: Tool) -> Option<&'static dyn Importer> {
    match tool {
        Tool::ClaudeCode => Some(&claude_code::ClaudeCodeImporter),
        Tool::Codex => Some(&codex::CodexImporter),
        Tool::Gemini => Some(&gemini_cli::GeminiImporter),
        Tool::QwenCode => Some(&qwen_code::QwenImporter),
        Tool::Opencode => Some(&opencode::OpencodeImporter),
        Tool::Copilot => Some(&copilot::CopilotImporter),
        Tool::Goose => Some(&goose::GooseImporter),
    }
}

/// The tools whose session files can be imported, in `Tool::ALL` order.
pub fn importable_tools() -> Vec<Tool> {
    Tool::ALL.into_iter().filter(|tool| importer_for(*tool).is_some()).collect()
}

/// Parses a tool list from the API or the CLI (`claude-code`, `codex`, `gemini`, `qwen-code`,
/// `copilot`, `all`).
pub fn parse_tools(names: &[String]) -> Result<Vec<Tool>, ImportError> {
    if names.is_empty() || names.iter().any(|name| name.trim() == "all") {
        return Ok(importable_tools());
    }
    let valid = || importable_tools().iter().map(|tool| tool.key()).collect::<Vec<_>>().join(", ");
    let mut tools = Vec::new();
    for name in names {
        let tool =
            Tool::from_key(name).ok_or_else(|| ImportError::InvalidRequest(format!("invalid tool: {name} (valid: {}, all)", valid())))?;
        if importer_for(tool).is_none() {
            return Err(ImportError::InvalidRequest(format!(
                "{} keeps no session files AI Observer reads yet; its usage arrives through its telemetry (valid: {}, all)",
                tool.display_name(),
                valid()
            )));
        }
        if !tools.contains(&tool) {
            tools.push(tool);
        }
    }
    Ok(tools)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_has_its_importer_listed_once() {
        for tool in importable_tools() {
            assert_eq!(importer_for(tool).map(|importer| importer.tool()), Some(tool));
            assert_eq!(ALL.iter().filter(|importer| importer.tool() == tool).count(), 1, "{}", tool.key());
        }
        assert_eq!(ALL.len(), importable_tools().len());
        assert_eq!(ALL.len(), Tool::ALL.len());
    }
}
