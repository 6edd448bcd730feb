//! Storing a write group's usage records: one copy per key handed to DuckDB as an Arrow batch, one
//! upsert through the primary key that reads the batch in place (DuckDB's Arrow scan, no staging
//! table), the matching of the touched sessions, and how many keys each write of the group changed.

use super::batch::WriteBatch;
use super::kept_copies::kept_copies;
use super::rows::usage_batch;
use super::{SharedPricer, StoreError};
use duckdb::Connection;
use duckdb::vtab::ArrowBatchRegistration;
use duckdb::vtab::arrow::ArrowVTab;
use std::collections::HashSet;

/// The table function, registered on the writer's connection, that reads a registered Arrow batch
/// (`staged_usage(?)`, the batch's token as the parameter). Staged in a temporary table first, a
/// first import's usage records were copied once more, a sixth of its storing time
/// (docs/benchmarks.md).
const STAGED_USAGE: &str = "staged_usage";

/// Registers `STAGED_USAGE` on the writer's connection.
pub(super) fn register_staged_usage(connection: &Connection) -> Result<(), StoreError> {
    Ok(connection.register_table_function::<ArrowVTab>(STAGED_USAGE)?)
}

/// How a group's changed usage keys are told apart by batch: exactly, by asking DuckDB which keys
/// changed (`RETURNING`); or in order, as its spans are, when no write of the group reads its
/// outcome (journalled writes were answered when journalled). Asking took about a third of the
/// upsert's time under a stream of telemetry (docs/benchmarks.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Attribution {
    Exact,
    InOrder,
}

/// Usage records are keyed by request; a repeat replaces the stored row only when it carries more
/// output tokens (Claude Code writes a partial count first and the final count later). One statement
/// for the whole group (most OTLP log requests carry usage), whose staged rows hold one copy per key
/// (`kept_copies`).
const UPSERT_USAGE: &str = "INSERT INTO usage_records
     SELECT * FROM staged_usage(?)
     ON CONFLICT (RecordKey) DO UPDATE SET
       OutputTokens = excluded.OutputTokens, ReasoningTokens = excluded.ReasoningTokens,
       InputTokens = excluded.InputTokens, CacheReadTokens = excluded.CacheReadTokens,
       CacheWrite5mTokens = excluded.CacheWrite5mTokens, CacheWrite1hTokens = excluded.CacheWrite1hTokens,
       ReportedCostUsd = excluded.ReportedCostUsd, ComputedCostUsd = excluded.ComputedCostUsd,
       PriceVersion = excluded.PriceVersion
     WHERE excluded.OutputTokens > usage_records.OutputTokens";

/// A first pass's records whose keys no stored row can hold (`unseen_keys`), appended as they are.
const APPEND_USAGE: &str = "INSERT INTO usage_records SELECT * FROM staged_usage(?)";

/// Stores the group's usage records (`UPSERT_USAGE`; `APPEND_USAGE` for one batch when
/// `append_plainly`) and returns how many of each batch's keys it inserted or updated. For one
/// batch (every bulk write, most requests) that is the statement's row count; only a group of several read exactly (`Attribution::Exact`) asks DuckDB for the changed
/// keys (`RETURNING`), which on a first import's writes of 20 000 records cost a third of the
/// statement's time and ran the 4.7 GB history's import out of its 96 MB buffer pool
/// (docs/benchmarks.md). Otherwise the count is handed to the batches in order, each taking at most
/// its own keys.
pub(super) fn upsert_usage(
    connection: &Connection,
    pricer: &SharedPricer,
    batches: &[&WriteBatch],
    attribution: Attribution,
    append_plainly: bool,
) -> Result<Vec<usize>, StoreError> {
    let write = StoreError::write;
    let usage = kept_copies(batches.iter().flat_map(|batch| batch.usage.iter()));
    if usage.is_empty() {
        return Ok(vec![0; batches.len()]);
    }
    let staged = ArrowBatchRegistration::new(usage_batch(&usage).map_err(write)?);
    let distinct_keys = |batch: &WriteBatch| batch.usage.iter().map(|usage| usage.record_key.as_str()).collect::<HashSet<_>>().len();
    let changed = if let [_] = batches {
        vec![connection.execute(if append_plainly { APPEND_USAGE } else { UPSERT_USAGE }, [&staged]).map_err(write)?]
    } else if attribution == Attribution::InOrder {
        let mut left = connection.execute(UPSERT_USAGE, [&staged]).map_err(write)?;
        batches
            .iter()
            .map(|batch| {
                let taken = distinct_keys(batch).min(left);
                left -= taken;
                taken
            })
            .collect()
    } else {
        let mut statement = connection.prepare(&format!("{UPSERT_USAGE} RETURNING RecordKey")).map_err(write)?;
        let keys = statement.query_map([&staged], |row| row.get::<_, String>(0)).map_err(write)?;
        let changed = keys.collect::<Result<HashSet<String>, _>>().map_err(write)?;
        batches
            .iter()
            .map(|batch| {
                batch
                    .usage
                    .iter()
                    .map(|usage| usage.record_key.as_str())
                    .collect::<HashSet<_>>()
                    .into_iter()
                    .filter(|key| changed.contains(*key))
                    .count()
            })
            .collect()
    };
    if batches.iter().any(|batch| !batch.bulk) {
        connection
            .execute(&format!("INSERT INTO temp.stage_usage_keys SELECT Tool, SessionId, RequestId FROM {STAGED_USAGE}(?)"), [&staged])
            .map_err(write)?;
        super::reconcile::reconcile_staged(connection, super::current_pricer(pricer).as_ref())?;
        connection.execute_batch("DELETE FROM temp.stage_usage_keys").map_err(write)?;
    }
    Ok(changed)
}
