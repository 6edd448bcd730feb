//! Matching a scope that holds no telemetry row, in one statement. With session files alone no
//! request is paired by fingerprint and no id is matched across sources, so `model::matching`
//! reduces to: a row with a request id joins the group of its tool and id, a row without one
//! stands alone, and in each group the row with the most output counts, then the earliest, then
//! the smallest key. A first import's records (all from files) are matched so at its end
//! (`reconcile::reconcile_unmatched`) instead of being loaded into memory, matched there and
//! written back; a property test holds the statement to `match_requests`. A store with no
//! telemetry row at all and mostly unmatched records (a first import into a new store) is matched
//! whole, without a scope (`match_every_file_row`).

use super::StoreError;
use super::match_scope::SCOPED_ROWS;
use duckdb::Connection;

/// Matches the own records of the scope `scope` (expressions ending in `scoped_sessions`), which
/// must hold no telemetry row, and stores what changed. Returns how many records changed group or
/// counted state.
pub(super) fn match_file_rows(connection: &Connection, scope: &str) -> Result<usize, StoreError> {
    update_matches(
        connection,
        &format!(
            "WITH {scope} SELECT u.rowid AS RowId, u.RecordKey, u.RequestId, u.Tool, u.OutputTokens, u.Timestamp, s.Own FROM {SCOPED_ROWS}"
        ),
    )
}

/// Matches every record of a store that holds no telemetry row, in one statement without a scope:
/// every session is own. A first import into a new store matched its 180 000 records in four
/// scoped passes in 387–432 ms; the whole table at once reads it once, joins by row id, and
/// takes 175–192 ms (docs/benchmarks.md). Returns how many records changed.
pub(super) fn match_every_file_row(connection: &Connection) -> Result<usize, StoreError> {
    update_matches(connection, "SELECT rowid AS RowId, RecordKey, RequestId, Tool, OutputTokens, Timestamp, true AS Own FROM usage_records")
}

/// Groups the rows `rows` selects (`RowId, RecordKey, RequestId, Tool, OutputTokens, Timestamp,
/// Own`) as `model::matching` does for file rows and writes the own rows whose group or counted
/// state changed.
fn update_matches(connection: &Connection, rows: &str) -> Result<usize, StoreError> {
    Ok(connection.execute(
        &format!(
            "UPDATE usage_records SET MatchKey = m.NewKey, Counted = m.NewCounted
             FROM (
                 SELECT RowId, Own, NewKey,
                        row_number() OVER (PARTITION BY NewKey ORDER BY OutputTokens DESC, Timestamp, RecordKey) = 1 AS NewCounted
                 FROM (
                     SELECT RowId, RecordKey, OutputTokens, Timestamp, Own,
                            CASE WHEN RequestId IS NULL THEN 'row:' || RecordKey
                                 ELSE 'id:' || coalesce(Tool, '') || ':' || RequestId END AS NewKey
                     FROM ({rows})
                 )
             ) m
             WHERE usage_records.rowid = m.RowId AND m.Own
               AND (usage_records.MatchKey IS DISTINCT FROM m.NewKey OR usage_records.Counted IS DISTINCT FROM m.NewCounted)"
        ),
        [],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::matching::{MatchRow, match_requests};
    use proptest::prelude::*;

    const ALL_SESSIONS: &str = "scoped_sessions AS (SELECT DISTINCT Tool, SessionId, true AS Own FROM usage_records)";

    /// A file row: key, tool, session, request id, output tokens, time in seconds.
    type FileRow = (String, Option<String>, Option<String>, Option<String>, i64, i64);

    fn file_row() -> impl Strategy<Value = FileRow> {
        (
            "[a-cA-C_:]{1,3}",
            prop::option::of(prop::sample::select(vec!["claude-code".to_owned(), "codex".to_owned()])),
            prop::option::of(prop::sample::select(vec!["s1".to_owned(), "s2".to_owned(), "S3".to_owned()])),
            prop::option::of(prop::sample::select(vec!["req_1".to_owned(), "req_2".to_owned(), "Req_3".to_owned()])),
            0_i64..4,
            0_i64..3,
        )
    }

    fn stored(rows: &[FileRow]) -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        for (key, tool, session, request, output, seconds) in rows {
            connection
                .execute(
                    "INSERT OR IGNORE INTO usage_records (RecordKey, Timestamp, Tool, Source, ServiceName, SessionId, RequestId, Model,
                        InputTokens, CacheReadTokens, CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                     VALUES (?, make_timestamp(1764547200000000 + ? * 1000000), ?, 'import', 'svc', ?, ?, 'm', 1, 0, 0, 0, ?, 0, 0)",
                    duckdb::params![key, seconds, tool, session, request, output],
                )
                .unwrap();
        }
        connection
    }

    fn outcomes(connection: &Connection) -> Vec<(String, String, bool)> {
        connection
            .prepare("SELECT RecordKey, MatchKey, Counted FROM usage_records ORDER BY RecordKey")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn expected(connection: &Connection) -> Vec<(String, String, bool)> {
        let rows: Vec<MatchRow> = connection
            .prepare("SELECT RecordKey, Tool, SessionId, RequestId, Model, OutputTokens, epoch_ns(Timestamp) FROM usage_records")
            .unwrap()
            .query_map([], |row| {
                Ok(MatchRow {
                    record_key: row.get(0)?,
                    tool: row.get(1)?,
                    session_id: row.get(2)?,
                    request_id: row.get(3)?,
                    from_telemetry: false,
                    model: row.get(4)?,
                    tokens: [1, 0, 0, row.get(5)?, 0],
                    time: row.get(6)?,
                })
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut outcomes: Vec<(String, String, bool)> =
            match_requests(&rows).into_iter().map(|outcome| (outcome.record_key, outcome.match_key, outcome.counted)).collect();
        outcomes.sort();
        outcomes
    }

    #[test]
    fn a_request_in_two_files_counts_once_and_a_second_match_changes_nothing() {
        let rows = [
            ("b", Some("claude-code"), Some("s1"), Some("req_1"), 3, 0),
            ("a", Some("claude-code"), Some("s2"), Some("req_1"), 3, 0),
            ("c", Some("claude-code"), Some("s2"), Some("req_2"), 1, 1),
            ("d", Some("claude-code"), Some("s2"), None, 0, 2),
        ]
        .map(|(key, tool, session, request, output, seconds)| {
            (key.to_owned(), tool.map(str::to_owned), session.map(str::to_owned), request.map(str::to_owned), output, seconds)
        });
        let connection = stored(&rows);
        assert_eq!(match_file_rows(&connection, ALL_SESSIONS).unwrap(), 4);
        let expected = [
            ("a", "id:claude-code:req_1", true),
            ("b", "id:claude-code:req_1", false),
            ("c", "id:claude-code:req_2", true),
            ("d", "row:d", true),
        ]
        .map(|(key, match_key, counted)| (key.to_owned(), match_key.to_owned(), counted));
        assert_eq!(outcomes(&connection), expected);
        assert_eq!(match_file_rows(&connection, ALL_SESSIONS).unwrap(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_statement_matches_file_rows_as_match_requests_does(rows in prop::collection::vec(file_row(), 1..24)) {
            let connection = stored(&rows);
            let changed = match_file_rows(&connection, ALL_SESSIONS).unwrap();
            let stored_rows: i64 = connection.query_row("SELECT count(*) FROM usage_records", [], |row| row.get(0)).unwrap();
            prop_assert_eq!(changed as i64, stored_rows);
            prop_assert_eq!(outcomes(&connection), expected(&connection));

            let whole = stored(&rows);
            prop_assert_eq!(match_every_file_row(&whole).unwrap(), changed);
            prop_assert_eq!(outcomes(&whole), outcomes(&connection));
            prop_assert_eq!(match_every_file_row(&whole).unwrap(), 0);
        }
    }
}
