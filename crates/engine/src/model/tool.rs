//! The AI coding tools the engine knows, and how to recognise them from a service name.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A tool the engine knows, by its API key (`claude-code`, `codex`, `gemini`): the UI's `Tool` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub enum Tool {
    #[serde(rename = "claude-code")]
    ClaudeCode,
    #[serde(rename = "codex")]
    Codex,
    #[serde(rename = "gemini")]
    Gemini,
}

impl Tool {
    pub const ALL: [Tool; 3] = [Tool::ClaudeCode, Tool::Codex, Tool::Gemini];

    /// The key used in the API (`claude-code`, `codex`, `gemini`).
    pub fn key(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::Codex => "codex",
            Tool::Gemini => "gemini",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "Claude Code",
            Tool::Codex => "Codex CLI",
            Tool::Gemini => "Gemini CLI",
        }
    }

    /// The service name the tool's own telemetry uses, and that imported rows carry.
    pub fn service_name(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::Codex => "codex_cli_rs",
            Tool::Gemini => "gemini-cli",
        }
    }

    pub fn from_key(key: &str) -> Option<Tool> {
        match key.trim().to_ascii_lowercase().as_str() {
            "claude-code" | "claude_code" | "claude" => Some(Tool::ClaudeCode),
            "codex" | "codex-cli" | "codex_cli" => Some(Tool::Codex),
            "gemini" | "gemini-cli" | "gemini_cli" => Some(Tool::Gemini),
            _ => None,
        }
    }

    /// The lower-case `service.name` prefixes of the tool's telemetry and imported rows: the one
    /// definition of which rows belong to a tool (the store's `tool_of` SQL macro is built from it).
    /// Codex's service name is its originator (`codex_cli_rs`, `codex_exec`, `codex_vscode`, …), so
    /// prefixes are matched, not exact names.
    pub fn service_prefixes(self) -> &'static [&'static str] {
        match self {
            Tool::ClaudeCode => &["claude-code", "claude_code"],
            Tool::Codex => &["codex"],
            Tool::Gemini => &["gemini"],
        }
    }

    /// Recognises a tool from an OTLP `service.name`.
    pub fn from_service_name(service_name: &str) -> Option<Tool> {
        let name = service_name.to_ascii_lowercase();
        Tool::ALL.into_iter().find(|tool| tool.service_prefixes().iter().any(|prefix| name.starts_with(prefix)))
    }
}

#[cfg(test)]
mod tests {
    use super::Tool;

    #[test]
    fn service_names_of_every_codex_originator_map_to_codex() {
        for name in ["codex_cli_rs", "codex_exec", "codex_vscode", "codex-app-server", "codex_tui"] {
            assert_eq!(Tool::from_service_name(name), Some(Tool::Codex), "{name}");
        }
        assert_eq!(Tool::from_service_name("claude-code-desktop"), Some(Tool::ClaudeCode));
        assert_eq!(Tool::from_service_name("gemini-cli"), Some(Tool::Gemini));
        assert_eq!(Tool::from_service_name("my-service"), None);
    }
}
