//! Recomputing stored costs after the price table or the user's overrides changed.
//!
//! Every usage record keeps the table version that priced it. Records priced by another version are
//! re-priced in one pass on the writer thread: costs are computed here and written back with a
//! single set-based UPDATE through a temporary table.

use super::{PriceTable, cost_of_usage};
use crate::engine::{Engine, EngineError};
use crate::model::UsageRecord;
use crate::store::StoreError;
use duckdb::params;

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

pub async fn recompute_if_stale(engine: &Engine) -> Result<RecomputeOutcome, EngineError> {
    recompute(engine, false).await
}

/// Re-prices records priced by another table version (all records when `all` is set).
pub async fn recompute(engine: &Engine, all: bool) -> Result<RecomputeOutcome, EngineError> {
    let table = engine.prices();
    let outcome = engine.store().with_writer(move |connection| reprice(connection, &table, all)).await?;
    if outcome.records > 0 {
        tracing::info!(records = outcome.records, unpriced = outcome.unpriced, "recomputed stored costs");
    }
    Ok(outcome)
}

fn reprice(connection: &duckdb::Connection, table: &PriceTable, all: bool) -> Result<RecomputeOutcome, StoreError> {
    let version = table.version();
    let mut statement = connection.prepare(
        "SELECT RecordKey, Model, InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens, Speed
         FROM usage_records WHERE ? OR PriceVersion IS DISTINCT FROM ?",
    )?;
    let mut rows = statement.query(params![all, version])?;
    let mut costs: Vec<(String, Option<f64>)> = Vec::new();
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
        let cost = table.lookup(&record.model).map(|price| cost_of_usage(price, &record).total());
        costs.push((record.record_key, cost));
    }
    if costs.is_empty() {
        return Ok(RecomputeOutcome::default());
    }
    let unpriced = costs.iter().filter(|(_, cost)| cost.is_none()).count();
    connection.execute_batch("BEGIN TRANSACTION; CREATE OR REPLACE TEMP TABLE repriced (RecordKey VARCHAR, Cost DOUBLE);")?;
    let result = (|| -> Result<(), StoreError> {
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
        connection.execute_batch("DROP TABLE temp.repriced; COMMIT;")?;
        Ok(())
    })();
    if let Err(error) = result {
        let _ = connection.execute_batch("ROLLBACK");
        return Err(error);
    }
    Ok(RecomputeOutcome { records: costs.len(), unpriced })
}
