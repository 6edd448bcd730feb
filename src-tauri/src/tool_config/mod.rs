//! Pointing the assistants at this app: writes the telemetry settings into the user's Claude Code
//! (`~/.claude/settings.json`, `env`), Codex (`~/.codex/config.toml`, `[otel]`), Gemini CLI
//! (`~/.gemini/settings.json`, `telemetry`) and Qwen Code (`~/.qwen/settings.json`, the same
//! `telemetry` object) files, and Claude Code's status line (`statusLine`, the only place it shows
//! its plan limits). opencode, Copilot CLI and Goose take their endpoint from environment
//! variables, which the Setup page shows instead.
//!
//! `plan` reads the file and computes the new text (a preview: old text, new text, line diff,
//! notes) without touching anything; `apply` recomputes the plan from the file as it is now, copies
//! the file to `<file>.bak-<timestamp>`, and replaces it atomically. Merging keeps every setting the
//! user had; each tool's rules are in its own file.

mod claude_code;
mod claude_status_line;
mod codex;
mod gemini;
mod json_file;
mod line_diff;
mod ordered_json;

use ai_observer_engine::error::{ErrorCode, HasErrorCode};
use ai_observer_engine::model::Tool;
pub use ai_observer_engine::operations::desktop::{AppliedConfig, ConfigPlan};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ToolConfigError {
    #[error("cannot read the existing settings: {0}")]
    Unreadable(String),
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    #[error("only Claude Code has a status-line setting")]
    NoStatusLine,
    #[error("{0} takes its telemetry endpoint from environment variables, not from a settings file")]
    NoSettingsFile(&'static str),
}

impl HasErrorCode for ToolConfigError {
    fn code(&self) -> ErrorCode {
        match self {
            ToolConfigError::Unreadable(_) => ErrorCode::Conflict,
            ToolConfigError::NoStatusLine | ToolConfigError::NoSettingsFile(_) => ErrorCode::BadRequest,
            ToolConfigError::Read { .. } | ToolConfigError::Write { .. } => ErrorCode::Internal,
        }
    }
}

/// Where the tools should send telemetry, and whether prompt text goes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelemetryTarget {
    /// `http://127.0.0.1:4318`, no trailing slash.
    pub otlp_base_url: String,
    pub log_prompts: bool,
}

/// What to write into a tool's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsChange {
    Telemetry(TelemetryTarget),
    /// Claude Code's status line, running this `ai-observer` program.
    StatusLine {
        program: String,
    },
}

/// The settings file of `tool` under `home`, for the tools that read their endpoint from one.
pub fn settings_path(tool: Tool, home: &Path) -> Result<PathBuf, ToolConfigError> {
    match tool {
        Tool::ClaudeCode => Ok(home.join(".claude").join("settings.json")),
        Tool::Codex => Ok(home.join(".codex").join("config.toml")),
        Tool::Gemini => Ok(home.join(".gemini").join("settings.json")),
        Tool::QwenCode => Ok(home.join(".qwen").join("settings.json")),
        Tool::Opencode | Tool::Copilot | Tool::Goose => Err(ToolConfigError::NoSettingsFile(tool.display_name())),
    }
}

fn read_existing(path: &Path) -> Result<Option<String>, ToolConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(ToolConfigError::Read { path: path.display().to_string(), message: error.to_string() }),
    }
}

/// Reads the tool's file under `home` and computes its new content; writes nothing.
pub fn plan(tool: Tool, home: &Path, change: &SettingsChange) -> Result<ConfigPlan, ToolConfigError> {
    let path = settings_path(tool, home)?;
    let existing = read_existing(&path)?;
    let mut notes = Vec::new();
    let new_content = match change {
        SettingsChange::Telemetry(target) => telemetry_content(tool, existing.as_deref(), target, &mut notes)?,
        SettingsChange::StatusLine { program } => {
            if tool != Tool::ClaudeCode {
                return Err(ToolConfigError::NoStatusLine);
            }
            let merged = claude_status_line::merge(existing.as_deref(), program)?;
            if let Some(chained) = &merged.chained {
                notes.push(format!("Your status line ({chained}) keeps running: AI Observer's part is added after its output."));
            }
            notes.push(
                "Claude Code shows plan limits only with a Claude subscription login (not with an API key), from its second answer on."
                    .to_owned(),
            );
            merged.content
        }
    };
    let current_content = existing.clone().unwrap_or_default();
    Ok(ConfigPlan {
        tool,
        path: path.display().to_string(),
        exists: existing.is_some(),
        changed: existing.as_deref() != Some(new_content.as_str()),
        diff: line_diff::diff_lines(&current_content, &new_content),
        current_content,
        new_content,
        notes,
    })
}

fn telemetry_content(
    tool: Tool,
    existing: Option<&str>,
    target: &TelemetryTarget,
    notes: &mut Vec<String>,
) -> Result<String, ToolConfigError> {
    let content = match tool {
        Tool::ClaudeCode => claude_code::merge(existing, target)?,
        // Qwen Code inherited Gemini CLI's `telemetry` settings object, keys and all.
        Tool::Gemini | Tool::QwenCode => gemini::merge(existing, target)?,
        Tool::Opencode | Tool::Copilot | Tool::Goose => return Err(ToolConfigError::NoSettingsFile(tool.display_name())),
        Tool::Codex => {
            let merged = codex::merge(existing, target)?;
            if merged.rewritten {
                notes.push("This file's [otel] settings are written in a form that cannot be edited in place: the file will be rewritten from its settings, so its comments and layout are not kept (the backup keeps them).".to_owned());
            }
            merged.content
        }
    };
    if target.log_prompts {
        notes.push("Prompt text will be sent to AI Observer too. It stays on this machine, but prompts may contain secrets.".to_owned());
    }
    Ok(content)
}

/// `<file>.bak-<UTC timestamp>`, with a counter when that name is taken.
fn backup_path(path: &Path, now: chrono::DateTime<chrono::Utc>) -> PathBuf {
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let first = path.with_file_name(format!("{name}.bak-{stamp}"));
    if !first.exists() {
        return first;
    }
    (1..).map(|counter| path.with_file_name(format!("{name}.bak-{stamp}-{counter}"))).find(|candidate| !candidate.exists()).unwrap_or(first)
}

/// Writes the tool's settings (recomputed from the file as it is now), after a backup.
pub fn apply(
    tool: Tool,
    home: &Path,
    change: &SettingsChange,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<AppliedConfig, ToolConfigError> {
    let plan = plan(tool, home, change)?;
    let path = PathBuf::from(&plan.path);
    let write_error = |error: std::io::Error| ToolConfigError::Write { path: path.display().to_string(), message: error.to_string() };
    if !plan.changed {
        return Ok(AppliedConfig { tool: plan.tool, path: plan.path, changed: false, backup_path: None });
    }
    let backup = if plan.exists {
        let backup = backup_path(&path, now);
        std::fs::copy(&path, &backup).map_err(write_error)?;
        Some(backup)
    } else {
        None
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    let temporary = path.with_file_name(format!(
        ".{}.ai-observer-{}",
        path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
        std::process::id()
    ));
    std::fs::write(&temporary, plan.new_content.as_bytes()).map_err(write_error)?;
    if let Some(backup) = &backup {
        // Keep the file's permissions (settings can hold tokens and be private to the user).
        if let Ok(metadata) = std::fs::metadata(backup) {
            let _ = std::fs::set_permissions(&temporary, metadata.permissions());
        }
    }
    std::fs::rename(&temporary, &path).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        write_error(error)
    })?;
    tracing::info!(tool = plan.tool.key(), backup = backup.is_some(), "wrote the tool's settings");
    Ok(AppliedConfig { tool: plan.tool, path: plan.path, changed: true, backup_path: backup.map(|backup| backup.display().to_string()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use line_diff::LineChange;

    fn target() -> SettingsChange {
        SettingsChange::Telemetry(TelemetryTarget { otlp_base_url: "http://127.0.0.1:4318".to_owned(), log_prompts: false })
    }

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339("2026-11-28T15:00:00Z").expect("time").with_timezone(&chrono::Utc)
    }

    #[test]
    fn preview_writes_nothing_and_apply_backs_up_then_writes() {
        let home = tempfile::tempdir().expect("home");
        let path = settings_path(Tool::ClaudeCode, home.path()).expect("a settings file");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, "{\"model\": \"opus\"}\n").expect("write");

        let preview = plan(Tool::ClaudeCode, home.path(), &target()).expect("plan");
        assert!(preview.exists && preview.changed);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "{\"model\": \"opus\"}\n", "a preview writes nothing");
        assert!(preview.diff.iter().any(|line| line.change == LineChange::Added && line.text.contains("OTEL_EXPORTER_OTLP_ENDPOINT")));

        let applied = apply(Tool::ClaudeCode, home.path(), &target(), now()).expect("apply");
        let backup = applied.backup_path.expect("backup");
        assert!(backup.ends_with("settings.json.bak-20261128T150000Z"), "{backup}");
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), "{\"model\": \"opus\"}\n");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), preview.new_content);

        let again = apply(Tool::ClaudeCode, home.path(), &target(), now()).expect("apply");
        assert!(!again.changed && again.backup_path.is_none(), "nothing to do the second time");
    }

    #[test]
    fn missing_folders_are_created_and_no_backup_is_made() {
        let home = tempfile::tempdir().expect("home");
        for tool in [Tool::ClaudeCode, Tool::Codex, Tool::Gemini, Tool::QwenCode] {
            let applied = apply(tool, home.path(), &target(), now()).expect("apply");
            assert!(applied.changed && applied.backup_path.is_none());
            assert!(settings_path(tool, home.path()).expect("a settings file").is_file());
        }
        for tool in [Tool::Opencode, Tool::Copilot, Tool::Goose] {
            assert!(matches!(apply(tool, home.path(), &target(), now()), Err(ToolConfigError::NoSettingsFile(_))));
        }
        let names: Vec<String> = std::fs::read_dir(home.path().join(".codex"))
            .expect("dir")
            .map(|entry| entry.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["config.toml".to_owned()], "no temporary file left behind");
    }

    #[test]
    fn a_second_backup_in_the_same_second_gets_its_own_name() {
        let home = tempfile::tempdir().expect("home");
        let path = settings_path(Tool::Gemini, home.path()).expect("a settings file");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(&path, "{}").expect("write");
        let first = apply(Tool::Gemini, home.path(), &target(), now()).expect("apply").backup_path.expect("backup");
        std::fs::write(&path, "{\"theme\":\"x\"}").expect("write");
        let second = apply(Tool::Gemini, home.path(), &target(), now()).expect("apply").backup_path.expect("backup");
        assert_ne!(first, second);
        assert!(second.ends_with("-1"));
    }
}
