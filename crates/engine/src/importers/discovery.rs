//! Where each CLI keeps its session files, per OS, with the `AI_OBSERVER_*_PATH` overrides.
//!
//! - Claude Code: `$CLAUDE_CONFIG_DIR/projects`, `~/.config/claude/projects`, `~/.claude/projects`
//!   (every `*.jsonl` below, sub-agent files in `<session>/subagents/` included).
//! - Codex CLI: `$CODEX_HOME/sessions` and `archived_sessions` (default `~/.codex`).
//! - Gemini CLI: `~/.gemini/tmp/<project>/chats/session-*.json|jsonl`, sub-agent chats in
//!   `chats/<parent>/`, and the legacy `logs.json`.
//! - Qwen Code: `$QWEN_HOME` (default `~/.qwen`), `projects/<project>/chats/<session>.jsonl` and
//!   the older `tmp/<project>/chats/`.
//! - Copilot CLI: `$COPILOT_HOME` (default `~/.copilot`), `session-state/<session>/events.jsonl`.
//! - opencode: `opencode*.db` in `$XDG_DATA_HOME/opencode` (default `~/.local/share/opencode`),
//!   or beside `$OPENCODE_DB`.
//! - Goose: `sessions.db` in `$GOOSE_PATH_ROOT/data/sessions`, `~/.local/share/goose/sessions`,
//!   `%APPDATA%\Block\goose\data\sessions`.

use crate::model::Tool;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What discovery reads from the environment; tests and the API supply their own.
#[derive(Debug, Clone, Default)]
pub struct DiscoveryEnvironment {
    pub home: Option<PathBuf>,
    pub variables: BTreeMap<String, String>,
    /// Explicit roots per tool (from the API or the CLI); replace the defaults when present.
    pub roots: BTreeMap<Tool, Vec<PathBuf>>,
}

impl DiscoveryEnvironment {
    /// The real environment of this process.
    pub fn from_process() -> DiscoveryEnvironment {
        let names = [
            "AI_OBSERVER_CLAUDE_PATH",
            "AI_OBSERVER_CODEX_PATH",
            "AI_OBSERVER_GEMINI_PATH",
            "AI_OBSERVER_QWEN_PATH",
            "AI_OBSERVER_COPILOT_PATH",
            "CLAUDE_CONFIG_DIR",
            "CODEX_HOME",
            "GEMINI_HOME",
            "GEMINI_DATA_DIR",
            "QWEN_HOME",
            "COPILOT_HOME",
            "AI_OBSERVER_OPENCODE_PATH",
            "AI_OBSERVER_GOOSE_PATH",
            "OPENCODE_DB",
            "XDG_DATA_HOME",
            "GOOSE_PATH_ROOT",
            "APPDATA",
        ];
        DiscoveryEnvironment {
            home: dirs::home_dir(),
            variables: names.iter().filter_map(|name| std::env::var(name).ok().map(|value| ((*name).to_owned(), value))).collect(),
            roots: BTreeMap::new(),
        }
    }

    /// An environment whose home directory is `home` and nothing else is set.
    pub fn with_home(home: &Path) -> DiscoveryEnvironment {
        DiscoveryEnvironment { home: Some(home.to_owned()), variables: BTreeMap::new(), roots: BTreeMap::new() }
    }

    fn variable(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(|value| value.trim()).filter(|value| !value.is_empty())
    }

    fn home_join(&self, relative: &str) -> Option<PathBuf> {
        self.home.as_ref().map(|home| home.join(relative))
    }

    /// The folders searched for a tool, existing or not, most specific first.
    pub fn roots(&self, tool: Tool) -> Vec<PathBuf> {
        if let Some(roots) = self.roots.get(&tool) {
            return roots.clone();
        }
        let override_name = match tool {
            Tool::ClaudeCode => "AI_OBSERVER_CLAUDE_PATH",
            Tool::Codex => "AI_OBSERVER_CODEX_PATH",
            Tool::Gemini => "AI_OBSERVER_GEMINI_PATH",
            Tool::QwenCode => "AI_OBSERVER_QWEN_PATH",
            Tool::Copilot => "AI_OBSERVER_COPILOT_PATH",
            Tool::Opencode => "AI_OBSERVER_OPENCODE_PATH",
            Tool::Goose => "AI_OBSERVER_GOOSE_PATH",
        };
        if let Some(paths) = self.variable(override_name) {
            return comma_paths(paths);
        }
        let mut roots = Vec::new();
        match tool {
            Tool::ClaudeCode => {
                if let Some(dirs) = self.variable("CLAUDE_CONFIG_DIR") {
                    roots.extend(comma_paths(dirs).into_iter().map(|dir| dir.join("projects")));
                }
                roots.extend(self.home_join(".config/claude/projects"));
                roots.extend(self.home_join(".claude/projects"));
            }
            Tool::Codex => {
                let codex_home = self.variable("CODEX_HOME").map(PathBuf::from).or_else(|| self.home_join(".codex"));
                if let Some(codex_home) = codex_home {
                    roots.push(codex_home.join("sessions"));
                    roots.push(codex_home.join("archived_sessions"));
                }
            }
            Tool::Gemini => {
                if let Some(dirs) = self.variable("GEMINI_DATA_DIR") {
                    roots.extend(comma_paths(dirs));
                } else if let Some(home) = self.variable("GEMINI_HOME") {
                    roots.push(PathBuf::from(home).join("tmp"));
                }
                roots.extend(self.home_join(".gemini/tmp"));
            }
            Tool::QwenCode => {
                let qwen_home = self.variable("QWEN_HOME").map(PathBuf::from).or_else(|| self.home_join(".qwen"));
                if let Some(qwen_home) = qwen_home {
                    roots.push(qwen_home.join("projects"));
                    roots.push(qwen_home.join("tmp"));
                }
            }
            Tool::Copilot => {
                let copilot_home = self.variable("COPILOT_HOME").map(PathBuf::from).or_else(|| self.home_join(".copilot"));
                roots.extend(copilot_home.map(|home| home.join("session-state")));
            }
            Tool::Opencode => {
                if let Some(database) = self.variable("OPENCODE_DB") {
                    roots.extend(PathBuf::from(database).parent().map(Path::to_path_buf));
                }
                let data_home = self.variable("XDG_DATA_HOME").map(PathBuf::from).or_else(|| self.home_join(".local/share"));
                roots.extend(data_home.map(|data| data.join("opencode")));
            }
            Tool::Goose => {
                if let Some(root) = self.variable("GOOSE_PATH_ROOT") {
                    roots.push(PathBuf::from(root).join("data").join("sessions"));
                }
                let data_home = self.variable("XDG_DATA_HOME").map(PathBuf::from).or_else(|| self.home_join(".local/share"));
                roots.extend(data_home.map(|data| data.join("goose").join("sessions")));
                if let Some(app_data) = self.variable("APPDATA") {
                    roots.push(PathBuf::from(app_data).join("Block").join("goose").join("data").join("sessions"));
                }
            }
        }
        let mut seen = BTreeSet::new();
        roots.retain(|root| seen.insert(root.clone()));
        roots
    }

    /// Claude Code's transcript retention (`cleanupPeriodDays` in its settings; 30 by default).
    pub fn claude_retention(&self) -> (u32, bool, PathBuf) {
        let config_dir = self
            .variable("CLAUDE_CONFIG_DIR")
            .and_then(|dirs| comma_paths(dirs).into_iter().next())
            .or_else(|| self.home_join(".claude"))
            .unwrap_or_else(|| PathBuf::from(".claude"));
        let settings_path = config_dir.join("settings.json");
        let configured = std::fs::read_to_string(&settings_path)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|settings| settings.get("cleanupPeriodDays").and_then(serde_json::Value::as_u64));
        match configured {
            Some(days) => (u32::try_from(days).unwrap_or(u32::MAX), false, settings_path),
            None => (30, true, settings_path),
        }
    }
}

fn comma_paths(value: &str) -> Vec<PathBuf> {
    value.split(',').map(str::trim).filter(|part| !part.is_empty()).map(PathBuf::from).collect()
}

/// One session file found on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SessionFile {
    pub tool: Tool,
    pub path: PathBuf,
    pub size: u64,
    pub modified_ms: i64,
}

impl SessionFile {
    /// The file's size and modification time now; `None` when it cannot be read. A SQLite store's
    /// write-ahead log (`<file>-wal`) counts as part of it: the tools write there first.
    pub fn stat(tool: Tool, path: PathBuf) -> Option<SessionFile> {
        let (mut size, mut modified_ms) = size_and_mtime(&path)?;
        if is_database_file(tool, &path) {
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            if let Some((wal_size, wal_modified)) = size_and_mtime(Path::new(&wal)) {
                size += wal_size;
                modified_ms = modified_ms.max(wal_modified);
            }
        }
        Some(SessionFile { tool, path, size, modified_ms })
    }
}

fn size_and_mtime(path: &Path) -> Option<(u64, i64)> {
    let metadata = std::fs::metadata(path).ok()?;
    let modified_ms = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |duration| duration.as_millis() as i64);
    Some((metadata.len(), modified_ms))
}

/// Tools whose store is a file at the top of their folder (no sub-folders are searched).
fn stores_at_top(tool: Tool) -> bool {
    matches!(tool, Tool::Opencode | Tool::Goose)
}

/// opencode's `opencode.db` (`opencode-<channel>.db` off the release channel) and Goose's
/// `sessions.db`.
fn is_database_file(tool: Tool, path: &Path) -> bool {
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    match tool {
        Tool::Opencode => name.starts_with("opencode") && name.ends_with(".db"),
        Tool::Goose => name == "sessions.db",
        _ => false,
    }
}

fn is_session_file(tool: Tool, path: &Path) -> bool {
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    match tool {
        Tool::ClaudeCode | Tool::Codex => name.ends_with(".jsonl"),
        Tool::Gemini => {
            let in_chats = path.ancestors().any(|ancestor| ancestor.file_name().is_some_and(|name| name == "chats"));
            (in_chats && (name.ends_with(".jsonl") || (name.starts_with("session-") && name.ends_with(".json")))) || name == "logs.json"
        }
        Tool::QwenCode => name.ends_with(".jsonl") && path.parent().and_then(Path::file_name).is_some_and(|parent| parent == "chats"),
        Tool::Copilot => name == "events.jsonl",
        Tool::Opencode | Tool::Goose => is_database_file(tool, path),
    }
}

/// Every session file of `tool` below its roots, sorted by path. Unreadable folders are skipped
/// and reported in `problems`. The same file reached through two roots is listed once; for Codex
/// the `sessions/` copy wins over the archived one with the same relative path.
pub fn discover(tool: Tool, environment: &DiscoveryEnvironment, problems: &mut Vec<(PathBuf, String)>) -> Vec<SessionFile> {
    let mut files: BTreeMap<PathBuf, SessionFile> = BTreeMap::new();
    let mut relative_seen: BTreeSet<PathBuf> = BTreeSet::new();
    let mut seen_roots = BTreeSet::new();
    for root in environment.roots(tool) {
        let Ok(root) = std::fs::canonicalize(&root) else { continue };
        if !root.is_dir() || !seen_roots.insert(root.clone()) {
            continue;
        }
        let mut stack = vec![root.clone()];
        while let Some(directory) = stack.pop() {
            let entries = match std::fs::read_dir(&directory) {
                Ok(entries) => entries,
                Err(error) => {
                    problems.push((directory.clone(), error.to_string()));
                    continue;
                }
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(mut file_type) = entry.file_type() else { continue };
                if file_type.is_symlink() {
                    // Symlinked files are followed (folders are not, so cycles cannot happen).
                    match std::fs::metadata(&path) {
                        Ok(target) if target.is_file() => file_type = target.file_type(),
                        _ => continue,
                    }
                }
                if file_type.is_dir() {
                    // A store sits at the top of its folder; opencode's folder also holds large
                    // snapshot trees that are not walked.
                    if !stores_at_top(tool) {
                        stack.push(path);
                    }
                } else if file_type.is_file() && is_session_file(tool, &path) {
                    let relative = path.strip_prefix(&root).map(Path::to_path_buf).unwrap_or_else(|_| path.clone());
                    if tool == Tool::Codex && !relative_seen.insert(relative) {
                        continue;
                    }
                    let Some(file) = SessionFile::stat(tool, path.clone()) else { continue };
                    files.entry(path).or_insert(file);
                }
            }
        }
    }
    files.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_win_and_defaults_follow_the_home_directory() {
        let mut environment = DiscoveryEnvironment::with_home(Path::new("/home/dev"));
        assert_eq!(
            environment.roots(Tool::ClaudeCode),
            vec![PathBuf::from("/home/dev/.config/claude/projects"), PathBuf::from("/home/dev/.claude/projects")]
        );
        assert_eq!(
            environment.roots(Tool::Codex),
            vec![PathBuf::from("/home/dev/.codex/sessions"), PathBuf::from("/home/dev/.codex/archived_sessions")]
        );
        environment.variables.insert("CODEX_HOME".into(), "/opt/codex".into());
        assert_eq!(environment.roots(Tool::Codex)[0], PathBuf::from("/opt/codex/sessions"));
        environment.variables.insert("AI_OBSERVER_CLAUDE_PATH".into(), "/a, /b".into());
        assert_eq!(environment.roots(Tool::ClaudeCode), vec![PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(environment.claude_retention().0, 30);
        assert_eq!(
            environment.roots(Tool::QwenCode),
            vec![PathBuf::from("/home/dev/.qwen/projects"), PathBuf::from("/home/dev/.qwen/tmp")]
        );
        environment.variables.insert("COPILOT_HOME".into(), "/opt/copilot".into());
        assert_eq!(environment.roots(Tool::Copilot), vec![PathBuf::from("/opt/copilot/session-state")]);
        assert_eq!(environment.roots(Tool::Goose), vec![PathBuf::from("/home/dev/.local/share/goose/sessions")]);
        assert_eq!(environment.roots(Tool::Opencode), vec![PathBuf::from("/home/dev/.local/share/opencode")]);
    }

    #[test]
    fn a_stores_folder_is_not_walked_below_its_top() {
        let home = tempfile::tempdir().unwrap();
        let data = home.path().join(".local/share/opencode");
        std::fs::create_dir_all(data.join("snapshot/project/objects")).unwrap();
        std::fs::write(data.join("opencode.db"), b"SQLite format 3\0").unwrap();
        std::fs::write(data.join("opencode.db-wal"), b"12345").unwrap();
        std::fs::write(data.join("snapshot/project/objects/opencode.db"), b"not the store").unwrap();
        let mut problems = Vec::new();
        let files = discover(Tool::Opencode, &DiscoveryEnvironment::with_home(home.path()), &mut problems);
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].path.ends_with(".local/share/opencode/opencode.db"));
        assert_eq!(files[0].size, 16 + 5, "the write-ahead log counts as part of the store");
    }

    #[test]
    fn only_the_files_holding_usage_are_session_files() {
        assert!(is_session_file(Tool::QwenCode, Path::new("/q/projects/-home-p/chats/22da3c44.jsonl")));
        assert!(!is_session_file(Tool::QwenCode, Path::new("/q/usage/token-usage-2026-11.jsonl")));
        assert!(is_session_file(Tool::Copilot, Path::new("/c/session-state/b0cce9de/events.jsonl")));
        assert!(!is_session_file(Tool::Copilot, Path::new("/c/session-state/b0cce9de/workspace.yaml")));
        assert!(is_session_file(Tool::Opencode, Path::new("/o/opencode.db")));
        assert!(!is_session_file(Tool::Opencode, Path::new("/o/opencode.db-wal")));
        assert!(is_session_file(Tool::Goose, Path::new("/g/sessions.db")));
    }
}
