//! Running an import: a bulk import first stores the usage of the files it reads from their start
//! (`spend_first`), so its spend is complete early; then the planned files are read by a few blocking workers side by side
//! (`read_file`; one per core, at least two), their rows committed together by a committer beside
//! them (`commit_queue`), with progress to the sink and cancellation between
//! files and lines; the result says what each tool brought and every problem met. Files may finish
//! in any order: rows carry natural keys and matching is independent of arrival order.

use super::commit_queue::CommitQueue;
use super::plan::{ImportOptions, ImportPlan, PlannedFile};
use super::projects::ProjectResolver;
use super::read_file::{ImportRun, import_file};
use super::spend_first::{self, StoredAhead};
use super::tally::{ProgressSink, Tally};
use super::{ImportContext, ImportError};
use crate::wire::import::ImportResult;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Most files read at once.
const MAX_READERS: usize = 4;
/// An import reading this much is a bulk import (`Store::begin_bulk_writes`: fewer checkpoints,
/// and its usage records matched across sources once, when it ends); the watcher's small reads
/// keep DuckDB's usual checkpoints and match in every commit, so live figures stay current.
const BULK_IMPORT_BYTES: u64 = 32 * 1024 * 1024;

/// Imports the plan's files. Returns what was imported and every problem met.
pub async fn import(
    context: &ImportContext,
    plan: &ImportPlan,
    options: &ImportOptions,
    sink: Option<ProgressSink>,
    cancel: Arc<AtomicBool>,
) -> Result<ImportResult, ImportError> {
    let work: Vec<(PlannedFile, u64)> = plan.work(options.force).into_iter().map(|(planned, bytes)| (planned.clone(), bytes)).collect();
    let tally = Arc::new(Mutex::new(Tally::new(
        &options.tools,
        work.len() as u64,
        work.iter().map(|(_, bytes)| bytes).sum(),
        plan.problems.clone(),
    )));
    let bulk = options.always_bulk || work.iter().map(|(_, bytes)| bytes).sum::<u64>() >= BULK_IMPORT_BYTES;
    let (mut spend_ahead, mut stored_ahead) = (false, None);
    if bulk {
        context.store.begin_bulk_writes(reader_count(work.len())).await?;
        let first_reads: Vec<_> = work
            .iter()
            .filter(|(planned, _)| spend_first::reads_first(planned, options.force))
            .map(|(planned, _)| planned.file.clone())
            .collect();
        let all_files = first_reads.len() == work.len();
        if !first_reads.is_empty() {
            let readers = reader_count(first_reads.len());
            let started = std::time::Instant::now();
            let stored = spend_first::store_usage(context, options, first_reads, readers, Arc::clone(&cancel)).await;
            let stored_after = started.elapsed();
            // Matched across sources before the full read, which goes on in the same bulk writes.
            context.store.finish_bulk_work().await?;
            tracing::info!(
                records = stored.as_ref().map_or(0, StoredAhead::keys),
                stored_ms = stored_after.as_millis() as u64,
                matched_ms = (started.elapsed() - stored_after).as_millis() as u64,
                "usage stored ahead of the full read"
            );
            spend_ahead = all_files && stored.is_some();
            stored_ahead = stored.map(Arc::new);
        }
    }
    if let Ok(mut tally) = tally.lock() {
        tally.spend_ready(spend_ahead, sink.as_ref());
    }
    let shared = Shared {
        context: context.clone(),
        options: options.clone(),
        tally: Arc::clone(&tally),
        sink: sink.clone(),
        cancel: Arc::clone(&cancel),
        projects: Arc::new(ProjectResolver::default()),
        commits: Arc::new(CommitQueue::default()),
        runtime: tokio::runtime::Handle::current(),
        bulk,
        stored_ahead,
    };
    let imported = read_all(shared, work).await;
    if bulk {
        context.store.end_bulk_writes().await?;
    }
    imported?;
    let mut tally = tally.lock().map_err(|_| ImportError::Internal("the import tally is poisoned".to_owned()))?;
    tally.progress.spend_ready = true;
    if let Some(sink) = &sink {
        sink(&tally.progress);
    }
    Ok(tally.result(cancel.load(Ordering::SeqCst)))
}

/// Reads every planned file with a few workers side by side, then commits what is left.
async fn read_all(shared: Shared, work: Vec<(PlannedFile, u64)>) -> Result<(), ImportError> {
    let readers = reader_count(work.len());
    let queue: Arc<Mutex<VecDeque<PlannedFile>>> = Arc::new(Mutex::new(work.into_iter().map(|(planned, _)| planned).collect()));
    let committer = {
        let shared = shared.clone();
        tokio::task::spawn_blocking(move || shared.with_run(|run| run.commits.run_committer(run)))
    };
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..readers {
        let (shared, queue) = (shared.clone(), Arc::clone(&queue));
        tasks.spawn_blocking(move || {
            shared.with_run(|run| {
                while !run.cancel.load(Ordering::SeqCst) {
                    let Some(planned) = queue.lock().ok().and_then(|mut queue| queue.pop_front()) else { break };
                    import_file(run, &planned);
                }
            });
        });
    }
    let mut failure = None;
    while let Some(finished) = tasks.join_next().await {
        if let Err(error) = finished {
            failure = Some(ImportError::Internal(format!("an import task failed: {error}")));
        }
    }
    // Whatever was read is committed, also when a worker failed; then the committer stops.
    tokio::task::spawn_blocking(move || {
        shared.with_run(|run| run.commits.flush(run));
        shared.commits.close();
    })
    .await
    .map_err(|error| ImportError::Internal(format!("an import task failed: {error}")))?;
    committer.await.map_err(|error| ImportError::Internal(format!("the import's committer failed: {error}")))?;
    failure.map_or(Ok(()), Err)
}

/// Readers for `files` files: one per core, two to `MAX_READERS`, never more than the files.
fn reader_count(files: usize) -> usize {
    std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get).clamp(2, MAX_READERS).min(files.max(1))
}

/// What the readers of one import share, owned so each blocking task can hold a copy.
#[derive(Clone)]
struct Shared {
    context: ImportContext,
    options: ImportOptions,
    tally: Arc<Mutex<Tally>>,
    sink: Option<ProgressSink>,
    cancel: Arc<AtomicBool>,
    projects: Arc<ProjectResolver>,
    commits: Arc<CommitQueue>,
    runtime: tokio::runtime::Handle,
    bulk: bool,
    stored_ahead: Option<Arc<StoredAhead>>,
}

impl Shared {
    fn with_run(&self, work: impl FnOnce(&ImportRun<'_>)) {
        work(&ImportRun {
            runtime: &self.runtime,
            context: &self.context,
            options: &self.options,
            projects: &self.projects,
            tally: &self.tally,
            sink: self.sink.as_ref(),
            cancel: &self.cancel,
            commits: &self.commits,
            bulk: self.bulk,
            stored_ahead: self.stored_ahead.as_deref(),
        });
    }
}
