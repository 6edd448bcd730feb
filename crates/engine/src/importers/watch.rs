//! Watching the session folders: new and growing files are imported as they change, from the
//! offsets the last import stored, and their rows are announced on the live channel.
//!
//! File-system notifications (`notify`) wake the watcher; events are debounced (the CLIs write a
//! response as several lines within milliseconds) and then one incremental import of the affected
//! tools runs: unchanged files cost a `stat`, grown files are read from their stored offset.
//! Folders that do not exist yet are looked for again every 30 seconds.

use super::ImportContext;
use super::discovery::DiscoveryEnvironment;
use super::plan::{ImportOptions, plan};
use super::run::import;
use crate::model::{Tool, UsageSource};
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tokio::sync::{mpsc, watch};

const DEBOUNCE: Duration = Duration::from_millis(300);
const LONGEST_WAIT: Duration = Duration::from_secs(2);
const RESCAN_INTERVAL: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct WatchOptions {
    pub tools: Vec<Tool>,
    pub environment: DiscoveryEnvironment,
    /// Import the existing history first; otherwise only what is written from now on.
    pub backfill: bool,
}

/// A running watcher; dropping it (or `stop`) ends it.
pub struct WatchHandle {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WatchHandle {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

fn tool_of(path: &std::path::Path, roots: &[(Tool, PathBuf)]) -> Option<Tool> {
    roots.iter().find(|(_, root)| path.starts_with(root)).map(|(tool, _)| *tool)
}

/// Starts watching. The first pass (backfill, or marking where "now" is) runs before events.
pub fn start(context: ImportContext, options: WatchOptions) -> WatchHandle {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let base = ImportOptions {
            tools: options.tools.clone(),
            environment: options.environment.clone(),
            force: false,
            window: None,
            source: UsageSource::Watch,
            remember_skipped: true,
            always_bulk: false,
        };
        let first = if options.backfill {
            base.clone()
        } else {
            let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX);
            ImportOptions { window: Some((now, i64::MAX)), ..base.clone() }
        };
        run_pass(&context, &first).await;

        let (events, mut incoming) = mpsc::unbounded_channel::<PathBuf>();
        let watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| {
            if let Ok(event) = result {
                for path in event.paths {
                    let _ = events.send(path);
                }
            }
        });
        let mut watcher = match watcher {
            Ok(watcher) => watcher,
            Err(error) => {
                tracing::error!(error = %error, "cannot watch session folders; new sessions need a manual import");
                return;
            }
        };
        let mut watched: BTreeSet<PathBuf> = BTreeSet::new();
        let mut roots: Vec<(Tool, PathBuf)> = Vec::new();
        let watch_roots = |watcher: &mut notify::RecommendedWatcher, watched: &mut BTreeSet<PathBuf>, roots: &mut Vec<(Tool, PathBuf)>| {
            for tool in &options.tools {
                for root in options.environment.roots(*tool) {
                    if root.is_dir() && !watched.contains(&root) && watcher.watch(&root, RecursiveMode::Recursive).is_ok() {
                        tracing::info!(tool = tool.key(), "watching session folder");
                        watched.insert(root.clone());
                        roots.push((*tool, root));
                    }
                }
            }
        };
        watch_roots(&mut watcher, &mut watched, &mut roots);
        let mut rescan = tokio::time::interval(RESCAN_INTERVAL);
        rescan.tick().await;
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                _ = rescan.tick() => {
                    let before = watched.len();
                    watch_roots(&mut watcher, &mut watched, &mut roots);
                    if watched.len() > before {
                        run_pass(&context, &base).await;
                    }
                }
                Some(first_path) = incoming.recv() => {
                    let mut tools: BTreeSet<Tool> = tool_of(&first_path, &roots).into_iter().collect();
                    let deadline = tokio::time::Instant::now() + LONGEST_WAIT;
                    loop {
                        let wait = DEBOUNCE.min(deadline.saturating_duration_since(tokio::time::Instant::now()));
                        match tokio::time::timeout(wait, incoming.recv()).await {
                            Ok(Some(path)) => tools.extend(tool_of(&path, &roots)),
                            _ => break,
                        }
                    }
                    if !tools.is_empty() {
                        run_pass(&context, &ImportOptions { tools: tools.into_iter().collect(), ..base.clone() }).await;
                    }
                }
            }
        }
        drop(watcher);
    });
    WatchHandle { stop, task }
}

async fn run_pass(context: &ImportContext, options: &ImportOptions) {
    let outcome = match plan(&context.store, options).await {
        Ok(plan) => import(context, &plan, options, None, Arc::new(AtomicBool::new(false))).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(result) => {
            let requests: u64 = result.tools.iter().map(|tool| tool.requests).sum();
            if requests > 0 {
                tracing::info!(requests, problems = result.errors.len(), "imported new session data");
            }
        }
        Err(error) => tracing::warn!(error = %error, "watch pass failed"),
    }
}
