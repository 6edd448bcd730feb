//! Small row groups merged when it pays, not at every checkpoint.
//!
//! DuckDB checkpoints whenever its write-ahead log passes 16 MB, which under a steady stream of
//! telemetry is about every second. By default each checkpoint also merges a table's small row
//! groups into full ones ("vacuum"): it reads back, and compresses again, rows it wrote a moment
//! before, and does so again at the next checkpoint until the group is full. Under load that was a
//! large share of the server's CPU, and most of its memory (docs/benchmarks.md, "Checkpoints
//! without merging").
//!
//! So the writer turns merging off for its routine checkpoints (`set_up`) and compacts on
//! its own terms (`compact`): after `COMPACTION_ROWS` committed rows, when the process is idle
//! (`Store::release_buffers`), after an import and at shutdown. In between, a table holds row
//! groups of about a checkpoint's worth of rows, which queries read as well; rows deleted in between
//! (retention, a session file read again) are reclaimed by the next compaction.

use duckdb::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// DuckDB's own default for `max_vacuum_tasks`: merging as usual.
const MERGING_VACUUM_TASKS: u32 = 100;

/// Rows committed after which the writer compacts even if the process is never idle (a team
/// server under constant load).
const COMPACTION_ROWS: usize = if cfg!(test) { 3_000 } else { 1_000_000 };

/// Merges a compaction under load may make per table. A merge holds the groups it makes in memory
/// until they are written: merging a million rows at once took the server's peak under a minute of
/// load from 414 to 646 MB (docs/benchmarks.md). What is left waits for the next compaction.
const MERGES_UNDER_LOAD: u32 = 4;

/// Sets the database up for compacting on the writer's terms: routine checkpoints do not merge.
/// This holds for the whole database instance.
pub(super) fn set_up(connection: &Connection) -> Result<(), duckdb::Error> {
    pause_merging(connection)
}

/// Turns off row-group merging for the checkpoints that follow.
fn pause_merging(connection: &Connection) -> Result<(), duckdb::Error> {
    connection.execute_batch("SET max_vacuum_tasks = 0")
}

/// Checkpoints with merging on: small row groups are merged into full ones and deleted rows are
/// reclaimed. Merging is paused again whatever the checkpoint's outcome. A checkpoint cannot merge
/// while a reader's transaction is open; it then stores the log without merging.
pub(super) fn compact(connection: &Connection) -> Result<(), duckdb::Error> {
    compact_with(connection, MERGING_VACUUM_TASKS)
}

/// A checkpoint that makes at most `merges` merges per table. `force_checkpoint` makes DuckDB
/// checkpoint even when its write-ahead log is empty (a compaction right after a routine checkpoint
/// has only merging to do). It holds for the rest of the instance and makes its close checkpoint
/// too, so it is set only once a compaction is due: a process that changed nothing (an import that
/// found nothing new, a command that only reads) closes without writing the file.
fn compact_with(connection: &Connection, merges: u32) -> Result<(), duckdb::Error> {
    connection.execute_batch(&format!("PRAGMA force_checkpoint; SET max_vacuum_tasks = {merges}"))?;
    let checkpointed = connection.execute_batch("CHECKPOINT");
    let paused = pause_merging(connection);
    checkpointed.and(paused)
}

/// Rows committed since the last compaction, shared by the writer (which counts them) and the
/// store's idle release (which compacts when there are any).
#[derive(Debug, Default, Clone)]
pub(super) struct Uncompacted(Arc<AtomicUsize>);

impl Uncompacted {
    /// Counts `rows` just committed, and compacts (`MERGES_UNDER_LOAD`) once `COMPACTION_ROWS`
    /// have piled up.
    pub(super) fn committed(&self, connection: &Connection, rows: usize) {
        if self.0.fetch_add(rows, Ordering::SeqCst) + rows >= COMPACTION_ROWS {
            self.compact_with(connection, MERGES_UNDER_LOAD);
        }
    }

    /// Compacts fully if anything was committed since the last compaction (an idle moment).
    pub(super) fn compact_if_any(&self, connection: &Connection) {
        self.compact_with(connection, MERGING_VACUUM_TASKS);
    }

    /// Compacts if anything was committed since the last compaction. On failure the count stays,
    /// so a later moment tries again.
    fn compact_with(&self, connection: &Connection, merges: u32) {
        let rows = self.0.swap(0, Ordering::SeqCst);
        if rows == 0 {
            return;
        }
        if let Err(error) = compact_with(connection, merges) {
            tracing::debug!(error = %error, "compaction put off");
            self.0.fetch_add(rows, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits 1 000 rows, checkpoints as DuckDB would after a large commit, and tells `uncompacted`.
    fn commit_and_checkpoint(connection: &Connection, uncompacted: &Uncompacted) {
        connection.execute_batch("INSERT INTO events SELECT i, 'event ' || i FROM range(1000) t(i); CHECKPOINT").unwrap();
        uncompacted.committed(connection, 1000);
    }

    fn row_groups(connection: &Connection) -> i64 {
        connection.query_row("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('events')", [], |row| row.get(0)).unwrap()
    }

    fn rows(connection: &Connection) -> i64 {
        connection.query_row("SELECT count(*) FROM events", [], |row| row.get(0)).unwrap()
    }

    /// A new database with a table, set up as the writer sets it up (or left as DuckDB has it),
    /// after two commits of 1 000 rows, each checkpointed.
    fn after_two_commits(directory: &tempfile::TempDir, writer_set_up: bool) -> (Connection, Uncompacted) {
        let connection = Connection::open(directory.path().join("store.duckdb")).unwrap();
        connection.execute_batch("CREATE TABLE events (Id BIGINT, Body VARCHAR)").unwrap();
        if writer_set_up {
            set_up(&connection).unwrap();
        }
        let uncompacted = Uncompacted::default();
        commit_and_checkpoint(&connection, &uncompacted);
        commit_and_checkpoint(&connection, &uncompacted);
        (connection, uncompacted)
    }

    #[test]
    fn routine_checkpoints_leave_small_row_groups_until_enough_rows_call_for_a_compaction() {
        let directory = tempfile::tempdir().unwrap();
        let (connection, uncompacted) = after_two_commits(&directory, true);
        assert_eq!((row_groups(&connection), uncompacted.0.load(Ordering::SeqCst)), (2, 2000));

        // 3 000 rows reach `COMPACTION_ROWS` (in tests): the third commit compacts after its checkpoint.
        commit_and_checkpoint(&connection, &uncompacted);
        assert_eq!((row_groups(&connection), uncompacted.0.load(Ordering::SeqCst)), (1, 0));
        assert_eq!(rows(&connection), 3000);
        let setting: String = connection.query_row("SELECT current_setting('max_vacuum_tasks')::VARCHAR", [], |row| row.get(0)).unwrap();
        assert_eq!(setting, "0", "merging is paused again after the compaction");
    }

    #[test]
    fn an_idle_moment_compacts_whatever_was_committed_since_the_last_compaction() {
        let directory = tempfile::tempdir().unwrap();
        let (connection, uncompacted) = after_two_commits(&directory, true);
        assert_eq!(row_groups(&connection), 2);
        uncompacted.compact_if_any(&connection);
        assert_eq!((row_groups(&connection), rows(&connection), uncompacted.0.load(Ordering::SeqCst)), (1, 2000, 0));
    }

    #[test]
    fn without_the_pause_the_checkpoints_merge_as_they_go() {
        let directory = tempfile::tempdir().unwrap();
        let (connection, _) = after_two_commits(&directory, false);
        assert_eq!(row_groups(&connection), 1);
    }
}
