//! `DesktopState`: the one typed struct given to `manage()`. It holds the engine once it is open
//! (commands that arrive while it is still opening wait for it), the running servers, and what the
//! app remembers between runs.
//!
//! Work that queries the engine holds an `EngineLease` while it runs. Stopping waits until no lease
//! is out before it closes the store: the process must not exit while a DuckDB query is running on
//! another thread (its C++ destructors would run under the query and abort the process).

use crate::desktop_memory::DesktopMemory;
use crate::error::DesktopError;
use ai_observer_engine::Engine;
use ai_observer_engine::api::RunningServer;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::watch;

/// Where the engine is in its life.
#[derive(Debug, Clone)]
pub enum EngineStatus {
    Starting,
    Ready(Engine),
    Failed(String),
    Stopped,
}

/// The engine, for as long as this lease is held: stopping waits for it.
pub struct EngineLease {
    pub engine: Engine,
    _in_use: tokio::sync::OwnedRwLockReadGuard<()>,
}

impl std::ops::Deref for EngineLease {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.engine
    }
}

pub struct DesktopState {
    engine: watch::Sender<EngineStatus>,
    /// Read-held by every lease; stopping takes it for writing.
    in_use: Arc<tokio::sync::RwLock<()>>,
    /// Also serialises `stop`.
    server: tokio::sync::Mutex<Option<RunningServer>>,
    /// Wakes the tray's refresh task after changes the live channel does not announce.
    tray_refresh: Arc<tokio::sync::Notify>,
    memory: Mutex<DesktopMemory>,
    memory_path: Option<PathBuf>,
    stopped: AtomicBool,
}

impl DesktopState {
    /// The state before the engine is open; `memory_path` is where `DesktopMemory` is kept (none
    /// in tests).
    pub fn starting(memory_path: Option<PathBuf>) -> DesktopState {
        let memory = memory_path.as_deref().map(DesktopMemory::load).unwrap_or_default();
        DesktopState {
            engine: watch::Sender::new(EngineStatus::Starting),
            in_use: Arc::new(tokio::sync::RwLock::new(())),
            server: tokio::sync::Mutex::new(None),
            tray_refresh: Arc::new(tokio::sync::Notify::new()),
            memory: Mutex::new(memory),
            memory_path,
            stopped: AtomicBool::new(false),
        }
    }

    /// A state around an engine that is already open (tests, tools).
    pub fn with_engine(engine: Engine) -> DesktopState {
        let state = DesktopState::starting(None);
        state.engine.send_replace(EngineStatus::Ready(engine));
        state
    }

    pub async fn set_ready(&self, engine: Engine, server: Option<RunningServer>) {
        *self.server.lock().await = server;
        self.engine.send_replace(EngineStatus::Ready(engine));
    }

    pub fn set_failed(&self, message: String) {
        self.engine.send_replace(EngineStatus::Failed(message));
    }

    /// The engine, waiting while it opens; hold the lease while using it.
    pub async fn engine(&self) -> Result<EngineLease, DesktopError> {
        let mut status = self.engine.subscribe();
        let settled = status.wait_for(|status| !matches!(status, EngineStatus::Starting)).await.map(|status| status.clone());
        let engine = match settled {
            Ok(EngineStatus::Ready(engine)) => engine,
            Ok(EngineStatus::Failed(message)) => return Err(DesktopError::EngineUnavailable(message)),
            Ok(EngineStatus::Stopped) => return Err(DesktopError::EngineUnavailable("the app is quitting".to_owned())),
            Ok(EngineStatus::Starting) | Err(_) => return Err(DesktopError::EngineUnavailable("the engine did not start".to_owned())),
        };
        let in_use = Arc::clone(&self.in_use).read_owned().await;
        // Stopping may have begun while this waited for the lock.
        if !matches!(&*self.engine.borrow(), EngineStatus::Ready(_)) {
            return Err(DesktopError::EngineUnavailable("the app is quitting".to_owned()));
        }
        Ok(EngineLease { engine, _in_use: in_use })
    }

    /// Asks the tray to refresh soon (settings, pause, launch at login changed).
    pub fn request_tray_refresh(&self) {
        self.tray_refresh.notify_one();
    }

    pub fn tray_refresh_requests(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.tray_refresh)
    }

    /// The engine if it is open now.
    pub fn engine_if_ready(&self) -> Option<Engine> {
        match &*self.engine.borrow() {
            EngineStatus::Ready(engine) => Some(engine.clone()),
            _ => None,
        }
    }

    /// Reads and updates what the app remembers, saving it when it changed.
    pub fn update_memory<T>(&self, change: impl FnOnce(&mut DesktopMemory) -> T) -> T {
        let mut memory = self.memory.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let before = memory.clone();
        let result = change(&mut memory);
        if let Some(path) = self.memory_path.as_deref().filter(|_| *memory != before) {
            memory.save(path);
        }
        result
    }

    pub fn memory(&self) -> DesktopMemory {
        self.memory.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn is_stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Stops taking new work, stops the servers (in-flight requests finish), waits for the leases
    /// out (commands, tray refreshes), then commits what is queued and closes the store. Safe to
    /// call more than once; later calls wait for the first.
    pub async fn stop(&self) {
        let mut server = self.server.lock().await;
        let previous = self.engine.send_replace(EngineStatus::Stopped);
        if let Some(server) = server.take() {
            server.shutdown().await;
        }
        let _no_lease_out = self.in_use.write().await;
        if let EngineStatus::Ready(engine) = previous {
            engine.shutdown().await;
            tracing::info!("engine stopped");
        }
        self.stopped.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_observer_engine::EngineConfig;
    use std::time::Duration;

    /// Quitting right after data arrived used to abort the process: the store closed and the
    /// process exited while a tray refresh was still querying DuckDB on another thread.
    #[tokio::test]
    async fn stopping_waits_for_the_leases_out_and_refuses_new_ones() {
        let folder = tempfile::tempdir().expect("dir");
        let mut config = EngineConfig::with_database(folder.path().join("state.duckdb"));
        config.price_overrides_path = None;
        let state = Arc::new(DesktopState::with_engine(Engine::open(config).await.expect("engine")));
        let lease = state.engine().await.expect("lease");

        let stopping = tokio::spawn({
            let state = Arc::clone(&state);
            async move { state.stop().await }
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!stopping.is_finished() && !state.is_stopped(), "a lease is out: the store stays open");
        assert!(state.engine().await.is_err(), "no new leases once stopping began");

        drop(lease);
        tokio::time::timeout(Duration::from_secs(10), stopping).await.expect("stops").expect("task");
        assert!(state.is_stopped());
        state.stop().await; // a second stop is harmless
    }
}
