//! Claude Code transcript lines (`~/.claude/projects/<project>/<session>.jsonl`) as written by
//! Claude Code 1.x–2.x. Only the fields the importer reads; everything else is ignored.

use crate::importers::lenient_number;
use serde::Deserialize;

/// A line; `C` is what its message's content is read as (skipped by a usage-only read).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line<C = serde_json::Value> {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub uuid: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub git_branch: Option<String>,
    #[serde(default)]
    pub request_id: Option<String>,
    /// On a line a fork copied from its parent (2.1.3xx): the session that made the request.
    #[serde(default)]
    pub request_session_id: Option<String>,
    #[serde(default)]
    pub is_meta: Option<bool>,
    #[serde(default)]
    pub agent_id: Option<String>,
    #[serde(rename = "costUSD", default, deserialize_with = "lenient_number::optional_amount")]
    pub cost_usd: Option<f64>,
    #[serde(default = "none")]
    pub message: Option<Message<C>>,
    /// The title Claude Code gives the session (`ai-title` lines).
    #[serde(rename = "aiTitle", default)]
    pub ai_title: Option<String>,
    /// The title of older versions' `summary` lines.
    #[serde(default)]
    pub summary: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

#[derive(Debug, Deserialize)]
pub struct Message<C = serde_json::Value> {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default = "none")]
    pub content: Option<C>,
    #[serde(default)]
    pub usage: Option<Usage>,
}

#[derive(Debug, Deserialize)]
pub struct Usage {
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub output_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cache_creation_input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub cache_read_input_tokens: i64,
    #[serde(default)]
    pub cache_creation: Option<CacheCreation>,
    #[serde(default)]
    pub speed: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CacheCreation {
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub ephemeral_5m_input_tokens: i64,
    #[serde(default, deserialize_with = "lenient_number::count")]
    pub ephemeral_1h_input_tokens: i64,
}

/// One block of a message's content, from either a plain string or a list of blocks.
#[derive(Debug)]
pub enum Block {
    Text(String),
    ToolUse { id: Option<String>, name: String, input: String },
    ToolResult { tool_use_id: Option<String>, output: String, is_error: bool },
}

fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|item| item.get("text").and_then(serde_json::Value::as_str).map(str::to_owned))
            .collect::<Vec<_>>()
            .join("\n"),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn blocks(content: &serde_json::Value) -> Vec<Block> {
    match content {
        serde_json::Value::String(text) => vec![Block::Text(text.clone())],
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|item| match item.get("type").and_then(serde_json::Value::as_str) {
                Some("text") => item
                    .get("text")
                    .and_then(serde_json::Value::as_str)
                    .filter(|text| !text.trim().is_empty())
                    .map(|text| Block::Text(text.to_owned())),
                Some("tool_use") => Some(Block::ToolUse {
                    id: item.get("id").and_then(serde_json::Value::as_str).map(str::to_owned),
                    name: item.get("name").and_then(serde_json::Value::as_str).unwrap_or("tool").to_owned(),
                    input: item.get("input").map(serde_json::Value::to_string).unwrap_or_default(),
                }),
                Some("tool_result") => Some(Block::ToolResult {
                    tool_use_id: item.get("tool_use_id").and_then(serde_json::Value::as_str).map(str::to_owned),
                    output: item.get("content").map(text_of).unwrap_or_default(),
                    is_error: item.get("is_error").and_then(serde_json::Value::as_bool).unwrap_or(false),
                }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}
