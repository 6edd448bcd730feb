//! The DuckDB store: one database file, an acknowledgement journal beside it, an intake thread and a
//! single writer thread, a pool of readers.
//!
//! `Store::open` creates the file (and its folder, both user-only), applies migrations, reads the
//! journal (what it holds beyond `journal_state` is stored first), starts the intake and the writer,
//! and returns a handle that the rest of the engine clones freely. Every DuckDB call runs either on the
//! writer thread or on tokio's blocking pool, never on the async runtime's threads.

mod batch;
mod bulk_finish;
mod bulk_transaction;
mod bulk_writes;
mod commit_pause;
mod compaction;
mod file_matching;
mod import_counters;
mod intake;
mod journal;
mod journal_progress;
pub(crate) mod kept_copies;
mod match_scope;
mod prepared_rows;
mod reader;
pub mod reconcile;
pub mod repricing;
pub mod resources;
mod rows;
pub(crate) mod schema;
mod tool_match;
mod transaction;
mod unseen_keys;
mod usage_upsert;
mod writer;

pub use batch::{WriteBatch, WriteOutcome};
pub use bulk_transaction::{BulkWrite, ROWS_PER_BULK_TRANSACTION, SaveWithRows, USAGE_RECORDS_PER_BULK_TRANSACTION, WhenCommitted};
pub use bulk_writes::BULK_CHECKPOINT_THRESHOLD;
pub use reader::ReaderPool;
pub use rows::{OTHER_TOOL_PREFIX, append_logs, append_metrics, append_spans, timestamp_value, usage_tool_key};
pub use schema::latest_version as latest_schema_version;
pub use tool_match::service_condition;
pub use transaction::in_transaction;

use crate::error::{ErrorCode, HasErrorCode};
use duckdb::Connection;
use intake::IntakeCommand;
use journal_progress::JournalProgress;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};
use writer::WriterCommand;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("database {path} is locked by another process: {message}")]
    Locked { path: String, message: String },
    #[error("cannot open database {path}: {message}")]
    Open { path: String, message: String },
    #[error("database schema version {found} is newer than this build supports ({supported}); update AI Observer")]
    SchemaTooNew { found: i32, supported: i32 },
    #[error("the store cannot take writes: {0}")]
    Write(String),
    #[error("the store is busy; retry later")]
    Busy,
    #[error("the store is shut down")]
    Closed,
    #[error("database query failed: {0}")]
    Query(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("a connection lock was poisoned")]
    Poisoned,
    #[error("i/o error: {0}")]
    Io(String),
}

impl StoreError {
    pub(crate) fn write(error: duckdb::Error) -> StoreError {
        StoreError::Write(error.to_string())
    }
}

impl From<duckdb::Error> for StoreError {
    fn from(error: duckdb::Error) -> Self {
        StoreError::Query(error.to_string())
    }
}

impl HasErrorCode for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::Locked { .. } | StoreError::Write(_) | StoreError::Busy | StoreError::Closed => ErrorCode::Unavailable,
            StoreError::NotFound(_) => ErrorCode::NotFound,
            StoreError::SchemaTooNew { .. } | StoreError::Open { .. } | StoreError::Query(_) | StoreError::Poisoned | StoreError::Io(_) => {
                ErrorCode::Internal
            }
        }
    }
}

/// How the store is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Writes that may wait for the writer before new ones are refused with `Busy`.
    pub queue_capacity: usize,
    /// DuckDB's memory limit and threads.
    pub resources: resources::StoreResources,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions { queue_capacity: 1024, resources: resources::StoreResources::default() }
    }
}

/// Prices a usage record with the current price table: its computed cost and the table's version.
/// The store knows no prices; the engine hands it this (`Store::set_pricer`) so that rows the
/// writer changes (a request's cache-write split learnt from another source) are priced again
/// in the same transaction.
pub type Pricer = Arc<dyn Fn(&crate::model::UsageRecord) -> (Option<f64>, String) + Send + Sync>;

pub(crate) type SharedPricer = Arc<std::sync::RwLock<Option<Pricer>>>;

pub(crate) fn current_pricer(shared: &SharedPricer) -> Option<Pricer> {
    shared.read().ok().and_then(|pricer| pricer.clone())
}

/// The buffer pool's limit for the moment `Store::release_buffers` empties it.
const IDLE_MEMORY_LIMIT: &str = "16MB";

#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    pricer: SharedPricer,
    /// The intake thread's queue: every write and job goes through it, in order (`intake`).
    intake: mpsc::Sender<IntakeCommand>,
    /// The intake thread, then the writer thread, joined at shutdown.
    threads: Arc<Mutex<Vec<std::thread::JoinHandle<()>>>>,
    readers: ReaderPool,
    bulk_writers: bulk_writes::BulkWriters,
    /// Whether a first import's usage records may be appended without an upsert (`unseen_keys`).
    file_keys: unseen_keys::FileKeysStored,
    /// The buffer pool's size limit, as set at open (`StoreResources`).
    memory_limit: String,
    /// DuckDB's worker threads, as set at open (`StoreResources`).
    duckdb_threads: usize,
    /// Rows committed since the last compaction (`compaction`).
    uncompacted: compaction::Uncompacted,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or creates) the database file. Blocking: call before the runtime serves requests or
    /// from `spawn_blocking`.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        let io_error = |error: std::io::Error| StoreError::Open { path: path.display().to_string(), message: error.to_string() };
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            crate::owner_only::create_private_dir_all(parent).map_err(io_error)?;
        }
        let connection = Connection::open(path).map_err(|error| open_error(path, error))?;
        options.resources.apply(&connection)?;
        crate::owner_only::tighten_if_present(path).map_err(io_error)?;
        crate::owner_only::tighten_if_present(&wal_path(path)).map_err(io_error)?;
        schema::migrate(&connection)?;
        tool_match::create_tool_of_macro(&connection)?;
        finish_left_work(&connection, options.resources.checked_memory_limit())?;
        let (journal, entries) = journal::Journal::open(path)?;
        let applied: u64 = connection.query_row("SELECT max(Applied) FROM journal_state", [], |row| row.get(0))?;
        let last_sequence = entries.iter().map(|(sequence, _)| *sequence).fold(applied, u64::max);
        let replay: Vec<_> = entries.into_iter().filter(|(sequence, _)| *sequence > applied).collect();
        // A read from now on waits for what the journal kept to be stored.
        let progress = Arc::new(JournalProgress::new(applied, last_sequence));
        let readers = ReaderPool::new(connection.try_clone()?, Arc::clone(&progress));
        let pricer = SharedPricer::default();
        let uncompacted = compaction::Uncompacted::default();
        let file_keys = unseen_keys::FileKeysStored::default();
        let (writer, writer_thread) = writer::spawn_writer(
            connection,
            options.queue_capacity,
            Arc::clone(&pricer),
            file_keys.clone(),
            Arc::clone(&progress),
            uncompacted.clone(),
        )?;
        let (intake, intake_thread) =
            intake::spawn_intake(intake::Intake { journal, replay, last_sequence, writer, progress }, options.queue_capacity)?;
        Ok(Store {
            path: path.to_owned(),
            pricer,
            intake,
            threads: Arc::new(Mutex::new(vec![intake_thread, writer_thread])),
            readers,
            bulk_writers: Default::default(),
            file_keys,
            memory_limit: options.resources.checked_memory_limit().to_owned(),
            duckdb_threads: options.resources.threads.max(1),
            uncompacted,
        })
    }

    /// Hands the writer the function that prices the rows it changes.
    pub fn set_pricer(&self, pricer: Pricer) {
        if let Ok(mut slot) = self.pricer.write() {
            *slot = Some(pricer);
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn readers(&self) -> &ReaderPool {
        &self.readers
    }

    /// Makes a received batch durable in the journal and returns; the writer stores it in DuckDB
    /// right after, and every `read` begun after this returned sees it. The outcome counts the
    /// batch's rows (`WriteOutcome::accepted`). Refuses at once with `Busy` when the queue is full,
    /// so callers can answer 503 instead of piling up memory.
    pub async fn write(&self, batch: WriteBatch) -> Result<WriteOutcome, StoreError> {
        if batch.prepared.is_some() {
            // The journal holds rows, not prepared columns: refused rather than acknowledged and lost.
            return Err(StoreError::Write("prepared rows are written with write_waiting, never journalled".to_owned()));
        }
        let (reply, answer) = oneshot::channel();
        self.intake.try_send(IntakeCommand::Journal { batch, reply }).map_err(|error| match error {
            mpsc::error::TrySendError::Full(_) => StoreError::Busy,
            mpsc::error::TrySendError::Closed(_) => StoreError::Closed,
        })?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Commits a batch to DuckDB without the journal, waiting for room in the queue, and returns
    /// once it is committed with the rows it added (for importers, which can wait and keep their own
    /// place in the files).
    pub async fn write_waiting(&self, batch: WriteBatch) -> Result<WriteOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        let command = WriterCommand::Write { batch, reply: Some(reply), journal_sequence: None };
        self.intake.send(IntakeCommand::Pass(command)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stores a bulk import's batch in the writer's open bulk transaction, then `save` in the same
    /// transaction; returns once both ran, and tells `committed` when the transaction ends
    /// (`bulk_transaction`). `commit_bulk` ends it at once.
    pub async fn write_bulk(&self, batch: WriteBatch, save: SaveWithRows, committed: WhenCommitted) -> Result<(), StoreError> {
        let (appended, answer) = oneshot::channel();
        let command = WriterCommand::Bulk(BulkWrite { batch, save, appended, committed });
        self.intake.send(IntakeCommand::Pass(command)).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Commits the writer's open bulk transaction, if any, and returns once it is told.
    pub async fn commit_bulk(&self) -> Result<(), StoreError> {
        self.with_writer(|_| Ok(())).await
    }

    /// Runs any other write (dashboards, settings, deletes, import state) on the writer thread, in
    /// order with the batches queued before it.
    pub async fn with_writer<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let boxed: Box<dyn FnOnce(&Connection) + Send> = Box::new(move |connection| {
            let _ = reply.send(job(connection));
        });
        self.intake.send(IntakeCommand::Pass(WriterCommand::Job(boxed))).await.map_err(|_| StoreError::Closed)?;
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `work` in one transaction on the writer thread: all of it is committed, or nothing.
    pub async fn transaction<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.with_writer(move |connection| in_transaction(connection, work)).await
    }

    /// Runs a read query off the async runtime, once every write acknowledged before it is stored.
    pub async fn read<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.readers.read(job).await
    }

    /// Hands back the blocks DuckDB keeps cached from past queries (up to its memory limit, until
    /// something else needs the room): the limit is lowered to `IDLE_MEMORY_LIMIT` for a moment,
    /// which evicts every block no query holds, then restored. For an idle moment: a query running
    /// meanwhile might find too little memory. On a generated 950 MB store: 65 → 15 MB of buffers.
    /// The limit restored is the one in force (`bulk_writes`: lower while an import runs). Rows
    /// committed since the last compaction are compacted first (`compaction`).
    pub async fn release_buffers(&self) -> Result<(), StoreError> {
        let configured = self.memory_limit.clone();
        let writers = self.bulk_writers.clone();
        let uncompacted = self.uncompacted.clone();
        self.with_writer(move |connection| {
            uncompacted.compact_if_any(connection);
            let lowered = connection.execute_batch(&format!("SET memory_limit = '{IDLE_MEMORY_LIMIT}'"));
            connection.execute_batch(&format!("SET memory_limit = '{}'", writers.memory_limit(&configured)))?;
            Ok(lowered?)
        })
        .await
    }

    /// Stops accepting writes, commits what is queued, checkpoints, and waits for the writer to end.
    /// Safe to call from several clones; later calls return at once.
    pub async fn shutdown(&self) {
        let (reply, done) = oneshot::channel();
        if self.intake.send(IntakeCommand::Pass(WriterCommand::Shutdown(reply))).await.is_ok() {
            let _ = done.await;
        }
        let threads = self.threads.lock().map(|mut threads| std::mem::take(&mut *threads)).unwrap_or_default();
        for thread in threads {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Work left for later is done before serving: a bulk import stopped before its end (its tasks
/// in `pending_work`, its records unmatched), or records stored before request matching existed.
fn finish_left_work(connection: &Connection, configured_memory_limit: &str) -> Result<(), StoreError> {
    let (pending, unmatched): (i64, i64) = connection.query_row(
        "SELECT (SELECT count(*) FROM pending_work) + (SELECT count(*) FROM import_counters_owed),
                (SELECT count(*) FROM usage_records WHERE Counted IS NULL)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if pending > 0 || unmatched > 0 {
        bulk_writes::finish_left_work(connection, configured_memory_limit)?;
        tracing::info!(records = unmatched, "finished the matching and de-duplication left for later");
    }
    Ok(())
}

/// DuckDB's write-ahead log beside the database file.
fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".wal");
    PathBuf::from(name)
}

fn open_error(path: &Path, error: duckdb::Error) -> StoreError {
    let message = error.to_string();
    if message.contains("lock") {
        StoreError::Locked { path: path.display().to_string(), message }
    } else {
        StoreError::Open { path: path.display().to_string(), message }
    }
}
