//! The `usage_records` table as spend reads it: the aggregate columns of a group of requests
//! (requests, tokens by type, the cost shown, the reported and computed costs, the unpriced
//! requests and those whose cost is computed; the cost is null when every request is unpriced) and their decoder, so every spend query selects and reads them alike.

use crate::model::TokenCounts;
use crate::query::spend::SpendGroup;

/// The keys of imported usage records whose request telemetry also reported (an OTLP record with
/// the same `MatchKey`): the rows an import wrote for them repeat what telemetry already stored.
pub const IMPORTED_ALSO_IN_TELEMETRY: &str = "SELECT f.RecordKey FROM usage_records f
    WHERE f.Source <> 'otlp' AND f.MatchKey IN (SELECT MatchKey FROM usage_records WHERE Source = 'otlp' AND MatchKey IS NOT NULL)";

/// Token sums by type, in `TokenCounts` order.
pub const TOKEN_SUMS: &str =
    "sum(InputTokens), sum(CacheReadTokens), sum(CacheWrite5mTokens + CacheWrite1hTokens), sum(OutputTokens), sum(ReasoningTokens)";

/// The cost shown of a group: the tools' own costs where they reported one, else the computed
/// ones; null when every request of the group is unpriced (a macro, so `GROUP_TOTALS` can hold it).
macro_rules! cost_shown {
    () => {
        "CASE WHEN count(*) > 0 AND count(coalesce(ReportedCostUsd, ComputedCostUsd)) = 0 THEN NULL ELSE round(coalesce(sum(coalesce(ReportedCostUsd, ComputedCostUsd)), 0), 10) END"
    };
}

/// `GROUP_TOTALS`' cost column alone, for ordering groups by it without the other sums.
pub const COST_SHOWN: &str = cost_shown!();

/// Everything a `SpendGroup` holds but its key: `count(*)`, `TOKEN_SUMS`, then the costs.
///
/// Each cost sum is rounded to 10 decimal places. A sum of floating-point costs depends on the
/// order it adds them in (0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit), and the
/// order of stored rows is not the same in two stores holding the same requests (one restarted
/// from its journal, one not; requests that arrived together). A cost has at most 10 decimal
/// places (whole tokens times a price per million with at most 4), so the rounding gives every
/// store the same sum and drops only the sum's floating-point error.
pub const GROUP_TOTALS: &str = concat!(
    "count(*), sum(InputTokens), sum(CacheReadTokens), sum(CacheWrite5mTokens + CacheWrite1hTokens), sum(OutputTokens), sum(ReasoningTokens),
    ",
    cost_shown!(),
    ",
    round(sum(ReportedCostUsd), 10), round(sum(ComputedCostUsd), 10),
    count(*) FILTER (WHERE ReportedCostUsd IS NULL AND ComputedCostUsd IS NULL),
    count(*) FILTER (WHERE ReportedCostUsd IS NULL AND ComputedCostUsd IS NOT NULL)"
);

/// Reads `TOKEN_SUMS` starting at column `first`.
pub fn tokens_at(row: &duckdb::Row<'_>, first: usize) -> duckdb::Result<TokenCounts> {
    Ok(TokenCounts {
        input: row.get(first)?,
        cache_read: row.get(first + 1)?,
        cache_creation: row.get(first + 2)?,
        output: row.get(first + 3)?,
        reasoning: row.get(first + 4)?,
    })
}

/// Reads `GROUP_TOTALS` starting at column `first` into a group without a key.
pub fn group_at(row: &duckdb::Row<'_>, first: usize) -> duckdb::Result<SpendGroup> {
    Ok(SpendGroup {
        key: String::new(),
        requests: row.get(first)?,
        tokens: tokens_at(row, first + 1)?,
        cost_usd: row.get(first + 6)?,
        reported_cost_usd: row.get(first + 7)?,
        computed_cost_usd: row.get(first + 8)?,
        unpriced_requests: row.get(first + 9)?,
        computed_requests: row.get(first + 10)?,
        cache_savings_usd: None,
    })
}
