//! A session's transcript: its log records mapped to chat messages (user, assistant, tool use, tool
//! result, system), whichever tool or import wrote them.

use super::QueryError;
use super::sessions::SESSION_ID_EXPRESSION;
use super::tables::otel_logs::{LOG_COLUMNS, log_from_row};
use crate::model::{AttributeValues, Attributes};
use crate::store::Store;
use crate::wire::telemetry::LogRecord;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TranscriptRequest {
    pub session_id: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TranscriptMessage {
    pub timestamp: String,
    pub role: TranscriptRole,
    pub content: String,
    #[ts(type = "number")]
    pub index: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tool_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tool_input: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tool_output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub input_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub output_tokens: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub cache_read: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub cache_write: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cost_usd: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub duration_ms: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub success: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub output_size: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TranscriptResponse {
    pub session_id: String,
    pub service_name: String,
    pub start_time: String,
    pub last_time: String,
    pub messages: Vec<TranscriptMessage>,
}

pub async fn transcript(store: &Store, request: TranscriptRequest) -> Result<TranscriptResponse, QueryError> {
    let session_id = request.session_id.trim().to_owned();
    if session_id.is_empty() {
        return Err(QueryError::invalid("sessionId is required"));
    }
    let sql = format!("SELECT {LOG_COLUMNS} FROM otel_logs WHERE {SESSION_ID_EXPRESSION} = ? ORDER BY Timestamp");
    let records: Vec<LogRecord> = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter([Value::Text(session_id)]))?;
            let mut records = Vec::new();
            while let Some(row) = rows.next()? {
                records.push(log_from_row(row)?);
            }
            Ok(records)
        })
        .await?;
    let (Some(first), Some(last)) = (records.first(), records.last()) else {
        return Err(QueryError::NotFound(format!("no transcript found for session {}", request.session_id)));
    };
    let service_name = first.service_name.clone();
    let start_time = first.timestamp.clone();
    let last_time = last.timestamp.clone();
    let mut messages: Vec<TranscriptMessage> = records.iter().filter_map(message_from_log).collect();
    messages.sort_by(|left, right| left.timestamp.cmp(&right.timestamp).then(left.index.cmp(&right.index)));
    messages.dedup_by(|right, left| {
        left.timestamp == right.timestamp
            && left.role == right.role
            && left.content == right.content
            && left.tool_name == right.tool_name
            && left.tool_input == right.tool_input
            && left.tool_output == right.tool_output
    });
    for (index, message) in messages.iter_mut().enumerate() {
        message.index = index as i64;
    }
    Ok(TranscriptResponse { session_id: request.session_id, service_name, start_time, last_time, messages })
}

/// Who or what a transcript message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
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

fn message_from_log(record: &LogRecord) -> Option<TranscriptMessage> {
    let empty = Attributes::new();
    let attributes = record.log_attributes.as_ref().unwrap_or(&empty);
    let event = attributes.text("event.name").or(record.body.as_deref())?;
    let role = role_for_event(event, attributes)?;
    let content = attributes
        .first_text(&["prompt", "response", "response_text", "message.content"])
        .map(str::to_owned)
        .or_else(|| if role == TranscriptRole::ToolResult { attributes.text("output").map(str::to_owned) } else { None })
        .or_else(|| record.body.clone())
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
