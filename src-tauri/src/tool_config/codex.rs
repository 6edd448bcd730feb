//! Codex CLI: the `[otel]` table of `~/.codex/config.toml`.
//!
//! The file is edited as text so the user's comments and layout survive: inside `[otel]` the keys
//! we manage are replaced (their `[otel.<key>…]` sub-tables removed), other `[otel]` keys and every
//! other table stay as they were; a file without `[otel]` gets one appended. The edit is then
//! checked by parsing both versions: every other setting must be unchanged and ours must read back
//! as intended. Files the text edit cannot handle (for example `otel` written as an inline table or
//! dotted keys) are rewritten from their parsed content instead, which keeps every setting but not
//! the comments; the preview says so.

use super::{TelemetryTarget, ToolConfigError};
use toml::{Table, Value};

/// The `[otel]` keys this app sets.
const MANAGED_KEYS: [&str; 4] = ["log_user_prompt", "exporter", "metrics_exporter", "trace_exporter"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodexMerge {
    pub content: String,
    /// True when the file had to be rewritten from its parsed content (comments not kept).
    pub rewritten: bool,
}

/// The lines of our `[otel]` keys, as the setup page shows them.
pub fn managed_lines(target: &TelemetryTarget) -> Vec<String> {
    let exporter =
        |signal: &str| format!("{{ otlp-http = {{ endpoint = \"{}/v1/{signal}\", protocol = \"binary\" }} }}", target.otlp_base_url);
    vec![
        format!("log_user_prompt = {}", target.log_prompts),
        format!("exporter = {}", exporter("logs")),
        format!("metrics_exporter = {}", exporter("metrics")),
        format!("trace_exporter = {}", exporter("traces")),
    ]
}

fn managed_table(target: &TelemetryTarget) -> Result<Table, ToolConfigError> {
    toml::from_str::<Table>(&managed_lines(target).join("\n"))
        .map_err(|error| ToolConfigError::Unreadable(format!("internal: our [otel] lines do not parse: {error}")))
}

pub fn merge(existing: Option<&str>, target: &TelemetryTarget) -> Result<CodexMerge, ToolConfigError> {
    let text = existing.unwrap_or("");
    let original: Table = toml::from_str(text)
        .map_err(|error| ToolConfigError::Unreadable(format!("not valid TOML ({}); fix the file, then try again", error.message())))?;
    let managed = managed_table(target)?;
    if let Some(edited) = edit_text(text, target)
        && reads_back_as_intended(&original, &edited, &managed)
    {
        return Ok(CodexMerge { content: edited, rewritten: false });
    }
    let rewritten = rewrite_parsed(&original, &managed)?;
    if !reads_back_as_intended(&original, &rewritten, &managed) {
        return Err(ToolConfigError::Unreadable("the [otel] settings could not be merged into this file; edit it by hand".to_owned()));
    }
    Ok(CodexMerge { content: rewritten, rewritten: true })
}

/// `[a."b c".d]` → `["a", "b c", "d"]`; `None` for lines that are not table headers.
fn header_path(line: &str) -> Option<(Vec<String>, bool)> {
    let trimmed = line.trim_start();
    if !trimmed.starts_with('[') {
        return None;
    }
    let is_array = trimmed.starts_with("[[");
    let inner = &trimmed[if is_array { 2 } else { 1 }..];
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    for character in inner.chars() {
        match (quote, character) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => quote = Some(character),
            (None, '.') => segments.push(std::mem::take(&mut current).trim().to_owned()),
            (None, ']') => {
                segments.push(current.trim().to_owned());
                return Some((segments, is_array));
            }
            (None, c) => current.push(c),
        }
    }
    None
}

/// The key of a `key = value` line (quotes removed), if the line is one.
fn line_key(line: &str) -> Option<String> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let (key, _) = trimmed.split_once('=')?;
    Some(key.trim().trim_matches(|c| c == '"' || c == '\'').to_owned())
}

fn edit_text(text: &str, target: &TelemetryTarget) -> Option<String> {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let ours: String = managed_lines(target).iter().map(|line| format!("{line}{newline}")).collect();
    let mut output = String::with_capacity(text.len() + ours.len() + 16);
    let mut in_otel = false;
    let mut skipping_subtable = false;
    let mut inserted = false;
    for line in text.split_inclusive('\n') {
        if let Some((path, is_array)) = header_path(line) {
            let is_otel = path.first().is_some_and(|first| first == "otel");
            if is_otel && is_array {
                return None;
            }
            in_otel = is_otel && path.len() == 1;
            skipping_subtable = is_otel && path.len() >= 2 && MANAGED_KEYS.contains(&path[1].as_str());
            if skipping_subtable {
                continue;
            }
            output.push_str(line);
            if in_otel {
                if inserted {
                    return None; // `[otel]` twice: not valid TOML, leave it to the parser check
                }
                if !line.ends_with('\n') {
                    output.push_str(newline);
                }
                output.push_str(&ours);
                inserted = true;
            }
            continue;
        }
        if skipping_subtable {
            continue;
        }
        if in_otel && line_key(line).is_some_and(|key| MANAGED_KEYS.contains(&key.as_str())) {
            continue;
        }
        output.push_str(line);
    }
    if !inserted {
        if !output.is_empty() && !output.ends_with('\n') {
            output.push_str(newline);
        }
        if !output.trim().is_empty() {
            output.push_str(newline);
        }
        output.push_str("[otel]");
        output.push_str(newline);
        output.push_str(&ours);
    }
    Some(output)
}

fn rewrite_parsed(original: &Table, managed: &Table) -> Result<String, ToolConfigError> {
    let mut table = original.clone();
    let mut otel = match table.remove("otel") {
        Some(Value::Table(otel)) => otel,
        _ => Table::new(),
    };
    for (key, value) in managed {
        otel.insert(key.clone(), value.clone());
    }
    table.insert("otel".to_owned(), Value::Table(otel));
    toml::to_string(&table).map_err(|error| ToolConfigError::Unreadable(format!("cannot write TOML: {error}")))
}

/// Every setting outside `[otel]` is unchanged, `[otel]` keeps the user's other keys, and ours read
/// back exactly.
fn reads_back_as_intended(original: &Table, edited: &str, managed: &Table) -> bool {
    let Ok(parsed) = toml::from_str::<Table>(edited) else { return false };
    let others_unchanged = original.iter().filter(|(key, _)| *key != "otel").all(|(key, value)| parsed.get(key) == Some(value))
        && parsed.keys().all(|key| key == "otel" || original.contains_key(key));
    let Some(Value::Table(otel)) = parsed.get("otel") else { return false };
    let ours_set = managed.iter().all(|(key, value)| otel.get(key) == Some(value));
    let original_otel = match original.get("otel") {
        Some(Value::Table(table)) => table.clone(),
        _ => Table::new(),
    };
    let users_otel_kept =
        original_otel.iter().filter(|(key, _)| !managed.contains_key(*key)).all(|(key, value)| otel.get(key) == Some(value))
            && otel.keys().all(|key| managed.contains_key(key) || original_otel.contains_key(key));
    others_unchanged && ours_set && users_otel_kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> TelemetryTarget {
        TelemetryTarget { otlp_base_url: "http://127.0.0.1:4318".to_owned(), log_prompts: false }
    }

    fn parsed(text: &str) -> Table {
        toml::from_str(text).expect("valid TOML")
    }

    fn endpoint(table: &Table, key: &str) -> String {
        table["otel"][key]["otlp-http"]["endpoint"].as_str().expect("endpoint").to_owned()
    }

    #[test]
    fn a_missing_file_gets_an_otel_table() {
        let merged = merge(None, &target()).expect("merge");
        assert!(!merged.rewritten);
        assert!(merged.content.starts_with("[otel]\n"));
        let table = parsed(&merged.content);
        assert_eq!(endpoint(&table, "exporter"), "http://127.0.0.1:4318/v1/logs");
        assert_eq!(endpoint(&table, "metrics_exporter"), "http://127.0.0.1:4318/v1/metrics");
        assert_eq!(endpoint(&table, "trace_exporter"), "http://127.0.0.1:4318/v1/traces");
        assert_eq!(table["otel"]["log_user_prompt"].as_bool(), Some(false));
        assert_eq!(table["otel"]["exporter"]["otlp-http"]["protocol"].as_str(), Some("binary"));
    }

    #[test]
    fn comments_other_tables_and_other_otel_keys_survive() {
        let existing = "# my codex settings\nmodel = \"gpt-5.3-codex\" # the default\napproval_policy = \"on-request\"\n\n[otel]\n# which environment\nenvironment = \"dev\"\nexporter = \"none\"\nlog_user_prompt = true\n\n[mcp_servers.docs]\ncommand = \"docs-server\"\nargs = [\"--port\", \"9000\"]\n";
        let merged = merge(Some(existing), &target()).expect("merge");
        assert!(!merged.rewritten, "{}", merged.content);
        assert!(merged.content.starts_with("# my codex settings\nmodel = \"gpt-5.3-codex\" # the default\n"));
        assert!(merged.content.contains("# which environment\nenvironment = \"dev\"\n"));
        assert!(!merged.content.contains("exporter = \"none\""));
        assert!(!merged.content.contains("log_user_prompt = true"));
        let table = parsed(&merged.content);
        assert_eq!(table["otel"]["environment"].as_str(), Some("dev"));
        assert_eq!(table["mcp_servers"]["docs"]["args"][1].as_str(), Some("9000"));
        assert_eq!(table["approval_policy"].as_str(), Some("on-request"));
        assert_eq!(endpoint(&table, "exporter"), "http://127.0.0.1:4318/v1/logs");
    }

    #[test]
    fn exporter_sub_tables_are_replaced() {
        let existing = "[otel]\nenvironment = \"prod\"\n\n[otel.exporter.otlp-grpc]\nendpoint = \"http://collector:4317\"\n\n[profiles.fast]\nmodel = \"o4-mini\"\n";
        let merged = merge(Some(existing), &target()).expect("merge");
        assert!(!merged.rewritten, "{}", merged.content);
        assert!(!merged.content.contains("collector:4317"));
        let table = parsed(&merged.content);
        assert_eq!(endpoint(&table, "exporter"), "http://127.0.0.1:4318/v1/logs");
        assert!(table["otel"]["exporter"].get("otlp-grpc").is_none());
        assert_eq!(table["profiles"]["fast"]["model"].as_str(), Some("o4-mini"));
    }

    #[test]
    fn an_inline_otel_table_is_merged_by_rewriting_the_file() {
        let existing = "model = \"o3\"\notel = { environment = \"ci\" }\n";
        let merged = merge(Some(existing), &target()).expect("merge");
        assert!(merged.rewritten);
        let table = parsed(&merged.content);
        assert_eq!(table["model"].as_str(), Some("o3"));
        assert_eq!(table["otel"]["environment"].as_str(), Some("ci"));
        assert_eq!(endpoint(&table, "trace_exporter"), "http://127.0.0.1:4318/v1/traces");
    }

    #[test]
    fn merging_again_changes_nothing_and_crlf_files_stay_crlf() {
        let existing = "model = \"o3\"\r\n\r\n[otel]\r\nenvironment = \"dev\"\r\n";
        let once = merge(Some(existing), &target()).expect("merge");
        let twice = merge(Some(&once.content), &target()).expect("merge");
        assert_eq!(once, twice);
        assert!(!once.content.replace("\r\n", "").contains('\n'), "only CRLF line ends: {:?}", once.content);
    }

    #[test]
    fn invalid_toml_is_refused() {
        assert!(matches!(merge(Some("model = \n[otel"), &target()), Err(ToolConfigError::Unreadable(_))));
    }
}
