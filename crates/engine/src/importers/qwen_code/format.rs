//! Qwen Code chat records (`projects/<project>/chats/<session>.jsonl`): one JSON record per line,
//! `type` = `user` | `assistant` | `tool_result` | `system`; `system` records of subtype
//! `ui_telemetry` copy the tool's telemetry events, the `qwen-code.api_response` ones with usage.

use crate::importers::lenient_number;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub subtype: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub message: Option<Message>,
    #[serde(default)]
    pub system_payload: Option<SystemPayload>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub parts: Vec<serde_json::Value>,
}

impl Message {
    /// The text parts, joined.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self.parts.iter().filter_map(|part| part.get("text").and_then(serde_json::Value::as_str)).collect();
        texts.join("\n")
    }

    /// The name of the first function call, for a turn that only calls a tool.
    pub fn function_call(&self) -> Option<&str> {
        self.parts.iter().find_map(|part| part.get("functionCall")?.get("name")?.as_str())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemPayload {
    #[serde(default)]
    pub ui_event: Option<ApiResponse>,
}

/// A `qwen-code.api_response` event: one model call, auxiliary ones (memory extractor) included.
/// `input_token_count` includes cache reads and creation; `output_token_count` is the provider's
/// completion count (reasoning included for OpenAI-compatible and Anthropic providers, excluded for
/// the Gemini API, which reports thoughts separately).
#[derive(Debug, Default, Deserialize)]
pub struct ApiResponse {
    #[serde(rename = "event.name", default)]
    pub event_name: Option<String>,
    #[serde(rename = "event.timestamp", default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub response_id: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub auth_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_number::optional_amount")]
    pub duration_ms: Option<f64>,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub input_token_count: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cached_content_token_count: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub output_token_count: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub thoughts_token_count: i64,
}

impl ApiResponse {
    /// Whether the provider reported thoughts outside the output count (the Gemini API's way).
    pub fn thoughts_outside_output(&self) -> bool {
        matches!(self.auth_type.as_deref(), Some("gemini" | "vertex-ai" | "gemini-api-key" | "oauth-personal"))
    }
}
