//! One model API request with its token usage and cost: the row every spend answer is built from.
//!
//! Token fields are normalised across vendors so they can be added up: `input_tokens` is uncached
//! input only, `output_tokens` is every billed output token including reasoning/thinking, and
//! `reasoning_tokens` is the part of the output that was reasoning.

use super::{Tool, UnixNanos};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UsageSource {
    Otlp,
    Import,
    Watch,
}

impl UsageSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::Otlp => "otlp",
            UsageSource::Import => "import",
            UsageSource::Watch => "watch",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct UsageRecord {
    /// Natural key; the same request arriving twice from the same source is stored once.
    pub record_key: String,
    pub time: UnixNanos,
    pub tool: Option<Tool>,
    pub source: Option<UsageSource>,
    pub service_name: String,
    pub session_id: Option<String>,
    /// The vendor's request identity where the tool gives one (Claude `request_id`, Codex response id).
    pub request_id: Option<String>,
    pub message_id: Option<String>,
    pub model: String,
    pub project: Option<String>,
    pub repository: Option<String>,
    pub input_tokens: i64,
    pub cache_read_tokens: i64,
    pub cache_write_5m_tokens: i64,
    pub cache_write_1h_tokens: i64,
    pub output_tokens: i64,
    pub reasoning_tokens: i64,
    pub tool_tokens: i64,
    /// The cost the tool itself reported (Claude Code's `cost_usd`).
    pub reported_cost_usd: Option<f64>,
    /// The cost computed from the price table; `None` when the model has no price.
    pub computed_cost_usd: Option<f64>,
    pub price_version: Option<String>,
    pub speed: Option<String>,
    pub query_source: Option<String>,
    pub agent_id: Option<String>,
    pub duration_ms: Option<i64>,
    pub source_file: Option<String>,
    /// The machine that sent it: the name of the server's API token the request carried; `None` for
    /// rows this machine received or imported itself.
    pub machine: Option<String>,
    /// The person (`user.email`), where the tool or the user's resource attributes say.
    pub user_email: Option<String>,
    /// The host (`host.name` of the resource), where the tool sends it (Codex's logs do).
    pub host: Option<String>,
}

impl UsageRecord {
    pub fn cache_write_tokens(&self) -> i64 {
        self.cache_write_5m_tokens + self.cache_write_1h_tokens
    }
}
