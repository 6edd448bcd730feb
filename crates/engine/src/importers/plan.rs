//! Planning an import: which files each tool has, and how each compares with what the last import
//! stored (new, unchanged, grown, changed). A scan is a plan summarised per tool.

use super::ImportError;
use super::discovery::{DiscoveryEnvironment, SessionFile, discover};
use super::state::{self, FileState, FileStatus};
use crate::model::time::format_micros;
use crate::model::{Tool, UsageSource};
use crate::store::Store;
use crate::wire::import::{ClaudeRetention, FileProblem, ScanResponse, ScanToolResult};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// Folders to search instead of each tool's default locations.
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
    #[serde(default)]
    #[ts(optional)]
    pub qwen_code: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub opencode: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub copilot: Option<Vec<String>>,
    #[serde(default)]
    #[ts(optional)]
    pub goose: Option<Vec<String>>,
}

impl ImportPaths {
    /// The process environment with these folders replacing the defaults of their tools.
    pub fn environment(&self) -> DiscoveryEnvironment {
        let mut environment = DiscoveryEnvironment::from_process();
        for (tool, paths) in [
            (Tool::ClaudeCode, &self.claude_code),
            (Tool::Codex, &self.codex),
            (Tool::Gemini, &self.gemini),
            (Tool::QwenCode, &self.qwen_code),
            (Tool::Opencode, &self.opencode),
            (Tool::Copilot, &self.copilot),
            (Tool::Goose, &self.goose),
        ] {
            if let Some(paths) = paths.as_ref().filter(|paths| !paths.is_empty()) {
                environment.roots.insert(tool, paths.iter().map(PathBuf::from).collect());
            }
        }
        environment
    }
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
    /// watcher's "from now on" start), which an import with a first day must not do.
    pub remember_skipped: bool,
    /// Import as a bulk import (`run::import`) whatever the size; by default only an import of
    /// 32 MB or more is one.
    pub always_bulk: bool,
}

#[derive(Debug, Clone)]
pub struct PlannedFile {
    pub file: SessionFile,
    pub status: FileStatus,
    pub state: Option<FileState>,
}

impl PlannedFile {
    /// Whether this read continues from where the last one stopped.
    pub fn resumes(&self, force: bool) -> bool {
        self.status == FileStatus::Grown && !force
    }
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

fn task_failed(error: tokio::task::JoinError) -> ImportError {
    ImportError::Internal(format!("a file scan task failed: {error}"))
}

/// Finds the files and compares them with their stored state. The files are found while the
/// states are read (one statement for every tool).
pub async fn plan(store: &Store, options: &ImportOptions) -> Result<ImportPlan, ImportError> {
    let environment = options.environment.clone();
    let tools = options.tools.clone();
    let found = tokio::task::spawn_blocking(move || {
        let mut problems = Vec::new();
        let files: Vec<SessionFile> = tools.iter().flat_map(|tool| discover(*tool, &environment, &mut problems)).collect();
        (files, problems)
    });
    let states = store.read(state::load_all).await?;
    let (files, problems) = found.await.map_err(task_failed)?;
    let problems = problems.into_iter().map(|(path, message)| FileProblem { file: path.display().to_string(), line: None, message });
    let classified = tokio::task::spawn_blocking(move || {
        files
            .into_iter()
            .map(|file| {
                let state = states.get(file.tool.key()).and_then(|tool_states| tool_states.get(&file.path)).cloned();
                let status = state::classify(&file, state.as_ref());
                PlannedFile { file, status, state }
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(task_failed)?;
    Ok(ImportPlan { files: classified, problems: problems.collect() })
}

/// A per-tool summary of a plan, with Claude Code's retention setting.
pub fn summarize(plan: &ImportPlan, options: &ImportOptions) -> ScanResponse {
    let tools = options.tools.iter().map(|tool| summarize_tool(plan, options, *tool)).collect();
    let (days, is_default, path) = options.environment.claude_retention();
    ScanResponse {
        tools,
        claude_retention: ClaudeRetention { cleanup_period_days: days, is_default, settings_path: path.display().to_string() },
    }
}

fn summarize_tool(plan: &ImportPlan, options: &ImportOptions, tool: Tool) -> ScanToolResult {
    let files: Vec<&PlannedFile> = plan.files.iter().filter(|planned| planned.file.tool == tool).collect();
    let count = |status: FileStatus| files.iter().filter(|planned| planned.status == status).count() as u64;
    let first = files.iter().filter_map(|planned| planned.state.as_ref().and_then(|state| state.first_time)).min();
    let last = files.iter().filter_map(|planned| planned.state.as_ref().and_then(|state| state.last_time)).max();
    let bytes_to_read = plan.work(options.force).iter().filter(|(planned, _)| planned.file.tool == tool).map(|(_, bytes)| *bytes).sum();
    ScanToolResult {
        tool: tool.key().to_owned(),
        roots: options.environment.roots(tool).iter().map(|root| root.display().to_string()).collect(),
        files: files.len() as u64,
        bytes: files.iter().map(|planned| planned.file.size).sum(),
        new_files: count(FileStatus::New),
        changed_files: count(FileStatus::Changed) + count(FileStatus::Grown),
        imported_files: files.iter().filter(|planned| planned.state.is_some()).count() as u64,
        bytes_to_read,
        first_time: first.map(|nanos| format_micros(nanos / 1000)),
        last_time: last.map(|nanos| format_micros(nanos / 1000)),
    }
}
