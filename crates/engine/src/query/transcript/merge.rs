//! Merging a session's messages across sources: each text once (the same role, text and tool
//! within the request-matching window), each model request once with the usage the reconciled
//! usage counts for it, on the file's assistant message of the same message id or on its own.

use super::TranscriptMessage;
use super::messages::{TranscriptRole, message_from_log};
use crate::model::AttributeValues;
use crate::model::time::format_micros;
use crate::query::QueryError;
use crate::store::Store;
use crate::wire::telemetry::LogRecord;
use duckdb::types::Value;
use std::collections::HashMap;

/// One model request of the session as the reconciled usage counts it, as a transcript message
/// carrying its tokens and cost, with the file's message id when it has one.
pub struct RequestUsage {
    time: i64,
    message_id: Option<String>,
    message: TranscriptMessage,
}

pub async fn request_usages(store: &Store, session_id: &str) -> Result<Vec<RequestUsage>, QueryError> {
    let sql = "SELECT epoch_us(u.Timestamp), u.Model, u.MessageId, u.InputTokens, u.CacheReadTokens,
                      u.CacheWrite5mTokens + u.CacheWrite1hTokens, u.OutputTokens, coalesce(u.ReportedCostUsd, u.ComputedCostUsd),
                      (SELECT max(d.DurationMs) FROM usage_records d WHERE d.MatchKey = u.MatchKey)
               FROM usage_records u WHERE u.Counted AND u.SessionId = ? ORDER BY u.Timestamp, u.RecordKey";
    let params = [Value::Text(session_id.to_owned())];
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut usages = Vec::new();
            while let Some(row) = rows.next()? {
                let time: i64 = row.get(0)?;
                usages.push(RequestUsage {
                    time,
                    message_id: row.get(2)?,
                    message: TranscriptMessage {
                        timestamp: format_micros(time),
                        role: TranscriptRole::Assistant,
                        content: String::new(),
                        index: 0,
                        model: row.get(1)?,
                        tool_name: None,
                        tool_input: None,
                        tool_output: None,
                        input_tokens: row.get(3)?,
                        cache_read: row.get(4)?,
                        cache_write: row.get(5)?,
                        output_tokens: row.get(6)?,
                        cost_usd: row.get(7)?,
                        duration_ms: row.get(8)?,
                        success: None,
                        output_size: None,
                    },
                });
            }
            Ok(usages)
        })
        .await?)
}

/// Texts further apart than this are never the same message (the request window of `model::matching`).
const SAME_TEXT_WINDOW_MICROS: i64 = crate::model::matching::PAIRING_WINDOW_NANOS / 1_000;

/// A log message as merging sees it: its time, the file's message id, and whether it is a tool's
/// per-request event (whose usage the reconciled usage already holds).
struct LogMessage {
    time: i64,
    message_id: Option<String>,
    is_request_event: bool,
    message: TranscriptMessage,
}

/// The session's messages in time order: each text once, and each model request once with its
/// usage (on the file's assistant message of the same message id when there is one).
pub fn merged_messages(records: &[LogRecord], usages: Vec<RequestUsage>) -> Vec<TranscriptMessage> {
    let mut logs: Vec<LogMessage> = records
        .iter()
        .filter_map(|record| {
            let message = message_from_log(record)?;
            let attributes = record.log_attributes.as_ref();
            Some(LogMessage {
                time: micros_of(&message.timestamp),
                message_id: attributes.and_then(|attributes| attributes.text("message.id")).map(str::to_owned),
                is_request_event: attributes.and_then(|attributes| attributes.text("event.name")).is_some_and(is_request_event),
                message,
            })
        })
        .collect();
    logs.sort_by(|left, right| left.time.cmp(&right.time).then(left.message.index.cmp(&right.message.index)));
    let mut kept: Vec<LogMessage> = Vec::new();
    let mut texts: HashMap<(TranscriptRole, String, Option<String>), i64> = HashMap::new();
    for mut log in logs {
        if log.is_request_event {
            // The request's usage comes from the reconciled usage below; keep only a reply's text.
            log.message = without_usage(log.message);
            if log.message.content.is_empty() {
                continue;
            }
        }
        if !log.message.content.is_empty() {
            let key = (log.message.role, log.message.content.clone(), log.message.tool_name.clone());
            if texts.get(&key).is_some_and(|seen| (log.time - seen).abs() <= SAME_TEXT_WINDOW_MICROS) {
                continue;
            }
            texts.insert(key, log.time);
        }
        kept.push(log);
    }
    for usage in usages {
        let carrier = usage.message_id.as_ref().and_then(|id| {
            kept.iter().rposition(|log| log.message.role == TranscriptRole::Assistant && log.message_id.as_ref() == Some(id))
        });
        match carrier {
            Some(at) => fill_usage(&mut kept[at].message, usage.message),
            None => {
                kept.push(LogMessage { time: usage.time, message_id: usage.message_id, is_request_event: true, message: usage.message })
            }
        }
    }
    kept.sort_by_key(|log| log.time);
    kept.into_iter().enumerate().map(|(index, log)| TranscriptMessage { index: index as i64, ..log.message }).collect()
}

fn micros_of(timestamp: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(timestamp).map(|time| time.timestamp_micros()).unwrap_or_default()
}

/// A tool's own per-request event (`api_request`, `api_response`, Codex's `sse_event`, the GenAI
/// conventions' inference details).
fn is_request_event(event: &str) -> bool {
    let short = event.rsplit('.').next().unwrap_or(event);
    matches!(short, "api_request" | "api_response" | "sse_event") || event == "gen_ai.client.inference.operation.details"
}

fn without_usage(message: TranscriptMessage) -> TranscriptMessage {
    TranscriptMessage { input_tokens: None, output_tokens: None, cache_read: None, cache_write: None, cost_usd: None, ..message }
}

/// Puts a request's usage on the message that shows its reply.
fn fill_usage(kept: &mut TranscriptMessage, usage: TranscriptMessage) {
    kept.model = kept.model.take().or(usage.model);
    kept.input_tokens = usage.input_tokens;
    kept.output_tokens = usage.output_tokens;
    kept.cache_read = usage.cache_read;
    kept.cache_write = usage.cache_write;
    kept.cost_usd = usage.cost_usd;
    kept.duration_ms = kept.duration_ms.or(usage.duration_ms);
}
