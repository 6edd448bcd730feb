//! Claude Code transcripts.
//!
//! Counting rules (see docs/import.md): Claude Code writes one line per content block of a response
//! and repeats the response's usage on each, sometimes with a partial `output_tokens` on the early
//! lines; consecutive lines of one response (same message id and request id) are merged keeping the
//! largest output count. A response is keyed by its message id across all files, so history copied
//! into a resumed session's file counts once, for the session that made it: a copied line names
//! it (`requestSessionId`, recent versions), or, unnamed, is known by a time earlier than its file's
//! first line and left to the parent's file. Sub-agent files (`<session>/subagents/*.jsonl`)
//! belong to their parent session. Client-side error messages (`<synthetic>` model) are not API
//! calls and carry no usage. The session's own title (`ai-title`, older `summary` lines) becomes a
//! `session.title` event.

mod format;

use super::emit::{self, TranscriptMessage};
use super::{Emitted, Importer, ParseContext, SessionParser};
use crate::importers::discovery::SessionFile;
use crate::model::{Attributes, Tool, UsageRecord};
use format::{Block, Line};
use serde::{Deserialize, Serialize};

const SERVICE: &str = "claude-code";

pub struct ClaudeCodeImporter;

impl Importer for ClaudeCodeImporter {
    fn tool(&self) -> Tool {
        Tool::ClaudeCode
    }

    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        let saved: SavedState = state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
        let session_needle = saved.session_id.as_deref().map(session_needle);
        Box::new(ClaudeParser { parent_session: parent_session_of(&file.path), saved, pending: None, session_needle })
    }
}

/// `…/<session-id>/subagents/agent-x.jsonl` belongs to `<session-id>`.
fn parent_session_of(path: &std::path::Path) -> Option<String> {
    let parent = path.parent()?;
    if parent.file_name()? != "subagents" {
        return None;
    }
    parent.parent()?.file_name()?.to_str().map(str::to_owned)
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedState {
    next_index: i64,
    #[serde(default)]
    session_id: Option<String>,
    /// The last responses emitted: message id, the time they were keyed at, their largest output.
    /// A read that starts between two content blocks of a response finds it here and keys it at
    /// the same time, so its rows replace the earlier ones instead of adding to them.
    #[serde(default)]
    recent: Vec<(String, i64, i64)>,
    /// The first time the file states: lines older than it were copied from another session.
    #[serde(default)]
    file_started: Option<i64>,
    /// The latest time the file stated, for lines without one (titles).
    #[serde(default)]
    last_time: Option<i64>,
    /// A title read before any line stated a time, emitted at the first time stated.
    #[serde(default)]
    pending_title: Option<(String, String)>,
}

/// Responses remembered across reads (a response's blocks are written within seconds).
const RECENT_RESPONSES: usize = 64;

impl SavedState {
    fn remember(&mut self, message_id: &str, time: i64, output: i64) {
        self.recent.retain(|(id, _, _)| id != message_id);
        self.recent.push((message_id.to_owned(), time, output));
        if self.recent.len() > RECENT_RESPONSES {
            self.recent.remove(0);
        }
    }

    fn recalled(&self, message_id: &str) -> Option<(i64, i64)> {
        self.recent.iter().find(|(id, _, _)| id == message_id).map(|(_, time, output)| (*time, *output))
    }
}

/// A response whose lines are still being merged.
struct PendingResponse {
    message_id: String,
    request_id: Option<String>,
    time: i64,
    session_id: String,
    model: String,
    input: i64,
    output: i64,
    cache_read: i64,
    cache_write_5m: i64,
    cache_write_1h: i64,
    speed: Option<String>,
    reported_cost: Option<f64>,
    cwd: Option<String>,
    git_branch: Option<String>,
    agent_id: Option<String>,
}

enum Requester {
    This,
    /// A copy naming the session that made the request.
    Named(String),
    /// A copy older than this file: its own session's file counts it.
    Unnamed,
}

struct ClaudeParser {
    parent_session: Option<String>,
    saved: SavedState,
    pending: Option<PendingResponse>,
    /// A search for `"sessionId":"<the last session named>"`, for `may_carry_usage`.
    session_needle: Option<memchr::memmem::Finder<'static>>,
}

/// A search for how a line names `session` (Claude Code writes compact JSON).
fn session_needle(session: &str) -> memchr::memmem::Finder<'static> {
    memchr::memmem::Finder::new(format!("\"sessionId\":\"{session}\"").as_bytes()).into_owned()
}

/// A search for a usage field, built once (`memmem::find` builds one per call).
fn usage_needle() -> &'static memchr::memmem::Finder<'static> {
    static NEEDLE: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    NEEDLE.get_or_init(|| memchr::memmem::Finder::new(b"\"usage\""))
}

impl ClaudeParser {
    fn session_of<C>(&mut self, line: &Line<C>) -> String {
        let session = self
            .parent_session
            .clone()
            .or_else(|| line.session_id.clone())
            .or_else(|| self.saved.session_id.clone())
            .unwrap_or_else(|| "unknown".to_owned());
        if self.saved.session_id.as_deref() != Some(session.as_str()) {
            self.session_needle = Some(session_needle(&session));
            self.saved.session_id = Some(session.clone());
        }
        session
    }

    /// Which session made the request of an assistant line: this one, or the one a fork copied
    /// the line from.
    fn requester<C>(&self, line: &Line<C>, time: i64) -> Requester {
        match &line.request_session_id {
            Some(requester) if line.session_id.as_ref() != Some(requester) => Requester::Named(requester.clone()),
            Some(_) => Requester::This,
            None if self.saved.file_started.is_some_and(|started| time < started) => Requester::Unnamed,
            None => Requester::This,
        }
    }

    fn next_index(&mut self) -> i64 {
        let index = self.saved.next_index;
        self.saved.next_index += 1;
        index
    }

    fn flush(&mut self, context: &ParseContext<'_>, out: &mut Emitted) {
        let Some(response) = self.pending.take() else { return };
        self.saved.remember(&response.message_id, response.time, response.output);
        let usage_key = format!("file:claude-code:msg:{}", response.message_id);
        let record = UsageRecord {
            record_key: usage_key.clone(),
            time: response.time,
            tool: Some(Tool::ClaudeCode),
            service_name: SERVICE.to_owned(),
            session_id: Some(response.session_id.clone()),
            request_id: response.request_id.clone(),
            message_id: Some(response.message_id.clone()),
            model: response.model.clone(),
            project: response.cwd.clone(),
            input_tokens: response.input,
            cache_read_tokens: response.cache_read,
            cache_write_5m_tokens: response.cache_write_5m,
            cache_write_1h_tokens: response.cache_write_1h,
            output_tokens: response.output,
            reported_cost_usd: response.reported_cost,
            speed: response.speed.clone(),
            agent_id: response.agent_id.clone(),
            ..UsageRecord::default()
        };
        let Some(record) = emit::usage(context, record, out) else { return };
        let cost = record.reported_cost_usd.or(record.computed_cost_usd);
        request_event(context, &response, &record, cost, &usage_key, out);
        emit::counters(context, &record, out);
    }

    fn take_usage<C>(&mut self, context: &ParseContext<'_>, line: &Line<C>, session_id: &str, time: i64, out: &mut Emitted) {
        let Some(message) = &line.message else { return };
        let (Some(usage), Some(message_id)) = (&message.usage, &message.id) else { return };
        let model = message.model.clone().unwrap_or_else(|| "unknown".to_owned());
        if model == "<synthetic>" {
            return;
        }
        if let Some(pending) = &mut self.pending
            && &pending.message_id == message_id
            && pending.request_id == line.request_id
        {
            pending.output = pending.output.max(usage.output_tokens);
            return;
        }
        self.flush(context, out);
        // A response already emitted by an earlier read keeps its time (and its largest output).
        let (time, output) = match self.saved.recalled(message_id) {
            Some((first_time, output)) => (first_time, output.max(usage.output_tokens)),
            None => (time, usage.output_tokens),
        };
        let (cache_write_5m, cache_write_1h) = match &usage.cache_creation {
            Some(split) if split.ephemeral_5m_input_tokens + split.ephemeral_1h_input_tokens > 0 => {
                (split.ephemeral_5m_input_tokens, split.ephemeral_1h_input_tokens)
            }
            _ => (usage.cache_creation_input_tokens, 0),
        };
        self.pending = Some(PendingResponse {
            message_id: message_id.clone(),
            request_id: line.request_id.clone(),
            time,
            session_id: session_id.to_owned(),
            model,
            input: usage.input_tokens,
            output,
            cache_read: usage.cache_read_input_tokens,
            cache_write_5m,
            cache_write_1h,
            speed: usage.speed.clone().filter(|speed| speed != "standard"),
            reported_cost: line.cost_usd.filter(|cost| *cost > 0.0),
            cwd: line.cwd.clone(),
            git_branch: line.git_branch.clone().filter(|branch| branch != "HEAD"),
            agent_id: line.agent_id.clone(),
        });
    }
}

/// The `api_request` event of a response, as Claude Code's own telemetry names it.
fn request_event(
    context: &ParseContext<'_>,
    response: &PendingResponse,
    record: &UsageRecord,
    cost: Option<f64>,
    usage_key: &str,
    out: &mut Emitted,
) {
    let mut attributes = Attributes::new();
    attributes.insert("session.id".to_owned(), response.session_id.clone());
    attributes.insert("model".to_owned(), response.model.clone());
    for (key, value) in [
        ("request_id", &response.request_id),
        ("cwd", &response.cwd),
        ("git_branch", &response.git_branch),
        ("agent_id", &response.agent_id),
        ("repository", &record.repository),
    ] {
        if let Some(value) = value {
            attributes.insert(key.to_owned(), value.clone());
        }
    }
    let mut request_attributes = attributes.clone();
    for (key, value) in [
        ("input_tokens", response.input),
        ("output_tokens", response.output),
        ("cache_read_tokens", response.cache_read),
        ("cache_creation_tokens", response.cache_write_5m + response.cache_write_1h),
    ] {
        request_attributes.insert(key.to_owned(), value.to_string());
    }
    if let Some(cost) = cost {
        request_attributes.insert("cost_usd".to_owned(), cost.to_string());
    }
    emit::event_log(
        context,
        SERVICE,
        emit::EventRow {
            time: response.time,
            event_name: "api_request",
            body: "api_request",
            attributes: request_attributes,
            key: format!("{usage_key}:api_request"),
        },
        out,
    );
}

impl ClaudeParser {
    /// What every line does whatever is read of it: the file's times, the title, the session, and
    /// an assistant line's usage. Returns the time and session of a user or assistant line.
    fn state_and_usage<C>(
        &mut self,
        context: &ParseContext<'_>,
        line: &Line<C>,
        out: &mut Emitted,
    ) -> Result<Option<(i64, String)>, String> {
        let kind = line.kind.as_deref().unwrap_or_default();
        let stated_time = emit::parse_time(line.timestamp.as_deref());
        if self.saved.file_started.is_none() {
            self.saved.file_started = stated_time;
        }
        self.saved.last_time = stated_time.or(self.saved.last_time);
        if (kind == "ai-title" || kind == "summary")
            && let Some(title) = line.ai_title.clone().or_else(|| line.summary.clone())
        {
            self.saved.pending_title = Some((self.session_of(line), title));
        }
        self.emit_title(context, out);
        if kind != "user" && kind != "assistant" {
            return Ok(None);
        }
        let Some(time) = stated_time else {
            return Err("a user or assistant line without a valid timestamp".to_owned());
        };
        let session_id = self.session_of(line);
        if kind == "assistant" {
            match self.requester(line, time) {
                Requester::This => self.take_usage(context, line, &session_id, time, out),
                Requester::Named(requester) => self.take_usage(context, line, &requester, time, out),
                Requester::Unnamed => {}
            }
        }
        Ok(Some((time, session_id)))
    }
}

impl ClaudeParser {
    /// The session's title as Claude Code names it, as a `session.title` event at the latest time
    /// the file stated (one per session: a later title replaces an earlier one).
    fn emit_title(&mut self, context: &ParseContext<'_>, out: &mut Emitted) {
        let Some(time) = self.saved.last_time else { return };
        let Some((session_id, title)) = self.saved.pending_title.take() else { return };
        let mut attributes = Attributes::new();
        attributes.insert("session.id".to_owned(), session_id.clone());
        attributes.insert("title".to_owned(), emit::truncate(&title, 1024));
        emit::event_log(
            context,
            SERVICE,
            emit::EventRow {
                time,
                event_name: "session.title",
                body: "session.title",
                attributes,
                key: format!("file:claude:{session_id}:title"),
            },
            out,
        );
    }
}

impl SessionParser for ClaudeParser {
    fn line(&mut self, context: &ParseContext<'_>, _number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String> {
        let invalid = |error: serde_json::Error| format!("invalid JSON: {error}");
        if context.usage_only {
            // The content is skipped, not built: only the transcript reads it.
            let line: Line<serde::de::IgnoredAny> = serde_json::from_slice(text).map_err(invalid)?;
            return self.state_and_usage(context, &line, out).map(|_| ());
        }
        let line: Line = serde_json::from_slice(text).map_err(invalid)?;
        let Some((time, session_id)) = self.state_and_usage(context, &line, out)? else { return Ok(()) };
        let kind = line.kind.as_deref().unwrap_or_default();
        if line.is_meta == Some(true) {
            return Ok(());
        }
        let Some(content) = line.message.as_ref().and_then(|message| message.content.as_ref()) else { return Ok(()) };
        let model = line.message.as_ref().and_then(|message| message.model.clone()).filter(|model| model != "<synthetic>");
        let message_id = line.message.as_ref().and_then(|message| message.id.clone());
        let line_key = line.uuid.clone().unwrap_or_else(|| format!("t{time}"));
        for (block_number, block) in format::blocks(content).into_iter().enumerate() {
            let key = format!("file:claude-code:{session_id}:{line_key}:{block_number}");
            let index = self.next_index();
            let base = TranscriptMessage {
                key,
                time,
                session_id: session_id.clone(),
                index,
                model: model.clone(),
                message_id: message_id.clone(),
                ..TranscriptMessage::default()
            };
            let message = match block {
                Block::Text(text) => TranscriptMessage { role: if kind == "user" { "user" } else { "assistant" }, content: text, ..base },
                Block::ToolUse { id, name, input } => {
                    TranscriptMessage { role: "tool_use", tool_name: Some(name), tool_input: Some(input), tool_call_id: id, ..base }
                }
                Block::ToolResult { tool_use_id, output, is_error } => TranscriptMessage {
                    role: "tool_result",
                    content: emit::truncate(&output, emit::MAX_TOOL_BYTES),
                    tool_output: Some(output),
                    tool_call_id: tool_use_id,
                    success: Some(!is_error),
                    ..base
                },
            };
            emit::transcript_log(context, SERVICE, message, out);
        }
        Ok(())
    }

    /// Lines before the first stated time (it sets `file_started`), lines with usage, and lines
    /// that may name another session than the last one named (a line without a session id is
    /// taken for that one); a user line of the same session only adds to the transcript.
    fn may_carry_usage(&self, text: &[u8]) -> bool {
        self.saved.file_started.is_none()
            || usage_needle().find(text).is_some()
            || (self.parent_session.is_none() && self.session_needle.as_ref().is_none_or(|needle| needle.find(text).is_none()))
    }

    fn finish(&mut self, context: &ParseContext<'_>, out: &mut Emitted) {
        self.flush(context, out);
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }
}
