//! The AI coding tools the engine knows, and how to recognise them from a service name.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// Recognises a tool from an OTLP `service.name`. Codex's service name is its originator
    /// (`codex_cli_rs`, `codex_exec`, `codex_vscode`, …), so prefixes are matched, not exact names.
    pub fn from_service_name(service_name: &str) -> Option<Tool> {
        let name = service_name.to_ascii_lowercase();
        if name.starts_with("claude-code") || name.starts_with("claude_code") {
            Some(Tool::ClaudeCode)
        } else if name.starts_with("codex") {
            Some(Tool::Codex)
        } else if name.starts_with("gemini") {
            Some(Tool::Gemini)
        } else {
            None
        }
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
