//! Import jobs started from the app or the API: one at a time, with progress, cancellation and the
//! result kept by job id. Progress reaches the UI as `import_progress` live messages.

use super::ImportError;
use super::run::{ImportOptions, ImportProgress, ImportResult, ProgressSink, import, plan};
use crate::engine::Engine;
use crate::ingest::live::LiveMessage;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// Finished jobs kept for their results.
const KEPT_JOBS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum ImportJobState {
    Running,
    Done,
    Cancelled,
    Failed,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ImportJob {
    pub id: String,
    pub state: ImportJobState,
    pub progress: ImportProgress,
    pub result: Option<ImportResult>,
    pub error: Option<String>,
    pub started_at: String,
}

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

impl ImportJobs {
    fn with_entry<T>(&self, id: &str, change: impl FnOnce(&mut Entry) -> T) -> Result<T, ImportError> {
        let mut entries = self.entries.lock().map_err(|_| ImportError::InvalidRequest("import jobs poisoned".to_owned()))?;
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
        if let Ok(entries) = self.entries.lock() {
            for entry in entries.iter() {
                entry.cancel.store(true, Ordering::SeqCst);
            }
        }
    }

    /// Starts an import in the background and returns its job id.
    pub fn start(&self, engine: &Engine, options: ImportOptions) -> Result<String, ImportError> {
        let id = uuid::Uuid::new_v4().to_string();
        let cancel = Arc::new(AtomicBool::new(false));
        {
            let mut entries = self.entries.lock().map_err(|_| ImportError::InvalidRequest("import jobs poisoned".to_owned()))?;
            if let Some(running) = entries.iter().find(|entry| entry.job.state == ImportJobState::Running) {
                return Err(ImportError::AlreadyRunning(running.job.id.clone()));
            }
            entries.push_back(Entry {
                job: ImportJob {
                    id: id.clone(),
                    state: ImportJobState::Running,
                    progress: ImportProgress::default(),
                    result: None,
                    error: None,
                    started_at: crate::query::time_range::format_time(chrono::Utc::now()),
                },
                cancel: Arc::clone(&cancel),
            });
            while entries.len() > KEPT_JOBS {
                if entries.front().is_some_and(|entry| entry.job.state != ImportJobState::Running) {
                    entries.pop_front();
                } else {
                    break;
                }
            }
        }
        let engine = engine.clone();
        let job_id = id.clone();
        tokio::spawn(async move {
            let progress_engine = engine.clone();
            let progress_id = job_id.clone();
            let sink: ProgressSink = Arc::new(move |progress: &ImportProgress| {
                if let Ok(job) = progress_engine.imports().with_entry(&progress_id, |entry| {
                    entry.job.progress = progress.clone();
                    entry.job.clone()
                }) {
                    publish(&progress_engine, &job);
                }
            });
            let outcome = match plan(&engine, &options).await {
                Ok(plan) => import(&engine, &plan, &options, Some(sink), Arc::clone(&cancel)).await,
                Err(error) => Err(error),
            };
            let finished = engine.imports().with_entry(&job_id, |entry| {
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
            });
            if let Ok(job) = finished {
                tracing::info!(job = %job.id, state = ?job.state, records = job.progress.records, "import finished");
                publish(&engine, &job);
            }
        });
        Ok(id)
    }
}

fn publish(engine: &Engine, job: &ImportJob) {
    if engine.live().has_listeners() {
        engine.live().publish(LiveMessage::new("import_progress", serde_json::to_value(job).unwrap_or(serde_json::Value::Null)));
    }
}
