//! Plan-limit operations: the latest state per tool and window with its pace, the history, and the
//! hand-over from Claude Code's status line (`ai-observer statusline`), which also answers with what
//! the status line prints.

use crate::engine::{Engine, EngineError};
use crate::query::limits::{self, LimitsHistoryRequest, LimitsResponse};
use crate::query::stats::EmptyRequest;
use crate::store::WriteBatch;
use crate::wire::live::{LimitsNotice, LiveMessage, now_stamp};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What Claude Code hands its status-line command on stdin; only the rate limits are read.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct StatuslineReport {
    #[serde(default)]
    #[ts(optional, type = "Record<string, unknown> | null")]
    pub rate_limits: Option<serde_json::Value>,
}

/// What the status line shows: every tool's latest limits and today's spend.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct StatuslineAnswer {
    /// Windows the report changed (0 when it had no rate limits or repeated the known state).
    #[ts(type = "number")]
    pub recorded: usize,
    pub limits: Vec<limits::LimitState>,
    pub today_cost_usd: f64,
}

pub async fn limits_latest(engine: Engine, _request: EmptyRequest) -> Result<LimitsResponse, EngineError> {
    Ok(limits::latest(engine.store()).await?)
}

pub async fn limits_history(engine: Engine, request: LimitsHistoryRequest) -> Result<LimitsResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(limits::history(engine.store(), request, tz).await?)
}

pub async fn limits_statusline(engine: Engine, request: StatuslineReport) -> Result<StatuslineAnswer, EngineError> {
    let observed_at = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    let latest = limits::latest(engine.store()).await?.limits;
    // Claude Code calls its status line after every answer, mostly with the state it sent last:
    // only a change is recorded (the history keeps every change, the writer is spared the rest).
    let states: Vec<_> = crate::ingest::statusline::states(observed_at, request.rate_limits.as_ref())
        .into_iter()
        .filter(|state| !latest.iter().any(|known| known.tool == state.tool && known.window == state.window && known.same_as(state)))
        .collect();
    let recorded = states.len();
    if recorded > 0 {
        engine.store().write(WriteBatch { limits: states, ..WriteBatch::default() }).await?;
        engine.live().publish(LiveMessage::Limits { timestamp: now_stamp(), payload: LimitsNotice { recorded: recorded as u64 } });
    }
    let tz = engine.time_zone().await;
    let summary = crate::query::spend::summary_at(engine.store(), tz, chrono::Utc::now()).await?;
    let limits = if recorded > 0 { limits::latest(engine.store()).await?.limits } else { latest };
    Ok(StatuslineAnswer { recorded, limits, today_cost_usd: summary.today.cost() })
}
