//! opencode's SQLite store (`opencode.db`, version 1.2 and later).
//!
//! Counting rule (see docs/import.md): each assistant row of `message` is one model step with its
//! `tokens` (`input` uncached, `output` without reasoning, `reasoning`, `cache.read`,
//! `cache.write`) and is keyed by the message id. The `step-finish` parts, the replayed `event`
//! rows and the session's running totals repeat the same usage and are not read. The store keeps
//! no provider response id, so a row is matched with opencode's telemetry by model and tokens
//! within the session; the title request is not stored (telemetry only). The `cost` opencode
//! writes comes from its own price snapshot and is not used: requests are priced from the table.

use super::sqlite_store::{open_read_only, query_problem};
use super::{Emitted, Importer, ParseContext, SessionParser, emit};
use crate::importers::discovery::SessionFile;
use crate::model::{Tool, UsageRecord};
use serde::{Deserialize, Serialize};

pub const SERVICE: &str = "opencode";

const ASSISTANT_MESSAGES: &str = "SELECT m.id, m.session_id, m.time_created, m.data, s.directory, m.time_updated
    FROM message m LEFT JOIN session s ON s.id = m.session_id
    WHERE json_extract(m.data, '$.role') = 'assistant' AND json_extract(m.data, '$.tokens') IS NOT NULL
      AND m.time_updated >= ?1
    ORDER BY m.time_created, m.id";

/// How far a read got: rows updated before this time (ms) were read already (a step's row is
/// written again when it completes, with a later `time_updated`).
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SavedState {
    updated_since_ms: i64,
}

pub struct OpencodeImporter;

impl Importer for OpencodeImporter {
    fn tool(&self) -> Tool {
        Tool::Opencode
    }

    fn parser(&self, _file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        Box::new(OpencodeParser { saved: state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default() })
    }

    fn is_database(&self) -> bool {
        true
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AssistantMessage {
    #[serde(default, rename = "modelID")]
    model_id: Option<String>,
    #[serde(default)]
    tokens: Tokens,
    #[serde(default)]
    path: Option<MessagePath>,
    #[serde(default)]
    time: MessageTime,
}

#[derive(Debug, Default, Deserialize)]
struct Tokens {
    #[serde(default, deserialize_with = "super::lenient_number::count")]
    input: i64,
    #[serde(default, deserialize_with = "super::lenient_number::count")]
    output: i64,
    #[serde(default, deserialize_with = "super::lenient_number::count")]
    reasoning: i64,
    #[serde(default)]
    cache: CacheTokens,
}

#[derive(Debug, Default, Deserialize)]
struct CacheTokens {
    #[serde(default, deserialize_with = "super::lenient_number::count")]
    read: i64,
    #[serde(default, deserialize_with = "super::lenient_number::count")]
    write: i64,
}

#[derive(Debug, Default, Deserialize)]
struct MessagePath {
    #[serde(default)]
    cwd: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct MessageTime {
    #[serde(default)]
    completed: Option<i64>,
}

struct OpencodeParser {
    saved: SavedState,
}

impl SessionParser for OpencodeParser {
    fn line(&mut self, _context: &ParseContext<'_>, _number: u64, _text: &[u8], _out: &mut Emitted) -> Result<(), String> {
        Err("opencode's store is a database, not lines".to_owned())
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }

    fn database(&mut self, context: &ParseContext<'_>, out: &mut Emitted) -> Result<(), String> {
        let connection = open_read_only(&context.file.path)?;
        let mut statement = connection.prepare(ASSISTANT_MESSAGES).map_err(|error| query_problem("its messages", error))?;
        let rows = statement
            .query_map([self.saved.updated_since_ms], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, Option<String>>(4)?,
                    row.get::<_, i64>(5)?,
                ))
            })
            .map_err(|error| query_problem("its messages", error))?;
        for row in rows {
            let (id, session, created, data, directory, updated) = row.map_err(|error| query_problem("a message", error))?;
            self.saved.updated_since_ms = self.saved.updated_since_ms.max(updated);
            let message: AssistantMessage = match serde_json::from_str(&data) {
                Ok(message) => message,
                Err(error) => return Err(format!("message {id}: invalid JSON: {error}")),
            };
            let time_ms = message.time.completed.unwrap_or(created);
            let tokens = &message.tokens;
            let record = UsageRecord {
                record_key: format!("file:opencode:msg:{id}"),
                time: time_ms.saturating_mul(1_000_000),
                tool: Some(Tool::Opencode),
                service_name: SERVICE.to_owned(),
                session_id: Some(session),
                message_id: Some(id),
                model: message.model_id.unwrap_or_else(|| "unknown".to_owned()),
                project: message.path.and_then(|path| path.cwd).or(directory),
                input_tokens: tokens.input.max(0),
                cache_read_tokens: tokens.cache.read.max(0),
                cache_write_5m_tokens: tokens.cache.write.max(0),
                output_tokens: (tokens.output + tokens.reasoning).max(0),
                reasoning_tokens: tokens.reasoning.max(0),
                ..UsageRecord::default()
            };
            emit::usage(context, record, out);
        }
        emit_titles(context, &connection, out)
    }
}

/// Each session's title (opencode names sessions from their first prompt) as a `session.title`
/// event, which the sessions list shows; keyed per session, so a renamed session's title is replaced.
fn emit_titles(context: &ParseContext<'_>, connection: &rusqlite::Connection, out: &mut Emitted) -> Result<(), String> {
    let mut statement = connection
        .prepare("SELECT id, title, time_updated FROM session WHERE title <> ''")
        .map_err(|error| query_problem("its sessions", error))?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?)))
        .map_err(|error| query_problem("its sessions", error))?;
    for row in rows {
        let (session, title, updated_ms) = row.map_err(|error| query_problem("a session", error))?;
        emit::session_title(context, SERVICE, &session, &title, updated_ms.saturating_mul(1_000_000), out);
    }
    Ok(())
}
