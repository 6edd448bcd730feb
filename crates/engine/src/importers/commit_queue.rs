//! Committing the rows of many finished files together: each file read hands its last rows and its
//! new state here; once enough rows are gathered (or the import ends) they go to the writer as one
//! batch, and only after that commit are the files' states saved, in one transaction. A first
//! import of hundreds of small session files then costs a few large commits instead of one commit,
//! de-duplication pass and reconciliation per file. Each file stays locked until its state is
//! saved, so the watcher never plans a file whose rows are still on their way.

use super::discovery::SessionFile;
use super::file_locks::FileLock;
use super::read_file::ImportRun;
use super::state::{self, FileState};
use crate::model::UsageSource;
use crate::store::{StoreError, WriteBatch, in_transaction};
use std::sync::Mutex;

/// Rows gathered before they are committed.
pub const ROWS_PER_COMMIT: usize = 20_000;

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

/// Shared by the readers of one import.
#[derive(Default)]
pub struct CommitQueue {
    gathered: Mutex<Gathered>,
}

impl CommitQueue {
    /// Adds a finished file's rows; commits everything gathered when it is enough.
    pub fn add(&self, run: &ImportRun<'_>, batch: WriteBatch, finished: FinishedFile) {
        let full = {
            let mut gathered = self.gathered.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            gathered.batch.extend(batch);
            gathered.files.push(finished);
            if gathered.batch.row_count() >= ROWS_PER_COMMIT { Some(std::mem::take(&mut *gathered)) } else { None }
        };
        if let Some(full) = full {
            commit(run, full);
        }
    }

    /// Commits whatever is gathered (at the end of an import).
    pub fn flush(&self, run: &ImportRun<'_>) {
        let rest = std::mem::take(&mut *self.gathered.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        if !rest.files.is_empty() {
            commit(run, rest);
        }
    }
}

/// Stores the rows, then the states; a failure is each file's problem (its state is not saved, so
/// the next import reads it again: rows have natural keys).
fn commit(run: &ImportRun<'_>, gathered: Gathered) {
    let Gathered { batch, files } = gathered;
    if !batch.is_empty()
        && let Err(error) = store_rows(run, batch)
    {
        for finished in &files {
            problem(run, &finished.file, format!("rows could not be stored: {error}"));
        }
        return;
    }
    let states: Vec<(&'static str, std::path::PathBuf, FileState)> = files
        .iter()
        .filter_map(|finished| finished.state.clone().map(|state| (finished.file.tool.key(), finished.file.path.clone(), state)))
        .collect();
    if !states.is_empty() {
        save_states(run, &files, states);
    }
    // The files are free for the next reader once their state is saved (or known not to be).
    files.into_iter().for_each(|finished| drop(finished.lock));
}

/// Writes rows and waits for their commit. The watcher announces new rows like OTLP ingest does;
/// an import does not flood clients. Committed usage records are forwarded when forwarding is on
/// (`ingest::forwarded_usage`).
pub fn store_rows(run: &ImportRun<'_>, mut batch: WriteBatch) -> Result<(), StoreError> {
    batch.bulk = run.bulk;
    if batch.bulk {
        // Here, on the reader's thread, rather than in the writer: the writer is the import's
        // bottleneck (docs/benchmarks.md).
        batch.keep_last_copy_of_each_key();
    }
    let context = run.context;
    let announcements = if run.options.source == UsageSource::Watch && context.live.has_listeners() {
        crate::ingest::live_messages(&batch)
    } else {
        Vec::new()
    };
    let forwarded = context
        .forwarder
        .as_ref()
        .filter(|forwarder| forwarder.is_active() && !batch.usage.is_empty())
        .map(|forwarder| (forwarder, batch.usage.clone()));
    run.runtime.block_on(context.store.write_waiting(batch))?;
    if let Some((forwarder, usage)) = forwarded {
        forwarder.enqueue(crate::otlp::ExportRequest::Logs(crate::ingest::forwarded_usage::request_of(&usage)));
    }
    for message in announcements {
        context.live.publish(message);
    }
    Ok(())
}

fn save_states(run: &ImportRun<'_>, files: &[FinishedFile], states: Vec<(&'static str, std::path::PathBuf, FileState)>) {
    let context = run.context;
    let saved = run.runtime.block_on(context.store.with_writer(move |connection| {
        in_transaction(connection, |connection| {
            states.iter().try_for_each(|(source, path, file_state)| state::save(connection, source, path, file_state))
        })
    }));
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
