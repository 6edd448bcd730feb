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
//!
//! While bulk writes run, DuckDB's buffer pool is held to `BULK_MEMORY_LIMIT` (or the configured
//! limit if smaller): appending needs few buffers, and at 512 MB DuckDB kept up to 400 MB of
//! appended blocks in memory, which took a first import's peak to 620–690 MB with no gain in speed
//! (docs/benchmarks.md). The end's set-based passes run under `BULK_FINISH_MEMORY_LIMIT`, and again
//! under the configured limit if DuckDB runs out of memory there (at 128 MB the end of a 4.7 GB
//! history's import did).
//!
//! While bulk writes run, DuckDB also keeps to the cores the import's readers leave
//! (`bulk_threads`, at least one): the readers take one core each, and DuckDB's workers only
//! competed with them while the writer thread waited for its workers' tasks in a busy loop (about a
//! tenth of a first import's samples on two cores; docs/benchmarks.md).

use super::{Store, StoreError};
use duckdb::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The write-ahead log size at which DuckDB checkpoints while an import runs.
pub const BULK_CHECKPOINT_THRESHOLD: &str = "256MiB";

/// DuckDB's buffer pool while bulk writes run. 64 MB imported the generated 942 MB history as fast
/// as 512 MB; 32 MB failed; this leaves half as much again as worked. At 128 MB, with the import's
/// committer holding a second batch (`importers::commit_queue`), the peak reached 400 MB.
pub const BULK_MEMORY_LIMIT: &str = "96MB";

/// DuckDB's buffer pool for the end of a bulk import (de-duplication and matching over everything
/// it wrote): 192 MB finished the 942 MB history with a peak of 341 MB, 256 MB with 402 MB.
pub const BULK_FINISH_MEMORY_LIMIT: &str = "192MB";

/// How many bulk writers are running; only the writer thread changes it.
#[derive(Debug, Default, Clone)]
pub(super) struct BulkWriters(Arc<AtomicUsize>);

impl BulkWriters {
    /// The buffer pool's limit now: the bulk one while any bulk writer runs.
    pub(super) fn memory_limit<'a>(&self, configured: &'a str) -> &'a str {
        if self.0.load(Ordering::SeqCst) > 0 { super::resources::smaller_memory_size(configured, BULK_MEMORY_LIMIT) } else { configured }
    }
}

/// DuckDB's worker threads while an import reads with `readers` threads on a machine of `cores`:
/// the cores they leave, at least one, at most the configured number.
fn bulk_threads(configured: usize, cores: usize, readers: usize) -> usize {
    cores.saturating_sub(readers).clamp(1, configured.max(1))
}

impl Store {
    /// Raises the checkpoint threshold, lowers the buffer pool's limit and gives DuckDB the cores
    /// that `readers` reading threads leave (`bulk_threads`) until the matching `end_bulk_writes`.
    pub async fn begin_bulk_writes(&self, readers: usize) -> Result<(), StoreError> {
        let writers = self.bulk_writers.clone();
        let configured = self.memory_limit.clone();
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let threads = bulk_threads(self.duckdb_threads, cores, readers);
        let file_keys = self.file_keys.clone();
        self.with_writer(move |connection| {
            if writers.0.load(Ordering::SeqCst) == 0 {
                connection.execute_batch(&format!("SET checkpoint_threshold = '{BULK_CHECKPOINT_THRESHOLD}'; SET threads = {threads}"))?;
            }
            let imports = writers.0.fetch_add(1, Ordering::SeqCst) + 1;
            file_keys.import_began(connection, imports);
            set_memory_limit(connection, writers.memory_limit(&configured));
            Ok(())
        })
        .await
    }

    /// Ends one bulk writer: removes copies and matches what it wrote (`finish_in_little_memory`);
    /// the last one restores the threads first, then the memory limit and the threshold, and
    /// checkpoints.
    pub async fn end_bulk_writes(&self) -> Result<(), StoreError> {
        let writers = self.bulk_writers.clone();
        let pricer = Arc::clone(&self.pricer);
        let configured = self.memory_limit.clone();
        let configured_threads = self.duckdb_threads;
        let file_keys = self.file_keys.clone();
        self.with_writer(move |connection| {
            let before = writers.0.load(Ordering::SeqCst);
            if before == 0 {
                return Ok(());
            }
            writers.0.store(before - 1, Ordering::SeqCst);
            if before == 1 {
                file_keys.imports_ended();
                // The readers are done: the end's set-based passes may take every configured thread
                // (on the 942 MB history 160–170 ms against 200–230 ms on one).
                connection.execute_batch(&format!("SET threads = {configured_threads}"))?;
            }
            let started = std::time::Instant::now();
            let finished = finish_in_little_memory(connection, &configured, super::current_pricer(&pricer).as_ref());
            tracing::debug!(finished_ms = started.elapsed().as_millis() as u64, "an import's copies removed and its records matched");
            if before == 1 {
                // Under the end's limit still: at 512 MB, checkpointing the import's log took the
                // peak from 341 to 500–540 MB.
                connection.execute_batch("RESET checkpoint_threshold")?;
                if let Err(error) = super::compaction::compact(connection) {
                    tracing::debug!(error = %error, "checkpoint after an import skipped");
                }
            }
            set_memory_limit(connection, writers.memory_limit(&configured));
            finished
        })
        .await
    }

    /// Does the work the bulk writes so far left (`bulk_finish`: copies removed, usage records
    /// matched) without ending them: a first import's spend-first read is matched, so its spend
    /// figures are complete, and the full read goes on in the same bulk writes. Ending them and
    /// beginning again instead checkpointed in between, which wrote the matched columns of every
    /// record to the file a moment before the full read's first commit checkpointed again.
    pub async fn finish_bulk_work(&self) -> Result<(), StoreError> {
        let writers = self.bulk_writers.clone();
        let pricer = Arc::clone(&self.pricer);
        let configured = self.memory_limit.clone();
        self.with_writer(move |connection| {
            let finished = finish_in_little_memory(connection, &configured, super::current_pricer(&pricer).as_ref());
            set_memory_limit(connection, writers.memory_limit(&configured));
            finished
        })
        .await
    }
}

/// Runs `bulk_finish` under `BULK_FINISH_MEMORY_LIMIT` (or `configured` if smaller); if DuckDB runs
/// out of memory there, the work (one transaction, rolled back) runs again under `configured`.
fn finish_in_little_memory(connection: &Connection, configured: &str, pricer: Option<&super::Pricer>) -> Result<(), StoreError> {
    finish_under(connection, super::resources::smaller_memory_size(configured, BULK_FINISH_MEMORY_LIMIT), configured, pricer)
}

fn finish_under(connection: &Connection, little: &str, configured: &str, pricer: Option<&super::Pricer>) -> Result<(), StoreError> {
    set_memory_limit(connection, little);
    match super::bulk_finish::finish(connection, pricer) {
        Err(error) if little != configured && error.to_string().contains("Out of Memory") => {
            tracing::info!("the end of an import needs more memory; finishing it under the configured limit");
            set_memory_limit(connection, configured);
            super::bulk_finish::finish(connection, pricer)
        }
        finished => finished,
    }
}

/// The end of an import that a stopped process left undone (`Store::open`), in the same little
/// memory as an import's own end: the unmatched records of a history killed half way through are
/// as many as a whole import's (at 512 MB, 629 000 of them took the open to a peak of 611 MB). The
/// configured limit is in force again afterwards.
pub(super) fn finish_left_work(connection: &Connection, configured: &str) -> Result<(), StoreError> {
    let finished = finish_in_little_memory(connection, configured, None);
    set_memory_limit(connection, configured);
    finished
}

/// Sets DuckDB's memory limit if it can: lowering it fails while more than the new limit is pinned
/// (a query running), and the work then runs under the limit in force.
fn set_memory_limit(connection: &Connection, limit: &str) {
    if let Err(error) = connection.execute_batch(&format!("SET memory_limit = '{limit}'")) {
        tracing::debug!(error = %error, "memory limit left as it was");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store file holding `rows` keyed metric points over `keys` keys, with the removal of the
    /// copies left to do (as a bulk import leaves it before its end).
    fn store_with_keyed_copies(path: &std::path::Path, rows: u32, keys: u32) -> Connection {
        let connection = Connection::open(path).unwrap();
        super::super::schema::migrate(&connection).unwrap();
        connection
            .execute_batch(&format!(
                "INSERT INTO otel_metrics (Timestamp, ServiceName, MetricName, MetricType, Value, RecordKey)
                   SELECT make_timestamp(1764547200000000 + i), 'codex', 'codex_cli_rs.token.usage', 'Sum', i, 'key-' || (i % {keys})
                   FROM range({rows}) t(i);
                 INSERT INTO pending_work VALUES ('remove-keyed-copies');"
            ))
            .unwrap();
        connection
    }

    /// Two cores and two readers leave DuckDB one thread; eight cores and four readers four, unless
    /// fewer are configured.
    #[test]
    fn an_import_leaves_duckdb_the_cores_its_readers_do_not_take() {
        assert_eq!(bulk_threads(2, 2, 2), 1);
        assert_eq!(bulk_threads(4, 1, 2), 1);
        assert_eq!(bulk_threads(4, 8, 4), 4);
        assert_eq!(bulk_threads(2, 8, 4), 2);
        assert_eq!(bulk_threads(0, 8, 4), 1);
    }

    /// A limit too small for the end's passes: they run again under the configured one and the
    /// copies are gone.
    #[test]
    fn an_end_that_runs_out_of_memory_finishes_under_the_configured_limit() {
        let folder = tempfile::tempdir().unwrap();
        let connection = store_with_keyed_copies(&folder.path().join("store.duckdb"), 200_000, 100_000);
        connection.execute_batch("SET memory_limit = '2MB'").unwrap();
        let too_little = super::super::bulk_finish::finish(&connection, None);
        assert!(too_little.as_ref().is_err_and(|error| error.to_string().contains("Out of Memory")), "{too_little:?}");
        finish_under(&connection, "2MB", "256MB", None).unwrap();
        let (rows, keys, pending): (i64, i64, i64) = connection
            .query_row("SELECT count(*), count(DISTINCT RecordKey), (SELECT count(*) FROM pending_work) FROM otel_metrics", [], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?))
            })
            .unwrap();
        assert_eq!((rows, keys, pending), (100_000, 100_000, 0));
    }

    /// A store left by an import stopped before its end: opening it finishes the work (copies
    /// removed), and the configured limit is the one in force afterwards.
    #[test]
    fn an_open_finishes_left_work_and_keeps_the_configured_limit() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("store.duckdb");
        drop(store_with_keyed_copies(&path, 30_000, 10_000));
        let resources = super::super::resources::StoreResources { memory_limit: "300MiB".to_owned(), threads: 1 };
        let store = Store::open(&path, super::super::StoreOptions { resources, ..Default::default() }).unwrap();
        let (rows, keys, pending, limit): (i64, i64, i64, String) = tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(store.read(|connection| {
                Ok(connection.query_row(
                    "SELECT count(*), count(DISTINCT RecordKey), (SELECT count(*) FROM pending_work), current_setting('memory_limit')
                     FROM otel_metrics",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )?)
            }))
            .unwrap();
        assert_eq!((rows, keys, pending, limit.as_str()), (10_000, 10_000, 0, "300.0 MiB"));
    }
}
