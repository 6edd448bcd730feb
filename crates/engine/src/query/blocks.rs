//! Claude Code's 5-hour usage blocks, with the semantics of ccusage's `blocks` report: a block
//! starts at its first request's time floored to the hour (UTC) and lasts 5 hours; a request more
//! than 5 hours after the block start or after the previous request starts a new block; the time
//! between blocks is a gap block. The active block gets a burn rate and a projection to its end.

use super::QueryError;
use super::spend::RECONCILED_USAGE_CTE;
use super::time_range::TimeRange;
use crate::model::TokenCounts;
use crate::model::time::format_time;
use crate::store::Store;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use ts_rs::TS;

const BLOCK_HOURS: i64 = 5;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BlocksRequest {
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional)]
    pub tz: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BurnRate {
    pub tokens_per_minute: f64,
    pub cost_per_hour: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BlockProjection {
    #[ts(type = "number")]
    pub total_tokens: i64,
    pub total_cost_usd: f64,
    #[ts(type = "number")]
    pub remaining_minutes: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct UsageBlock {
    pub start: String,
    pub end: String,
    pub actual_end: Option<String>,
    pub is_active: bool,
    pub is_gap: bool,
    #[ts(type = "number")]
    pub requests: i64,
    pub tokens: TokenCounts,
    pub cost_usd: f64,
    pub models: Vec<String>,
    pub burn_rate: Option<BurnRate>,
    pub projection: Option<BlockProjection>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BlocksResponse {
    pub blocks: Vec<UsageBlock>,
}

/// One request, as blocks need it.
#[derive(Debug, Clone)]
pub struct BlockEntry {
    pub time: DateTime<Utc>,
    pub tokens: TokenCounts,
    pub cost_usd: f64,
    pub model: String,
}

pub async fn blocks(store: &Store, request: BlocksRequest, tz: Tz, now: DateTime<Utc>) -> Result<BlocksResponse, QueryError> {
    let from_default = (now - Duration::days(7)).to_rfc3339();
    let range = TimeRange::parse(Some(request.from.as_deref().unwrap_or(&from_default)), request.to.as_deref(), tz)?;
    let sql = format!(
        "WITH {RECONCILED_USAGE_CTE}
         SELECT epoch_ms(Timestamp), InputTokens, CacheReadTokens, CacheWrite5mTokens + CacheWrite1hTokens, OutputTokens, ReasoningTokens,
                coalesce(ReportedCostUsd, ComputedCostUsd, 0), Model
         FROM reconciled WHERE Tool = 'claude-code' AND Timestamp BETWEEN ? AND ? ORDER BY Timestamp"
    );
    let params = vec![range.from_value(), range.to_value()];
    let entries = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut entries = Vec::new();
            while let Some(row) = rows.next()? {
                entries.push(BlockEntry {
                    time: DateTime::from_timestamp_millis(row.get(0)?).unwrap_or_default(),
                    tokens: TokenCounts {
                        input: row.get(1)?,
                        cache_read: row.get(2)?,
                        cache_creation: row.get(3)?,
                        output: row.get(4)?,
                        reasoning: row.get(5)?,
                    },
                    cost_usd: row.get(6)?,
                    model: row.get(7)?,
                });
            }
            Ok(entries)
        })
        .await?;
    Ok(BlocksResponse { blocks: build_blocks(&entries, now) })
}

fn floor_to_hour(time: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = time.timestamp();
    DateTime::from_timestamp(seconds - seconds.rem_euclid(3600), 0).unwrap_or(time)
}

/// Groups time-ordered entries into blocks and gaps.
pub fn build_blocks(entries: &[BlockEntry], now: DateTime<Utc>) -> Vec<UsageBlock> {
    let length = Duration::hours(BLOCK_HOURS);
    let mut groups: Vec<(DateTime<Utc>, Vec<&BlockEntry>)> = Vec::new();
    for entry in entries {
        let starts_new = match groups.last() {
            None => true,
            Some((start, members)) => {
                let previous = members.last().map_or(*start, |member| member.time);
                entry.time - *start > length || entry.time - previous > length
            }
        };
        if starts_new {
            groups.push((floor_to_hour(entry.time), vec![entry]));
        } else if let Some((_, members)) = groups.last_mut() {
            members.push(entry);
        }
    }
    let mut blocks = Vec::new();
    let mut previous_end: Option<DateTime<Utc>> = None;
    for (start, members) in groups {
        let last_activity = members.last().map_or(start, |member| member.time);
        if let Some(previous_last) = previous_end
            && start > previous_last + length
        {
            blocks.push(gap_block(previous_last, start));
        }
        previous_end = Some(last_activity);
        blocks.push(usage_block(start, &members, now));
    }
    blocks
}

fn gap_block(last_activity: DateTime<Utc>, next_start: DateTime<Utc>) -> UsageBlock {
    UsageBlock {
        start: format_time(last_activity + Duration::hours(BLOCK_HOURS)),
        end: format_time(next_start),
        actual_end: None,
        is_active: false,
        is_gap: true,
        requests: 0,
        tokens: TokenCounts::default(),
        cost_usd: 0.0,
        models: Vec::new(),
        burn_rate: None,
        projection: None,
    }
}

fn usage_block(start: DateTime<Utc>, members: &[&BlockEntry], now: DateTime<Utc>) -> UsageBlock {
    let end = start + Duration::hours(BLOCK_HOURS);
    let mut tokens = TokenCounts::default();
    let mut cost = 0.0;
    let mut models = BTreeSet::new();
    for member in members {
        tokens.input += member.tokens.input;
        tokens.cache_read += member.tokens.cache_read;
        tokens.cache_creation += member.tokens.cache_creation;
        tokens.output += member.tokens.output;
        tokens.reasoning += member.tokens.reasoning;
        cost += member.cost_usd;
        models.insert(member.model.clone());
    }
    let first = members.first().map_or(start, |member| member.time);
    let last = members.last().map_or(start, |member| member.time);
    let is_active = now < end && now - last < Duration::hours(BLOCK_HOURS);
    let active_minutes = (last - first).num_seconds() as f64 / 60.0;
    let burn_rate = if members.len() > 1 && active_minutes > 0.0 {
        Some(BurnRate { tokens_per_minute: tokens.total() as f64 / active_minutes, cost_per_hour: cost / active_minutes * 60.0 })
    } else {
        None
    };
    let projection = match (&burn_rate, is_active) {
        (Some(rate), true) => {
            let remaining_minutes = (end - now).num_minutes().max(0);
            Some(BlockProjection {
                total_tokens: tokens.total() + (rate.tokens_per_minute * remaining_minutes as f64) as i64,
                total_cost_usd: cost + rate.cost_per_hour * remaining_minutes as f64 / 60.0,
                remaining_minutes,
            })
        }
        _ => None,
    };
    UsageBlock {
        start: format_time(start),
        end: format_time(end),
        actual_end: Some(format_time(last)),
        is_active,
        is_gap: false,
        requests: members.len() as i64,
        tokens,
        cost_usd: cost,
        models: models.into_iter().collect(),
        burn_rate,
        projection,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str, output: i64) -> BlockEntry {
        BlockEntry {
            time: DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc),
            tokens: TokenCounts { output, ..TokenCounts::default() },
            cost_usd: output as f64 / 1000.0,
            model: "claude-opus-4-8".to_owned(),
        }
    }

    #[test]
    fn requests_more_than_five_hours_apart_start_a_new_block_with_a_gap() {
        let entries = [entry("2026-11-28T09:20:00Z", 100), entry("2026-11-28T11:00:00Z", 100), entry("2026-11-28T20:10:00Z", 50)];
        let now = DateTime::parse_from_rfc3339("2026-11-28T21:00:00Z").unwrap().with_timezone(&Utc);
        let blocks = build_blocks(&entries, now);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].start, "2026-11-28T09:00:00Z");
        assert_eq!(blocks[0].end, "2026-11-28T14:00:00Z");
        assert_eq!(blocks[0].requests, 2);
        assert!(!blocks[0].is_active);
        assert!(blocks[1].is_gap);
        assert_eq!(blocks[2].start, "2026-11-28T20:00:00Z");
        assert!(blocks[2].is_active);
        assert_eq!(blocks[2].tokens.output, 50);
    }
}
