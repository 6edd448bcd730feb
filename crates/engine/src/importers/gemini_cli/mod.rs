//! Gemini CLI chat recordings.
//!
//! Counting rules (see docs/import.md): a message is re-appended whenever it changes (tokens added,
//! tool calls added), and a resumed session replays its history in a `$set.messages` checkpoint;
//! every copy of a message has the same id, which is its natural key, so the last copy wins and
//! nothing counts twice. The checkpoint restamps the messages it replays with the time of the
//! resume; a message keeps the time it was first seen at, so its rows are replaced, not repeated,
//! whichever read sees the copy. A checkpoint's copy of a message the file already recorded is
//! skipped: it is lossy (no model, no tokens, thoughts merged into the text, and a tool's result
//! restated under its call's id), while the record it restates has everything. Rewound messages
//! (`$rewindTo`) were billed and still count. Usage:
//! `tokens.input` includes `cached`; thinking (`thoughts`) is billed as output.

mod format;

use super::emit::{self, TranscriptMessage};
use super::{Emitted, Importer, ParseContext, SessionParser};
use crate::importers::discovery::SessionFile;
use crate::model::{Tool, UsageRecord};
use format::{Conversation, LegacyPrompt, Message, UsageLine};
use serde::{Deserialize, Serialize};
use std::path::Path;

const SERVICE: &str = "gemini-cli";

pub struct GeminiImporter;

impl Importer for GeminiImporter {
    fn tool(&self) -> Tool {
        Tool::Gemini
    }

    fn parser(&self, file: &SessionFile, state: Option<serde_json::Value>) -> Box<dyn SessionParser> {
        let mut saved: SavedState = state.and_then(|value| serde_json::from_value(value).ok()).unwrap_or_default();
        if saved.project.is_none() {
            saved.project = project_of(&file.path);
        }
        let kind = if file.path.file_name().is_some_and(|name| name == "logs.json") {
            FileKind::LegacyPrompts
        } else if file.path.extension().is_some_and(|extension| extension == "json") {
            FileKind::WholeConversation
        } else {
            FileKind::Jsonl
        };
        Box::new(GeminiParser { saved, kind, parent_session: parent_session_of(&file.path) })
    }

    fn is_whole_file(&self, file: &SessionFile) -> bool {
        file.path.extension().is_some_and(|extension| extension == "json")
    }
}

/// A sub-agent's chat, `…/chats/<parent session id>/<session id>.jsonl`, belongs to its parent
/// session: the sub-agent's requests reach telemetry under the parent's session id too.
fn parent_session_of(path: &Path) -> Option<String> {
    let folder = path.parent()?;
    if folder.parent()?.file_name()? != "chats" {
        return None;
    }
    folder.file_name()?.to_str().map(str::to_owned)
}

/// The project folder a chat belongs to: `~/.gemini/tmp/<project>/chats/…`, resolved to the
/// project's path through `~/.gemini/projects.json` when it lists it.
fn project_of(path: &Path) -> Option<String> {
    let project_dir = path
        .ancestors()
        .find(|ancestor| ancestor.file_name().is_some_and(|name| name == "chats"))
        .and_then(Path::parent)
        .or_else(|| path.parent())?;
    let short_name = project_dir.file_name()?.to_str()?.to_owned();
    let registry = project_dir.parent()?.parent()?.join("projects.json");
    let mapped =
        std::fs::read_to_string(registry).ok().and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok()).and_then(|value| {
            value
                .get("projects")?
                .as_object()?
                .iter()
                .find(|(_, name)| name.as_str() == Some(short_name.as_str()))
                .map(|(path, _)| path.clone())
        });
    Some(mapped.unwrap_or(short_name))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    Jsonl,
    WholeConversation,
    LegacyPrompts,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedState {
    session_id: Option<String>,
    project: Option<String>,
    /// When each message of the file was first seen (its rows are keyed at that time).
    #[serde(default)]
    first_seen: std::collections::HashMap<String, i64>,
}

/// Where a message's rows are keyed and placed: its natural key, id, time and session.
struct MessagePlace {
    key: String,
    id: String,
    time: i64,
    session: String,
}

/// A message's tool calls and their results as transcript rows.
fn tool_calls(context: &ParseContext<'_>, message: &Message, at: &MessagePlace, out: &mut Emitted) {
    for (number, call) in message.tool_calls.iter().enumerate() {
        let call_time = emit::parse_time(call.timestamp.as_deref()).unwrap_or(at.time);
        let name = call.name.clone();
        let use_row = TranscriptMessage {
            key: format!("{}:tool:{number}", at.key),
            time: call_time,
            session_id: at.session.clone(),
            role: "tool_use",
            tool_name: name.clone(),
            tool_input: Some(call.args.to_string()),
            tool_call_id: call.id.clone(),
            model: message.model.clone(),
            ..TranscriptMessage::default()
        };
        emit::transcript_log(context, SERVICE, use_row, out);
        let output = format::tool_result_text(&call.result);
        if !output.is_empty() || call.status.is_some() {
            let result_row = TranscriptMessage {
                key: format!("{}:result:{number}", at.key),
                time: call_time + 1_000_000,
                session_id: at.session.clone(),
                role: "tool_result",
                content: emit::truncate(&output, emit::MAX_TOOL_BYTES),
                tool_name: name,
                tool_output: Some(output),
                tool_call_id: call.id.clone(),
                success: call.status.as_deref().map(|status| status == "success"),
                ..TranscriptMessage::default()
            };
            emit::transcript_log(context, SERVICE, result_row, out);
        }
    }
}

/// Where a message comes from: its own record, or a `$set.messages` checkpoint restating it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    Record,
    Checkpoint,
}

struct GeminiParser {
    saved: SavedState,
    kind: FileKind,
    /// Set for a sub-agent's chat: the session its rows belong to.
    parent_session: Option<String>,
}

impl GeminiParser {
    fn session(&self) -> String {
        self.parent_session.clone().or_else(|| self.saved.session_id.clone()).unwrap_or_else(|| "unknown".to_owned())
    }

    /// The sub-agent's own session id, for a sub-agent's chat.
    fn agent_id(&self) -> Option<String> {
        self.parent_session.as_ref().and(self.saved.session_id.clone())
    }

    fn message(&mut self, context: &ParseContext<'_>, value: &serde_json::Value, origin: Origin, out: &mut Emitted) -> Result<(), String> {
        let message = Message::deserialize(value).map_err(|error| format!("invalid message record: {error}"))?;
        self.read_message(context, message, origin, out)
    }

    /// A message record, or a checkpoint's copy of one: its usage, and for a full read its
    /// transcript rows.
    fn read_message(&mut self, context: &ParseContext<'_>, message: Message, origin: Origin, out: &mut Emitted) -> Result<(), String> {
        let id = format::id_text(&message.id);
        if origin == Origin::Checkpoint && self.saved.first_seen.contains_key(&id) {
            return Ok(());
        }
        let Some(stated) = emit::parse_time(message.timestamp.as_deref()) else {
            return Err(format!("message {id} without a valid timestamp"));
        };
        let time = *self.saved.first_seen.entry(id.clone()).or_insert(stated);
        let session = self.session();
        let at = MessagePlace { key: format!("file:gemini:{session}:{id}"), id, time, session };
        if context.usage_only {
            if let (Some("gemini"), Some(tokens)) = (message.kind.as_deref(), message.tokens) {
                self.usage(context, &message, tokens, &at, out);
            }
            return Ok(());
        }
        let text = format::content_text(&message.content);
        let role = match message.kind.as_deref() {
            Some("user") => "user",
            Some("gemini") => "assistant",
            Some("error") | Some("warning") | Some("info") => "system",
            _ => return Ok(()),
        };
        let severity = match message.kind.as_deref() {
            Some("error") => Some(("ERROR", 17)),
            Some("warning") => Some(("WARN", 13)),
            _ => None,
        };
        if !text.trim().is_empty() {
            let transcript = TranscriptMessage {
                key: at.key.clone(),
                time,
                session_id: at.session.clone(),
                role,
                index: 0,
                content: text,
                model: message.model.clone(),
                message_id: Some(at.id.clone()),
                severity,
                ..TranscriptMessage::default()
            };
            emit::transcript_log(context, SERVICE, transcript, out);
        }
        tool_calls(context, &message, &at, out);
        if let (Some("gemini"), Some(tokens)) = (message.kind.as_deref(), message.tokens) {
            self.usage(context, &message, tokens, &at, out);
        }
        Ok(())
    }

    /// The request a Gemini message's tokens stand for, with Gemini's own token and cost counters.
    fn usage(&self, context: &ParseContext<'_>, message: &Message, tokens: format::Tokens, at: &MessagePlace, out: &mut Emitted) {
        let model = message.model.clone().unwrap_or_else(|| "unknown".to_owned());
        let record = UsageRecord {
            record_key: at.key.clone(),
            time: at.time,
            tool: Some(Tool::Gemini),
            service_name: SERVICE.to_owned(),
            session_id: Some(at.session.clone()),
            message_id: Some(at.id.clone()),
            model,
            project: self.saved.project.clone(),
            agent_id: self.agent_id(),
            input_tokens: tokens.uncached_input(),
            cache_read_tokens: tokens.cached,
            output_tokens: tokens.output + tokens.thoughts,
            reasoning_tokens: tokens.thoughts,
            tool_tokens: tokens.tool,
            ..UsageRecord::default()
        };
        if let Some(record) = emit::usage(context, record, out) {
            emit::counters(context, &record, out);
        }
    }

    fn jsonl_line(&mut self, context: &ParseContext<'_>, value: serde_json::Value, out: &mut Emitted) -> Result<(), String> {
        if let Some(patch) = value.get("$set") {
            if let Some(session) = patch.get("sessionId").and_then(serde_json::Value::as_str) {
                self.saved.session_id = Some(session.to_owned());
            }
            if let Some(messages) = patch.get("messages").and_then(serde_json::Value::as_array) {
                for message in messages {
                    self.message(context, message, Origin::Checkpoint, out)?;
                }
            }
            return Ok(());
        }
        if value.get("$rewindTo").is_some() {
            return Ok(());
        }
        if value.get("id").is_some() && value.get("type").is_some() {
            return self.message(context, &value, Origin::Record, out);
        }
        if let Some(session) = value.get("sessionId").and_then(serde_json::Value::as_str) {
            self.saved.session_id = Some(session.to_owned());
        }
        Ok(())
    }

    /// `jsonl_line` for a usage-only read: the same decisions on a line read without its messages'
    /// content and tool calls (`UsageLine`), each message handed on with the fields its usage reads.
    fn jsonl_usage_line(&mut self, context: &ParseContext<'_>, line: UsageLine, out: &mut Emitted) -> Result<(), String> {
        let named = |session: Option<&serde_json::Value>| session.and_then(serde_json::Value::as_str).map(str::to_owned);
        if let Some(patch) = line.set {
            if let Some(session) = named(patch.session_id.as_ref()) {
                self.saved.session_id = Some(session);
            }
            for message in patch.messages.unwrap_or_default() {
                self.read_message(context, message.into_message()?, Origin::Checkpoint, out)?;
            }
            return Ok(());
        }
        if line.rewind_to.is_some() {
            return Ok(());
        }
        let session = named(line.session_id.as_ref());
        let message = line.message();
        if message.is_message() {
            return self.read_message(context, message.into_message()?, Origin::Record, out);
        }
        if let Some(session) = session {
            self.saved.session_id = Some(session);
        }
        Ok(())
    }
}

/// Searches for the strings `may_carry_usage` looks for, built once.
fn needles() -> &'static [memchr::memmem::Finder<'static>; 2] {
    static NEEDLES: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> = std::sync::OnceLock::new();
    NEEDLES.get_or_init(|| [memchr::memmem::Finder::new(b"\"gemini\""), memchr::memmem::Finder::new(b"\"sessionId\"")])
}

impl SessionParser for GeminiParser {
    fn line(&mut self, context: &ParseContext<'_>, _number: u64, text: &[u8], out: &mut Emitted) -> Result<(), String> {
        match self.kind {
            FileKind::Jsonl if context.usage_only => match serde_json::from_slice::<UsageLine>(text) {
                Ok(line) => self.jsonl_usage_line(context, line, out),
                // A line of another shape than Gemini CLI writes: read as the full read reads it,
                // so that both reads take or reject it alike.
                Err(_) => {
                    let value: serde_json::Value = serde_json::from_slice(text).map_err(|error| format!("invalid JSON: {error}"))?;
                    self.jsonl_line(context, value, out)
                }
            },
            FileKind::Jsonl => {
                let value: serde_json::Value = serde_json::from_slice(text).map_err(|error| format!("invalid JSON: {error}"))?;
                self.jsonl_line(context, value, out)
            }
            FileKind::WholeConversation => {
                let conversation: Conversation = serde_json::from_slice(text).map_err(|error| format!("invalid session JSON: {error}"))?;
                if let Some(session) = conversation.session_id {
                    self.saved.session_id = Some(session);
                }
                let mut problems = Vec::new();
                for message in &conversation.messages {
                    if let Err(problem) = self.message(context, message, Origin::Record, out) {
                        problems.push(problem);
                    }
                }
                if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
            }
            FileKind::LegacyPrompts => {
                let prompts: Vec<LegacyPrompt> = serde_json::from_slice(text).map_err(|error| format!("invalid logs.json: {error}"))?;
                for prompt in prompts {
                    let (Some(time), Some(content)) = (emit::parse_time(prompt.timestamp.as_deref()), prompt.message) else { continue };
                    let session = prompt.session_id.unwrap_or_else(|| "unknown".to_owned());
                    let key = format!("file:gemini:{session}:prompt:{}", format::id_text(&prompt.message_id));
                    emit::transcript_log(
                        context,
                        SERVICE,
                        TranscriptMessage { key, time, session_id: session, role: "user", content, ..TranscriptMessage::default() },
                        out,
                    );
                }
                Ok(())
            }
        }
    }

    /// For a first import's usage-only read: a chat line can matter to usage only if it holds a
    /// Gemini message (its type `"gemini"`, also inside a `$set` of messages) or names the session.
    /// User messages and `lastUpdated` patches, about half of a chat's bytes, are skipped unparsed.
    fn may_carry_usage(&self, text: &[u8]) -> bool {
        self.kind != FileKind::Jsonl || needles().iter().any(|needle| needle.find(text).is_some())
    }

    fn finish(&mut self, _context: &ParseContext<'_>, _out: &mut Emitted) {}

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.saved).unwrap_or(serde_json::Value::Null)
    }
}
