//! Running an import: the planned files are read one after another on blocking threads
//! (`read_file`), with progress to the sink and cancellation between files and lines; the result
//! says what each tool brought and every problem met.

use super::plan::{ImportOptions, ImportPlan, PlannedFile};
use super::projects::ProjectResolver;
use super::read_file::{ImportRun, import_file};
use super::tally::{ProgressSink, Tally};
use super::{ImportContext, ImportError};
use crate::wire::import::ImportResult;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

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
    let projects = Arc::new(ProjectResolver::default());
    let runtime = tokio::runtime::Handle::current();
    for (planned, _) in work {
        if cancel.load(Ordering::SeqCst) {
            break;
        }
        let (context, options, tally, sink, cancel, projects, runtime) = (
            context.clone(),
            options.clone(),
            Arc::clone(&tally),
            sink.clone(),
            Arc::clone(&cancel),
            Arc::clone(&projects),
            runtime.clone(),
        );
        tokio::task::spawn_blocking(move || {
            let run = ImportRun {
                runtime: &runtime,
                context: &context,
                options: &options,
                projects: &projects,
                tally: &tally,
                sink: sink.as_ref(),
                cancel: &cancel,
            };
            import_file(&run, &planned);
        })
        .await
        .map_err(|error| ImportError::Internal(format!("an import task failed: {error}")))?;
    }
    let tally = tally.lock().map_err(|_| ImportError::Internal("the import tally is poisoned".to_owned()))?;
    if let Some(sink) = &sink {
        sink(&tally.progress);
    }
    Ok(tally.result(cancel.load(Ordering::SeqCst)))
}
