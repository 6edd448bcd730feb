//! Plan limits: how much of a subscription's 5-hour or weekly window a tool has used, as the tool
//! itself last reported it (Codex in its rollout files, Claude Code in its status-line JSON).

use super::Tool;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A plan's usage window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub enum LimitWindow {
    /// The rolling 5-hour window.
    #[serde(rename = "5h")]
    FiveHours,
    /// The weekly window.
    #[serde(rename = "7d")]
    Week,
}

impl LimitWindow {
    pub fn key(self) -> &'static str {
        match self {
            LimitWindow::FiveHours => "5h",
            LimitWindow::Week => "7d",
        }
    }

    pub fn from_key(key: &str) -> Option<LimitWindow> {
        match key {
            "5h" => Some(LimitWindow::FiveHours),
            "7d" => Some(LimitWindow::Week),
            _ => None,
        }
    }

    /// The window a length in minutes names (Codex's `window_minutes`: 300 and 10080).
    pub fn from_minutes(minutes: i64) -> Option<LimitWindow> {
        match minutes {
            300 => Some(LimitWindow::FiveHours),
            10080 => Some(LimitWindow::Week),
            _ => None,
        }
    }
}

/// Where a limit state was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub enum LimitSource {
    /// Claude Code's status-line JSON, handed over by `ai-observer statusline`.
    #[serde(rename = "statusline")]
    Statusline,
    /// A tool's session file (Codex `token_count` events).
    #[serde(rename = "session-file")]
    SessionFile,
}

impl LimitSource {
    pub fn key(self) -> &'static str {
        match self {
            LimitSource::Statusline => "statusline",
            LimitSource::SessionFile => "session-file",
        }
    }

    pub fn from_key(key: &str) -> Option<LimitSource> {
        match key {
            "statusline" => Some(LimitSource::Statusline),
            "session-file" => Some(LimitSource::SessionFile),
            _ => None,
        }
    }
}

/// One observed state of one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLimit {
    pub tool: Tool,
    pub window: LimitWindow,
    /// 0–100 (a tool may report more than 100 once the limit is passed).
    pub used_percent: f64,
    /// Unix seconds, when the tool names it.
    pub resets_at: Option<i64>,
    /// When the tool reported it (Unix nanoseconds).
    pub observed_at: i64,
    pub source: LimitSource,
    pub plan_type: Option<String>,
}

impl PlanLimit {
    /// Whether `other` reports the same thing for the same window (use, reset, source), whenever
    /// it was observed.
    pub fn same_reading(&self, other: &PlanLimit) -> bool {
        self.tool == other.tool
            && self.window == other.window
            && self.source == other.source
            && (self.used_percent - other.used_percent).abs() < 1e-9
            && self.resets_at == other.resets_at
    }
}
