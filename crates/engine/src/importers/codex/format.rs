//! Codex CLI rollout lines (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`):
//! `{timestamp, type, payload}` with the payload shapes the importer reads.

use crate::importers::lenient_number;
use serde::Deserialize;
use std::borrow::Cow;

/// A line, borrowed from the text read where it can be (a string with escapes is copied).
#[derive(Debug, Deserialize)]
pub struct Line<'a> {
    #[serde(default, borrow)]
    pub timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "type", default, borrow)]
    pub kind: Option<Cow<'a, str>>,
    /// The line's place in the thread (recent Codex); a fork's own lines continue its parent's.
    #[serde(default)]
    pub ordinal: Option<u64>,
    /// Kept as written: a `token_usage_record`'s is parsed straight into `UsageRecordPayload`, the
    /// rarer lines' into a `serde_json::Value`.
    #[serde(default, borrow)]
    pub payload: Option<&'a serde_json::value::RawValue>,
}

impl Line<'_> {
    /// The payload's JSON text (`null` if the line has none).
    pub fn payload_text(&self) -> &str {
        self.payload.map_or("null", serde_json::value::RawValue::get)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SessionMeta {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub originator: Option<String>,
    #[serde(default)]
    pub cli_version: Option<String>,
    #[serde(default)]
    pub model_provider: Option<String>,
    #[serde(default)]
    pub forked_from_id: Option<String>,
    /// The first ordinal the thread wrote itself; lines before it are copied history.
    #[serde(default)]
    pub subagent_history_start_ordinal: Option<u64>,
    /// `paginated` threads refer to their parent's file instead of copying it.
    #[serde(default)]
    pub history_mode: Option<String>,
    #[serde(default)]
    pub git: Option<Git>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Git {
    #[serde(default)]
    pub repository_url: Option<String>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct TokenUsage {
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count", alias = "cache_read_input_tokens")]
    pub cached_input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub output_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub reasoning_output_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub total_tokens: i64,
}

impl TokenUsage {
    pub fn is_zero(&self) -> bool {
        self.input_tokens == 0 && self.output_tokens == 0 && self.cached_input_tokens == 0 && self.reasoning_output_tokens == 0
    }

    /// Field-wise `self − earlier`, each clamped at zero.
    pub fn minus(&self, earlier: &TokenUsage) -> TokenUsage {
        TokenUsage {
            input_tokens: (self.input_tokens - earlier.input_tokens).max(0),
            cached_input_tokens: (self.cached_input_tokens - earlier.cached_input_tokens).max(0),
            output_tokens: (self.output_tokens - earlier.output_tokens).max(0),
            reasoning_output_tokens: (self.reasoning_output_tokens - earlier.reasoning_output_tokens).max(0),
            total_tokens: (self.total_tokens - earlier.total_tokens).max(0),
        }
    }

    /// The size of the running total, for "did it grow" comparisons.
    pub fn magnitude(&self) -> i64 {
        self.input_tokens + self.output_tokens
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenCountInfo {
    #[serde(default)]
    pub total_token_usage: Option<TokenUsage>,
    #[serde(default)]
    pub last_token_usage: Option<TokenUsage>,
}

#[derive(Debug, Default, Deserialize)]
pub struct UsageRecordPayload {
    #[serde(default)]
    pub response_id: Option<String>,
    /// The thread that made the request (a copied record names its parent).
    #[serde(default)]
    pub thread_id: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub usage: Option<TokenUsage>,
}

/// Text of a `message` item's content (`input_text` / `output_text` parts).
pub fn message_text(payload: &serde_json::Value) -> String {
    match payload.get("content") {
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(serde_json::Value::Array(parts)) => {
            parts.iter().filter_map(|part| part.get("text").and_then(serde_json::Value::as_str)).collect::<Vec<_>>().join("\n")
        }
        _ => String::new(),
    }
}

/// Text of a reasoning item's summary.
pub fn reasoning_summary(payload: &serde_json::Value) -> String {
    payload
        .get("summary")
        .and_then(serde_json::Value::as_array)
        .map(|parts| parts.iter().filter_map(|part| part.get("text").and_then(serde_json::Value::as_str)).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// A tool output, which Codex writes as a string or as `{output, metadata}`.
pub fn tool_output(payload: &serde_json::Value) -> String {
    match payload.get("output") {
        Some(serde_json::Value::String(text)) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(object)) => {
                object.get("output").and_then(serde_json::Value::as_str).map_or_else(|| text.clone(), str::to_owned)
            }
            _ => text.clone(),
        },
        Some(other) => other.get("output").and_then(serde_json::Value::as_str).map_or_else(|| other.to_string(), str::to_owned),
        None => String::new(),
    }
}
