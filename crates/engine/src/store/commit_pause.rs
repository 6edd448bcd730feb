//! The writer's short pause before it commits journalled requests under load, and the way to cut
//! it short.
//!
//! A journalled request is already acknowledged, so nothing waits for its commit but readers, and
//! every commit costs the same few statements (the matching's scans of `usage_records`, the journal
//! state, the write-ahead log's flush) however few rows it holds. Right after a commit the writer
//! lets the next requests gather for up to `writer::GATHERING_PAUSE` before it commits them, so a
//! steady load is committed in fewer, larger groups (docs/benchmarks.md: metric points 43 000 →
//! 52 000 a second). A request arriving after a quiet moment is committed at once.
//!
//! Whoever waits for the writer ends the pause (`hurry`): a read waiting for acknowledged writes,
//! the intake waiting for room or handing over a write that is answered at its commit, a job, an
//! import's batch, a shutdown. A hurry that comes while the writer is committing skips its next
//! pause, so the writes the waiter needs are never held back.

use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Instant;

#[derive(Debug, Default)]
pub(super) struct CommitPause {
    hurried: Mutex<bool>,
    woken: Condvar,
}

impl CommitPause {
    /// Ends the writer's pause now, or skips its next one.
    pub(super) fn hurry(&self) {
        *self.lock() = true;
        self.woken.notify_one();
    }

    /// Sleeps until `until` unless hurried (before or meanwhile); then forgets the hurry.
    pub(super) fn pause_until(&self, until: Instant) {
        let mut hurried = self.lock();
        while !*hurried {
            let now = Instant::now();
            if now >= until {
                break;
            }
            hurried = self.woken.wait_timeout(hurried, until - now).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
        *hurried = false;
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        self.hurried.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn an_unhurried_pause_lasts_until_its_end() {
        let pause = CommitPause::default();
        let start = Instant::now();
        pause.pause_until(start + Duration::from_millis(60));
        assert!(start.elapsed() >= Duration::from_millis(60));
    }

    #[test]
    fn a_hurry_ends_the_pause_under_way() {
        let pause = Arc::new(CommitPause::default());
        let start = Instant::now();
        let hurrier = std::thread::spawn({
            let pause = Arc::clone(&pause);
            move || {
                std::thread::sleep(Duration::from_millis(50));
                pause.hurry();
            }
        });
        pause.pause_until(start + Duration::from_secs(30));
        hurrier.join().unwrap();
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(50) && waited < Duration::from_secs(30), "waited {waited:?}");
    }

    #[test]
    fn a_hurry_before_the_pause_skips_it_once() {
        let pause = CommitPause::default();
        pause.hurry();
        let start = Instant::now();
        pause.pause_until(start + Duration::from_secs(30));
        assert!(start.elapsed() < Duration::from_secs(30), "the pause was skipped");
        pause.pause_until(Instant::now() + Duration::from_millis(40));
        assert!(start.elapsed() >= Duration::from_millis(40), "the hurry was used up by the first pause");
    }
}
