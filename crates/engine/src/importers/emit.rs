//! Building the rows imports write, the same shapes the original importer wrote: transcript
//! messages as `transcript.message` logs, per-request logs, and token/cost counters tagged with
//! `import_source`, each with a natural key. A usage-only read (`ParseContext::usage_only`) keeps
//! only the usage records.

use super::{Emitted, ParseContext};
use crate::model::{Attributes, LogRecord, UsageRecord};

/// Longest message text kept in a transcript log; longer text is cut with a marker.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;
/// Longest tool input or output kept.
pub const MAX_TOOL_BYTES: usize = 32 * 1024;

pub fn truncate(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let mut cut = limit;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}… [truncated {} bytes]", &text[..cut], text.len() - cut)
}

/// The fields of one transcript message.
#[derive(Debug, Default)]
pub struct TranscriptMessage {
    pub key: String,
    pub time: i64,
    pub session_id: String,
    pub role: &'static str,
    pub index: i64,
    pub content: String,
    pub model: Option<String>,
    pub message_id: Option<String>,
    pub tool_name: Option<String>,
    pub tool_input: Option<String>,
    pub tool_output: Option<String>,
    pub tool_call_id: Option<String>,
    pub success: Option<bool>,
    pub severity: Option<(&'static str, i32)>,
    pub extra: Attributes,
}

fn attribute(attributes: &mut Attributes, key: &str, value: Option<&str>) {
    if let Some(value) = value.filter(|value| !value.is_empty()) {
        attributes.insert(key.to_owned(), value.to_owned());
    }
}

pub fn transcript_log(context: &ParseContext<'_>, service_name: &str, message: TranscriptMessage, out: &mut Emitted) {
    if context.usage_only || !context.in_window(message.time) {
        return;
    }
    let mut attributes = message.extra;
    attributes.insert("event.name".to_owned(), "transcript.message".to_owned());
    attributes.insert("session.id".to_owned(), message.session_id);
    attributes.insert("message.role".to_owned(), message.role.to_owned());
    attributes.insert("message.index".to_owned(), message.index.to_string());
    attributes.insert("import_source".to_owned(), context.import_source().to_owned());
    attribute(&mut attributes, "model", message.model.as_deref());
    attribute(&mut attributes, "message.id", message.message_id.as_deref());
    attribute(&mut attributes, "tool.name", message.tool_name.as_deref());
    if let Some(input) = &message.tool_input {
        attributes.insert("tool.input".to_owned(), truncate(input, MAX_TOOL_BYTES));
    }
    if let Some(output) = &message.tool_output {
        attributes.insert("tool.output".to_owned(), truncate(output, MAX_TOOL_BYTES));
    }
    attribute(&mut attributes, "tool.call_id", message.tool_call_id.as_deref());
    if let Some(success) = message.success {
        attributes.insert("success".to_owned(), success.to_string());
    }
    let body = if message.content.is_empty() {
        message.tool_name.as_ref().map(|name| format!("Tool call: {name}")).unwrap_or_default()
    } else {
        truncate(&message.content, MAX_TEXT_BYTES)
    };
    let (severity_text, severity_number) = message.severity.unwrap_or(("INFO", 9));
    out.saw_time(message.time);
    out.records += 1;
    out.batch.logs.push(LogRecord {
        time: message.time,
        severity_text: severity_text.to_owned(),
        severity_number,
        service_name: service_name.to_owned(),
        body,
        attributes,
        record_key: Some(message.key),
        ..LogRecord::default()
    });
}

/// A plain event log (e.g. `claude_code.api_request`) with a natural key.
pub struct EventRow<'a> {
    pub time: i64,
    pub event_name: &'a str,
    pub body: &'a str,
    pub attributes: Attributes,
    pub key: String,
}

pub fn event_log(context: &ParseContext<'_>, service_name: &str, event: EventRow<'_>, out: &mut Emitted) {
    if context.usage_only || !context.in_window(event.time) {
        return;
    }
    let mut attributes = event.attributes;
    attributes.insert("event.name".to_owned(), event.event_name.to_owned());
    attributes.insert("import_source".to_owned(), context.import_source().to_owned());
    out.saw_time(event.time);
    out.batch.logs.push(LogRecord {
        time: event.time,
        severity_text: "INFO".to_owned(),
        severity_number: 9,
        service_name: service_name.to_owned(),
        body: event.body.to_owned(),
        attributes,
        record_key: Some(event.key),
        ..LogRecord::default()
    });
}

/// A session's name as the tool keeps it, as a `session.title` event (the sessions list shows it
/// before the first prompt); one per session, replaced when the name changes.
pub fn session_title(context: &ParseContext<'_>, service_name: &str, session_id: &str, title: &str, time: i64, out: &mut Emitted) {
    let mut attributes = Attributes::new();
    attributes.insert("session.id".to_owned(), session_id.to_owned());
    attributes.insert("title".to_owned(), title.to_owned());
    let event =
        EventRow { time, event_name: "session.title", body: title, attributes, key: format!("file:{service_name}:title:{session_id}") };
    event_log(context, service_name, event, out);
}

/// The token and cost counters of a usage record `usage` returned (`model::import_counters`), unless
/// a bulk import owes them: its end derives them from the stored records (`ParseContext::counters_owed`).
pub fn counters(context: &ParseContext<'_>, record: &UsageRecord, out: &mut Emitted) {
    if context.usage_only || context.counters_owed {
        return;
    }
    out.batch.metrics.extend(crate::model::import_counters::points(record, context.import_source()));
}

/// A priced usage record (if it falls in the window), returned for the rows built from it; a
/// usage-only read returns `None` too, as it builds no other rows.
pub fn usage(context: &ParseContext<'_>, mut record: UsageRecord, out: &mut Emitted) -> Option<UsageRecord> {
    if !context.in_window(record.time) {
        return None;
    }
    crate::pricing::apply_price(context.prices, &mut record);
    record.source = Some(context.source);
    record.source_file = Some(context.file.path.display().to_string());
    if record.project.is_some() && record.repository.is_none() {
        record.repository = record.project.as_deref().and_then(|cwd| context.projects.repository_of(cwd));
    }
    out.saw_time(record.time);
    out.records += 1;
    if context.usage_only {
        out.batch.usage.push(record);
        return None;
    }
    out.batch.usage.push(record.clone());
    Some(record)
}

/// Unix nanoseconds of an RFC 3339 timestamp.
pub fn parse_time(text: Option<&str>) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text?.trim()).ok()?.timestamp_nanos_opt()
}
