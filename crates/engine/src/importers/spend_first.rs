//! A first import's spend before its transcripts. A bulk import first reads the files it reads from
//! their start for their usage alone (`ParseContext::usage_only`: lines a byte search rules out
//! are skipped, and no transcript, event or counter rows are built) and stores those usage
//! records in a few bulk transactions while it reads on; `run::import` then matches them across
//! sources, says so in its progress (`spend_ready`) and starts the full read. The spend figures
//! (tray, Overview, `/api/spend`) are then complete while the transcripts are still being read.
//! The records of keys the pass sends for the first time are marked so, and the writer appends
//! them without an upsert when no stored record can hold those keys (`store::unseen_keys`).
//!
//! The full read that follows produces the same records under the same keys, and the writer keeps
//! a stored record unless a repeat carries more output tokens, so nothing counts twice; the full
//! read does not hand the writer the records whose keys the pass stored with as many output tokens
//! or more (`StoredAhead`), which it would only have compared and kept as they were, only their
//! keys for the counters the import's end derives (`WriteBatch::usage_stored_ahead`). Only the full
//! read saves the files' states: after a kill between the two, the files are still new to the next
//! import, which runs both again.

use super::discovery::SessionFile;
use super::line_reader::{MAX_WHOLE_FILE_BYTES, each_line, read_bounded};
use super::plan::{ImportOptions, PlannedFile};
use super::projects::ProjectResolver;
use super::{Emitted, ImportContext, ParseContext, SessionParser, importer_for};
use crate::model::UsageRecord;
use crate::store::kept_copies::kept_copies;
use crate::store::{WhenCommitted, WriteBatch};
use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Usage records a reader hands to the writer at once. Small enough that the writer starts while
/// the readers are still early in their files and keeps pace with them: at 20 000 a reader of
/// Codex's 60 000 records sent its first write two thirds of the way through, and the writer
/// stored most of the records after the reading had ended. At 5 000 the pass took 18 % less time
/// on those files, 3 % less on the three tools' (2 000 gained no more; 1 000 and 500 took longer
/// again, the writes' own cost showing; docs/benchmarks.md).
const RECORDS_PER_WRITE: usize = 5_000;

/// Whether `run::import` reads `planned` for its usage first: a file read from its start, whose
/// importer reads lines (a database is read whole by its full read anyway).
pub(super) fn reads_first(planned: &PlannedFile, force: bool) -> bool {
    !planned.resumes(force) && importer_for(planned.file.tool).is_some_and(|importer| !importer.is_database())
}

/// What a usage-first pass stored: by key, the most output tokens it stored for it.
#[derive(Default)]
pub struct StoredAhead {
    keys: SentKeys,
}

impl StoredAhead {
    /// How many keys the pass stored.
    pub fn keys(&self) -> usize {
        self.keys.outputs.len()
    }

    /// Takes out of `usage` the records the writer would keep the stored ones for: those of keys
    /// the pass stored with as many output tokens or more (`store::usage_upsert`).
    pub fn take_stored(&self, usage: &mut Vec<UsageRecord>) -> Vec<UsageRecord> {
        let (rest, stored) = std::mem::take(usage)
            .into_iter()
            .partition(|record| self.keys.output_of(&record.record_key).is_none_or(|stored| record.output_tokens > stored));
        *usage = rest;
        stored
    }
}

/// Reads `files` for their usage with `readers` threads and stores the records in the writer's bulk
/// transactions while the readers go on, unmatched: the caller's `Store::end_bulk_writes` matches
/// them across sources, in one pass. The bulk transaction commits and checkpoints every 150 000
/// records or so (`store::bulk_transaction`), so DuckDB writes whole row groups straight to the
/// database file; a commit and checkpoint every 60 000 records sent them through the write-ahead
/// log first, and took half of DuckDB's storing time (docs/benchmarks.md). Returns what was
/// stored, or `None` if some were left to the full read (a write or a reader failed, or the
/// import was cancelled); a file that cannot be read is the full read's to report.
pub(super) async fn store_usage(
    context: &ImportContext,
    options: &ImportOptions,
    files: Vec<SessionFile>,
    readers: usize,
    cancel: Arc<AtomicBool>,
) -> Option<StoredAhead> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<UsageRecord>>(1);
    let shared = Arc::new(Shared {
        context: context.clone(),
        options: options.clone(),
        queue: Mutex::new(files.into()),
        projects: ProjectResolver::default(),
        cancel: Arc::clone(&cancel),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..readers.max(1) {
        let (shared, sender) = (Arc::clone(&shared), sender.clone());
        tasks.spawn_blocking(move || shared.read_files(&sender));
    }
    drop(sender);
    let mut complete = true;
    let failed = Arc::new(AtomicBool::new(false));
    let mut sent = SentKeys::default();
    while let Some(usage) = receiver.recv().await {
        let (unseen, repeats) = sent.split(usage);
        for (usage, usage_keys_unseen) in [(unseen, true), (repeats, false)] {
            if usage.is_empty() {
                continue;
            }
            let told = Arc::clone(&failed);
            let committed: WhenCommitted = Box::new(move |result| {
                if let Err(error) = result {
                    told.store(true, Ordering::SeqCst);
                    tracing::warn!(error = %error, "usage records not stored ahead; the full read stores them");
                }
            });
            let batch = WriteBatch { usage, bulk: true, usage_keys_unseen, ..WriteBatch::default() };
            if let Err(error) = context.store.write_bulk(batch, Box::new(|_| Ok(())), committed).await {
                complete = false;
                tracing::warn!(error = %error, "usage records not stored ahead; the full read stores them");
            }
        }
    }
    if let Err(error) = context.store.commit_bulk().await {
        complete = false;
        tracing::warn!(error = %error, "usage records not stored ahead; the full read stores them");
    }
    complete &= !failed.load(Ordering::SeqCst);
    while let Some(finished) = tasks.join_next().await {
        if let Err(error) = finished {
            complete = false;
            tracing::warn!(error = %error, "a usage reader failed; the full read stores its files' usage");
        }
    }
    (complete && !cancel.load(Ordering::SeqCst)).then_some(StoredAhead { keys: sent })
}

/// The keys this pass has sent, as 128-bit hashes (two independently seeded ones; 16 bytes a key
/// where the keys took about 70), each with the most output tokens sent for it: a write whose keys
/// it sends for the first time may be appended without an upsert (`WriteBatch::usage_keys_unseen`),
/// a key whose hash was sent before goes through the upsert. Two keys sharing both hashes (about
/// one chance in 10^28 for a million keys) would have the second's record stored through the
/// upsert and left out of the full read if it had no more output tokens.
#[derive(Default)]
struct SentKeys {
    outputs: HashMap<(u64, u64), i64>,
    hashers: (RandomState, RandomState),
}

impl SentKeys {
    fn hash(&self, key: &str) -> (u64, u64) {
        (self.hashers.0.hash_one(key), self.hashers.1.hash_one(key))
    }

    /// Splits a write's records (one per key) into those whose keys were not sent before and the
    /// rest, and notes the keys as sent with their output tokens.
    fn split(&mut self, usage: Vec<UsageRecord>) -> (Vec<UsageRecord>, Vec<UsageRecord>) {
        usage.into_iter().partition(|record| {
            let hash = self.hash(&record.record_key);
            match self.outputs.get_mut(&hash) {
                Some(output) => {
                    *output = (*output).max(record.output_tokens);
                    false
                }
                None => {
                    self.outputs.insert(hash, record.output_tokens);
                    true
                }
            }
        })
    }

    /// The most output tokens sent for `key`, if it was sent.
    fn output_of(&self, key: &str) -> Option<i64> {
        self.outputs.get(&self.hash(key)).copied()
    }
}

struct Shared {
    context: ImportContext,
    options: ImportOptions,
    queue: Mutex<VecDeque<SessionFile>>,
    projects: ProjectResolver,
    cancel: Arc<AtomicBool>,
}

impl Shared {
    /// Reads files until none are left, handing their records on in writes of `RECORDS_PER_WRITE`.
    fn read_files(&self, writes: &tokio::sync::mpsc::Sender<Vec<UsageRecord>>) {
        let mut gathered = Vec::new();
        while !self.cancel.load(Ordering::SeqCst) {
            let Some(file) = self.queue.lock().unwrap_or_else(PoisonError::into_inner).pop_front() else { break };
            gathered.extend(self.usage_of(&file));
            if gathered.len() >= RECORDS_PER_WRITE && writes.blocking_send(std::mem::take(&mut gathered)).is_err() {
                return;
            }
        }
        if !gathered.is_empty() {
            let _ = writes.blocking_send(gathered);
        }
    }

    /// The usage records of one file, read from its start, one per key as the writer keeps them
    /// (`kept_copies`): Claude Code writes a request's usage on each of its content blocks' lines.
    fn usage_of(&self, file: &SessionFile) -> Vec<UsageRecord> {
        let Some(importer) = importer_for(file.tool) else { return Vec::new() };
        let mut parser = importer.parser(file, None);
        let context = ParseContext {
            file,
            source: self.options.source,
            prices: &self.context.prices,
            projects: &self.projects,
            window: self.options.window,
            usage_only: true,
            counters_owed: false,
        };
        let mut out = Emitted::default();
        let Ok(mut handle) = std::fs::File::open(&file.path) else { return Vec::new() };
        if importer.is_whole_file(file) {
            if let Ok(bytes) = read_bounded(&mut handle, MAX_WHOLE_FILE_BYTES) {
                let _ = parser.line(&context, 1, &bytes, &mut out);
            }
        } else {
            let _ =
                each_line(handle, &self.cancel, |number, text, last| read_line(parser.as_mut(), &context, number, text, last, &mut out));
        }
        parser.finish(&context, &mut out);
        kept_copies(out.batch.usage)
    }
}

/// One line as the full read takes it (`read_file`): a complete line, or a last line without its
/// newline if it is complete JSON; problems are the full read's to report.
fn read_line(parser: &mut dyn SessionParser, context: &ParseContext<'_>, number: u64, text: &[u8], last: bool, out: &mut Emitted) {
    if text.iter().all(u8::is_ascii_whitespace) || !parser.may_carry_usage(text) {
        return;
    }
    if last && serde_json::from_slice::<serde::de::IgnoredAny>(text).is_err() {
        return;
    }
    let _ = parser.line(context, number, text, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str, output_tokens: i64, time: i64) -> UsageRecord {
        UsageRecord { record_key: key.to_owned(), output_tokens, time, ..UsageRecord::default() }
    }

    #[test]
    fn a_key_is_unseen_only_the_first_time_the_pass_sends_it() {
        let mut sent = SentKeys::default();
        let keys = |records: Vec<UsageRecord>| records.into_iter().map(|record| record.record_key).collect::<Vec<_>>();
        let (unseen, repeats) = sent.split(vec![record("a", 1, 1), record("b", 1, 1)]);
        assert_eq!((keys(unseen), keys(repeats)), (vec!["a".to_owned(), "b".to_owned()], vec![]));
        let (unseen, repeats) = sent.split(vec![record("c", 1, 1), record("a", 5, 2)]);
        assert_eq!((keys(unseen), keys(repeats)), (vec!["c".to_owned()], vec!["a".to_owned()]));
    }

    /// The full read takes out a record only where the upsert would keep the stored one: a key the
    /// pass sent (the most output tokens it sent for it counts) with no more output tokens.
    #[test]
    fn the_full_read_leaves_out_only_records_the_stored_ones_would_be_kept_for() {
        let mut sent = SentKeys::default();
        let _ = sent.split(vec![record("a", 5, 1), record("b", 7, 1)]);
        let _ = sent.split(vec![record("a", 9, 2), record("b", 3, 2)]);
        let stored = StoredAhead { keys: sent };
        assert_eq!(stored.keys(), 2);
        let mut usage = vec![record("a", 9, 3), record("a", 10, 4), record("b", 6, 5), record("b", 8, 6), record("c", 0, 7)];
        let taken = stored.take_stored(&mut usage);
        let pairs =
            |records: Vec<UsageRecord>| records.into_iter().map(|record| (record.record_key, record.output_tokens)).collect::<Vec<_>>();
        assert_eq!(pairs(taken), [("a".to_owned(), 9), ("b".to_owned(), 6)]);
        assert_eq!(pairs(usage), [("a".to_owned(), 10), ("b".to_owned(), 8), ("c".to_owned(), 0)]);
    }

    #[test]
    fn a_file_keeps_the_record_per_key_the_writer_keeps() {
        let records =
            vec![record("a", 5, 10), record("b", 1, 10), record("a", 9, 30), record("a", 9, 20), record("a", 2, 5), record("c", 0, 1)];
        let kept: Vec<(String, i64, i64)> =
            kept_copies(records).into_iter().map(|record| (record.record_key, record.output_tokens, record.time)).collect();
        assert_eq!(kept, [("a".to_owned(), 9, 20), ("b".to_owned(), 1, 10), ("c".to_owned(), 0, 1)]);
    }
}
