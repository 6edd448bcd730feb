//! Qwen Code chat files.
//!
//! Counting rule (see docs/import.md): every model call, auxiliary ones included, is a
//! `system`/`ui_telemetry` record copying the `qwen-code.api_response` event, with the provider's
//! response id; the `assistant` record that follows a main-conversation call repeats its usage and
//! is not counted again. Usage is keyed by response id, so a call copied into another file is one
//! row, and matches the tool's telemetry by that id. Input counts include cache reads (and cache
//! creation: Qwen's files fold Anthropic cache writes into input, only its spans keep them apart).
//! `--resume` appends to the same file.

mod format;

use super::emit::{self, TranscriptMessage};
use super::{Emitted, Importer, ParseContext, SessionParser};
use crate::importers::discovery::SessionFile;
use crate::model::{Tool, UsageRecord};
use format::{ApiResponse, Record};
use serde::{Deserialize, Serialize};

pub const SERVICE: &str = "qwen-code";
const API_RESPONSE: &str = "qwen-code.api_response";

pub struct QwenImporter;

impl Importer for QwenImporter {
    fn tool(&self) -> Tool {
        Tool::QwenCode
    }

    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        let mut saved: SavedState = state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
        if saved.session_id.is_none() {
            saved.session_id = file.path.file_stem().and_then(|stem| stem.to_str()).map(str::to_owned);
        }
        Box::new(QwenParser { saved })
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct SavedState {
    session_id: Option<String>,
    cwd: Option<String>,
    next_index: i64,
}

struct QwenParser {
    saved: SavedState,
}

impl QwenParser {
    fn session(&self) -> String {
        self.saved.session_id.clone().unwrap_or_else(|| "unknown".to_owned())
    }

    fn api_response(&self, context: &ParseContext<'_>, number: u64, time: i64, event: ApiResponse, out: &mut Emitted) {
        let cached = event.cached_content_token_count.clamp(0, event.input_token_count.max(0));
        let reasoning = event.thoughts_token_count.max(0);
        let output = if event.thoughts_outside_output() { event.output_token_count + reasoning } else { event.output_token_count };
        let time = emit::parse_time(event.timestamp.as_deref()).unwrap_or(time);
        let key = match &event.response_id {
            Some(id) => format!("file:qwen-code:resp:{id}"),
            None => format!("file:qwen-code:{}:l{number}", self.session()),
        };
        let record = UsageRecord {
            record_key: key,
            time,
            tool: Some(Tool::QwenCode),
            service_name: SERVICE.to_owned(),
            session_id: Some(self.session()),
            request_id: event.response_id,
            model: event.model.unwrap_or_else(|| "unknown".to_owned()),
            project: self.saved.cwd.clone(),
            input_tokens: (event.input_token_count - cached).max(0),
            cache_read_tokens: cached,
            output_tokens: output.max(0),
            reasoning_tokens: reasoning,
            duration_ms: event.duration_ms.map(|duration| duration.round() as i64),
            ..UsageRecord::default()
        };
        emit::usage(context, record, out);
    }

    fn message(&mut self, context: &ParseContext<'_>, number: u64, time: i64, record: &Record, out: &mut Emitted) {
        let role = match record.kind.as_deref() {
            Some("user") => "user",
            Some("assistant") => "assistant",
            _ => return,
        };
        let Some(message) = &record.message else { return };
        let content = message.text();
        let tool_name = message.function_call().map(str::to_owned);
        if content.trim().is_empty() && tool_name.is_none() {
            return;
        }
        let index = self.saved.next_index;
        self.saved.next_index += 1;
        emit::transcript_log(
            context,
            SERVICE,
            TranscriptMessage {
                key: format!("file:qwen-code:{}:{}", self.session(), record.uuid.clone().unwrap_or_else(|| format!("l{number}"))),
                time,
                session_id: self.session(),
                role,
                index,
                content,
                model: record.model.clone(),
                message_id: record.uuid.clone(),
                tool_name,
                ..TranscriptMessage::default()
            },
            out,
        );
    }
}

impl SessionParser for QwenParser {
    fn line(&mut self, context: &ParseContext<'_>, number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String> {
        let record: Record = serde_json::from_slice(text).map_err(|error| format!("invalid JSON: {error}"))?;
        let Some(kind) = record.kind.as_deref() else { return Ok(()) };
        let Some(time) = emit::parse_time(record.timestamp.as_deref()) else {
            return Err(format!("a {kind} record without a valid timestamp"));
        };
        if let Some(session) = record.session_id.as_ref().filter(|session| !session.is_empty()) {
            self.saved.session_id = Some(session.clone());
        }
        if let Some(cwd) = record.cwd.as_ref().filter(|cwd| !cwd.is_empty()) {
            self.saved.cwd = Some(cwd.clone());
        }
        if kind == "system" && record.subtype.as_deref() == Some("ui_telemetry") {
            let event = record.system_payload.and_then(|payload| payload.ui_event);
            if let Some(event) = event.filter(|event| event.event_name.as_deref() == Some(API_RESPONSE)) {
                self.api_response(context, number, time, event, out);
            }
            return Ok(());
        }
        self.message(context, number, time, &record, out);
        Ok(())
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }
}
