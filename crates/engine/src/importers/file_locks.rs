//! One read at a time per session file: the watcher and a manual import may both reach a file;
//! the second waits for the first, then plans the file again from the state the first saved, so
//! no part is read twice and no saved state is overwritten by an older one.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

#[derive(Debug, Default)]
pub struct FileLocks {
    reading: Mutex<HashSet<PathBuf>>,
    released: Condvar,
}

/// Held while a file is read; the file is free again when it is dropped.
pub struct FileLock<'a> {
    locks: &'a FileLocks,
    path: PathBuf,
}

impl FileLocks {
    /// Waits until no other import reads `path`, then takes it. Blocking: call off the runtime.
    pub fn lock(&self, path: &Path) -> FileLock<'_> {
        let mut reading = self.reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while reading.contains(path) {
            reading = self.released.wait(reading).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        reading.insert(path.to_path_buf());
        FileLock { locks: self, path: path.to_path_buf() }
    }
}

impl Drop for FileLock<'_> {
    fn drop(&mut self) {
        let mut reading = self.locks.reading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        reading.remove(&self.path);
        self.locks.released.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
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
}
