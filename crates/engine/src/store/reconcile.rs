//! Keeping `usage_records.MatchKey` and `Counted` true: after every write of usage records, the
//! sessions the write touched (and the rows sharing request ids with them, in any session) are
//! matched again with `model::matching`, in the writer's transaction, so a reader never sees a
//! request counted twice or not at all. Every spend figure reads `WHERE Counted`.
//!
//! Matching a whole session again is independent of the order records arrived in: OTLP first or
//! files first, one pass or many, the rows end up in the same groups with the same counted row.
//! The sessions matched are a scope of two rings (`store::match_scope`): the own sessions, whose
//! records are rewritten, and around them the sessions read so every group is seen whole.
//! A deletion matches again the sessions it removed rows from. Matching also lets a telemetry row
//! learn what only the file says: the split of its cache writes (`adopt_cache_write_splits`).

use super::match_scope::{SCOPED_ROWS, touched_scope, two_ring_scope};
use super::{Pricer, StoreError};
use crate::model::UsageRecord;
use crate::model::matching::{MatchOutcome, MatchRow, match_requests};
use duckdb::{Connection, params};
use std::collections::HashSet;

const ROW_COLUMNS: &str = "u.RecordKey, u.Tool, u.SessionId, u.RequestId, u.Source = 'otlp', u.Model, u.InputTokens,
    u.CacheReadTokens, u.CacheWrite5mTokens + u.CacheWrite1hTokens, u.OutputTokens, u.ReasoningTokens, epoch_ns(u.Timestamp),
    u.MatchKey, u.Counted, u.Source <> 'otlp' AND u.CacheWrite1hTokens > 0";

/// Most unmatched records matched in one pass: each pass loads its sessions' rows into memory
/// (all of a large first import at once took over a gigabyte). 100 000 took the 4.7 GB history's
/// matching from 7.5 to 7.0 s and its import's peak from 400 to 419 MB (docs/benchmarks.md).
const UNMATCHED_PER_PASS: i64 = 50_000;

/// Matches again the sessions touched by the usage records whose keys are staged in
/// `temp.stage_usage_keys` (their tool, session and request id).
/// Returns how many records changed group, counted state or price.
pub fn reconcile_staged(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    reconcile_in(connection, &touched_scope("temp.stage_usage_keys"), pricer)
}

/// Matches again the sessions of every record stored unmatched (a bulk import's, at its end; or
/// one a stopped build left): once over those sessions instead of once per commit, in passes of
/// about `UNMATCHED_PER_PASS` records split by session. Each pass's scope is closed over the
/// request ids its sessions share, like any write's, so a request shared by two passes' sessions
/// is matched whole in both. The scopes of all passes are found by one statement
/// (`temp.unmatched_scopes`): found per pass, each pass read the whole table four more times, and
/// the 4.7 GB history's 900 000 records (18 passes) took 9.7 s to match (docs/benchmarks.md).
/// A pass's own sessions are the unmatched ones it takes and those sharing request ids with them;
/// its scope adds the sessions sharing ids with those. A pass whose scope holds no telemetry row
/// (a first import's, from files alone) is matched by one statement (`file_matching`) instead of
/// in memory; a store with no telemetry row whose records are mostly unmatched (a first import
/// into a new store) by one statement over the whole table, without passes or scopes.
pub fn reconcile_unmatched(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    reconcile_unmatched_in_passes(connection, pricer, UNMATCHED_PER_PASS)
}

fn reconcile_unmatched_in_passes(connection: &Connection, pricer: Option<&Pricer>, per_pass: i64) -> Result<usize, StoreError> {
    let (unmatched, stored, from_telemetry): (i64, i64, i64) = connection.query_row(
        "SELECT count(*) FILTER (WHERE Counted IS NULL), count(*), count(*) FILTER (WHERE Source = 'otlp') FROM usage_records",
        [],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    if unmatched == 0 {
        return Ok(0);
    }
    if from_telemetry == 0 && unmatched * 2 >= stored {
        return super::file_matching::match_every_file_row(connection);
    }
    let passes = (unmatched + per_pass - 1) / per_pass;
    connection.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE unmatched_scopes AS WITH {} SELECT * FROM scoped_sessions",
        two_ring_scope(
            &format!(
                "SELECT DISTINCT hash(coalesce(SessionId, '')) % {passes} AS Pass, Tool, SessionId FROM usage_records WHERE Counted IS NULL"
            ),
            None,
        )
    ))?;
    let with_telemetry: HashSet<i64> = connection
        .prepare(
            "SELECT DISTINCT s.Pass FROM temp.unmatched_scopes s JOIN usage_records u
             ON u.Tool IS NOT DISTINCT FROM s.Tool AND u.SessionId IS NOT DISTINCT FROM s.SessionId WHERE u.Source = 'otlp'",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut changed = 0;
    for pass in 0..passes {
        let scope = format!("scoped_sessions AS (SELECT Tool, SessionId, Own FROM temp.unmatched_scopes WHERE Pass = {pass})");
        changed += if with_telemetry.contains(&pass) {
            reconcile_in(connection, &scope, pricer)?
        } else {
            super::file_matching::match_file_rows(connection, &scope)?
        };
    }
    connection.execute_batch("DROP TABLE temp.unmatched_scopes")?;
    Ok(changed)
}

/// Puts the sessions and request ids of the records `condition` selects (with `params`) aside,
/// before those records are deleted; `reconcile_scope` then matches what is left of their
/// sessions and of the other sessions holding their ids.
pub fn scope_sessions_where(connection: &Connection, condition: &str, params: &[duckdb::types::Value]) -> Result<(), StoreError> {
    connection.execute(
        &format!(
            "CREATE OR REPLACE TEMP TABLE reconcile_sessions AS SELECT DISTINCT Tool, SessionId, RequestId FROM usage_records WHERE {condition}"
        ),
        duckdb::params_from_iter(params.iter().cloned()),
    )?;
    Ok(())
}

/// Matches again the scope of the records put aside in `temp.reconcile_sessions`, then drops them.
pub fn reconcile_scope(connection: &Connection, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    let changed = reconcile_in(connection, &touched_scope("temp.reconcile_sessions"), pricer)?;
    connection.execute_batch("DROP TABLE temp.reconcile_sessions")?;
    Ok(changed)
}

/// Matches again every own record of the scope `scope` (expressions ending in `scoped_sessions`).
/// The cache-write splits are looked at only when the scope holds a file row with 1-hour writes:
/// without one there is nothing to adopt (most commits: telemetry alone).
fn reconcile_in(connection: &Connection, scope: &str, pricer: Option<&Pricer>) -> Result<usize, StoreError> {
    let (mut changed, has_hour_writes) =
        reconcile_rows(connection, &format!("WITH {scope} SELECT {ROW_COLUMNS}, s.Own FROM {SCOPED_ROWS}"))?;
    if has_hour_writes {
        changed += adopt_cache_write_splits(connection, scope, pricer)?;
    }
    Ok(changed)
}

/// Telemetry rows without a reported cost whose request a session file also holds with 1-hour
/// cache writes: the split they should take (`least(file's 1-hour writes, all writes)`).
const SPLITS_TO_ADOPT: &str = "WITH {scope_cte}, file_hours AS (
        SELECT u.MatchKey, max(u.CacheWrite1hTokens) AS hours FROM {scoped_rows}
        WHERE u.Source <> 'otlp' AND u.CacheWrite1hTokens > 0 GROUP BY u.MatchKey
    )
    SELECT u.RecordKey, u.Model, u.InputTokens, u.CacheReadTokens, u.CacheWrite5mTokens + u.CacheWrite1hTokens,
           least(h.hours, u.CacheWrite5mTokens + u.CacheWrite1hTokens), u.OutputTokens, u.ReasoningTokens, u.ToolTokens, u.Speed
    FROM {scoped_rows} JOIN file_hours h ON u.MatchKey = h.MatchKey
    WHERE s.Own AND u.Source = 'otlp' AND u.ReportedCostUsd IS NULL
      AND u.CacheWrite1hTokens <> least(h.hours, u.CacheWrite5mTokens + u.CacheWrite1hTokens)";

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
    let mut statement = connection.prepare(&SPLITS_TO_ADOPT.replace("{scope_cte}", scope_cte).replace("{scoped_rows}", SCOPED_ROWS))?;
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

/// Matches the rows `select` reads (`ROW_COLUMNS`, then whether the row's session is own) and
/// stores what changed of the own rows. Returns how many rows changed, and whether any row read is
/// a file row with 1-hour cache writes.
fn reconcile_rows(connection: &Connection, select: &str) -> Result<(usize, bool), StoreError> {
    let mut statement = connection.prepare(select)?;
    let mut rows = statement.query([])?;
    let (mut match_rows, mut stored) = (Vec::<MatchRow>::new(), Vec::<(Option<String>, Option<bool>, bool)>::new());
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
        stored.push((row.get(12)?, row.get(13)?, row.get(15)?));
    }
    let changed: Vec<MatchOutcome> = match_requests(&match_rows)
        .into_iter()
        .zip(&stored)
        .filter(|(outcome, (key, counted, own))| {
            *own && (key.as_deref() != Some(outcome.match_key.as_str()) || *counted != Some(outcome.counted))
        })
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
    /// in another (as a resumed Claude Code session files them), and of 30 requests only files
    /// hold, each in two sessions (6 without a request id), none matched yet.
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
                 FROM range(40) t(i), (VALUES ('otlp'), ('import')) s(source);
                 INSERT INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                    InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                 SELECT 'file:' || copy || ':' || i, make_timestamp(1764547200000000 + i * 1000000), 'claude-code', 'import', 'claude-code',
                        'solo-' || ((i + copy) % 9), CASE WHEN i % 5 = 0 THEN NULL ELSE 'solo_req_' || i END, 'claude-sonnet-4-5',
                        10 + i, 0, 0, 0, i % 3 + copy, 0, 0
                 FROM range(30) t(i), range(2) c(copy);",
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

    /// A deletion that takes a request's counted row leaves its copy in another session counted
    /// (the deleted rows' request ids bring that session into the scope).
    #[test]
    fn a_deleted_counted_row_hands_the_count_to_its_copy_in_another_session() {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        connection
            .execute_batch(
                "INSERT INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                    InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                 VALUES ('first', make_timestamp(1764547200000000), 'claude-code', 'import', 'claude-code', 'old', 'req_1',
                         'claude-sonnet-4-5', 10, 0, 0, 0, 7, 0, 0),
                        ('copy', make_timestamp(1764547260000000), 'claude-code', 'import', 'claude-code', 'resumed', 'req_1',
                         'claude-sonnet-4-5', 10, 0, 0, 0, 5, 0, 0);",
            )
            .unwrap();
        reconcile_unmatched(&connection, None).unwrap();
        let counted = |connection: &Connection| {
            connection
                .prepare("SELECT RecordKey FROM usage_records WHERE Counted ORDER BY RecordKey")
                .unwrap()
                .query_map([], |row| row.get::<_, String>(0))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap()
        };
        assert_eq!(counted(&connection), ["first"]);

        scope_sessions_where(&connection, "SessionId = ?", &[duckdb::types::Value::Text("old".to_owned())]).unwrap();
        connection.execute("DELETE FROM usage_records WHERE SessionId = 'old'", []).unwrap();
        assert_eq!(reconcile_scope(&connection, None).unwrap(), 1);
        assert_eq!(counted(&connection), ["copy"]);
    }

    /// Matched in many passes (a request's two sessions mostly in different ones; the passes of
    /// file rows alone by one statement), every request is counted once, exactly as when all of
    /// them are matched in one pass, in memory.
    #[test]
    fn matching_in_passes_counts_each_request_once_as_one_pass_does() {
        let in_one = store_with_unmatched_requests();
        reconcile_unmatched_in_passes(&in_one, None, 1_000).unwrap();
        let in_passes = store_with_unmatched_requests();
        reconcile_unmatched_in_passes(&in_passes, None, 8).unwrap();

        let one = outcomes(&in_one);
        assert_eq!(one.len(), 140);
        assert_eq!(one.iter().filter(|(_, _, counted)| *counted == Some(true)).count(), 40 + 24 + 12);
        let (linked, solo): (Vec<_>, Vec<_>) = one.iter().partition(|(key, _, _)| !key.starts_with("file:"));
        assert!(linked.iter().all(|(_, key, _)| key.as_deref().is_some_and(|key| key.starts_with("id:claude-code:req_"))));
        assert_eq!(solo.iter().filter(|(_, key, _)| key.as_deref().is_some_and(|key| key.starts_with("row:file:"))).count(), 12);
        assert_eq!(outcomes(&in_passes), one);
        let left: i64 = in_passes.query_row("SELECT count(*) FROM usage_records WHERE Counted IS NULL", [], |row| row.get(0)).unwrap();
        assert_eq!(left, 0);
    }

    /// A store of file rows alone: a first import's records are matched whole, by one statement;
    /// records added later (fewer than those stored) in scoped passes. Both end where matching the
    /// whole store from nothing ends: each request counted once, the copy with the most output.
    #[test]
    fn file_rows_matched_whole_then_in_passes_end_as_one_match_of_everything() {
        let insert = |connection: &Connection, from: i64, to: i64| {
            connection
                .execute(
                    "INSERT INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                        InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                     SELECT 'file:' || copy || ':' || i, make_timestamp(1764547200000000 + i * 1000000), 'codex', 'import', 'codex',
                            'session-' || ((i + copy) % 9), CASE WHEN i % 5 = 0 THEN NULL ELSE 'req_' || (i % 40) END, 'gpt-5',
                            10 + i, 0, 0, 0, i % 3 + copy, 0, 0
                     FROM range(?, ?) t(i), range(2) c(copy)",
                    [from, to],
                )
                .unwrap();
        };
        let fresh = || {
            let connection = Connection::open_in_memory().unwrap();
            super::super::schema::migrate(&connection).unwrap();
            connection
        };
        let in_steps = fresh();
        insert(&in_steps, 0, 60);
        assert_eq!(reconcile_unmatched_in_passes(&in_steps, None, 8).unwrap(), 120, "the whole store, in one statement");
        insert(&in_steps, 60, 80);
        // 40 new rows; 16 of their ids were stored before, and in 11 of those groups a new copy
        // carries more output than the counted one (ties stay with the earlier row).
        assert_eq!(reconcile_unmatched_in_passes(&in_steps, None, 8).unwrap(), 40 + 11, "the new rows and the rows they outdid");

        let at_once = fresh();
        insert(&at_once, 0, 80);
        reconcile_unmatched(&at_once, None).unwrap();
        let counted: i64 = at_once.query_row("SELECT count(*) FROM usage_records WHERE Counted", [], |row| row.get(0)).unwrap();
        assert_eq!(counted, 32 + 32, "32 request ids counted once each, and the 32 rows without an id");
        assert_eq!(outcomes(&in_steps), outcomes(&at_once));
    }
}
