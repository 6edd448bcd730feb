//! A severity for the log records the tools send without one (most of their events): ERROR for an
//! error or a failed API call, WARN for a failed tool call, INFO otherwise. Rows stored before this
//! rule were given theirs by migration 6, which says the same in SQL (a test checks they agree).

use crate::model::{AttributeValues, Attributes};

/// Attributes whose presence says the record reports an error.
pub const ERROR_ATTRIBUTES: [&str; 4] = ["error", "error.type", "error.message", "error_message"];

/// The severity text and number of a record sent with neither.
pub fn derive(attributes: &Attributes) -> (&'static str, i32) {
    let event = attributes.text("event.name").unwrap_or_default().to_ascii_lowercase();
    let failed_call = attributes.float("status_code").is_some_and(|status| status >= 400.0);
    if event.contains("error") || event.contains("fail") || failed_call || ERROR_ATTRIBUTES.iter().any(|key| attributes.text(key).is_some())
    {
        ("ERROR", 17)
    } else if attributes.text("success") == Some("false") {
        ("WARN", 13)
    } else {
        ("INFO", 9)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn attributes(pairs: &[(&str, &str)]) -> Attributes {
        pairs.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect()
    }

    fn cases() -> Vec<Attributes> {
        vec![
            attributes(&[("event.name", "claude_code.api_error"), ("status_code", "529")]),
            attributes(&[("event.name", "gemini_cli.api_response"), ("status_code", "200")]),
            attributes(&[("event.name", "gemini_cli.api_response"), ("status_code", "429")]),
            attributes(&[("event.name", "codex.tool_result"), ("success", "false")]),
            attributes(&[("event.name", "codex.tool_result"), ("success", "true")]),
            attributes(&[("event.name", "qwen-code.ripgrep_fallback"), ("error", "rg not found")]),
            attributes(&[("event.name", "gemini_cli.flash_fallback")]),
            attributes(&[("event.name", "claude_code.tool_decision")]),
            attributes(&[("event.name", "session.start")]),
            attributes(&[]),
        ]
    }

    #[test]
    fn errors_failures_and_the_rest() {
        let derived: Vec<(&str, i32)> = cases().iter().map(derive).collect();
        assert_eq!(
            derived,
            vec![
                ("ERROR", 17),
                ("INFO", 9),
                ("ERROR", 17),
                ("WARN", 13),
                ("INFO", 9),
                ("ERROR", 17),
                ("INFO", 9),
                ("INFO", 9),
                ("INFO", 9),
                ("INFO", 9),
            ]
        );
    }

    /// Migration 6 gives stored rows the severity this rule gives new ones.
    #[tokio::test]
    async fn the_migrations_sql_says_the_same() {
        let folder = tempfile::tempdir().unwrap();
        let store = Store::open(&folder.path().join("severity.duckdb"), crate::store::StoreOptions::default()).unwrap();
        let cases = cases();
        let rows = cases.clone();
        let from_sql: Vec<(String, i32)> = store
            .read(move |connection| {
                connection.execute_batch("CREATE TEMP TABLE otel_logs AS SELECT * FROM main.otel_logs LIMIT 0")?;
                for (index, attributes) in rows.iter().enumerate() {
                    connection.execute(
                        "INSERT INTO temp.otel_logs (Timestamp, ServiceName, Body, SeverityText, SeverityNumber, LogAttributes, EventName)
                         VALUES (to_timestamp(?), 'test', '', '', 0, ?, ?)",
                        duckdb::params![index as i64, crate::model::attributes_to_json(attributes), attributes.get("event.name").cloned()],
                    )?;
                }
                let update = include_str!("../store/migrations/0006_log_severity.sql").replace("UPDATE otel_logs", "UPDATE temp.otel_logs");
                connection.execute_batch(&update)?;
                let mut statement = connection.prepare("SELECT SeverityText, SeverityNumber FROM temp.otel_logs ORDER BY Timestamp")?;
                let found = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
                Ok(found)
            })
            .await
            .unwrap();
        let from_rust: Vec<(String, i32)> = cases.iter().map(derive).map(|(text, number)| (text.to_owned(), number)).collect();
        assert_eq!(from_sql, from_rust);
        store.shutdown().await;
    }
}
