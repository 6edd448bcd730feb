//! One log record as a transcript message: its role from the event (or the imported message's
//! role), its text (never the event's name; a JSON reply as its text), tool and usage fields.

use super::TranscriptMessage;
use crate::model::{AttributeValues, Attributes};
use crate::wire::telemetry::LogRecord;
use serde::Serialize;
use ts_rs::TS;

/// A reply's text as a reader wants it: a Gemini `GenerateContentResponse` (or a list of them)
/// becomes the text of its parts; anything else stays as it is.
fn readable_text(text: String) -> String {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return text;
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) else { return text };
    let responses = match &value {
        serde_json::Value::Array(items) => items.iter().collect::<Vec<_>>(),
        single => vec![single],
    };
    let mut parts = Vec::new();
    for response in responses {
        let Some(candidates) = response.get("candidates").and_then(serde_json::Value::as_array) else { return text };
        for part in
            candidates.iter().filter_map(|candidate| candidate.pointer("/content/parts")).filter_map(serde_json::Value::as_array).flatten()
        {
            let is_thought = part.get("thought").and_then(serde_json::Value::as_bool).unwrap_or(false);
            if let Some(piece) = part.get("text").and_then(serde_json::Value::as_str).filter(|_| !is_thought) {
                parts.push(piece.to_owned());
            }
        }
    }
    parts.concat()
}

/// Who or what a transcript message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "types.gen.ts")]
pub enum TranscriptRole {
    User,
    Assistant,
    ToolUse,
    ToolResult,
    System,
}

impl TranscriptRole {
    fn from_key(key: &str) -> Option<TranscriptRole> {
        Some(match key {
            "user" => TranscriptRole::User,
            "assistant" => TranscriptRole::Assistant,
            "tool_use" => TranscriptRole::ToolUse,
            "tool_result" => TranscriptRole::ToolResult,
            "system" => TranscriptRole::System,
            _ => return None,
        })
    }
}

fn role_for_event(event: &str, attributes: &Attributes) -> Option<TranscriptRole> {
    if event == "transcript.message" {
        return attributes.text("message.role").and_then(TranscriptRole::from_key);
    }
    let short =
        ["claude_code.", "codex.", "gemini_cli.", "opencode."].iter().find_map(|prefix| event.strip_prefix(prefix)).unwrap_or(event);
    let role = match short {
        "user_prompt" => "user",
        "api_request" | "api_response" | "assistant_response" | "gen_ai.client.inference.operation.details" | "copilot_chat.agent.turn" => {
            "assistant"
        }
        "tool_result" => "tool_result",
        "tool_decision" | "tool_call" | "copilot_chat.tool.call" => "tool_use",
        "api_error" | "session.created" | "session.idle" | "session.error" | "commit" => "system",
        _ => return None,
    };
    TranscriptRole::from_key(role)
}

pub fn message_from_log(record: &LogRecord) -> Option<TranscriptMessage> {
    let empty = Attributes::new();
    let attributes = record.log_attributes.as_ref().unwrap_or(&empty);
    let event = attributes.text("event.name").or(record.body.as_deref())?;
    let role = role_for_event(event, attributes)?;
    let content = attributes
        .first_text(&["prompt", "response", "response_text", "message.content"])
        .map(str::to_owned)
        .or_else(|| if role == TranscriptRole::ToolResult { attributes.text("output").map(str::to_owned) } else { None })
        // An event's body is its name (`claude_code.api_request`): never shown as text.
        .or_else(|| {
            record
                .body
                .clone()
                .filter(|body| body != event && !body.ends_with(&format!(".{event}")) && !event.ends_with(&format!(".{body}")))
        })
        .map(readable_text)
        .unwrap_or_default();
    let success = attributes.first_text(&["success", "tool_success"]).and_then(|value| match value {
        "true" | "True" | "1" => Some(true),
        "false" | "False" | "0" => Some(false),
        _ => None,
    });
    Some(TranscriptMessage {
        timestamp: record.timestamp.clone(),
        role,
        content,
        index: attributes.int("message.index").unwrap_or(0),
        model: attributes.first_text(&["model", "gen_ai.response.model", "gen_ai.request.model", "llm.model_name"]).map(str::to_owned),
        tool_name: attributes
            .first_text(&["tool.name", "gen_ai.tool.name", "tool_name", "function_name", "openinference.tool.name"])
            .map(str::to_owned),
        tool_input: attributes
            .first_text(&["tool.input", "gen_ai.tool.call.arguments", "tool_parameters", "tool.parameters", "arguments", "function_args"])
            .map(str::to_owned),
        tool_output: attributes
            .first_text(&["tool.output", "gen_ai.tool.call.result", "tool_result", "tool.result", "output"])
            .map(str::to_owned),
        input_tokens: ["input_tokens", "inputTokens", "gen_ai.usage.input_tokens", "llm.token_count.prompt", "input_token_count"]
            .iter()
            .find_map(|key| attributes.int(key)),
        output_tokens: ["output_tokens", "outputTokens", "gen_ai.usage.output_tokens", "llm.token_count.completion", "output_token_count"]
            .iter()
            .find_map(|key| attributes.int(key)),
        cache_read: [
            "cache_read_input_tokens",
            "cache_read_tokens",
            "cacheRead",
            "gen_ai.usage.cache_read.input_tokens",
            "cached_content_token_count",
        ]
        .iter()
        .find_map(|key| attributes.int(key)),
        cache_write: ["cache_creation_input_tokens", "cache_creation_tokens", "cacheWrite", "gen_ai.usage.cache_creation.input_tokens"]
            .iter()
            .find_map(|key| attributes.int(key)),
        cost_usd: ["cost_usd", "costUsd", "llm.cost"].iter().find_map(|key| attributes.float(key)),
        duration_ms: ["duration_ms", "durationMs"].iter().find_map(|key| attributes.int(key)),
        success,
        output_size: ["tool_result_size_bytes", "outputSize"].iter().find_map(|key| attributes.int(key)),
    })
}
