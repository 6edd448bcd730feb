//! The sessions a matching reads and the ones it may rewrite, written once for every caller: a
//! commit's (OTLP or watched files), a deletion's, and each pass at the end of a bulk import.
//!
//! A scope has two rings. The *own* sessions are the touched ones and every session sharing a
//! request id with them; their records are matched and written. Around them, every session sharing
//! a request id with an own one is read but never written, so each group an own record belongs to
//! is seen whole: a session of the outer ring may hold ids shared with sessions further out (a
//! chain of forked or resumed sessions), and matched on the part the scope holds, one of its
//! records could count a second time.

/// Common table expressions ending in `scoped_sessions (Pass, Tool, SessionId, Own)`, the two rings
/// around the sessions `touched` names. `touched` is a query of `(Pass, Tool, SessionId)`: the
/// touched sessions, each in the pass that matches it (one pass: a constant). `removed_ids`, a
/// query of `(Pass, Tool, RequestId)` in that order, adds the request ids of records no longer
/// stored (a deletion's), so their copies in other sessions are matched again.
///
/// The outer ring is the sessions holding a request id of an own session. Those holding the
/// touched sessions' ids are own already, so only the ids the *joined* sessions (own, not
/// touched) add are looked up again. Most commits join no session (telemetry alone, a request id
/// in one session): the lookup's join then has an empty side, which DuckDB answers without
/// scanning `usage_records`, and the outer ring costs nothing (docs/benchmarks.md). The touched
/// sessions' request ids are read as `SCOPED_ROWS` reads rows: their row ids first, by session.
pub(super) fn two_ring_scope(touched: &str, removed_ids: Option<&str>) -> String {
    let removed = removed_ids.map(|ids| format!("\n        UNION {ids}")).unwrap_or_default();
    format!(
        "touched AS ({touched}),
    touched_rows AS (
        SELECT t.Pass, u.rowid AS RowId FROM usage_records u
        JOIN touched t ON u.Tool IS NOT DISTINCT FROM t.Tool AND u.SessionId IS NOT DISTINCT FROM t.SessionId
    ),
    shared_ids AS (
        SELECT DISTINCT r.Pass, u.Tool, u.RequestId FROM usage_records u JOIN touched_rows r ON u.rowid = r.RowId
        WHERE u.RequestId IS NOT NULL{removed}
    ),
    own_sessions AS (
        SELECT Pass, Tool, SessionId FROM touched
        UNION
        SELECT DISTINCT i.Pass, u.Tool, u.SessionId FROM usage_records u
        JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
    ),
    joined_sessions AS (
        SELECT Pass, Tool, SessionId FROM own_sessions EXCEPT SELECT Pass, Tool, SessionId FROM touched
    ),
    further_ids AS (
        SELECT DISTINCT j.Pass, u.Tool, u.RequestId FROM usage_records u
        JOIN joined_sessions j ON u.Tool IS NOT DISTINCT FROM j.Tool AND u.SessionId IS NOT DISTINCT FROM j.SessionId
        WHERE u.RequestId IS NOT NULL
        EXCEPT SELECT Pass, Tool, RequestId FROM shared_ids
    ),
    scoped_sessions AS (
        SELECT Pass, Tool, SessionId, bool_or(Own) AS Own FROM (
            SELECT Pass, Tool, SessionId, true AS Own FROM own_sessions
            UNION ALL
            SELECT DISTINCT i.Pass, u.Tool, u.SessionId, false FROM usage_records u
            JOIN further_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
        ) GROUP BY Pass, Tool, SessionId
    )"
    )
}

/// The scope a write changes, in one pass, for the usage records `rows` names (a table with
/// `Tool`, `SessionId` and `RequestId`, stored or just removed): computed inside the statements
/// that read it, so no table is made per commit.
pub(super) fn touched_scope(rows: &str) -> String {
    two_ring_scope(
        &format!("SELECT DISTINCT 0 AS Pass, Tool, SessionId FROM {rows}"),
        Some(&format!("SELECT DISTINCT 0 AS Pass, Tool, RequestId FROM {rows} WHERE RequestId IS NOT NULL")),
    )
}

/// The rows of `usage_records` (aliased `u`) in the scoped sessions, each with its session's
/// `s.Own`. They are found by their sessions first, reading only the two dictionary-compressed
/// columns of every row, and then read whole by row id: a join on the sessions read every column
/// of every row, and at 550 000 records took 39 of the statement's 58 ms. The row ids of a commit's
/// sessions are the table's newest, so the second read skips the older row groups by their row id
/// range (docs/benchmarks.md).
pub(super) const SCOPED_ROWS: &str = "usage_records u JOIN (
        SELECT r.rowid AS RowId, s.Own FROM usage_records r JOIN scoped_sessions s
        ON r.Tool IS NOT DISTINCT FROM s.Tool AND r.SessionId IS NOT DISTINCT FROM s.SessionId
    ) s ON u.rowid = s.RowId";

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::Connection;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// A stored record's tool, session and request id; a few values each, so sessions share ids.
    type Record = (Option<String>, Option<String>, Option<String>);
    type Session = (Option<String>, Option<String>);

    fn record() -> impl Strategy<Value = Record> {
        let pick = |values: &[&str]| prop::option::of(prop::sample::select(values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>()));
        (pick(&["claude-code", "codex"]), pick(&["s1", "s2", "s3", "s4", "s5", "s6"]), pick(&["r1", "r2", "r3", "r4", "r5"]))
    }

    /// The scope by its definition: own are the touched sessions and those holding a request id of
    /// theirs (or of a removed record); the outer ring holds the ids of the own sessions.
    fn defined_scope(records: &[Record], staged: &[Record]) -> BTreeSet<(Session, bool)> {
        let ids_of = |sessions: &BTreeSet<Session>| -> BTreeSet<(Option<String>, String)> {
            records
                .iter()
                .filter(|(tool, session, _)| sessions.contains(&(tool.clone(), session.clone())))
                .filter_map(|(tool, _, request)| request.clone().map(|request| (tool.clone(), request)))
                .collect()
        };
        let holding = |ids: &BTreeSet<(Option<String>, String)>| -> BTreeSet<Session> {
            records
                .iter()
                .filter(|(tool, _, request)| request.as_ref().is_some_and(|request| ids.contains(&(tool.clone(), request.clone()))))
                .map(|(tool, session, _)| (tool.clone(), session.clone()))
                .collect()
        };
        let touched: BTreeSet<Session> = staged.iter().map(|(tool, session, _)| (tool.clone(), session.clone())).collect();
        let mut touched_ids = ids_of(&touched);
        touched_ids.extend(staged.iter().filter_map(|(tool, _, request)| request.clone().map(|request| (tool.clone(), request))));
        let own: BTreeSet<Session> = touched.union(&holding(&touched_ids)).cloned().collect();
        let outer = holding(&ids_of(&own));
        own.iter().map(|session| (session.clone(), true)).chain(outer.difference(&own).map(|session| (session.clone(), false))).collect()
    }

    fn computed_scope(records: &[Record], staged: &[Record]) -> BTreeSet<(Session, bool)> {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        connection.execute_batch("CREATE TEMP TABLE stage (Tool VARCHAR, SessionId VARCHAR, RequestId VARCHAR)").unwrap();
        for (index, (tool, session, request)) in records.iter().enumerate() {
            connection
                .execute(
                    "INSERT INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                        InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                     VALUES (?, make_timestamp(1764547200000000), ?, 'import', 'svc', ?, ?, 'm', 1, 0, 0, 0, 1, 0, 0)",
                    duckdb::params![format!("k{index}"), tool, session, request],
                )
                .unwrap();
        }
        for (tool, session, request) in staged {
            connection.execute("INSERT INTO temp.stage VALUES (?, ?, ?)", duckdb::params![tool, session, request]).unwrap();
        }
        connection
            .prepare(&format!("WITH {} SELECT Tool, SessionId, Own FROM scoped_sessions", touched_scope("temp.stage")))
            .unwrap()
            .query_map([], |row| Ok(((row.get(0)?, row.get(1)?), row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_chain_of_sessions_gives_one_own_ring_and_one_read_ring() {
        let in_session = |session: &str, request: &str| (Some("codex".to_owned()), Some(session.to_owned()), Some(request.to_owned()));
        // s1 shares r1 with s2, s2 shares r2 with s3, s3 shares r3 with s4.
        let records = [
            in_session("s1", "r1"),
            in_session("s2", "r1"),
            in_session("s2", "r2"),
            in_session("s3", "r2"),
            in_session("s3", "r3"),
            in_session("s4", "r3"),
        ];
        let session = |name: &str| (Some("codex".to_owned()), Some(name.to_owned()));
        let expected = BTreeSet::from([(session("s1"), true), (session("s2"), true), (session("s3"), false)]);
        assert_eq!(computed_scope(&records, &records[..1]), expected);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Touched records stored or removed: the staged ones are drawn apart from the stored.
        #[test]
        fn the_scope_is_the_two_rings_its_definition_gives(
            records in prop::collection::vec(record(), 0..20),
            staged in prop::collection::vec(record(), 1..4),
        ) {
            prop_assert_eq!(computed_scope(&records, &staged), defined_scope(&records, &staged));
        }
    }
}
