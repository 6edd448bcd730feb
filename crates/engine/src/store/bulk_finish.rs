//! What a bulk import leaves to its end (`WriteBatch::bulk`): the token and cost counters it owes
//! are derived (`import_counters`), the copies of keyed log and metric rows it appended are
//! removed, the latest write of each key kept, and its usage records are matched across sources
//! (`reconcile::reconcile_unmatched`). One pass each, in one transaction,
//! when the import ends; a store whose import was stopped before that finishes it when opened.

use super::{Pricer, StoreError, import_counters, in_transaction, reconcile};
use duckdb::Connection;

/// The `pending_work` task of keyed rows appended without looking for stored copies.
const REMOVE_KEYED_COPIES: &str = "remove-keyed-copies";

/// Records, in the writer's transaction, that keyed rows were appended without a look for copies.
pub(super) fn note_keyed_rows_appended(connection: &Connection) -> Result<(), StoreError> {
    connection.execute("INSERT OR IGNORE INTO pending_work VALUES (?)", [REMOVE_KEYED_COPIES])?;
    Ok(())
}

/// Does the work bulk imports left: derives owed counters, removes keyed copies (if noted) and
/// matches unmatched usage. Counters are derived before the matching, from the records as the
/// import stored them, as a plain import builds them from the records it reads.
pub(super) fn finish(connection: &Connection, pricer: Option<&Pricer>) -> Result<(), StoreError> {
    in_transaction(connection, |connection| {
        let derived = import_counters::derive_owed(connection)?;
        let noted: i64 =
            connection.query_row("SELECT count(*) FROM pending_work WHERE Task = ?", [REMOVE_KEYED_COPIES], |row| row.get(0))?;
        if noted > 0 || derived > 0 {
            let removed = remove_keyed_copies(connection, "otel_logs")? + remove_keyed_copies(connection, "otel_metrics")?;
            connection.execute("DELETE FROM pending_work WHERE Task = ?", [REMOVE_KEYED_COPIES])?;
            tracing::debug!(rows = removed, "removed copies of keyed rows after a bulk import");
        }
        reconcile::reconcile_unmatched(connection, pricer)?;
        Ok(())
    })
}

/// Keeps one row per `RecordKey` in `table`: the one written last (the highest row id), as the
/// writer's keyed replace does. Candidates are found by the keys' hashes (a hash table of numbers,
/// not of 6 million key strings: 0.46 s instead of 1.24 s there); a shared hash only makes a row
/// a candidate, the window then compares the keys themselves.
fn remove_keyed_copies(connection: &Connection, table: &str) -> Result<usize, StoreError> {
    Ok(connection.execute(
        &format!(
            "DELETE FROM {table} WHERE rowid IN (
                SELECT rowid FROM {table}
                WHERE RecordKey IS NOT NULL
                  AND hash(RecordKey) IN (SELECT hash(RecordKey) FROM {table} WHERE RecordKey IS NOT NULL GROUP BY 1 HAVING count(*) > 1)
                QUALIFY row_number() OVER (PARTITION BY RecordKey ORDER BY rowid DESC) > 1
            )"
        ),
        [],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_written_last_stays_and_rows_without_a_key_are_left_alone() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE t (RecordKey VARCHAR, Body VARCHAR);
                 INSERT INTO t VALUES ('a', 'first'), ('b', 'only'), (NULL, 'otlp'), (NULL, 'otlp');
                 INSERT INTO t VALUES ('a', 'second');
                 INSERT INTO t VALUES ('a', 'third');",
            )
            .unwrap();
        assert_eq!(remove_keyed_copies(&connection, "t").unwrap(), 2);
        let rows: Vec<(Option<String>, String)> = connection
            .prepare("SELECT RecordKey, Body FROM t ORDER BY RecordKey NULLS FIRST, Body")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let expected = [(None, "otlp"), (None, "otlp"), (Some("a"), "third"), (Some("b"), "only")];
        assert_eq!(rows, expected.map(|(key, body)| (key.map(str::to_owned), body.to_owned())));
        assert_eq!(remove_keyed_copies(&connection, "t").unwrap(), 0, "nothing left to remove");
    }
}
