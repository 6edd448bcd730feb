//! Goose's SQLite store (`sessions.db`).
//!
//! Counting rule (see docs/import.md): each assistant row of `messages` with a `usage` in its
//! metadata is one model call, and its `message_id` is the provider's response id, which Goose's
//! telemetry carries as `gen_ai.response.id`: rows are keyed and matched by it. `inputTokens`
//! includes cache reads and writes. The `usage_ledger` table repeats the same calls without an id,
//! and the `sessions` totals are running sums (or the last call's size): neither is read. Goose's
//! session ids (`20261129_1`) restart on every machine; its cost estimate is not used.

use super::sqlite_store::{open_read_only, query_problem};
use super::{Emitted, Importer, ParseContext, SessionParser, emit, lenient_number};
use crate::importers::discovery::SessionFile;
use crate::model::{Tool, UsageRecord};
use serde::{Deserialize, Serialize};

pub const SERVICE: &str = "goose";

const ASSISTANT_MESSAGES: &str = "SELECT m.id, m.message_id, m.session_id, m.created_timestamp, m.metadata_json, s.working_dir
    FROM messages m LEFT JOIN sessions s ON s.id = m.session_id
    WHERE m.role = 'assistant' AND json_extract(m.metadata_json, '$.usage') IS NOT NULL AND m.id >= ?1
    ORDER BY m.id";

/// How far a read got: message rows from this id on are read again (the last one may have been
/// written before its usage was).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SavedState {
    from_row: i64,
}

pub struct GooseImporter;

impl Importer for GooseImporter {
    fn tool(&self) -> Tool {
        Tool::Goose
    }

    fn parser(&self, _file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        Box::new(GooseParser { saved: state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default() })
    }

    fn is_database(&self) -> bool {
        true
    }
}

#[derive(Debug, Default, Deserialize)]
struct Metadata {
    #[serde(default)]
    inference: Inference,
    #[serde(default)]
    usage: Usage,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Inference {
    #[serde(default)]
    requested_model: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Usage {
    #[serde(default, deserialize_with = "lenient_number::count")]
    input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    output_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    cache_read_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    cache_write_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::optional_amount")]
    elapsed_ms: Option<f64>,
}

struct GooseParser {
    saved: SavedState,
}

impl SessionParser for GooseParser {
    fn line(&mut self, _context: &ParseContext<'_>, _number: u64, _text: &[u8], _out: &mut Emitted) -> Result<(), String> {
        Err("Goose's store is a database, not lines".to_owned())
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }

    fn database(&mut self, context: &ParseContext<'_>, out: &mut Emitted) -> Result<(), String> {
        let connection = open_read_only(&context.file.path)?;
        // A store made anew (ids start again) is read from its start.
        let last_row: Option<i64> = connection
            .query_row("SELECT max(id) FROM messages", [], |row| row.get(0))
            .map_err(|error| query_problem("its messages", error))?;
        if last_row.unwrap_or(0) < self.saved.from_row {
            self.saved.from_row = 0;
        }
        let mut statement = connection.prepare(ASSISTANT_MESSAGES).map_err(|error| query_problem("its messages", error))?;
        let rows = statement
            .query_map([self.saved.from_row], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                ))
            })
            .map_err(|error| query_problem("its messages", error))?;
        for row in rows {
            let (row_id, message_id, session, created_seconds, metadata, directory) =
                row.map_err(|error| query_problem("a message", error))?;
            self.saved.from_row = self.saved.from_row.max(row_id);
            let metadata: Metadata =
                serde_json::from_str(&metadata).map_err(|error| format!("message row {row_id}: invalid metadata: {error}"))?;
            let usage = metadata.usage;
            let cache_read = usage.cache_read_tokens.clamp(0, usage.input_tokens.max(0));
            let cache_write = usage.cache_write_tokens.clamp(0, (usage.input_tokens - cache_read).max(0));
            let message_id = message_id.filter(|id| !id.is_empty());
            let record = UsageRecord {
                record_key: match &message_id {
                    Some(id) => format!("file:goose:resp:{id}"),
                    None => format!("file:goose:{session}:row{row_id}"),
                },
                time: created_seconds.saturating_mul(1_000_000_000),
                tool: Some(Tool::Goose),
                service_name: SERVICE.to_owned(),
                session_id: Some(session),
                request_id: message_id,
                model: metadata.inference.requested_model.unwrap_or_else(|| "unknown".to_owned()),
                project: directory,
                input_tokens: (usage.input_tokens - cache_read - cache_write).max(0),
                cache_read_tokens: cache_read,
                cache_write_5m_tokens: cache_write,
                output_tokens: usage.output_tokens.max(0),
                duration_ms: usage.elapsed_ms.map(|elapsed| elapsed.round() as i64),
                ..UsageRecord::default()
            };
            emit::usage(context, record, out);
        }
        emit_titles(context, &connection, out)
    }
}

/// Each session's name (the one the user gave, else Goose's description of it) as a
/// `session.title` event, which the sessions list shows.
fn emit_titles(context: &ParseContext<'_>, connection: &rusqlite::Connection, out: &mut Emitted) -> Result<(), String> {
    let mut statement = connection
        .prepare(
            "SELECT id, CASE WHEN user_set_name OR description = '' THEN name ELSE description END, CAST(strftime('%s', updated_at) AS INTEGER)
             FROM sessions WHERE name <> '' OR description <> ''",
        )
        .map_err(|error| query_problem("its sessions", error))?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, Option<i64>>(2)?)))
        .map_err(|error| query_problem("its sessions", error))?;
    for row in rows {
        let (session, title, updated_seconds) = row.map_err(|error| query_problem("a session", error))?;
        emit::session_title(context, SERVICE, &session, &title, updated_seconds.unwrap_or(0).saturating_mul(1_000_000_000), out);
    }
    Ok(())
}
