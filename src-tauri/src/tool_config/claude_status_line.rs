//! Claude Code's status line: `statusLine` in `~/.claude/settings.json` set to
//! `ai-observer statusline`, the only place Claude Code shows its plan limits. A status line the
//! user already has is kept: ours runs it (`--chain '<their command>'`) and prints its output
//! before ours. Installing again keeps what is chained; every other key stays in place.

use super::ToolConfigError;
use super::json_file::{parse_settings_object, write_settings_object};
use super::ordered_json::OrderedJson;

/// The file's new text and the user's own status-line command, when ours chains to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLineMerge {
    pub content: String,
    pub chained: Option<String>,
}

/// Sets the status line to `program statusline`, chaining to the command the file has (unless
/// that command is already ours, whose chained command is kept).
pub fn merge(existing: Option<&str>, program: &str) -> Result<StatusLineMerge, ToolConfigError> {
    let mut settings = parse_settings_object(existing)?;
    let current = match settings.get("statusLine").and_then(|line| line.get("command")) {
        Some(OrderedJson::String(command)) if !command.trim().is_empty() => Some(command.clone()),
        _ => None,
    };
    let chained = match current {
        Some(command) => match our_command(&command) {
            Some(chained) => chained,
            None => Some(command),
        },
        None => None,
    };
    let Some(line) = settings.object_entry("statusLine") else {
        return Err(ToolConfigError::Unreadable("the file is not a JSON object".to_owned()));
    };
    line.set("type", OrderedJson::string("command"));
    line.set("command", OrderedJson::string(command_line(program, chained.as_deref())));
    Ok(StatusLineMerge { content: write_settings_object(&settings)?, chained })
}

/// `'<program>' statusline [--chain '<command>']`, quoted for the shell Claude Code runs it with.
pub fn command_line(program: &str, chained: Option<&str>) -> String {
    let mut command = format!("{} statusline", shell_quote(program));
    if let Some(chained) = chained {
        command.push_str(" --chain ");
        command.push_str(&shell_quote(chained));
    }
    command
}

fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+:=@%,".contains(c));
    if plain { text.to_owned() } else { format!("'{}'", text.replace('\'', "'\\''")) }
}

/// When `command` is an `ai-observer statusline` command: `Some(the command it chains to)`.
fn our_command(command: &str) -> Option<Option<String>> {
    let words = shell_words(command)?;
    let program = words.first()?;
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let ours = (name == "ai-observer" || name == "ai-observer.exe") && words.get(1).map(String::as_str) == Some("statusline");
    if !ours {
        return None;
    }
    let chained = words.iter().position(|word| word == "--chain").and_then(|at| words.get(at + 1)).cloned();
    Some(chained)
}

/// Splits a command line into words as a POSIX shell would for plain words, single quotes, double
/// quotes and backslashes; `None` when a quote is left open.
fn shell_words(command: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\'' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => text.push(other),
                    }
                }
            }
            '"' => {
                let text = word.get_or_insert_with(String::new);
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => text.push(chars.next()?),
                        other => text.push(other),
                    }
                }
            }
            '\\' => word.get_or_insert_with(String::new).push(chars.next()?),
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROGRAM: &str = "/opt/AI Observer/ai-observer";

    fn command_of(content: &str) -> String {
        let value: serde_json::Value = serde_json::from_str(content).expect("json");
        value["statusLine"]["command"].as_str().expect("command").to_owned()
    }

    #[test]
    fn a_file_without_a_status_line_gets_ours_alone() {
        let merged = merge(Some("{\"model\": \"opus\"}"), PROGRAM).expect("merge");
        assert_eq!(merged.chained, None);
        assert_eq!(command_of(&merged.content), "'/opt/AI Observer/ai-observer' statusline");
        let value: serde_json::Value = serde_json::from_str(&merged.content).expect("json");
        assert_eq!(value["statusLine"]["type"], "command");
        assert_eq!(value["model"], "opus");
        assert_eq!(
            merge(None, "/usr/bin/ai-observer").expect("merge").content,
            "{\n  \"statusLine\": {\n    \"type\": \"command\",\n    \"command\": \"/usr/bin/ai-observer statusline\"\n  }\n}\n"
        );
    }

    #[test]
    fn the_users_status_line_is_chained_and_its_other_keys_kept() {
        let existing =
            r#"{"statusLine": {"type": "command", "command": "bun x ccusage statusline --visual-burn-rate 'emoji'", "padding": 0}}"#;
        let merged = merge(Some(existing), PROGRAM).expect("merge");
        assert_eq!(merged.chained.as_deref(), Some("bun x ccusage statusline --visual-burn-rate 'emoji'"));
        let command = command_of(&merged.content);
        assert_eq!(
            command,
            r#"'/opt/AI Observer/ai-observer' statusline --chain 'bun x ccusage statusline --visual-burn-rate '\''emoji'\'''"#
        );
        // The shell reads back exactly the user's command.
        let words = shell_words(&command).expect("words");
        assert_eq!(words, vec![PROGRAM, "statusline", "--chain", "bun x ccusage statusline --visual-burn-rate 'emoji'"]);
        let value: serde_json::Value = serde_json::from_str(&merged.content).expect("json");
        assert_eq!(value["statusLine"]["padding"], 0);
    }

    #[test]
    fn installing_again_keeps_the_chain_and_changes_nothing() {
        let first = merge(Some(r#"{"statusLine": {"type": "command", "command": "~/bin/my-line.sh"}}"#), PROGRAM).expect("merge");
        let second = merge(Some(&first.content), PROGRAM).expect("merge");
        assert_eq!(second, first);
        assert_eq!(second.chained.as_deref(), Some("~/bin/my-line.sh"));
        // A new program path (the app moved) replaces ours and keeps the chain.
        let moved = merge(Some(&first.content), "/usr/bin/ai-observer").expect("merge");
        assert_eq!(command_of(&moved.content), "/usr/bin/ai-observer statusline --chain '~/bin/my-line.sh'");
    }

    #[test]
    fn our_own_command_without_a_chain_is_not_chained_to_itself() {
        let merged = merge(Some(r#"{"statusLine": {"type": "command", "command": "ai-observer statusline"}}"#), PROGRAM).expect("merge");
        assert_eq!(merged.chained, None);
        assert_eq!(command_of(&merged.content), "'/opt/AI Observer/ai-observer' statusline");
    }

    #[test]
    fn a_file_that_is_not_json_is_refused() {
        assert!(matches!(merge(Some("{ nope"), PROGRAM), Err(ToolConfigError::Unreadable(_))));
    }

    #[test]
    fn words_follow_the_shell() {
        assert_eq!(shell_words(r#"a "b c" d\ e 'f''g'"#).expect("words"), vec!["a", "b c", "d e", "fg"]);
        assert_eq!(shell_words("'open"), None);
    }
}
