//! The import jobs started from the app or the API: one at a time, each with its progress, a
//! cancellation flag and, once done, its result, kept by id (the last `KEPT_JOBS`). A registry
//! only: `operations::import` runs the jobs and publishes their progress.

use super::ImportError;
use crate::model::time::format_time;
use crate::wire::import::{ImportJob, ImportJobState, ImportProgress, ImportResult};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Finished jobs kept for their results.
const KEPT_JOBS: usize = 20;

struct Entry {
    job: ImportJob,
    cancel: Arc<AtomicBool>,
}

#[derive(Default)]
pub struct ImportJobs {
    entries: Mutex<VecDeque<Entry>>,
}

impl std::fmt::Debug for ImportJobs {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("ImportJobs").finish_non_exhaustive()
    }
}

/// A job just registered: its id and the flag that cancels it.
pub struct StartedJob {
    pub id: String,
    pub cancel: Arc<AtomicBool>,
}

impl ImportJobs {
    fn entries(&self) -> Result<std::sync::MutexGuard<'_, VecDeque<Entry>>, ImportError> {
        self.entries.lock().map_err(|_| ImportError::Internal("the import job registry is poisoned".to_owned()))
    }

    fn with_entry<T>(&self, id: &str, change: impl FnOnce(&mut Entry) -> T) -> Result<T, ImportError> {
        let mut entries = self.entries()?;
        let entry = entries.iter_mut().find(|entry| entry.job.id == id).ok_or_else(|| ImportError::JobNotFound(id.to_owned()))?;
        Ok(change(entry))
    }

    pub fn get(&self, id: &str) -> Result<ImportJob, ImportError> {
        self.with_entry(id, |entry| entry.job.clone())
    }

    pub fn cancel(&self, id: &str) -> Result<ImportJob, ImportError> {
        self.with_entry(id, |entry| {
            entry.cancel.store(true, Ordering::SeqCst);
            entry.job.clone()
        })
    }

    pub fn cancel_all(&self) {
        if let Ok(entries) = self.entries() {
            for entry in entries.iter() {
                entry.cancel.store(true, Ordering::SeqCst);
            }
        }
    }

    /// Registers a new running job; refused while another one runs.
    pub fn begin(&self) -> Result<StartedJob, ImportError> {
        let mut entries = self.entries()?;
        if let Some(running) = entries.iter().find(|entry| entry.job.state == ImportJobState::Running) {
            return Err(ImportError::AlreadyRunning(running.job.id.clone()));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let cancel = Arc::new(AtomicBool::new(false));
        entries.push_back(Entry {
            job: ImportJob {
                id: id.clone(),
                state: ImportJobState::Running,
                progress: ImportProgress::default(),
                result: None,
                error: None,
                started_at: format_time(chrono::Utc::now()),
            },
            cancel: Arc::clone(&cancel),
        });
        while entries.len() > KEPT_JOBS && entries.front().is_some_and(|entry| entry.job.state != ImportJobState::Running) {
            entries.pop_front();
        }
        Ok(StartedJob { id, cancel })
    }

    /// Records progress; returns the job as it is now.
    pub fn progress(&self, id: &str, progress: &ImportProgress) -> Result<ImportJob, ImportError> {
        self.with_entry(id, |entry| {
            entry.job.progress = progress.clone();
            entry.job.clone()
        })
    }

    /// Records how the job ended; returns the finished job.
    pub fn finish(&self, id: &str, outcome: Result<ImportResult, ImportError>) -> Result<ImportJob, ImportError> {
        self.with_entry(id, |entry| {
            match outcome {
                Ok(result) => {
                    entry.job.state = if result.cancelled { ImportJobState::Cancelled } else { ImportJobState::Done };
                    entry.job.result = Some(result);
                }
                Err(error) => {
                    entry.job.state = ImportJobState::Failed;
                    entry.job.error = Some(error.to_string());
                }
            }
            entry.job.clone()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_job_runs_at_a_time_and_keeps_its_result() {
        let jobs = ImportJobs::default();
        let first = jobs.begin().unwrap();
        assert!(matches!(jobs.begin(), Err(ImportError::AlreadyRunning(id)) if id == first.id));
        jobs.cancel(&first.id).unwrap();
        assert!(first.cancel.load(Ordering::SeqCst));
        let done = jobs.finish(&first.id, Ok(ImportResult { cancelled: true, ..ImportResult::default() })).unwrap();
        assert_eq!(done.state, ImportJobState::Cancelled);
        let second = jobs.begin().unwrap();
        assert_ne!(second.id, first.id);
        assert!(matches!(jobs.get("missing"), Err(ImportError::JobNotFound(_))));
    }
}
