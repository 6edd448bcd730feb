//! Which stored rows belong to a tool, in SQL, built from `model::Tool::service_prefixes` (the one
//! definition): the `tool_of(service_name)` macro every query uses, and the condition that selects
//! a tool's rows (or one service's) for exports and deletes.

use super::StoreError;
use crate::model::Tool;
use duckdb::{Connection, OptionalExt};

/// The `settings` key under which the macro's statement is kept, to know whether it needs making.
const MACRO_SETTING: &str = "store.tool_of_macro";

/// `CREATE OR REPLACE MACRO tool_of(service)`: the tool key of a service name, NULL for others.
/// Made again when this build's list of tools makes another statement than the stored one. Making
/// it at every start wrote the catalog each time, so that even a command which changed nothing
/// (an import that found nothing new) ended with a checkpoint that rewrote the file.
pub fn create_tool_of_macro(connection: &Connection) -> Result<(), StoreError> {
    let statement = tool_of_macro_statement();
    let stored: Option<String> =
        connection.query_row("SELECT value FROM settings WHERE key = ?", [MACRO_SETTING], |row| row.get(0)).optional()?;
    if stored.as_deref() == Some(statement.as_str()) {
        return Ok(());
    }
    super::transaction::in_transaction(connection, |connection| {
        connection.execute_batch(&statement)?;
        connection.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [MACRO_SETTING, statement.as_str()],
        )?;
        Ok(())
    })
}

fn tool_of_macro_statement() -> String {
    let cases: Vec<String> = Tool::ALL
        .iter()
        .map(|tool| {
            let tests: Vec<String> =
                tool.service_prefixes().iter().map(|prefix| format!("starts_with(lower(service), '{prefix}')")).collect();
            format!("WHEN {} THEN '{}'", tests.join(" OR "), tool.key())
        })
        .collect();
    format!("CREATE OR REPLACE MACRO tool_of(service) AS CASE {} END;", cases.join(" "))
}

/// The rows of a tool (`claude-code`, `codex`, `gemini`, by `tool_of`) or of one service name;
/// `None` for all (nothing, or `all`). The value is bound, never spliced into the SQL.
pub fn service_condition(tool_or_service: Option<&str>) -> Result<Option<(&'static str, String)>, String> {
    let Some(text) = tool_or_service.map(str::trim).filter(|text| !text.is_empty() && *text != "all") else { return Ok(None) };
    if !text.chars().all(|character| character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')) {
        return Err(format!("invalid tool or service {text:?}"));
    }
    Ok(Some(match Tool::from_key(text) {
        Some(tool) => ("tool_of(ServiceName) = ?", tool.key().to_owned()),
        None => ("ServiceName = ?", text.to_owned()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_macro_names_every_known_service_like_the_rust_side() {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        create_tool_of_macro(&connection).unwrap();
        for service in ["claude-code", "Claude_Code", "codex_exec", "codex_cli_rs", "gemini-cli", "my-service"] {
            let in_sql: Option<String> = connection.query_row("SELECT tool_of(?)", [service], |row| row.get(0)).unwrap();
            assert_eq!(in_sql.as_deref(), Tool::from_service_name(service).map(Tool::key), "{service}");
        }
    }

    /// Made once: a start whose build makes the same statement writes nothing (no write-ahead log
    /// after the checkpoint), and one whose statement differs (another build's list) makes it again.
    #[test]
    fn the_macro_is_made_again_only_when_its_statement_changes() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("store.duckdb");
        let connection = Connection::open(&path).unwrap();
        super::super::schema::migrate(&connection).unwrap();
        create_tool_of_macro(&connection).unwrap();
        connection.execute_batch("CHECKPOINT").unwrap();
        let log = super::super::wal_path(&path);
        let log_bytes = || std::fs::metadata(&log).map_or(0, |metadata| metadata.len());
        assert_eq!(log_bytes(), 0);

        create_tool_of_macro(&connection).unwrap();
        assert_eq!(log_bytes(), 0, "the same statement is not made again");

        connection
            .execute_batch(&format!(
                "CREATE OR REPLACE MACRO tool_of(service) AS NULL; UPDATE settings SET value = 'an older list' WHERE key = '{MACRO_SETTING}'"
            ))
            .unwrap();
        create_tool_of_macro(&connection).unwrap();
        let tool: Option<String> = connection.query_row("SELECT tool_of('codex_exec')", [], |row| row.get(0)).unwrap();
        assert_eq!(tool.as_deref(), Some("codex"));
        let stored: String = connection.query_row("SELECT value FROM settings WHERE key = ?", [MACRO_SETTING], |row| row.get(0)).unwrap();
        assert_eq!(stored, tool_of_macro_statement());
    }

    #[test]
    fn conditions_bind_their_value_and_refuse_odd_names() {
        assert_eq!(service_condition(Some("codex")).unwrap(), Some(("tool_of(ServiceName) = ?", "codex".to_owned())));
        assert_eq!(service_condition(Some("my.service")).unwrap(), Some(("ServiceName = ?", "my.service".to_owned())));
        assert_eq!(service_condition(Some("all")).unwrap(), None);
        assert!(service_condition(Some("x'; DROP")).is_err());
    }
}
