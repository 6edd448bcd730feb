//! Which stored rows belong to a tool, in SQL, built from `model::Tool::service_prefixes` (the one
//! definition): the `tool_of(service_name)` macro every query uses, and the condition that selects
//! a tool's rows (or one service's) for exports and deletes.

use super::StoreError;
use crate::model::Tool;
use duckdb::Connection;

/// `CREATE OR REPLACE MACRO tool_of(service)`: the tool key of a service name, NULL for others.
/// Made again at every start, so it always matches this build's list of tools.
pub fn create_tool_of_macro(connection: &Connection) -> Result<(), StoreError> {
    let cases: Vec<String> = Tool::ALL
        .iter()
        .map(|tool| {
            let tests: Vec<String> =
                tool.service_prefixes().iter().map(|prefix| format!("starts_with(lower(service), '{prefix}')")).collect();
            format!("WHEN {} THEN '{}'", tests.join(" OR "), tool.key())
        })
        .collect();
    connection.execute_batch(&format!("CREATE OR REPLACE MACRO tool_of(service) AS CASE {} END;", cases.join(" ")))?;
    Ok(())
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
        create_tool_of_macro(&connection).unwrap();
        for service in ["claude-code", "Claude_Code", "codex_exec", "codex_cli_rs", "gemini-cli", "my-service"] {
            let in_sql: Option<String> = connection.query_row("SELECT tool_of(?)", [service], |row| row.get(0)).unwrap();
            assert_eq!(in_sql.as_deref(), Tool::from_service_name(service).map(Tool::key), "{service}");
        }
    }

    #[test]
    fn conditions_bind_their_value_and_refuse_odd_names() {
        assert_eq!(service_condition(Some("codex")).unwrap(), Some(("tool_of(ServiceName) = ?", "codex".to_owned())));
        assert_eq!(service_condition(Some("my.service")).unwrap(), Some(("ServiceName = ?", "my.service".to_owned())));
        assert_eq!(service_condition(Some("all")).unwrap(), None);
        assert!(service_condition(Some("x'; DROP")).is_err());
    }
}
