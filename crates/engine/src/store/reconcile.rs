//! Keeping `usage_records.MatchKey` and `Counted` true: after every write of usage records, the
//! sessions the write touched (and the rows sharing request ids with them, in any session) are
//! matched again with `model::matching`, in the writer's transaction, so a reader never sees a
//! request counted twice or not at all. Every spend figure reads `WHERE Counted`.
//!
//! Matching a whole session again is independent of the order records arrived in: OTLP first or
//! files first, one pass or many, the rows end up in the same groups with the same counted row.
//! A deletion matches again the sessions it removed rows from. Matching also lets a telemetry row
//! learn what only the file says: the split of its cache writes (`adopt_cache_write_splits`).

use super::{Pricer, StoreError};
use crate::model::UsageRecord;
use crate::model::matching::{MatchOutcome, MatchRow, match_requests};
use duckdb::{Connection, params};

const ROW_COLUMNS: &str = "RecordKey, Tool, SessionId, RequestId, Source = 'otlp', Model, InputTokens, CacheReadTokens,
    CacheWrite5mTokens + CacheWrite1hTokens, OutputTokens, ReasoningTokens, epoch_ns(Timestamp), MatchKey, Counted,
    Source <> 'otlp' AND CacheWrite1hTokens > 0";

/// The sessions of the usage records `rows` names (a table or subquery with `Tool`, `SessionId`
/// and `RequestId`), closed over the request ids they share with other sessions: the scope a write
/// changes. A common table expression named `scoped_sessions`, so the scope is computed inside
/// the statements that read it (no table made per commit).
fn touched_scope(rows: &str) -> String {
    format!(
        "touched AS (SELECT DISTINCT Tool, SessionId FROM {rows}),
    shared_ids AS (
        SELECT DISTINCT u.Tool, u.RequestId FROM usage_records u
        JOIN touched t ON u.Tool IS NOT DISTINCT FROM t.Tool AND u.SessionId IS NOT DISTINCT FROM t.SessionId
        WHERE u.RequestId IS NOT NULL
        UNION SELECT DISTINCT Tool, RequestId FROM {rows} WHERE RequestId IS NOT NULL
    ),
    scoped_sessions AS (
        SELECT Tool, SessionId FROM touched
        UNION
        SELECT DISTINCT u.Tool, u.SessionId FROM usage_records u JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
    )"
    )
}

/// Most unmatched records matched in one pass: each pass loads its sessions' rows into memory
/// (all of a large first import at once took over a gigabyte). 100 000 took the 4.7 GB history's
/// matching from 7.5 to 7.0 s and its import's peak from 400 to 419 MB (docs/benchmarks.md).
const UNMATCHED_PER_PASS: i64 = 50_000;

/// The scope put aside by `scope_sessions_where` before a deletion, as the same named expression.
const SAVED_SCOPE: &str = "scoped_sessions AS (SELECT Tool, SessionId FROM temp.reconcile_sessions)";

/// A row of `usage_records` (aliased `u`) in one of the scoped sessions.
const IN_SCOPE: &str = "EXISTS (SELECT 1 FROM scoped_sessions s
    WHERE u.Tool IS NOT DISTINCT FROM s.Tool AND u.SessionId IS NOT DISTINCT FROM s.SessionId)";

/// Matches again the sessions touched by the usage records staged in `temp.stage_usage`.
/// Returns how many records changed group, counted state or price.
pub fn reconcile_staged(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    reconcile_in(connection, &touched_scope("temp.stage_usage"), pricer)
}

/// Matches again the sessions of every record stored unmatched (a bulk import's, at its end; or
/// one a stopped build left): once over those sessions instead of once per commit, in passes of
/// about `UNMATCHED_PER_PASS` records split by session. Each pass's scope is closed over the
/// request ids its sessions share, like any write's, so a request shared by two passes' sessions
/// is matched whole in both. The scopes of all passes are found by one statement
/// (`temp.unmatched_scopes`): found per pass, each pass read the whole table four more times, and
/// the 4.7 GB history's 900 000 records (18 passes) took 9.7 s to match (docs/benchmarks.md).
pub fn reconcile_unmatched(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    reconcile_unmatched_in_passes(connection, pricer, UNMATCHED_PER_PASS)
}

fn reconcile_unmatched_in_passes(connection: &Connection, pricer: Option<&Pricer>, per_pass: i64) -> Result<usize, StoreError> {
    let unmatched: i64 = connection.query_row("SELECT count(*) FROM usage_records WHERE Counted IS NULL", [], |row| row.get(0))?;
    if unmatched == 0 {
        return Ok(0);
    }
    let passes = (unmatched + per_pass - 1) / per_pass;
    connection.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE unmatched_scopes AS
         WITH touched AS (
             SELECT DISTINCT Tool, SessionId, hash(coalesce(SessionId, '')) % {passes} AS Pass FROM usage_records WHERE Counted IS NULL
         ),
         shared_ids AS (
             SELECT DISTINCT t.Pass, u.Tool, u.RequestId FROM usage_records u
             JOIN touched t ON u.Tool IS NOT DISTINCT FROM t.Tool AND u.SessionId IS NOT DISTINCT FROM t.SessionId
             WHERE u.RequestId IS NOT NULL
         )
         SELECT Pass, Tool, SessionId FROM touched
         UNION
         SELECT DISTINCT i.Pass, u.Tool, u.SessionId FROM usage_records u JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId"
    ))?;
    let mut changed = 0;
    for pass in 0..passes {
        let scope = format!("scoped_sessions AS (SELECT Tool, SessionId FROM temp.unmatched_scopes WHERE Pass = {pass})");
        changed += reconcile_in(connection, &scope, pricer)?;
    }
    connection.execute_batch("DROP TABLE temp.unmatched_scopes")?;
    Ok(changed)
}

/// Puts the sessions of the records `condition` selects (with `params`) in scope, before those
/// records are deleted; `reconcile_scope` then matches what is left of them.
pub fn scope_sessions_where(connection: &Connection, condition: &str, params: &[duckdb::types::Value]) -> Result<(), StoreError> {
    connection.execute(
        &format!("CREATE OR REPLACE TEMP TABLE reconcile_sessions AS SELECT DISTINCT Tool, SessionId FROM usage_records WHERE {condition}"),
        duckdb::params_from_iter(params.iter().cloned()),
    )?;
    Ok(())
}

/// Matches again every record of the sessions in `temp.reconcile_sessions`, then drops the scope.
pub fn reconcile_scope(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    let changed = reconcile_in(connection, SAVED_SCOPE, pricer)?;
    connection.execute_batch("DROP TABLE temp.reconcile_sessions")?;
    Ok(changed)
}

/// Matches again every record of the sessions `scope` (a `scoped_sessions` expression) names.
/// The cache-write splits are looked at only when the scope holds a file row with 1-hour writes:
/// without one there is nothing to adopt (most commits: telemetry alone).
fn reconcile_in(connection: &Connection, scope: &str, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    let (mut changed, has_hour_writes) =
        reconcile_rows(connection, &format!("WITH {scope} SELECT {ROW_COLUMNS} FROM usage_records u WHERE {IN_SCOPE}"))?;
    if has_hour_writes {
        changed += adopt_cache_write_splits(connection, scope, pricer)?;
    }
    Ok(changed)
}

/// Telemetry rows without a reported cost whose request a session file also holds with 1-hour
/// cache writes: the split they should take (`least(file's 1-hour writes, all writes)`).
const SPLITS_TO_ADOPT: &str = "WITH {scope_cte}, file_hours AS (
        SELECT MatchKey, max(CacheWrite1hTokens) AS hours FROM usage_records u
        WHERE Source <> 'otlp' AND CacheWrite1hTokens > 0 AND {scope} GROUP BY MatchKey
    )
    SELECT u.RecordKey, u.Model, u.InputTokens, u.CacheReadTokens, u.CacheWrite5mTokens + u.CacheWrite1hTokens,
           least(h.hours, u.CacheWrite5mTokens + u.CacheWrite1hTokens), u.OutputTokens, u.ReasoningTokens, u.ToolTokens, u.Speed
    FROM usage_records u JOIN file_hours h ON u.MatchKey = h.MatchKey
    WHERE u.Source = 'otlp' AND u.ReportedCostUsd IS NULL
      AND u.CacheWrite1hTokens <> least(h.hours, u.CacheWrite5mTokens + u.CacheWrite1hTokens) AND {scope}";

/// A telemetry row's new cache-write split, and its price (`version` none: not priced again).
struct AdoptedSplit {
    key: String,
    five_minute: i64,
    one_hour: i64,
    cost: Option<f64>,
    version: Option<String>,
}

/// Claude Code's telemetry reports a request's cache writes as one number, and without `cost_usd`
/// they would be priced at the 5-minute rate; its session file splits them into 5-minute and
/// 1-hour writes. A telemetry row with no reported cost takes the split of the file row it was
/// matched with and is priced again (by `pricer`; without one its price is marked stale so the
/// next re-pricing takes it). Returns how many rows changed.
fn adopt_cache_write_splits(connection: &Connection, scope_cte: &str, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    let mut statement = connection.prepare(&SPLITS_TO_ADOPT.replace("{scope_cte}", scope_cte).replace("{scope}", IN_SCOPE))?;
    let mut rows = statement.query([])?;
    let mut adopted: Vec<AdoptedSplit> = Vec::new();
    while let Some(row) = rows.next()? {
        let (writes, hours): (i64, i64) = (row.get(4)?, row.get(5)?);
        let record = UsageRecord {
            record_key: row.get(0)?,
            model: row.get(1)?,
            input_tokens: row.get(2)?,
            cache_read_tokens: row.get(3)?,
            cache_write_5m_tokens: writes - hours,
            cache_write_1h_tokens: hours,
            output_tokens: row.get(6)?,
            reasoning_tokens: row.get(7)?,
            tool_tokens: row.get(8)?,
            speed: row.get(9)?,
            ..UsageRecord::default()
        };
        let (cost, version) = match pricer {
            Some(price) => {
                let (cost, version) = price(&record);
                (cost, Some(version))
            }
            None => (None, None),
        };
        adopted.push(AdoptedSplit { key: record.record_key, five_minute: writes - hours, one_hour: hours, cost, version });
    }
    if adopted.is_empty() {
        return Ok(0);
    }
    connection.execute_batch(
        "CREATE OR REPLACE TEMP TABLE adopted_splits (RecordKey VARCHAR, FiveMinute BIGINT, OneHour BIGINT, Cost DOUBLE, Version VARCHAR)",
    )?;
    {
        let mut appender = connection.appender_to_catalog_and_db("adopted_splits", "temp", "main")?;
        for split in &adopted {
            appender.append_row(params![split.key, split.five_minute, split.one_hour, split.cost, split.version])?;
        }
        appender.flush()?;
    }
    connection.execute_batch(
        "UPDATE usage_records SET CacheWrite5mTokens = a.FiveMinute, CacheWrite1hTokens = a.OneHour,
             ComputedCostUsd = CASE WHEN a.Version IS NULL THEN usage_records.ComputedCostUsd ELSE a.Cost END, PriceVersion = a.Version
         FROM temp.adopted_splits a WHERE usage_records.RecordKey = a.RecordKey;
         DROP TABLE temp.adopted_splits;",
    )?;
    Ok(adopted.len())
}

/// Matches the rows `select` reads (`ROW_COLUMNS`) and stores what changed. Returns how many rows
/// changed, and whether any of them is a file row with 1-hour cache writes.
fn reconcile_rows(connection: &Connection, select: &str) -> Result<(usize, bool), StoreError> {
    let mut statement = connection.prepare(select)?;
    let mut rows = statement.query([])?;
    let (mut match_rows, mut stored) = (Vec::<MatchRow>::new(), Vec::<(Option<String>, Option<bool>)>::new());
    let mut has_hour_writes = false;
    while let Some(row) = rows.next()? {
        has_hour_writes |= row.get::<_, Option<bool>>(14)?.unwrap_or(false);
        let match_row = MatchRow {
            record_key: row.get(0)?,
            tool: row.get(1)?,
            session_id: row.get(2)?,
            request_id: row.get(3)?,
            from_telemetry: row.get(4)?,
            model: row.get(5)?,
            tokens: [row.get(6)?, row.get(7)?, row.get(8)?, row.get(9)?, row.get(10)?],
            time: row.get(11)?,
        };
        match_rows.push(match_row);
        stored.push((row.get(12)?, row.get(13)?));
    }
    let changed: Vec<MatchOutcome> = match_requests(&match_rows)
        .into_iter()
        .zip(&stored)
        .filter(|(outcome, (key, counted))| key.as_deref() != Some(outcome.match_key.as_str()) || *counted != Some(outcome.counted))
        .map(|(outcome, _)| outcome)
        .collect();
    drop(match_rows);
    if changed.is_empty() {
        return Ok((0, has_hour_writes));
    }
    connection.execute_batch("CREATE OR REPLACE TEMP TABLE reconciled_rows (RecordKey VARCHAR, MatchKey VARCHAR, Counted BOOLEAN)")?;
    {
        let mut appender = connection.appender_to_catalog_and_db("reconciled_rows", "temp", "main")?;
        for outcome in &changed {
            appender.append_row(params![outcome.record_key, outcome.match_key, outcome.counted])?;
        }
        appender.flush()?;
    }
    connection.execute_batch(
        "UPDATE usage_records SET MatchKey = r.MatchKey, Counted = r.Counted FROM temp.reconciled_rows r WHERE usage_records.RecordKey = r.RecordKey;
         DROP TABLE temp.reconciled_rows;",
    )?;
    Ok((changed.len(), has_hour_writes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records of 40 requests, each stored from telemetry in one session and from a session file
    /// in another (as a resumed Claude Code session files them), none matched yet.
    fn store_with_unmatched_requests() -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        connection
            .execute_batch(
                "INSERT INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                    InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                 SELECT source || ':' || i, make_timestamp(1764547200000000 + i * 1000000), 'claude-code', source, 'claude-code',
                        CASE source WHEN 'otlp' THEN 'live-' ELSE 'file-' END || (i % 7), 'req_' || i, 'claude-sonnet-4-5',
                        10 + i, 0, 0, 0, 5, 0, 0
                 FROM range(40) t(i), (VALUES ('otlp'), ('import')) s(source);",
            )
            .unwrap();
        connection
    }

    fn outcomes(connection: &Connection) -> Vec<(String, Option<String>, Option<bool>)> {
        connection
            .prepare("SELECT RecordKey, MatchKey, Counted FROM usage_records ORDER BY RecordKey")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// Matched in many passes (a request's two sessions mostly in different ones), every request
    /// is counted once, exactly as when all of them are matched in one pass.
    #[test]
    fn matching_in_passes_counts_each_request_once_as_one_pass_does() {
        let in_one = store_with_unmatched_requests();
        reconcile_unmatched_in_passes(&in_one, None, 1_000).unwrap();
        let in_passes = store_with_unmatched_requests();
        reconcile_unmatched_in_passes(&in_passes, None, 8).unwrap();

        let one = outcomes(&in_one);
        assert_eq!(one.len(), 80);
        assert_eq!(one.iter().filter(|(_, _, counted)| *counted == Some(true)).count(), 40);
        assert!(one.iter().all(|(_, key, _)| key.as_deref().is_some_and(|key| key.starts_with("id:claude-code:req_"))));
        assert_eq!(outcomes(&in_passes), one);
        let left: i64 = in_passes.query_row("SELECT count(*) FROM usage_records WHERE Counted IS NULL", [], |row| row.get(0)).unwrap();
        assert_eq!(left, 0);
    }
}
