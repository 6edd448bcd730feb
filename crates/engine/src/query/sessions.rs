//! Sessions, computed from log records: one per (session id, service).
//!
//! The session id is the first present of the keys the tools use (`session.id`, Codex's
//! `conversation.id`, GenAI's `gen_ai.conversation.id`, Copilot's keys).

use super::QueryError;
use super::filters::Filters;
use super::time_range::{Page, TimeRange};
use crate::model::time::format_micros;
use crate::store::Store;
use crate::wire::lenient;
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const SESSION_ID_EXPRESSION: &str = "coalesce(json_extract_string(LogAttributes, '$.\"session.id\"'), json_extract_string(LogAttributes, '$.\"conversation.id\"'), json_extract_string(LogAttributes, '$.\"gen_ai.conversation.id\"'), json_extract_string(LogAttributes, '$.\"copilot_chat.session_id\"'), json_extract_string(LogAttributes, '$.\"copilot_chat.chat_session_id\"'))";
const MODEL_EXPRESSION: &str = "coalesce(json_extract_string(LogAttributes, '$.model'), json_extract_string(LogAttributes, '$.\"gen_ai.response.model\"'), json_extract_string(LogAttributes, '$.\"gen_ai.request.model\"'), json_extract_string(LogAttributes, '$.\"llm.model_name\"'))";

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SessionsListRequest {
    #[ts(optional)]
    pub service: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Session {
    pub session_id: String,
    pub service_name: String,
    pub start_time: String,
    pub last_time: String,
    #[ts(type = "number")]
    pub message_count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub model: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SessionsListResponse {
    pub sessions: Vec<Session>,
    #[ts(type = "number")]
    pub total: i64,
    pub has_more: bool,
}

pub async fn list(store: &Store, request: SessionsListRequest, tz: Tz) -> Result<SessionsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    let sql = format!(
        "WITH tagged AS (
            SELECT {SESSION_ID_EXPRESSION} AS session_id, ServiceName, Timestamp, {MODEL_EXPRESSION} AS model
            FROM otel_logs {where_sql}
         ), sessions AS (
            SELECT session_id, ServiceName, min(epoch_us(Timestamp)) AS start_us, max(epoch_us(Timestamp)) AS last_us,
                   count(*) AS messages, arg_min(model, Timestamp) FILTER (WHERE model IS NOT NULL) AS model
            FROM tagged WHERE session_id IS NOT NULL AND session_id <> '' GROUP BY session_id, ServiceName
         )
         SELECT session_id, ServiceName, start_us, last_us, messages, model, count(*) OVER () FROM sessions
         ORDER BY last_us DESC, session_id LIMIT ? OFFSET ?",
        where_sql = filters.where_sql()
    );
    let params = filters.params_with([Value::BigInt(i64::from(page.limit)), Value::BigInt(i64::from(page.offset))]);
    let (sessions, total) = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut sessions = Vec::new();
            let mut total = 0;
            while let Some(row) = rows.next()? {
                total = row.get(6)?;
                sessions.push(Session {
                    session_id: row.get(0)?,
                    service_name: row.get(1)?,
                    start_time: format_micros(row.get(2)?),
                    last_time: format_micros(row.get(3)?),
                    message_count: row.get(4)?,
                    model: row.get(5)?,
                });
            }
            Ok((sessions, total))
        })
        .await?;
    let has_more = page.has_more(sessions.len(), total);
    Ok(SessionsListResponse { sessions, total, has_more })
}
