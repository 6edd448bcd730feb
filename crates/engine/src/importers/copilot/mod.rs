//! GitHub Copilot CLI session events.
//!
//! Counting rule (see docs/import.md): each model call is one `session.usage_record` event, keyed
//! by its `apiCallId` (the provider's response id, which the tool's `chat` spans carry as
//! `gen_ai.response.id`). `session.shutdown` snapshots are running totals over the whole session,
//! resumes included, and are never added. The `cost` Copilot writes is not used: it is 0 with a
//! user's own key and counts GitHub's own units otherwise, so requests are priced from the table.
//! `--resume` appends to the same file.

mod format;

use super::emit::{self, TranscriptMessage};
use super::{Emitted, Importer, ParseContext, SessionParser};
use crate::importers::discovery::SessionFile;
use crate::model::{Tool, UsageRecord};
use format::{Event, Usage};
use serde::{Deserialize, Serialize};

pub const SERVICE: &str = "github-copilot";

pub struct CopilotImporter;

impl Importer for CopilotImporter {
    fn tool(&self) -> Tool {
        Tool::Copilot
    }

    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        let mut saved: SavedState = state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
        if saved.session_id.is_none() {
            // `session-state/<session id>/events.jsonl`
            saved.session_id = file.path.parent().and_then(|folder| folder.file_name()).and_then(|name| name.to_str()).map(str::to_owned);
        }
        Box::new(CopilotParser { saved })
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SavedState {
    session_id: Option<String>,
    cwd: Option<String>,
    model: Option<String>,
    next_index: i64,
}

struct CopilotParser {
    saved: SavedState,
}

impl CopilotParser {
    fn session(&self) -> String {
        self.saved.session_id.clone().unwrap_or_else(|| "unknown".to_owned())
    }

    fn session_context(&mut self, data: &serde_json::Value) {
        if let Some(session) = data.get("sessionId").and_then(serde_json::Value::as_str).filter(|session| !session.is_empty()) {
            self.saved.session_id = Some(session.to_owned());
        }
        if let Some(cwd) = data.pointer("/context/cwd").and_then(serde_json::Value::as_str) {
            self.saved.cwd = Some(cwd.to_owned());
        }
        if let Some(model) = data.get("selectedModel").and_then(serde_json::Value::as_str) {
            self.saved.model = Some(model.to_owned());
        }
    }

    fn usage(&self, context: &ParseContext<'_>, number: u64, time: i64, data: &serde_json::Value, out: &mut Emitted) -> Result<(), String> {
        let Some(usage) = data.get("usage") else { return Ok(()) };
        let usage: Usage = serde_json::from_value(usage.clone()).map_err(|error| format!("invalid session.usage_record: {error}"))?;
        let accounting = usage.accounting.unwrap_or_default();
        let request_id = usage.api_call_id.or(accounting.usage_id).filter(|id| !id.is_empty());
        let key = match &request_id {
            Some(id) => format!("file:copilot:resp:{id}"),
            None => format!("file:copilot:{}:l{number}", self.session()),
        };
        let cache_read = usage.cache_read_tokens.max(0);
        let cache_write = usage.cache_write_tokens.max(0);
        let record = UsageRecord {
            record_key: key,
            time,
            tool: Some(Tool::Copilot),
            service_name: SERVICE.to_owned(),
            session_id: Some(accounting.source_session_id.filter(|session| !session.is_empty()).unwrap_or_else(|| self.session())),
            request_id,
            model: usage.model.or_else(|| self.saved.model.clone()).unwrap_or_else(|| "unknown".to_owned()),
            project: self.saved.cwd.clone(),
            input_tokens: (usage.input_tokens - cache_read - cache_write).max(0),
            cache_read_tokens: cache_read,
            cache_write_5m_tokens: cache_write,
            output_tokens: usage.output_tokens.max(0),
            reasoning_tokens: usage.reasoning_tokens.max(0),
            query_source: usage.initiator,
            duration_ms: usage.duration.map(|duration| duration.round() as i64),
            ..UsageRecord::default()
        };
        emit::usage(context, record, out);
        Ok(())
    }

    fn message(&mut self, context: &ParseContext<'_>, event: &Event, time: i64, role: &'static str, out: &mut Emitted) {
        let content = format::content(&event.data);
        let tool_name = if role == "assistant" { format::first_tool_request(&event.data) } else { None };
        if content.trim().is_empty() && tool_name.is_none() {
            return;
        }
        let index = self.saved.next_index;
        self.saved.next_index += 1;
        let id = event.id.clone().unwrap_or_else(|| format!("i{index}"));
        emit::transcript_log(
            context,
            SERVICE,
            TranscriptMessage {
                key: format!("file:copilot:{}:{id}", self.session()),
                time,
                session_id: self.session(),
                role,
                index,
                content,
                model: event.data.get("model").and_then(serde_json::Value::as_str).map(str::to_owned),
                message_id: event.data.get("messageId").and_then(serde_json::Value::as_str).map(str::to_owned),
                tool_name,
                ..TranscriptMessage::default()
            },
            out,
        );
    }
}

impl SessionParser for CopilotParser {
    fn line(&mut self, context: &ParseContext<'_>, number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String> {
        let event: Event = serde_json::from_slice(text).map_err(|error| format!("invalid JSON: {error}"))?;
        let Some(kind) = event.kind.as_deref() else { return Ok(()) };
        let Some(time) = emit::parse_time(event.timestamp.as_deref()) else {
            return Err(format!("a {kind} event without a valid timestamp"));
        };
        match kind {
            "session.start" | "session.resume" => self.session_context(&event.data),
            "session.usage_record" => self.usage(context, number, time, &event.data, out)?,
            "user.message" => self.message(context, &event, time, "user", out),
            "assistant.message" => self.message(context, &event, time, "assistant", out),
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }
}
