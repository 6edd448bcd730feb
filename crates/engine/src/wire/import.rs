//! What an import reports: the scan of the session folders, progress while files are read, and
//! the result per tool with every problem met. Sent by the import operations and on the live
//! channel (`import_progress`).

use crate::model::TokenCounts;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    /// Every request of the import is stored and counted in the spend figures (a first import
    /// stores its usage before its transcripts), or the import ended.
    pub spend_ready: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum ImportJobState {
    Running,
    Done,
    Cancelled,
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportJob {
    pub id: String,
    pub state: ImportJobState,
    pub progress: ImportProgress,
    pub result: Option<ImportResult>,
    pub error: Option<String>,
    pub started_at: String,
}
