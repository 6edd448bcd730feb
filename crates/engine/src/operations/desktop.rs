//! The desktop app's own operations, declared here with the others (`for_each_operation!`, method
//! `DESKTOP`) so the UI's client and the parity tests see one table: their request and response
//! shapes live here, their implementations in the desktop shell (`src-tauri/src/commands/`), and
//! they have no REST route.

use crate::model::Tool;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `pick_folder`: the system folder dialog.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, export_to = "types.gen.ts")]
pub struct PickFolderRequest {
    #[ts(optional)]
    pub title: Option<String>,
    #[ts(optional)]
    pub start_at: Option<String>,
    /// `export`: the picked folder may receive exports (see `export::destination`).
    #[ts(optional)]
    pub purpose: Option<FolderPurpose>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum FolderPurpose {
    Sessions,
    Export,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct PickedFolder {
    /// Null when the user cancelled.
    pub path: Option<String>,
}

/// `tool_config_preview` / `tool_config_apply`: a tool's telemetry settings, or Claude Code's
/// status line, in the tool's own settings file.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ToolConfigRequest {
    pub tool: Tool,
    #[serde(default)]
    #[ts(optional)]
    pub log_prompts: Option<bool>,
    /// What to write: `telemetry` (the default) or `statusLine` (Claude Code only).
    #[serde(default)]
    #[ts(optional)]
    pub part: Option<ConfigPart>,
}

/// Which setting `tool_config_*` writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum ConfigPart {
    #[default]
    Telemetry,
    StatusLine,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum LineChange {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct DiffLine {
    pub change: LineChange,
    pub text: String,
}

/// A proposed change to one tool's settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ConfigPlan {
    pub tool: Tool,
    pub path: String,
    pub exists: bool,
    pub current_content: String,
    pub new_content: String,
    pub changed: bool,
    pub diff: Vec<DiffLine>,
    /// Things the user should know before agreeing, e.g. that comments will not be kept.
    pub notes: Vec<String>,
}

/// The outcome of writing a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct AppliedConfig {
    pub tool: Tool,
    pub path: String,
    pub changed: bool,
    /// Where the previous file was copied; null when there was no file or nothing changed.
    pub backup_path: Option<String>,
}

/// `launch_at_login_get` / `launch_at_login_set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct LaunchAtLogin {
    pub enabled: bool,
}

/// `receiving_set_paused`: request and answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct Receiving {
    pub paused: bool,
}

/// `team_dashboard_get` / `team_dashboard_open`: a team server's dashboard, opened in a window of
/// its own (`url` absent: the one opened last).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct TeamDashboard {
    /// `http(s)://host[:port]` of the team server's dashboard and API.
    #[serde(default)]
    pub url: Option<String>,
}

/// `updates_check`: what a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct UpdateCheck {
    pub current_version: String,
    /// The newer version offered, if any.
    pub available_version: Option<String>,
}
