//! A session's transcript: its log records mapped to chat messages (user, assistant, tool use, tool
//! result, system), whichever tool or import wrote them, merged across sources. Each text shows
//! once (the same role, text and tool within the request-matching window); each model request shows
//! once, with the usage and cost the reconciled usage counts for it (as `/api/spend` does), on the
//! file's assistant message of the same message id or as a message of its own. A tool's
//! per-request events add only a reply's text; event names are never shown as text and JSON
//! replies are shown as their text. `summary` holds the session's totals from the reconciled usage,
//! `subAgents` each sub-agent's part of them.
mod merge;
mod messages;
mod sub_agents;

use super::QueryError;
use super::sessions::SessionTotals;
use super::tables::otel_logs::{LOG_COLUMNS, log_from_row};
use crate::store::Store;
use crate::wire::telemetry::LogRecord;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use messages::TranscriptRole;
pub use sub_agents::SubAgentSpend;

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
    /// The session's totals, counted as spend counts them (sub-agents included).
    pub summary: SessionTotals,
    /// The part of the totals each sub-agent spent (Claude Code `Agent` tasks, Gemini sub-agents).
    pub sub_agents: Vec<SubAgentSpend>,
}

pub async fn transcript(store: &Store, request: TranscriptRequest) -> Result<TranscriptResponse, QueryError> {
    let session_id = request.session_id.trim().to_owned();
    if session_id.is_empty() {
        return Err(QueryError::invalid("sessionId is required"));
    }
    let sql = format!("SELECT {LOG_COLUMNS} FROM otel_logs WHERE SessionId = ? ORDER BY Timestamp");
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
    let messages = merge::merged_messages(&records, merge::request_usages(store, &request.session_id).await?);
    let summary = super::sessions::one(store, &request.session_id).await?.map(|session| session.totals).unwrap_or_default();
    let sub_agents = sub_agents::sub_agents(store, &request.session_id).await?;
    Ok(TranscriptResponse { session_id: request.session_id, service_name, start_time, last_time, messages, summary, sub_agents })
}
