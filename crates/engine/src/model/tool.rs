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
    #[serde(rename = "qwen-code")]
    QwenCode,
    #[serde(rename = "opencode")]
    Opencode,
    #[serde(rename = "copilot")]
    Copilot,
    #[serde(rename = "goose")]
    Goose,
}

impl Tool {
    pub const ALL: [Tool; 7] = [Tool::ClaudeCode, Tool::Codex, Tool::Gemini, Tool::QwenCode, Tool::Opencode, Tool::Copilot, Tool::Goose];

    /// The key used in the API (`claude-code`, `codex`, `gemini`, `qwen-code`, `opencode`,
    /// `copilot`, `goose`).
    pub fn key(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::Codex => "codex",
            Tool::Gemini => "gemini",
            Tool::QwenCode => "qwen-code",
            Tool::Opencode => "opencode",
            Tool::Copilot => "copilot",
            Tool::Goose => "goose",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "Claude Code",
            Tool::Codex => "Codex CLI",
            Tool::Gemini => "Gemini CLI",
            Tool::QwenCode => "Qwen Code",
            Tool::Opencode => "opencode",
            Tool::Copilot => "Copilot CLI",
            Tool::Goose => "Goose",
        }
    }

    /// The service name the tool's own telemetry uses, and that imported rows carry.
    pub fn service_name(self) -> &'static str {
        match self {
            Tool::ClaudeCode => "claude-code",
            Tool::Codex => "codex_cli_rs",
            Tool::Gemini => "gemini-cli",
            Tool::QwenCode => "qwen-code",
            Tool::Opencode => "opencode",
            Tool::Copilot => "github-copilot",
            Tool::Goose => "goose",
        }
    }

    pub fn from_key(key: &str) -> Option<Tool> {
        match key.trim().to_ascii_lowercase().as_str() {
            "claude-code" | "claude_code" | "claude" => Some(Tool::ClaudeCode),
            "codex" | "codex-cli" | "codex_cli" => Some(Tool::Codex),
            "gemini" | "gemini-cli" | "gemini_cli" => Some(Tool::Gemini),
            "qwen-code" | "qwen_code" | "qwen" => Some(Tool::QwenCode),
            "opencode" => Some(Tool::Opencode),
            "copilot" | "copilot-cli" | "github-copilot" => Some(Tool::Copilot),
            "goose" => Some(Tool::Goose),
            _ => None,
        }
    }

    /// Whether the tool's own telemetry events carry its usage (Claude Code's `api_request`,
    /// Codex's `response.completed`, Gemini's `api_response`): those tools' GenAI-convention spans
    /// repeat the same requests and are not counted again. The other tools' usage comes from their
    /// per-call GenAI spans (`ingest::genai`).
    pub fn has_usage_events(self) -> bool {
        matches!(self, Tool::ClaudeCode | Tool::Codex | Tool::Gemini)
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
            Tool::QwenCode => &["qwen-code", "qwen_code"],
            Tool::Opencode => &["opencode"],
            Tool::Copilot => &["github-copilot", "copilot"],
            Tool::Goose => &["goose"],
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
        for (service, tool) in
            [("qwen-code", Tool::QwenCode), ("opencode", Tool::Opencode), ("github-copilot", Tool::Copilot), ("goose", Tool::Goose)]
        {
            assert_eq!(Tool::from_service_name(service), Some(tool), "{service}");
            assert_eq!(Tool::from_key(tool.key()), Some(tool));
        }
    }
}
