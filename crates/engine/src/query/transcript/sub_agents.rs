//! Each sub-agent's part of a session's spend (Claude Code `Agent` tasks, Gemini sub-agents),
//! named as the request's records name the agent in any source.

use crate::model::TokenCounts;
use crate::query::QueryError;
use crate::query::spend::RECONCILED_USAGE_CTE;
use crate::query::tables::usage_records::{GROUP_TOTALS, group_at};
use crate::store::Store;
use duckdb::types::Value;
use serde::Serialize;
use ts_rs::TS;

/// What one sub-agent of a session spent, in `/api/spend` terms.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SubAgentSpend {
    pub agent_id: String,
    #[ts(type = "number")]
    pub requests: i64,
    pub tokens: TokenCounts,
    /// Null when every request is unpriced.
    pub cost_usd: Option<f64>,
    #[ts(type = "number")]
    pub unpriced_requests: i64,
}

/// The session's requests by sub-agent (the agent a request's records name in any source).
pub async fn sub_agents(store: &Store, session_id: &str) -> Result<Vec<SubAgentSpend>, QueryError> {
    let sql = format!(
        "WITH {RECONCILED_USAGE_CTE}, tagged AS (
            SELECT u.*, coalesce(nullif(u.AgentId, ''), (SELECT max(nullif(a.AgentId, '')) FROM usage_records a WHERE a.MatchKey = u.MatchKey)) AS agent
            FROM reconciled u WHERE u.SessionId = ?
         )
         SELECT agent, {GROUP_TOTALS} FROM tagged WHERE agent IS NOT NULL GROUP BY agent ORDER BY min(Timestamp), agent"
    );
    let params = [Value::Text(session_id.to_owned())];
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut agents = Vec::new();
            while let Some(row) = rows.next()? {
                let group = group_at(row, 1)?;
                agents.push(SubAgentSpend {
                    agent_id: row.get(0)?,
                    requests: group.requests,
                    tokens: group.tokens,
                    cost_usd: group.cost_usd,
                    unpriced_requests: group.unpriced_requests,
                });
            }
            Ok(agents)
        })
        .await?)
}
