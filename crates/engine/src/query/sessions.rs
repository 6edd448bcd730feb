//! Sessions: one per session id, with the totals of its model requests read from the reconciled
//! usage (each request once, as `/api/spend?groupBy=session` counts it) and its activity, title and
//! message count from its log records.
//!
//! The session id of a log record is the first present of the keys the tools use (`session.id`,
//! Codex's `conversation.id`, GenAI's `gen_ai.conversation.id`, Copilot's keys).

use super::QueryError;
use super::filters::Filters;
use super::tables::usage_records::{COST_SHOWN, GROUP_TOTALS, group_at};
use super::time_range::{Page, TimeRange};
use crate::model::TokenCounts;
use crate::model::time::format_micros;
use crate::store::Store;
use crate::wire::lenient;
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `model::LogRecord::session_id` over the stored JSON attributes: how migration 4 filled
/// `otel_logs.SessionId` for older rows (a test checks both agree). Queries read the column.
pub const SESSION_ID_EXPRESSION: &str = "coalesce(json_extract_string(LogAttributes, '$.\"session.id\"'), json_extract_string(LogAttributes, '$.\"conversation.id\"'), json_extract_string(LogAttributes, '$.\"gen_ai.conversation.id\"'), json_extract_string(LogAttributes, '$.\"copilot_chat.session_id\"'), json_extract_string(LogAttributes, '$.\"copilot_chat.chat_session_id\"'))";
/// The attributes a session's details read from its log records, in one JSON parse per record
/// (`json_extract_string` with a list of paths; a path each parsed the record up to five times):
/// four model names (the first present is the model), the message role, the prompt, the title.
const DETAIL_ATTRIBUTES: &str = "json_extract_string(LogAttributes, ['$.model', '$.\"gen_ai.response.model\"', '$.\"gen_ai.request.model\"', '$.\"llm.model_name\"', '$.\"message.role\"', '$.prompt', '$.title'])";

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
    /// `time` (latest activity first, the default) or `cost` (costliest first).
    #[ts(optional)]
    pub sort: Option<SessionSort>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum SessionSort {
    #[default]
    Time,
    Cost,
}

/// What a session's model requests add up to, with the meaning `/api/spend` gives each field.
#[derive(Debug, Clone, Default, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SessionTotals {
    #[ts(type = "number")]
    pub requests: i64,
    pub tokens: TokenCounts,
    /// Null when every request is unpriced.
    pub cost_usd: Option<f64>,
    #[ts(type = "number")]
    pub unpriced_requests: i64,
    /// Every model the session's requests used, by name.
    pub models: Vec<String>,
    /// The tool's own title where it writes one, else the first user prompt that is not context the
    /// tool injected (text starting with `<`), trimmed.
    pub title: Option<String>,
    pub project: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Session {
    pub session_id: String,
    pub service_name: String,
    /// The tool's key (`claude-code`, `codex`, `gemini`, …) when its requests name one.
    pub tool: Option<String>,
    pub start_time: String,
    pub last_time: String,
    /// Log records of the session (events and transcript messages), as the original API counted.
    #[ts(type = "number")]
    pub message_count: i64,
    /// The model with the most requests.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub model: Option<String>,
    #[serde(flatten)]
    #[ts(flatten)]
    pub totals: SessionTotals,
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

/// Stored when the record was written (`model::LogRecord::event_name`).
const EVENT_NAME: &str = "EventName";

/// The text of a log record that is a user prompt (an imported transcript message or a tool's
/// `user_prompt` event with its prompt logged), else null; `a` is the record's `DETAIL_ATTRIBUTES`.
fn user_prompt_expression() -> String {
    format!(
        "CASE WHEN {EVENT_NAME} = 'transcript.message' AND a[5] = 'user' THEN Body
              WHEN {EVENT_NAME} IN ('user_prompt', 'claude_code.user_prompt', 'codex.user_prompt', 'gemini_cli.user_prompt') THEN a[6] END"
    )
}

/// A session's main model: the one with the most requests, the first by name on a tie (DuckDB's
/// `mode` picks any of the tied ones, and not always the same after a restart).
const MAIN_MODEL: &str = "list_sort(list_transform(map_entries(histogram(Model)), lambda entry: {'requests': -(entry.value::BIGINT), 'model': entry.key}))[1].model";

/// Longest title kept, in characters.
const TITLE_CHARS: usize = 120;

/// The sessions' totals from the counted usage records (`usage_where` filters `usage_records`), joined
/// with their log activity (`log_where` filters `otel_logs`), sorted by `sort` and cut to `page`
/// (`LIMIT ? OFFSET ?`, or nothing); columns in `session_from_row` order. Parameters: the usage
/// filter's, the log filter's, the page's, the usage filter's again, the log filter's again.
///
/// Two passes: every session gets only what the sort and the page need (first and last activity,
/// message count, the cost when sorting by it); the rest (totals, tool, service, project, models,
/// main model, title) is read for the sessions of the page only, the title and model from JSON
/// attributes parsed once per record. At 10 M rows the totals of every session were a third of the
/// first pass (docs/benchmarks.md). A prompt is trimmed on the left only: the title's whitespace is
/// collapsed in `trimmed_title`, and DuckDB's right trim reads the Unicode category of every
/// character of every prompt (a fifth of the query's time with long prompts).
fn sessions_sql(usage_where: &str, log_where: &str, sort: SessionSort, page: &str) -> String {
    let and = if log_where.is_empty() { "WHERE" } else { "AND" };
    let (sort_cost, page_order, order) = match sort {
        SessionSort::Time => ("NULL::DOUBLE", "last_us DESC", "p.last_us DESC"),
        SessionSort::Cost => (COST_SHOWN, "cost DESC NULLS LAST, last_us DESC", "p.cost DESC NULLS LAST, p.last_us DESC"),
    };
    let usage_and = if usage_where.is_empty() { "WHERE" } else { "AND" };
    format!(
        "WITH usage_sessions AS (
            SELECT SessionId AS session_id, min(epoch_us(Timestamp)) AS start_us, max(epoch_us(Timestamp)) AS last_us, {sort_cost} AS cost
            FROM usage_records {usage_where} {usage_and} Counted GROUP BY SessionId
         ), log_sessions AS (
            SELECT SessionId AS session_id, min(epoch_us(Timestamp)) AS start_us, max(epoch_us(Timestamp)) AS last_us, count(*) AS messages
            FROM otel_logs {log_where} {and} SessionId IS NOT NULL AND SessionId <> '' GROUP BY SessionId
         ), sessions AS (
            SELECT coalesce(u.session_id, l.session_id) AS session_id,
                   least(u.start_us, l.start_us) AS start_us, greatest(u.last_us, l.last_us) AS last_us,
                   coalesce(l.messages, 0) AS messages, u.cost
            FROM usage_sessions u FULL OUTER JOIN log_sessions l ON l.session_id = u.session_id
         ), page AS (
            SELECT *, count(*) OVER () AS total FROM sessions ORDER BY {page_order}, session_id {page}
         ), usage_details AS (
            SELECT SessionId AS session_id, any_value(Tool) AS tool, arg_max(ServiceName, Timestamp) AS service,
                   any_value(Project) AS project, list(DISTINCT Model ORDER BY Model) AS models, {MAIN_MODEL} AS model,
                   {GROUP_TOTALS}
            FROM usage_records {usage_where} {usage_and} Counted AND SessionId IN (SELECT session_id FROM page) GROUP BY SessionId
         ), session_projects AS (
            SELECT SessionId AS session_id, any_value(Project) AS project FROM usage_records
            WHERE Project IS NOT NULL AND SessionId IN (SELECT session_id FROM page) GROUP BY SessionId
         ), page_logs AS (
            SELECT SessionId AS session_id, Timestamp, ServiceName, {EVENT_NAME}, Body, {DETAIL_ATTRIBUTES} AS a
            FROM otel_logs {log_where} {and} SessionId IN (SELECT session_id FROM page)
         ), tagged AS (
            SELECT session_id, Timestamp, ServiceName, coalesce(a[1], a[2], a[3], a[4]) AS model,
                   nullif(ltrim({prompt}), '') AS prompt,
                   CASE WHEN {EVENT_NAME} = 'session.title' THEN nullif(trim(a[7]), '') END AS named
            FROM page_logs
         ), log_details AS (
            SELECT session_id, arg_max(ServiceName, Timestamp) AS service,
                   arg_min(model, Timestamp) FILTER (WHERE model IS NOT NULL) AS model,
                   coalesce(arg_max(named, Timestamp) FILTER (WHERE named IS NOT NULL),
                            arg_min(prompt, Timestamp) FILTER (WHERE prompt IS NOT NULL AND NOT starts_with(prompt, '<'))) AS title
            FROM tagged GROUP BY session_id
         )
         SELECT p.session_id, coalesce(u.service, d.service), u.tool, p.start_us, p.last_us, p.messages, coalesce(u.model, d.model),
                d.title, coalesce(u.project, sp.project), coalesce(u.models, []),
                u.* EXCLUDE (session_id, tool, service, project, models, model), p.total
         FROM page p LEFT JOIN usage_details u ON u.session_id = p.session_id
                     LEFT JOIN session_projects sp ON sp.session_id = p.session_id
                     LEFT JOIN log_details d ON d.session_id = p.session_id
         ORDER BY {order}, p.session_id",
        prompt = user_prompt_expression()
    )
}

/// Reads a row of `sessions_sql`.
fn session_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<Session> {
    let models: Vec<String> = match row.get::<_, duckdb::types::Value>(9)? {
        Value::List(values) => {
            values.into_iter().filter_map(|value| if let Value::Text(text) = value { Some(text) } else { None }).collect()
        }
        _ => Vec::new(),
    };
    let requests: Option<i64> = row.get(10)?;
    let group = if requests.is_some() { group_at(row, 10)? } else { Default::default() };
    let title: Option<String> = row.get(7)?;
    Ok(Session {
        session_id: row.get(0)?,
        service_name: row.get(1)?,
        tool: row.get(2)?,
        start_time: format_micros(row.get(3)?),
        last_time: format_micros(row.get(4)?),
        message_count: row.get(5)?,
        model: row.get(6)?,
        totals: SessionTotals {
            requests: group.requests,
            tokens: group.tokens,
            cost_usd: if requests.is_some() { group.cost_usd } else { None },
            unpriced_requests: group.unpriced_requests,
            models,
            title: title.map(|title| trimmed_title(&title)),
            project: row.get(8)?,
        },
    })
}

/// A title on one line, at most `TITLE_CHARS` characters.
fn trimmed_title(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= TITLE_CHARS {
        return line;
    }
    let cut: String = line.chars().take(TITLE_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The last column of a `sessions_sql` row: how many sessions matched.
const TOTAL_COLUMN: usize = 10 + 11;

pub async fn list(store: &Store, request: SessionsListRequest, tz: Tz) -> Result<SessionsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut usage_filters = Filters::new();
    usage_filters.time("Timestamp", &range);
    usage_filters.equals("ServiceName", request.service.as_deref());
    usage_filters.push("SessionId IS NOT NULL AND SessionId <> ''", []);
    let mut log_filters = Filters::new();
    log_filters.time("Timestamp", &range);
    log_filters.equals("ServiceName", request.service.as_deref());
    let sort = request.sort.unwrap_or_default();
    let sql = sessions_sql(&usage_filters.where_sql(), &log_filters.where_sql(), sort, "LIMIT ? OFFSET ?");
    let params = move |limit: u32, offset: u32| {
        let mut params = usage_filters.params();
        params.extend(log_filters.params_with([Value::BigInt(i64::from(limit)), Value::BigInt(i64::from(offset))]));
        params.extend(usage_filters.params());
        params.extend(log_filters.params());
        params
    };
    let (sessions, total) = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params(page.limit, page.offset)))?;
            let mut sessions = Vec::new();
            let mut total = 0;
            while let Some(row) = rows.next()? {
                total = row.get(TOTAL_COLUMN)?;
                sessions.push(session_from_row(row)?);
            }
            drop(rows);
            if sessions.is_empty() && page.offset > 0 {
                // A page past the end has no row to carry the count: the first page's tells it.
                let mut rows = statement.query(duckdb::params_from_iter(params(1, 0)))?;
                if let Some(row) = rows.next()? {
                    total = row.get(TOTAL_COLUMN)?;
                }
            }
            Ok((sessions, total))
        })
        .await?;
    let has_more = page.has_more(sessions.len(), total);
    Ok(SessionsListResponse { sessions, total, has_more })
}

/// One session over all time (`None` when nothing of it is stored).
pub async fn one(store: &Store, session_id: &str) -> Result<Option<Session>, QueryError> {
    let sql = sessions_sql("WHERE SessionId = ?", "WHERE SessionId = ?", SessionSort::Time, "");
    let params = [(); 4].map(|()| Value::Text(session_id.to_owned()));
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            match rows.next()? {
                Some(row) => Ok(Some(session_from_row(row)?)),
                None => Ok(None),
            }
        })
        .await?)
}
