//! How well the price table fits the stored history: models with no price, and models whose
//! computed cost disagrees with the cost the tool reported (Claude Code's `cost_usd`) by more than
//! 1 % on some requests, which is how a stale table shows itself.

use crate::model::time::format_micros;
use crate::store::{Store, StoreError};
use serde::Serialize;
use ts_rs::TS;

/// Relative difference above which a computed cost is reported as disagreeing.
pub const DISAGREEMENT_THRESHOLD: f64 = 0.01;

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct UnpricedModelSeen {
    pub tool: String,
    pub model: String,
    #[ts(type = "number")]
    pub requests: i64,
    pub first_seen: String,
    pub last_seen: String,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct CostDisagreement {
    pub tool: String,
    pub model: String,
    /// Requests whose computed cost differs from the reported one by more than 1 %.
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub compared_requests: i64,
    pub reported_usd: f64,
    pub computed_usd: f64,
    /// Largest relative difference of one request, in percent.
    pub max_difference_percent: f64,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct PriceCheck {
    pub table_version: String,
    pub unpriced: Vec<UnpricedModelSeen>,
    pub disagreements: Vec<CostDisagreement>,
}

pub async fn check(store: &Store, table_version: String) -> Result<PriceCheck, StoreError> {
    store
        .read(move |connection| {
            let mut statement = connection.prepare(
                "SELECT coalesce(Tool, 'unknown'), Model, count(*), epoch_us(min(Timestamp)), epoch_us(max(Timestamp))
                 FROM usage_records WHERE ComputedCostUsd IS NULL GROUP BY ALL ORDER BY 3 DESC, 1, 2",
            )?;
            let mut rows = statement.query([])?;
            let mut unpriced = Vec::new();
            while let Some(row) = rows.next()? {
                unpriced.push(UnpricedModelSeen {
                    tool: row.get(0)?,
                    model: row.get(1)?,
                    requests: row.get(2)?,
                    first_seen: format_micros(row.get(3)?),
                    last_seen: format_micros(row.get(4)?),
                });
            }
            let mut statement = connection.prepare(
                "SELECT coalesce(Tool, 'unknown'), Model,
                        count(*) FILTER (WHERE abs(ComputedCostUsd - ReportedCostUsd) > ? * ReportedCostUsd),
                        count(*), sum(ReportedCostUsd), sum(ComputedCostUsd),
                        max(abs(ComputedCostUsd - ReportedCostUsd) / ReportedCostUsd) * 100
                 FROM usage_records WHERE ReportedCostUsd > 0 AND ComputedCostUsd IS NOT NULL
                 GROUP BY ALL HAVING count(*) FILTER (WHERE abs(ComputedCostUsd - ReportedCostUsd) > ? * ReportedCostUsd) > 0
                 ORDER BY 1, 2",
            )?;
            let mut rows = statement.query(duckdb::params![DISAGREEMENT_THRESHOLD, DISAGREEMENT_THRESHOLD])?;
            let mut disagreements = Vec::new();
            while let Some(row) = rows.next()? {
                disagreements.push(CostDisagreement {
                    tool: row.get(0)?,
                    model: row.get(1)?,
                    requests: row.get(2)?,
                    compared_requests: row.get(3)?,
                    reported_usd: row.get(4)?,
                    computed_usd: row.get(5)?,
                    max_difference_percent: row.get(6)?,
                });
            }
            Ok(PriceCheck { table_version, unpriced, disagreements })
        })
        .await
}
