//! One log record (an OTLP log record or an event a CLI emitted), as stored in `otel_logs`.

use super::{Attributes, UnixNanos};

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct LogRecord {
    pub time: UnixNanos,
    pub trace_id: Option<String>,
    pub span_id: Option<String>,
    pub trace_flags: Option<u32>,
    pub severity_text: String,
    pub severity_number: i32,
    pub service_name: String,
    pub body: String,
    pub resource_schema_url: Option<String>,
    pub resource_attributes: Attributes,
    pub scope_schema_url: Option<String>,
    pub scope_name: Option<String>,
    pub scope_version: Option<String>,
    pub scope_attributes: Attributes,
    pub attributes: Attributes,
    /// Natural key of a record that came from a session file; re-imports never add it twice.
    pub record_key: Option<String>,
}

/// The attributes that name a log record's session, first present wins: the three CLIs' own, the
/// GenAI conventions', Copilot Chat's.
pub const SESSION_ID_ATTRIBUTES: [&str; 5] =
    ["session.id", "conversation.id", "gen_ai.conversation.id", "copilot_chat.session_id", "copilot_chat.chat_session_id"];

impl LogRecord {
    /// The event name (`event.name` attribute), the key every CLI uses to say what a record is.
    pub fn event_name(&self) -> Option<&str> {
        self.attributes.get("event.name").map(String::as_str)
    }

    /// The session the record belongs to (stored as `otel_logs.SessionId`).
    pub fn session_id(&self) -> Option<&str> {
        SESSION_ID_ATTRIBUTES.iter().find_map(|key| self.attributes.get(*key)).map(String::as_str)
    }
}
