//! How far the journal is acknowledged and how far DuckDB has stored it: what lets a read see
//! every write acknowledged before it.
//!
//! The intake thread raises `acknowledged` before it answers a journalled write; the writer raises
//! `applied` after each commit (or after DuckDB refused a batch), and `stored` up to the first write
//! DuckDB refused (the journal may be emptied only up to there). `Store::read` waits until `applied`
//! reaches the `acknowledged` it found when it began, so a client that sends a request and then
//! asks for spend sees that request, as it did when requests were acknowledged after DuckDB's
//! commit. At idle that wait is one atomic load.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Longest a read waits for the writer before it reads what is stored (a writer that stopped
/// must not hang every page).
const LONGEST_READ_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(super) struct JournalProgress {
    /// The last write the journal held when the store was opened.
    kept_at_open: u64,
    acknowledged: AtomicU64,
    stored: AtomicU64,
    applied: watch::Sender<u64>,
    applied_blocking: Mutex<u64>,
    applied_changed: Condvar,
}

impl JournalProgress {
    /// Everything up to `applied` is stored, and the journal holds writes up to `kept`.
    pub(super) fn new(applied: u64, kept: u64) -> JournalProgress {
        let sequence = applied;
        JournalProgress {
            kept_at_open: kept,
            acknowledged: AtomicU64::new(sequence),
            stored: AtomicU64::new(sequence),
            applied: watch::Sender::new(sequence),
            applied_blocking: Mutex::new(sequence),
            applied_changed: Condvar::new(),
        }
    }

    pub(super) fn acknowledge(&self, sequence: u64) {
        self.acknowledged.fetch_max(sequence, Ordering::SeqCst);
    }

    pub(super) fn mark_applied(&self, sequence: u64) {
        self.applied.send_if_modified(|applied| {
            let raised = sequence > *applied;
            *applied = (*applied).max(sequence);
            raised
        });
        let mut applied = self.applied_blocking.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *applied = (*applied).max(sequence);
        self.applied_changed.notify_all();
    }

    pub(super) fn mark_stored(&self, sequence: u64) {
        self.stored.fetch_max(sequence, Ordering::SeqCst);
    }

    /// Every journalled write up to this one is committed to DuckDB.
    pub(super) fn stored(&self) -> u64 {
        self.stored.load(Ordering::SeqCst)
    }

    pub(super) fn applied(&self) -> u64 {
        *self.applied.borrow()
    }

    /// Waits until every write acknowledged so far is stored (or `LONGEST_READ_WAIT` passed).
    pub(super) async fn wait_for_acknowledged(&self) {
        let target = self.acknowledged.load(Ordering::SeqCst);
        if self.applied() >= target {
            return;
        }
        let mut applied = self.applied.subscribe();
        if tokio::time::timeout(LONGEST_READ_WAIT, applied.wait_for(|applied| *applied >= target)).await.is_err() {
            tracing::warn!(target, "read went ahead before the writer stored every acknowledged write");
        }
    }

    /// Waits until the writes the journal held at open are stored: for reads on the ingest path,
    /// which must not wait for acknowledged requests (that would tie every request to the writer),
    /// but must see what the store held before it was opened.
    pub(super) fn wait_for_writes_kept_at_open_blocking(&self) {
        if self.applied() < self.kept_at_open {
            self.wait_applied_blocking(self.kept_at_open);
        }
    }

    /// Blocks until `sequence` is stored, or `LONGEST_READ_WAIT` passed (for the intake thread,
    /// before it empties the journal).
    pub(super) fn wait_applied_blocking(&self, sequence: u64) {
        let applied = self.applied_blocking.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let _stored = self
            .applied_changed
            .wait_timeout_while(applied, LONGEST_READ_WAIT, |applied| *applied < sequence)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_read_waits_for_what_was_acknowledged_before_it_and_not_for_later_writes() {
        let progress = Arc::new(JournalProgress::new(10, 10));
        progress.wait_for_acknowledged().await;
        progress.acknowledge(12);
        let waiting = tokio::spawn({
            let progress = Arc::clone(&progress);
            async move { progress.wait_for_acknowledged().await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        progress.mark_applied(11);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished());
        progress.acknowledge(13);
        progress.mark_applied(12);
        waiting.await.unwrap();
        assert_eq!(progress.applied(), 12);
    }
}
