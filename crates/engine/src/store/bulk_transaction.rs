//! A bulk import's rows stored in transactions that span many of its batches.
//!
//! Committed one batch at a time, every row of a first import went to the write-ahead log, then
//! again into the database file at the checkpoint. A transaction that appends a whole row group
//! (122 880 rows) to a table has DuckDB write it compressed straight to the database file, and its
//! commit logs only where it went; the rows of a transaction still open beyond the buffer pool's
//! limit wait in DuckDB's temporary files. A first import of the generated histories took 7–12 %
//! less time this way (docs/benchmarks.md). A table given less than a row group is still logged at
//! the commit, so a large transaction commits as a checkpoint (`commit_as_checkpoint`).
//!
//! The writer keeps one such transaction open while only bulk writes arrive. It commits it once it
//! holds `ROWS_PER_BULK_TRANSACTION` rows or `USAGE_RECORDS_PER_BULK_TRANSACTION` usage records, and
//! then checkpoints: the usage records' key index stays in memory (about 70 bytes a record) until a
//! checkpoint writes it out, and the write-ahead log, whose size triggers checkpoints otherwise,
//! stays small here; without either, a 4.7 GB history exhausted the import's 96 MB buffer pool. It
//! also commits before anything else it is asked to do (an OTLP request,
//! an import's plain write, a job such as `Store::commit_bulk`), and before it stops. What each write
//! saves with its rows (an import's file states) runs in the same transaction, so a kill loses the
//! open transaction whole, rows and states together: the next import reads those files again.

use super::StoreError;
use super::batch::WriteBatch;
use duckdb::Connection;
use tokio::sync::oneshot;

/// Rows a bulk transaction gathers before it commits. Fewer, larger transactions gain more: at
/// 500 000 rows a first import of the generated 942 MB history (1.9 million rows) gained nothing,
/// in one transaction it took 16 % less time (docs/benchmarks.md).
pub const ROWS_PER_BULK_TRANSACTION: usize = 5_000_000;

/// Usage records a bulk transaction gathers before it commits (their key index's memory, above).
pub const USAGE_RECORDS_PER_BULK_TRANSACTION: usize = 150_000;

/// Rows from which a committed bulk transaction is checkpointed. A smaller one (an OTLP request
/// arrived mid-import and ended it) went mostly through the write-ahead log, which checkpoints by
/// its size as usual.
const CHECKPOINTED_FROM_ROWS: usize = 100_000;

/// Runs in the transaction after the rows it comes with.
pub type SaveWithRows = Box<dyn FnOnce(&Connection) -> Result<(), StoreError> + Send>;

/// Told once the transaction holding the rows committed, or why it did not.
pub type WhenCommitted = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// A bulk import's batch for a transaction shared with the batches around it.
pub struct BulkWrite {
    pub batch: WriteBatch,
    pub save: SaveWithRows,
    /// Answered once the rows are appended (not committed): the sender prepares its next batch
    /// meanwhile, and holds no more than one.
    pub appended: oneshot::Sender<Result<(), StoreError>>,
    pub committed: WhenCommitted,
}

/// The writer's open bulk transaction, if any, and whom to tell when it ends.
#[derive(Default)]
pub(super) struct OpenBulkTransaction {
    open: bool,
    rows: usize,
    usage_records: usize,
    waiting: Vec<WhenCommitted>,
}

impl OpenBulkTransaction {
    /// Stores `write` in the open transaction (opened if none is), and commits when it is full. A
    /// failure rolls back the whole transaction: every write in it is told, and none is stored.
    pub(super) fn add(
        &mut self,
        connection: &Connection,
        store_rows: impl FnOnce(&Connection, &WriteBatch) -> Result<(), StoreError>,
        write: BulkWrite,
    ) {
        let BulkWrite { batch, save, appended, committed } = write;
        if !self.open {
            if let Err(error) = connection.execute_batch("BEGIN TRANSACTION").map_err(StoreError::write) {
                let _ = appended.send(Err(error.clone()));
                committed(Err(error));
                return;
            }
            self.open = true;
        }
        self.waiting.push(committed);
        match store_rows(connection, &batch).and_then(|()| save(connection)) {
            Ok(()) => {
                let _ = appended.send(Ok(()));
                self.rows += batch.row_count();
                self.usage_records += batch.usage.len();
                if self.rows >= ROWS_PER_BULK_TRANSACTION || self.usage_records >= USAGE_RECORDS_PER_BULK_TRANSACTION {
                    self.commit(connection);
                }
            }
            Err(error) => {
                if let Err(rollback) = connection.execute_batch("ROLLBACK") {
                    tracing::error!(error = %rollback, "rollback of a bulk transaction failed");
                }
                self.finish(Err(error.clone()));
                let _ = appended.send(Err(error));
            }
        }
    }

    /// Whether a bulk transaction is open (nothing else may checkpoint meanwhile).
    pub(super) fn is_open(&self) -> bool {
        self.open
    }

    /// Commits the open transaction, if any, and tells every write in it.
    pub(super) fn commit(&mut self, connection: &Connection) {
        if !self.open {
            return;
        }
        let committed = if self.rows >= CHECKPOINTED_FROM_ROWS {
            commit_as_checkpoint(connection)
        } else {
            connection.execute_batch("COMMIT").map_err(StoreError::write)
        };
        if committed.is_err() {
            let _ = connection.execute_batch("ROLLBACK");
        } else if self.rows >= CHECKPOINTED_FROM_ROWS
            && let Err(error) = connection.execute_batch("CHECKPOINT")
        {
            tracing::warn!(error = %error, "checkpoint after a bulk transaction failed");
        }
        self.finish(committed);
    }

    fn finish(&mut self, result: Result<(), StoreError>) {
        if let Err(error) = &result {
            tracing::error!(error = %error, writes = self.waiting.len(), "a bulk transaction was not stored");
        }
        let waiting = std::mem::take(&mut self.waiting);
        *self = OpenBulkTransaction::default();
        for tell in waiting {
            tell(result.clone());
        }
    }
}

/// Commits the open transaction by checkpointing it instead of writing it to the write-ahead log.
///
/// A table that a transaction gave less than a row group (122 880 rows) is not written to the
/// database file as it is appended: DuckDB writes those rows to the log at the commit, uncompressed,
/// and the checkpoint after it reads them back, compresses them and writes them again. A commit that
/// triggers an automatic checkpoint skips the log (`auto_checkpoint_skip_wal_threshold`), so the
/// threshold is lowered for this commit only. When DuckDB cannot checkpoint at that moment (a reader
/// holds old data it needs), it writes the log after all: the commit stays durable either way.
fn commit_as_checkpoint(connection: &Connection) -> Result<(), StoreError> {
    let write = StoreError::write;
    let threshold: String = connection.query_row("SELECT current_setting('checkpoint_threshold')", [], |row| row.get(0)).map_err(write)?;
    connection.execute_batch("SET checkpoint_threshold = '0B'").map_err(write)?;
    let committed = connection.execute_batch("COMMIT").map_err(write);
    let restored = connection.execute_batch(&format!("SET checkpoint_threshold = '{threshold}'")).map_err(write);
    committed.and(restored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UsageRecord;
    use std::sync::{Arc, Mutex};

    fn write(usage_records: usize, told: &Arc<Mutex<Vec<bool>>>) -> BulkWrite {
        let told = Arc::clone(told);
        let batch = WriteBatch { usage: vec![UsageRecord::default(); usage_records], bulk: true, ..WriteBatch::default() };
        BulkWrite {
            batch,
            save: Box::new(|_| Ok(())),
            appended: oneshot::channel().0,
            committed: Box::new(move |result| told.lock().unwrap().push(result.is_ok())),
        }
    }

    #[test]
    fn a_transaction_commits_once_it_holds_enough_usage_records() {
        let connection = Connection::open_in_memory().unwrap();
        let told = Arc::new(Mutex::new(Vec::new()));
        let mut open = OpenBulkTransaction::default();
        let nothing = |_: &Connection, _: &WriteBatch| Ok(());
        open.add(&connection, nothing, write(USAGE_RECORDS_PER_BULK_TRANSACTION / 2, &told));
        open.add(&connection, nothing, write(USAGE_RECORDS_PER_BULK_TRANSACTION / 2 - 1, &told));
        assert!(told.lock().unwrap().is_empty(), "still open one record below the limit");
        open.add(&connection, nothing, write(1, &told));
        assert_eq!(*told.lock().unwrap(), [true, true, true], "committed at the limit");
        open.add(&connection, nothing, write(1, &told));
        assert_eq!(told.lock().unwrap().len(), 3, "a new transaction begins");
        open.commit(&connection);
        assert_eq!(*told.lock().unwrap(), [true, true, true, true]);
    }

    /// Opens a store file with the bulk checkpoint threshold, inside a transaction holding `rows`
    /// rows of 1 500-byte text: less than a row group, so DuckDB keeps them for the log.
    fn open_transaction_with_text(path: &std::path::Path, rows: u32) -> Connection {
        let connection = Connection::open(path).unwrap();
        connection
            .execute_batch(&format!(
                "SET checkpoint_threshold = '256MiB';
                 CREATE TABLE transcripts (Body VARCHAR);
                 CHECKPOINT;
                 BEGIN TRANSACTION;
                 INSERT INTO transcripts SELECT repeat(md5(i::VARCHAR), 47) FROM range({rows}) t(i);"
            ))
            .unwrap();
        connection
    }

    fn log_bytes(path: &std::path::Path) -> u64 {
        std::fs::metadata(path.with_extension("duckdb.wal")).map_or(0, |metadata| metadata.len())
    }

    #[test]
    fn a_large_commit_is_checkpointed_instead_of_logged_and_keeps_the_threshold() {
        let directory = tempfile::tempdir().unwrap();
        let logged = directory.path().join("logged.duckdb");
        let connection = open_transaction_with_text(&logged, 20_000);
        connection.execute_batch("COMMIT").unwrap();
        assert!(log_bytes(&logged) > 20_000 * 1_500, "a plain commit logs its rows: {} bytes", log_bytes(&logged));

        let checkpointed = directory.path().join("checkpointed.duckdb");
        let connection = open_transaction_with_text(&checkpointed, 20_000);
        commit_as_checkpoint(&connection).unwrap();
        assert_eq!(log_bytes(&checkpointed), 0, "the rows went to the database file only");
        let threshold: String = connection.query_row("SELECT current_setting('checkpoint_threshold')", [], |row| row.get(0)).unwrap();
        assert_eq!(threshold, "256.0 MiB");
        drop(connection);
        let reopened = Connection::open(&checkpointed).unwrap();
        let (rows, bytes): (u32, u64) =
            reopened.query_row("SELECT count(*), sum(length(Body)) FROM transcripts", [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap();
        assert_eq!((rows, bytes), (20_000, 20_000 * 1_504));
    }
}
