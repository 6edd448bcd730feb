//! A destination's durable queue: one file per request in a folder beside the database
//! (`<seq>.<signal>.pb`, written to a temporary name and renamed, so a kill leaves whole files or
//! none), oldest first, bounded in bytes: past the bound the oldest files are dropped and counted
//! (the count is kept in the folder's `dropped` file, so it survives restarts too).

use crate::otlp::Signal;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

const DROPPED_FILE: &str = "dropped";

/// One queued request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedRequest {
    pub sequence: u64,
    pub signal: Signal,
    pub path: PathBuf,
    pub bytes: u64,
}

#[derive(Debug)]
pub struct DiskQueue {
    folder: PathBuf,
    limit_bytes: u64,
    entries: BTreeMap<u64, QueuedRequest>,
    queued_bytes: u64,
    next_sequence: u64,
    dropped: u64,
}

fn signal_of(name: &str) -> Option<Signal> {
    match name {
        "traces" => Some(Signal::Traces),
        "metrics" => Some(Signal::Metrics),
        "logs" => Some(Signal::Logs),
        _ => None,
    }
}

impl DiskQueue {
    /// Opens (creating) the queue in `folder`, with what an earlier run left there.
    pub fn open(folder: &Path, limit_bytes: u64) -> std::io::Result<DiskQueue> {
        std::fs::create_dir_all(folder)?;
        let mut entries = BTreeMap::new();
        let mut queued_bytes = 0;
        for entry in std::fs::read_dir(folder)?.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".tmp") {
                // a write a kill interrupted: never acknowledged to the sender's queue
                let _ = std::fs::remove_file(&path);
                continue;
            }
            let mut parts = name.splitn(3, '.');
            let (Some(sequence), Some(signal), Some("pb")) = (parts.next(), parts.next(), parts.next()) else { continue };
            let (Ok(sequence), Some(signal)) = (sequence.parse::<u64>(), signal_of(signal)) else { continue };
            let bytes = entry.metadata().map(|metadata| metadata.len()).unwrap_or(0);
            queued_bytes += bytes;
            entries.insert(sequence, QueuedRequest { sequence, signal, path, bytes });
        }
        let dropped = std::fs::read_to_string(folder.join(DROPPED_FILE)).ok().and_then(|text| text.trim().parse().ok()).unwrap_or(0);
        let next_sequence = entries.keys().next_back().map_or(1, |last| last + 1);
        Ok(DiskQueue { folder: folder.to_owned(), limit_bytes, entries, queued_bytes, next_sequence, dropped })
    }

    /// Appends a request; drops the oldest ones while the queue is over its bound. Returns how many
    /// were dropped.
    pub fn push(&mut self, signal: Signal, body: &[u8]) -> std::io::Result<u64> {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        let path = self.folder.join(format!("{sequence:020}.{}.pb", signal.as_str()));
        let temporary = path.with_extension("pb.tmp");
        {
            let mut file = std::fs::File::create(&temporary)?;
            file.write_all(body)?;
            file.sync_data()?;
        }
        std::fs::rename(&temporary, &path)?;
        let bytes = body.len() as u64;
        self.queued_bytes += bytes;
        self.entries.insert(sequence, QueuedRequest { sequence, signal, path, bytes });
        let mut dropped = 0;
        while self.queued_bytes > self.limit_bytes && self.entries.len() > 1 {
            let Some(oldest) = self.entries.keys().next().copied() else { break };
            self.remove(oldest);
            dropped += 1;
        }
        if dropped > 0 {
            self.add_dropped(dropped);
        }
        Ok(dropped)
    }

    /// The oldest queued request.
    pub fn oldest(&self) -> Option<QueuedRequest> {
        self.entries.values().next().cloned()
    }

    /// The oldest requests that can go as one: of the oldest's signal, consecutive, at most
    /// `max_requests` and — past the first — `max_bytes` together.
    pub fn oldest_run(&self, max_requests: usize, max_bytes: u64) -> Vec<QueuedRequest> {
        let mut run: Vec<QueuedRequest> = Vec::new();
        let mut bytes = 0;
        for entry in self.entries.values() {
            let fits = run.is_empty() || (run[0].signal == entry.signal && run.len() < max_requests && bytes + entry.bytes <= max_bytes);
            if !fits {
                break;
            }
            bytes += entry.bytes;
            run.push(entry.clone());
        }
        run
    }

    /// Removes a request (sent, or refused for good).
    pub fn remove(&mut self, sequence: u64) {
        if let Some(entry) = self.entries.remove(&sequence) {
            self.queued_bytes = self.queued_bytes.saturating_sub(entry.bytes);
            let _ = std::fs::remove_file(&entry.path);
        }
    }

    /// Counts requests that will never be delivered (over the bound, or refused by the destination).
    pub fn add_dropped(&mut self, count: u64) {
        self.dropped += count;
        let _ = std::fs::write(self.folder.join(DROPPED_FILE), self.dropped.to_string());
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn queued_bytes(&self) -> u64 {
        self.queued_bytes
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_survive_a_reopen_in_order_and_the_bound_drops_the_oldest() {
        let folder = tempfile::tempdir().unwrap();
        let mut queue = DiskQueue::open(folder.path(), 25).unwrap();
        assert_eq!(queue.push(Signal::Logs, b"first-----").unwrap(), 0);
        assert_eq!(queue.push(Signal::Traces, b"second----").unwrap(), 0);
        assert_eq!(queue.push(Signal::Metrics, b"third-----").unwrap(), 1, "30 bytes over a 25-byte bound");
        std::fs::write(folder.path().join("00000000000000000009.logs.pb.tmp"), b"torn").unwrap();
        drop(queue);

        let mut queue = DiskQueue::open(folder.path(), 25).unwrap();
        assert_eq!((queue.len(), queue.queued_bytes(), queue.dropped()), (2, 20, 1));
        let oldest = queue.oldest().unwrap();
        assert_eq!((oldest.sequence, oldest.signal), (2, Signal::Traces));
        assert_eq!(std::fs::read(&oldest.path).unwrap(), b"second----");
        queue.remove(oldest.sequence);
        assert_eq!(queue.oldest().unwrap().signal, Signal::Metrics);
        assert_eq!(queue.push(Signal::Logs, b"fourth").unwrap(), 0);
        assert_eq!(queue.oldest().unwrap().sequence, 3, "new requests go after the old ones");
        assert!(!folder.path().join("00000000000000000009.logs.pb.tmp").exists(), "a torn write is removed");
    }

    #[test]
    fn a_run_is_the_oldest_requests_of_one_signal_within_the_bounds() {
        let folder = tempfile::tempdir().unwrap();
        let mut queue = DiskQueue::open(folder.path(), 1_000).unwrap();
        for (signal, body) in
            [(Signal::Logs, "aaaa"), (Signal::Logs, "bbbb"), (Signal::Logs, "cccc"), (Signal::Metrics, "dddd"), (Signal::Logs, "eeee")]
        {
            queue.push(signal, body.as_bytes()).unwrap();
        }
        let sequences = |run: Vec<QueuedRequest>| run.iter().map(|entry| entry.sequence).collect::<Vec<_>>();
        assert_eq!(sequences(queue.oldest_run(64, 1_000)), [1, 2, 3], "up to the next signal");
        assert_eq!(sequences(queue.oldest_run(2, 1_000)), [1, 2]);
        assert_eq!(sequences(queue.oldest_run(64, 9)), [1, 2], "8 bytes fit in 9, 12 do not");
        assert_eq!(sequences(queue.oldest_run(64, 1)), [1], "the oldest goes even when alone it is over the bound");
        for sequence in 1..=3 {
            queue.remove(sequence);
        }
        assert_eq!(sequences(queue.oldest_run(64, 1_000)), [4]);
    }
}
