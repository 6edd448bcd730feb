//! Bulk writes: while an import runs, DuckDB may let its write-ahead log grow to
//! `BULK_CHECKPOINT_THRESHOLD` before it checkpoints, instead of DuckDB's default 16 MB. A first
//! import writes about a million rows in a few dozen commits; at the default it checkpoints after
//! nearly every one, which took a third of the import's time (docs/benchmarks.md). When the last
//! bulk writer ends, the default comes back and the store checkpoints once. Imports may overlap
//! (a job and the watcher): a count kept on the writer thread decides who sets and who restores.
//!
//! A bulk import's keyed rows are appended as they come and its usage records stored unmatched;
//! when it ends, `bulk_finish` removes keyed copies and matches the records in one pass each,
//! instead of once per commit: each commit of a first import re-read the whole table to find
//! stored copies and its sessions' other rows, so the import grew with the square of the history.
//! A store whose import was stopped before its end finishes that work when it is next opened.

use super::{Store, StoreError};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The write-ahead log size at which DuckDB checkpoints while an import runs.
pub const BULK_CHECKPOINT_THRESHOLD: &str = "256MiB";

/// How many bulk writers are running; only the writer thread changes it.
#[derive(Debug, Default, Clone)]
pub(super) struct BulkWriters(Arc<AtomicUsize>);

impl Store {
    /// Raises the checkpoint threshold until the matching `end_bulk_writes`.
    pub async fn begin_bulk_writes(&self) -> Result<(), StoreError> {
        let writers = self.bulk_writers.clone();
        self.with_writer(move |connection| {
            if writers.0.load(Ordering::SeqCst) == 0 {
                connection.execute_batch(&format!("SET checkpoint_threshold = '{BULK_CHECKPOINT_THRESHOLD}'"))?;
            }
            writers.0.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
        .await
    }

    /// Ends one bulk writer: matches what it wrote; the last one restores the threshold and
    /// checkpoints.
    pub async fn end_bulk_writes(&self) -> Result<(), StoreError> {
        let writers = self.bulk_writers.clone();
        let pricer = Arc::clone(&self.pricer);
        self.with_writer(move |connection| {
            let before = writers.0.load(Ordering::SeqCst);
            if before == 0 {
                return Ok(());
            }
            writers.0.store(before - 1, Ordering::SeqCst);
            let pricer = super::current_pricer(&pricer);
            let finished = super::bulk_finish::finish(connection, pricer.as_ref());
            if before == 1 {
                connection.execute_batch("RESET checkpoint_threshold")?;
                if let Err(error) = connection.execute_batch("CHECKPOINT") {
                    tracing::debug!(error = %error, "checkpoint after an import skipped");
                }
            }
            finished
        })
        .await
    }
}
