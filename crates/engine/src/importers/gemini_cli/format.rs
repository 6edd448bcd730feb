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
