//! Gemini CLI chat recordings: JSONL (v0.39+: a header line, message records, `$set` patches,
//! `$rewindTo` markers), the older whole-file JSON, and the legacy prompt log `logs.json`.

use crate::importers::lenient_number;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub messages: Vec<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: serde_json::Value,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub content: serde_json::Value,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub tokens: Option<Tokens>,
    #[serde(default)]
    pub tool_calls: Vec<ToolCall>,
}

/// A chat line as a usage-only read takes it (`ParseContext::usage_only`): what decides the line's
/// kind, the session, and the fields of a message its usage needs, typed as `Message` types them;
/// the messages' content and tool calls, most of a chat's bytes, are skipped unbuilt. A field given
/// as `null` is present, as the full read's `serde_json::Value::get` finds it. A line whose fields
/// do not fit these types is read as the full read reads it (`GeminiParser::line`).
#[derive(Debug, Deserialize)]
pub struct UsageLine {
    #[serde(rename = "$set", default, deserialize_with = "present_patch")]
    pub set: Option<UsagePatch>,
    #[serde(rename = "$rewindTo", default, deserialize_with = "present")]
    pub rewind_to: Option<serde_json::Value>,
    #[serde(rename = "sessionId", default)]
    pub session_id: Option<serde_json::Value>,
    #[serde(default, deserialize_with = "present")]
    pub id: Option<serde_json::Value>,
    #[serde(rename = "type", default, deserialize_with = "present_or_null")]
    pub kind: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub timestamp: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub tokens: Option<Option<Tokens>>,
}

impl UsageLine {
    /// The line's own message fields (a record line is a message).
    pub fn message(self) -> UsageFields {
        UsageFields { id: self.id, kind: self.kind, timestamp: self.timestamp, model: self.model, tokens: self.tokens }
    }
}

/// A `$set` patch's session and messages, for a usage-only read.
#[derive(Debug, Default, Deserialize)]
pub struct UsagePatch {
    #[serde(rename = "sessionId", default)]
    pub session_id: Option<serde_json::Value>,
    #[serde(default)]
    pub messages: Option<Vec<UsageFields>>,
}

/// The fields of a message record its usage reads (`Message` without content and tool calls);
/// `Some(None)` is a field given as `null`.
#[derive(Debug, Default, Deserialize)]
pub struct UsageFields {
    #[serde(default, deserialize_with = "present")]
    pub id: Option<serde_json::Value>,
    #[serde(rename = "type", default, deserialize_with = "present_or_null")]
    pub kind: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub timestamp: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "present_or_null")]
    pub tokens: Option<Option<Tokens>>,
}

impl UsageFields {
    /// Whether the line is a message record (the full read's test: an `id` and a `type`).
    pub fn is_message(&self) -> bool {
        self.id.is_some() && self.kind.is_some()
    }

    /// The message the full read builds from the same fields (`Message::deserialize` of the record,
    /// which needs an `id`), without its content and tool calls.
    pub fn into_message(self) -> Result<Message, String> {
        let id = self.id.ok_or_else(|| "invalid message record: missing field `id`".to_owned())?;
        Ok(Message {
            id,
            timestamp: self.timestamp.flatten(),
            kind: self.kind.flatten(),
            content: serde_json::Value::Null,
            model: self.model.flatten(),
            tokens: self.tokens.flatten(),
            tool_calls: Vec::new(),
        })
    }
}

/// A field that is there, `null` included (serde's `Option` takes `null` for absent).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// A typed field that is there: `Some(None)` when given as `null`.
fn present_or_null<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A `$set` that is there, `null` included (as an empty patch).
fn present_patch<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<UsagePatch>, D::Error> {
    Option::<UsagePatch>::deserialize(deserializer).map(|patch| Some(patch.unwrap_or_default()))
}

#[derive(Debug, Default, Clone, Copy, Deserialize)]
pub struct Tokens {
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub input: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub output: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cached: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub thoughts: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub tool: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub total: i64,
}

impl Tokens {
    /// Uncached input: `input` includes the cached tokens (when the total says so).
    pub fn uncached_input(&self) -> i64 {
        let inclusive = self.total == 0 || self.total == self.input + self.output + self.thoughts + self.tool;
        if inclusive { (self.input - self.cached).max(0) } else { self.input }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCall {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub args: serde_json::Value,
    #[serde(default)]
    pub result: serde_json::Value,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// One entry of the legacy `logs.json` prompt log.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyPrompt {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub message_id: serde_json::Value,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

/// Text of a message's content: a string or a list of parts with `text`.
pub fn content_text(content: &serde_json::Value) -> String {
    match content {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(parts) => {
            parts.iter().filter_map(|part| part.get("text").and_then(serde_json::Value::as_str)).collect::<Vec<_>>().join("\n")
        }
        _ => String::new(),
    }
}

/// A tool call's output from its `result` (function responses).
pub fn tool_result_text(result: &serde_json::Value) -> String {
    match result {
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|item| {
                item.pointer("/functionResponse/response/output")
                    .map(|output| output.as_str().map_or_else(|| output.to_string(), str::to_owned))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn id_text(id: &serde_json::Value) -> String {
    id.as_str().map_or_else(|| id.to_string(), str::to_owned)
}
