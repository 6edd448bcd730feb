//! One read at a time per session file: the watcher and a manual import may both reach a file;
//! the second waits for the first, then plans the file again from the state the first saved, so
//! no part is read twice and no saved state is overwritten by an older one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// How often a waiting import runs its `meanwhile` again.
const RECHECK: std::time::Duration = std::time::Duration::from_millis(50);

#[derive(Debug, Default)]
pub struct FileLocks {
    reading: Mutex<HashSet<PathBuf>>,
    released: Condvar,
}

/// Held while a file is read and until its rows are committed; the file is free again when it
/// is dropped.
pub struct FileLock {
    locks: Arc<FileLocks>,
    path: PathBuf,
}

impl FileLocks {
    /// Waits until no other import reads `path`, then takes it. Blocking: call off the runtime.
    pub fn lock(self: &Arc<Self>, path: &Path) -> FileLock {
        self.lock_or_meanwhile(path, || {})
    }

    /// Like `lock`, running `meanwhile` (without holding anything) before each wait. An import that
    /// keeps finished files locked until their rows commit passes its commit here, so two imports
    /// waiting for each other's files both let go.
    pub fn lock_or_meanwhile(self: &Arc<Self>, path: &Path, mut meanwhile: impl FnMut()) -> FileLock {
        loop {
            {
                let mut reading = self.reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if !reading.contains(path) {
                    reading.insert(path.to_path_buf());
                    return FileLock { locks: Arc::clone(self), path: path.to_path_buf() };
                }
            }
            meanwhile();
            let reading = self.reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if reading.contains(path) {
                let _ = self.released.wait_timeout(reading, RECHECK).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let mut reading = self.locks.reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        reading.remove(&self.path);
        self.locks.released.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_second_reader_of_the_same_file_waits_for_the_first() {
        let locks = Arc::new(FileLocks::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let most_inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (locks, inside, most_inside) = (Arc::clone(&locks), Arc::clone(&inside), Arc::clone(&most_inside));
                std::thread::spawn(move || {
                    let _lock = locks.lock(Path::new("/sessions/a.jsonl"));
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most_inside.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(most_inside.load(Ordering::SeqCst), 1);
        let _other = locks.lock(Path::new("/sessions/b.jsonl"));
        let _free = locks.lock(Path::new("/sessions/a.jsonl"));
    }

    #[test]
    fn two_imports_waiting_for_each_others_finished_files_both_get_them() {
        // Each import keeps a finished file locked until its commit (here: until `meanwhile`
        // drops it), then wants the file the other one keeps. Without `meanwhile` both would wait
        // forever.
        let locks = Arc::new(FileLocks::default());
        let both_hold = Arc::new(std::sync::Barrier::new(2));
        let (got, answers) = std::sync::mpsc::channel();
        for (kept, wanted) in [("/a.jsonl", "/b.jsonl"), ("/b.jsonl", "/a.jsonl")] {
            let (locks, both_hold, got) = (Arc::clone(&locks), Arc::clone(&both_hold), got.clone());
            std::thread::spawn(move || {
                let finished = Mutex::new(Some(locks.lock(Path::new(kept))));
                both_hold.wait();
                let _wanted = locks.lock_or_meanwhile(Path::new(wanted), || drop(finished.lock().unwrap().take()));
                got.send(wanted).unwrap();
            });
        }
        let mut received: Vec<&str> =
            (0..2).map(|_| answers.recv_timeout(std::time::Duration::from_secs(10)).expect("an import waits forever")).collect();
        received.sort_unstable();
        assert_eq!(received, vec!["/a.jsonl", "/b.jsonl"]);
    }
}
