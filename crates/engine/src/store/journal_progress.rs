//! How far the journal is acknowledged and how far DuckDB has stored it: what lets a read see
//! every write acknowledged before it.
//!
//! The intake thread raises `acknowledged` before it answers a journalled write; the writer raises
//! `applied` after each commit (or after DuckDB refused a batch), and `stored` up to the first write
//! DuckDB refused (the journal may be emptied only up to there). `Store::read` waits until `applied`
//! reaches the `acknowledged` it found when it began, so a client that sends a request and then
//! asks for spend sees that request, as it did when requests were acknowledged after DuckDB's
//! commit. At idle that wait is one atomic load.
//!
//! A waiter also hurries the writer (`commit_pause`): under load the writer pauses briefly before
//! committing journalled writes, and a read or the intake waiting for them ends that pause.
//!
//! `applied` is kept once, in an atomic; async readers and the intake's blocking waits are woken
//! from it by a `Notify` and a `Condvar`. It is raised while `wake_lock` is held, so a blocking
//! waiter cannot test it, miss the raise and then sleep through the wake-up.

use super::commit_pause::CommitPause;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// Longest a read waits for the writer before it reads what is stored (a writer that stopped
/// must not hang every page).
const LONGEST_READ_WAIT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(super) struct JournalProgress {
    /// The last write the journal held when the store was opened.
    kept_at_open: u64,
    acknowledged: AtomicU64,
    stored: AtomicU64,
    applied: AtomicU64,
    wake_lock: Mutex<()>,
    blocking_waiters: Condvar,
    async_waiters: Notify,
    writer_pause: CommitPause,
}

impl JournalProgress {
    /// Everything up to `applied` is stored, and the journal holds writes up to `kept`: those count
    /// as acknowledged, so every read from now on waits until they are stored.
    pub(super) fn new(applied: u64, kept: u64) -> JournalProgress {
        JournalProgress {
            kept_at_open: kept,
            acknowledged: AtomicU64::new(kept.max(applied)),
            stored: AtomicU64::new(applied),
            applied: AtomicU64::new(applied),
            wake_lock: Mutex::new(()),
            blocking_waiters: Condvar::new(),
            async_waiters: Notify::new(),
            writer_pause: CommitPause::default(),
        }
    }

    pub(super) fn acknowledge(&self, sequence: u64) {
        self.acknowledged.fetch_max(sequence, Ordering::SeqCst);
    }

    pub(super) fn mark_applied(&self, sequence: u64) {
        let raised = {
            let _wake = self.lock_wakes();
            self.applied.fetch_max(sequence, Ordering::SeqCst) < sequence
        };
        if raised {
            self.blocking_waiters.notify_all();
            self.async_waiters.notify_waiters();
        }
    }

    /// Ends the writer's pause before its next commit, or skips the next one (`commit_pause`).
    pub(super) fn hurry_writer(&self) {
        self.writer_pause.hurry();
    }

    /// For the writer: lets journalled writes gather until `until`, unless someone waits for them.
    pub(super) fn pause_writer_until(&self, until: Instant) {
        self.writer_pause.pause_until(until);
    }

    pub(super) fn mark_stored(&self, sequence: u64) {
        self.stored.fetch_max(sequence, Ordering::SeqCst);
    }

    /// Every journalled write up to this one is committed to DuckDB.
    pub(super) fn stored(&self) -> u64 {
        self.stored.load(Ordering::SeqCst)
    }

    pub(super) fn applied(&self) -> u64 {
        self.applied.load(Ordering::SeqCst)
    }

    /// Waits until every write acknowledged so far is stored (or `LONGEST_READ_WAIT` passed).
    pub(super) async fn wait_for_acknowledged(&self) {
        let target = self.acknowledged.load(Ordering::SeqCst);
        if self.applied() >= target {
            return;
        }
        self.hurry_writer();
        let reached = async {
            loop {
                // Registered before the test, so a raise between the test and the await still wakes it.
                let mut raised = pin!(self.async_waiters.notified());
                raised.as_mut().enable();
                if self.applied() >= target {
                    return;
                }
                raised.await;
            }
        };
        if tokio::time::timeout(LONGEST_READ_WAIT, reached).await.is_err() {
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
        self.hurry_writer();
        let wake = self.lock_wakes();
        let _woken = self
            .blocking_waiters
            .wait_timeout_while(wake, LONGEST_READ_WAIT, |_| self.applied() < sequence)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
    }

    fn lock_wakes(&self) -> MutexGuard<'_, ()> {
        self.wake_lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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

    #[tokio::test]
    async fn what_the_journal_kept_at_open_counts_as_acknowledged() {
        let progress = Arc::new(JournalProgress::new(10, 14));
        let waiting = tokio::spawn({
            let progress = Arc::clone(&progress);
            async move { progress.wait_for_acknowledged().await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the journal's writes 11 to 14 are not stored yet");
        progress.mark_applied(14);
        waiting.await.unwrap();
        assert_eq!((progress.applied(), progress.stored()), (14, 10), "stored is raised by the writer alone");
    }

    #[test]
    fn a_blocking_wait_ends_when_its_write_is_stored_and_not_before() {
        let progress = Arc::new(JournalProgress::new(3, 3));
        let (woke, woken) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn({
            let progress = Arc::clone(&progress);
            move || {
                progress.wait_applied_blocking(5);
                woke.send(progress.applied()).unwrap();
            }
        });
        progress.mark_applied(4);
        assert!(woken.recv_timeout(Duration::from_millis(100)).is_err(), "4 is not 5");
        progress.mark_applied(5);
        assert_eq!(woken.recv_timeout(Duration::from_secs(5)).unwrap(), 5);
        waiter.join().unwrap();
    }
}
