//! Committing the rows of many finished files together: each file read hands its last rows and its
//! new state here; once enough rows are gathered (or the import ends) they go to the writer as one
//! batch, and only after that commit are the files' states saved, in one transaction. A first
//! import of hundreds of small session files then costs a few large commits instead of one commit,
//! de-duplication pass and reconciliation per file. Each file stays locked until its state is
//! saved, so the watcher never plans a file whose rows are still on their way.
//!
//! The commits run on the import's committer (`CommitQueue::run_committer`), one after the other,
//! while the readers go on reading: a reader that gathered enough rows prepares them for the writer
//! (`ready_rows`) and hands them over, waiting only until the committer takes them. When the reader
//! that gathered a batch also waited for its commit, the writer and the readers took turns: the
//! writer was idle for about 30 % of a first import (docs/benchmarks.md).
//!
//! A bulk import's commits share the writer's bulk transactions (`Store::write_bulk`): its files'
//! states are saved in the transaction that stores their rows, the committer waits only until the
//! rows are appended, and files are let go when that transaction commits; `flush` has it commit.

use super::discovery::SessionFile;
use super::file_locks::FileLock;
use super::read_file::ImportRun;
use super::state::{self, FileState};
use crate::model::UsageSource;
use crate::store::{SaveWithRows, StoreError, WhenCommitted, WriteBatch, in_transaction};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// Rows gathered before they are committed (as many as `read_file`'s writes, for the same reason).
pub const ROWS_PER_COMMIT: usize = 10_000;

/// A file whose reading ended: its state to save once its rows are stored (none for a cancelled
/// or filtered read), and its lock.
pub struct FinishedFile {
    pub file: SessionFile,
    pub state: Option<FileState>,
    pub lock: FileLock,
}

#[derive(Default)]
struct Gathered {
    batch: WriteBatch,
    files: Vec<FinishedFile>,
}

/// Gathered rows made ready for the writer, with the files whose states follow their commit.
struct ReadyCommit {
    rows: ReadyRows,
    files: Vec<FinishedFile>,
    /// Dropped once the commit finished, or when it is dropped unrun (a committer that panicked):
    /// either way `flush` stops waiting for it.
    _unfinished: Unfinished,
}

/// What the committer is handed: rows to commit, or the word to end the open bulk transaction.
enum CommitterTask {
    Rows(Box<ReadyCommit>),
    CommitBulk,
}

/// How many commits were handed over and not finished; one `Unfinished` each.
#[derive(Default)]
struct UnfinishedCommits {
    count: Mutex<usize>,
    finished: Condvar,
}

struct Unfinished(Arc<UnfinishedCommits>);

impl Unfinished {
    fn new(commits: &Arc<UnfinishedCommits>) -> Unfinished {
        *commits.count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        Unfinished(Arc::clone(commits))
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        *self.0.count.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
        self.0.finished.notify_all();
    }
}

/// Shared by the readers of one import and its committer.
pub struct CommitQueue {
    gathered: Mutex<Gathered>,
    /// To the committer; `None` once the import closed it.
    committer: Mutex<Option<SyncSender<CommitterTask>>>,
    receiver: Mutex<Option<Receiver<CommitterTask>>>,
    unfinished: Arc<UnfinishedCommits>,
    /// Files whose bulk transaction failed, told on the writer's thread; moved to the tally by
    /// `flush`.
    failed: Arc<Mutex<Vec<(SessionFile, String)>>>,
}

impl Default for CommitQueue {
    fn default() -> Self {
        // A hand-over: the reader holds its prepared batch until the committer is free, so one
        // batch waits beside the one being committed. That keeps the writer busy; a queue of one
        // more held a third batch and took a first import's peak to 400 MB (docs/benchmarks.md).
        let (sender, receiver) = sync_channel(0);
        CommitQueue {
            gathered: Mutex::default(),
            committer: Mutex::new(Some(sender)),
            receiver: Mutex::new(Some(receiver)),
            unfinished: Arc::default(),
            failed: Arc::default(),
        }
    }
}

impl CommitQueue {
    /// Adds a finished file's rows; hands everything gathered to the committer when it is enough.
    pub fn add(&self, run: &ImportRun<'_>, batch: WriteBatch, finished: FinishedFile) {
        let full = {
            let mut gathered = self.gathered.lock().unwrap_or_else(PoisonError::into_inner);
            gathered.batch.extend(batch);
            gathered.files.push(finished);
            if gathered.batch.row_count() >= ROWS_PER_COMMIT { Some(std::mem::take(&mut *gathered)) } else { None }
        };
        if let Some(full) = full {
            self.hand_over(run, full);
        }
    }

    /// Commits whatever is gathered and waits until every commit handed over has finished (at the
    /// end of an import, and when a reader waits for a file this import still holds).
    pub fn flush(&self, run: &ImportRun<'_>) {
        let rest = std::mem::take(&mut *self.gathered.lock().unwrap_or_else(PoisonError::into_inner));
        if !rest.files.is_empty() {
            self.hand_over(run, rest);
        }
        if run.bulk {
            self.send(run, CommitterTask::CommitBulk);
        }
        {
            let mut unfinished = self.unfinished.count.lock().unwrap_or_else(PoisonError::into_inner);
            while *unfinished > 0 {
                unfinished = self.unfinished.finished.wait(unfinished).unwrap_or_else(PoisonError::into_inner);
            }
        }
        let failed = std::mem::take(&mut *self.failed.lock().unwrap_or_else(PoisonError::into_inner));
        for (file, message) in failed {
            problem(run, &file, message);
        }
    }

    /// Runs the commits handed over, in order, until `close`: run beside the readers.
    pub fn run_committer(&self, run: &ImportRun<'_>) {
        let Some(receiver) = self.receiver.lock().unwrap_or_else(PoisonError::into_inner).take() else { return };
        for task in receiver {
            self.run_task(run, task);
        }
    }

    fn run_task(&self, run: &ImportRun<'_>, task: CommitterTask) {
        match task {
            CommitterTask::Rows(ready) => {
                let ReadyCommit { rows, files, _unfinished: unfinished } = *ready;
                if run.bulk {
                    self.commit_in_bulk_transaction(run, rows, files, unfinished);
                } else {
                    commit(run, rows, files);
                }
            }
            CommitterTask::CommitBulk => {
                // A failed commit is told to each of its writes, which report their files.
                let _ = run.runtime.block_on(run.context.store.commit_bulk());
            }
        }
    }

    /// Appends the rows to the writer's bulk transaction with the files' states; the files are let
    /// go, and the rows forwarded, once that transaction commits.
    fn commit_in_bulk_transaction(&self, run: &ImportRun<'_>, rows: ReadyRows, files: Vec<FinishedFile>, unfinished: Unfinished) {
        let ReadyRows { batch, announcements, forwarded } = rows;
        let batch = match batch {
            Ok(batch) => batch,
            Err(error) => return rows_not_stored(run, &files, &error),
        };
        let states = states_to_save(&files);
        let save: SaveWithRows = Box::new(move |connection| state::save_all(connection, &states));
        let failed = Arc::clone(&self.failed);
        let forwarder = run.context.forwarder.clone();
        let live = run.context.live.clone();
        let committed: WhenCommitted = Box::new(move |result| {
            match result {
                Ok(()) => {
                    if let (Some(forwarder), Some(usage)) = (forwarder, forwarded) {
                        forwarder.enqueue(crate::otlp::ExportRequest::Logs(crate::ingest::forwarded_usage::request_of(&usage)));
                    }
                    for message in announcements {
                        live.publish(message);
                    }
                }
                Err(error) => {
                    let mut failed = failed.lock().unwrap_or_else(PoisonError::into_inner);
                    failed.extend(files.iter().map(|finished| (finished.file.clone(), format!("rows could not be stored: {error}"))));
                }
            }
            // The files are free for the next reader once their state is saved (or known not to be).
            drop(files);
            drop(unfinished);
        });
        // Whatever happens to the write is told to `committed` (dropped unrun if the store closed).
        let _ = run.runtime.block_on(run.context.store.write_bulk(batch, save, committed));
    }

    /// Lets the committer stop once it has run every commit handed over.
    pub fn close(&self) {
        self.committer.lock().unwrap_or_else(PoisonError::into_inner).take();
    }

    /// Prepares the rows here, on the reader's thread, and hands them to the committer; commits
    /// them here if there is no committer any more.
    fn hand_over(&self, run: &ImportRun<'_>, gathered: Gathered) {
        let Gathered { batch, files } = gathered;
        let ready = ReadyCommit { rows: ready_rows(run, batch), files, _unfinished: Unfinished::new(&self.unfinished) };
        self.send(run, CommitterTask::Rows(Box::new(ready)));
    }

    /// Hands a task to the committer, or runs it here if there is no committer any more (its rows
    /// then go through a plain commit, which ends any open bulk transaction first).
    fn send(&self, run: &ImportRun<'_>, task: CommitterTask) {
        let sender = self.committer.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let unsent = match sender {
            Some(sender) => sender.send(task).err().map(|error| error.0),
            None => Some(task),
        };
        match unsent {
            Some(CommitterTask::Rows(ready)) => {
                let ReadyCommit { rows, files, _unfinished } = *ready;
                commit(run, rows, files);
            }
            Some(CommitterTask::CommitBulk) => {
                let _ = run.runtime.block_on(run.context.store.commit_bulk());
            }
            None => {}
        }
    }
}

/// Stores the rows, then the states; a failure is each file's problem (its state is not saved, so
/// the next import reads it again: rows have natural keys).
fn commit(run: &ImportRun<'_>, rows: ReadyRows, files: Vec<FinishedFile>) {
    if let Err(error) = write_ready(run, rows) {
        return rows_not_stored(run, &files, &error);
    }
    let states = states_to_save(&files);
    if !states.is_empty() {
        save_states(run, &files, states);
    }
    // The files are free for the next reader once their state is saved (or known not to be).
    files.into_iter().for_each(|finished| drop(finished.lock));
}

/// The states of the files whose reading finished, each with its tool and path.
fn states_to_save(files: &[FinishedFile]) -> Vec<(&'static str, std::path::PathBuf, FileState)> {
    files
        .iter()
        .filter_map(|finished| finished.state.clone().map(|state| (finished.file.tool.key(), finished.file.path.clone(), state)))
        .collect()
}

fn rows_not_stored(run: &ImportRun<'_>, files: &[FinishedFile], error: &StoreError) {
    for finished in files {
        problem(run, &finished.file, format!("rows could not be stored: {error}"));
    }
}

/// A batch ready for the writer, with what follows its commit.
struct ReadyRows {
    batch: Result<WriteBatch, StoreError>,
    announcements: Vec<crate::wire::live::LiveMessage>,
    forwarded: Option<Vec<crate::model::UsageRecord>>,
}

/// Writes rows and waits for their commit. The watcher announces new rows like OTLP ingest does;
/// an import does not flood clients. Committed usage records are forwarded when forwarding is on
/// (`ingest::forwarded_usage`).
pub fn store_rows(run: &ImportRun<'_>, batch: WriteBatch) -> Result<(), StoreError> {
    write_ready(run, ready_rows(run, batch))
}

/// What the writer needs done before it takes a batch, on the calling (reader's) thread: the writer
/// is the import's bottleneck (docs/benchmarks.md).
fn ready_rows(run: &ImportRun<'_>, mut batch: WriteBatch) -> ReadyRows {
    batch.bulk = run.bulk;
    if batch.bulk {
        batch.keep_last_copy_of_each_key();
        // Its reads built no counters (`ParseContext::counters_owed`): the import's end derives them.
        batch.counters_owed = Some(super::import_source_of(run.options.source));
    }
    let context = run.context;
    let announcements = if run.options.source == UsageSource::Watch && context.live.has_listeners() {
        crate::ingest::live_messages(&batch)
    } else {
        Vec::new()
    };
    let forwarded =
        context.forwarder.as_ref().filter(|forwarder| forwarder.is_active() && !batch.usage.is_empty()).map(|_| batch.usage.clone());
    // Records the usage-first pass stored as they are: the writer would only compare and keep them.
    if let Some(stored) = run.stored_ahead {
        batch.usage_stored_ahead = stored.take_stored(&mut batch.usage);
    }
    // The columns the writer appends are built here too (`WriteBatch::prepare_for_append`).
    let batch = batch.prepare_for_append().map(|()| batch);
    ReadyRows { batch, announcements, forwarded }
}

fn write_ready(run: &ImportRun<'_>, rows: ReadyRows) -> Result<(), StoreError> {
    let ReadyRows { batch, announcements, forwarded } = rows;
    let batch = batch?;
    if batch.is_empty() {
        return Ok(());
    }
    let context = run.context;
    run.runtime.block_on(context.store.write_waiting(batch))?;
    if let (Some(forwarder), Some(usage)) = (&context.forwarder, forwarded) {
        forwarder.enqueue(crate::otlp::ExportRequest::Logs(crate::ingest::forwarded_usage::request_of(&usage)));
    }
    for message in announcements {
        context.live.publish(message);
    }
    Ok(())
}

fn save_states(run: &ImportRun<'_>, files: &[FinishedFile], states: Vec<(&'static str, std::path::PathBuf, FileState)>) {
    let context = run.context;
    let saved = run.runtime.block_on(
        context.store.with_writer(move |connection| in_transaction(connection, |connection| state::save_all(connection, &states))),
    );
    if let Err(error) = saved {
        for finished in files.iter().filter(|finished| finished.state.is_some()) {
            problem(run, &finished.file, format!("progress could not be saved: {error}"));
        }
    }
}

fn problem(run: &ImportRun<'_>, file: &SessionFile, message: String) {
    if let Ok(mut tally) = run.tally.lock() {
        tally.problem(file, None, message);
    }
}
