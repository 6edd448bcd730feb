//! Re-pricing stored usage after the price table or the user's overrides changed: every record
//! priced by another table version (or every record) is read, priced by the caller's function
//! (the store knows no prices), and written back with one set-based UPDATE, in one transaction.

use super::{StoreError, in_transaction};
use crate::model::UsageRecord;
use duckdb::{Connection, params};

/// How many records were re-priced, and how many of them still have no price.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct RecomputeOutcome {
    #[ts(type = "number")]
    pub records: usize,
    #[ts(type = "number")]
    pub unpriced: usize,
}

/// Re-prices records whose `PriceVersion` differs from `version` (all when `all`), with `price`
/// giving each record's computed cost (`None`: no price). Runs on the writer's connection.
pub fn reprice_usage(
    connection: &Connection,
    version: &str,
    all: bool,
    price: impl Fn(&UsageRecord) -> Option<f64>,
) -> Result<RecomputeOutcome, StoreError> {
    let costs = costs_to_write(connection, version, all, price)?;
    if costs.is_empty() {
        return Ok(RecomputeOutcome::default());
    }
    let unpriced = costs.iter().filter(|(_, cost)| cost.is_none()).count();
    in_transaction(connection, |connection| {
        connection.execute_batch("CREATE OR REPLACE TEMP TABLE repriced (RecordKey VARCHAR, Cost DOUBLE)")?;
        {
            let mut appender = connection.appender_to_catalog_and_db("repriced", "temp", "main")?;
            for (key, cost) in &costs {
                appender.append_row(params![key, cost])?;
            }
            appender.flush()?;
        }
        connection.execute(
            "UPDATE usage_records SET ComputedCostUsd = r.Cost, PriceVersion = ? FROM temp.repriced r WHERE usage_records.RecordKey = r.RecordKey",
            params![version],
        )?;
        connection.execute_batch("DROP TABLE temp.repriced")?;
        Ok(())
    })?;
    Ok(RecomputeOutcome { records: costs.len(), unpriced })
}

fn costs_to_write(
    connection: &Connection,
    version: &str,
    all: bool,
    price: impl Fn(&UsageRecord) -> Option<f64>,
) -> Result<Vec<(String, Option<f64>)>, StoreError> {
    let mut statement = connection.prepare(
        "SELECT RecordKey, Model, InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens, Speed
         FROM usage_records WHERE ? OR PriceVersion IS DISTINCT FROM ?",
    )?;
    let mut rows = statement.query(params![all, version])?;
    let mut costs = Vec::new();
    while let Some(row) = rows.next()? {
        let record = UsageRecord {
            record_key: row.get(0)?,
            model: row.get(1)?,
            input_tokens: row.get(2)?,
            cache_read_tokens: row.get(3)?,
            cache_write_5m_tokens: row.get(4)?,
            cache_write_1h_tokens: row.get(5)?,
            output_tokens: row.get(6)?,
            reasoning_tokens: row.get(7)?,
            tool_tokens: row.get(8)?,
            speed: row.get(9)?,
            ..UsageRecord::default()
        };
        let cost = price(&record);
        costs.push((record.record_key, cost));
    }
    Ok(costs)
}
