//! GitHub Copilot CLI session events (`session-state/<session>/events.jsonl`): one JSON event per
//! line, `{type, data, id, timestamp, parentId}`.

use crate::importers::lenient_number;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Event {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub data: serde_json::Value,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// `session.usage_record`'s `data.usage`: one model call. `inputTokens` includes cache reads and
/// writes; `outputTokens` includes reasoning.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub output_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cache_read_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cache_write_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub reasoning_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::optional_amount")]
    pub duration: Option<f64>,
    #[serde(default)]
    pub api_call_id: Option<String>,
    #[serde(default)]
    pub initiator: Option<String>,
    #[serde(default)]
    pub accounting: Option<Accounting>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accounting {
    #[serde(default)]
    pub source_session_id: Option<String>,
    #[serde(default)]
    pub usage_id: Option<String>,
}

/// The text of a `user.message` / `assistant.message`.
pub fn content(data: &serde_json::Value) -> String {
    data.get("content").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned()
}

/// The first tool an `assistant.message` asks for.
pub fn first_tool_request(data: &serde_json::Value) -> Option<String> {
    data.get("toolRequests")?.as_array()?.first()?.get("name")?.as_str().map(str::to_owned)
}
