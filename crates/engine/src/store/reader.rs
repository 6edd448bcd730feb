//! Read connections: clones of the database handle, kept in a small pool.
//!
//! DuckDB connections are `Send` but not `Sync`, so each query borrows one connection for its
//! duration on a blocking thread and returns it afterwards. An async read begins once every write
//! acknowledged before it is stored (`journal_progress`); a blocking one (the ingest path's own)
//! once the writes the journal held at open are.

use super::StoreError;
use super::journal_progress::JournalProgress;
use duckdb::Connection;
use std::sync::{Arc, Mutex};

#[derive(Clone)]
pub struct ReaderPool {
    base: Arc<Mutex<Connection>>,
    idle: Arc<Mutex<Vec<Connection>>>,
    progress: Arc<JournalProgress>,
}

impl ReaderPool {
    pub(super) fn new(base: Connection, progress: Arc<JournalProgress>) -> Self {
        ReaderPool { base: Arc::new(Mutex::new(base)), idle: Arc::new(Mutex::new(Vec::new())), progress }
    }

    fn take(&self) -> Result<Connection, StoreError> {
        if let Some(connection) = self.idle.lock().map_err(|_| StoreError::Poisoned)?.pop() {
            return Ok(connection);
        }
        let base = self.base.lock().map_err(|_| StoreError::Poisoned)?;
        Ok(base.try_clone()?)
    }

    fn give_back(&self, connection: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < 8
        {
            idle.push(connection);
        }
    }

    fn read_now<T>(&self, job: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let connection = self.take()?;
        let result = job(&connection);
        self.give_back(connection);
        result
    }

    /// Runs a read on the current thread (call from a blocking context, never the writer's), once
    /// the writes the journal held at open are stored.
    pub fn read_blocking<T>(&self, job: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        self.progress.wait_for_writes_kept_at_open_blocking();
        self.read_now(job)
    }

    /// Runs a read on tokio's blocking pool so the async runtime never waits on DuckDB, once every
    /// write acknowledged before it is stored.
    pub async fn read<T: Send + 'static>(
        &self,
        job: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.progress.wait_for_acknowledged().await;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.read_now(job)).await.map_err(|error| StoreError::Io(error.to_string()))?
    }
}
