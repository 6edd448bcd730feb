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
//! a stored record unless a repeat carries more output tokens, so nothing counts twice. Only the
//! full read saves the files' states: after a kill between the two, the files are still new to
//! the next import, which runs both again.

use super::discovery::SessionFile;
use super::line_reader::{MAX_WHOLE_FILE_BYTES, each_line, read_bounded};
use super::plan::{ImportOptions, PlannedFile};
use super::projects::ProjectResolver;
use super::{Emitted, ImportContext, ParseContext, SessionParser, importer_for};
use crate::model::UsageRecord;
use crate::store::kept_copies::kept_copies;
use crate::store::{WhenCommitted, WriteBatch};
use std::collections::{HashSet, VecDeque};
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

/// Reads `files` for their usage with `readers` threads and stores the records in the writer's bulk
/// transactions while the readers go on, unmatched: the caller's `Store::end_bulk_writes` matches
/// them across sources, in one pass. The bulk transaction commits and checkpoints every 150 000
/// records or so (`store::bulk_transaction`), so DuckDB writes whole row groups straight to the
/// database file; a commit and checkpoint every 60 000 records sent them through the write-ahead
/// log first, and took half of DuckDB's storing time (docs/benchmarks.md). Returns how many records were
/// stored, or `None` if some were left to the full read (a write or a reader failed, or the
/// import was cancelled); a file that cannot be read is the full read's to report.
pub(super) async fn store_usage(
    context: &ImportContext,
    options: &ImportOptions,
    files: Vec<SessionFile>,
    readers: usize,
    cancel: Arc<AtomicBool>,
) -> Option<usize> {
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
    let (mut stored, mut complete) = (0, true);
    let failed = Arc::new(AtomicBool::new(false));
    let mut sent = SentKeys::default();
    while let Some(usage) = receiver.recv().await {
        let (unseen, repeats) = sent.split(usage);
        for (usage, usage_keys_unseen) in [(unseen, true), (repeats, false)] {
            if usage.is_empty() {
                continue;
            }
            let count = usage.len();
            let told = Arc::clone(&failed);
            let committed: WhenCommitted = Box::new(move |result| {
                if let Err(error) = result {
                    told.store(true, Ordering::SeqCst);
                    tracing::warn!(error = %error, "usage records not stored ahead; the full read stores them");
                }
            });
            let batch = WriteBatch { usage, bulk: true, usage_keys_unseen, ..WriteBatch::default() };
            match context.store.write_bulk(batch, Box::new(|_| Ok(())), committed).await {
                Ok(()) => stored += count,
                Err(error) => {
                    complete = false;
                    tracing::warn!(error = %error, "usage records not stored ahead; the full read stores them");
                }
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
    (complete && !cancel.load(Ordering::SeqCst)).then_some(stored)
}

/// The keys this pass has sent, as hashes (16 bytes a key where the keys took about 70): a write
/// whose keys it sends for the first time may be appended without an upsert
/// (`WriteBatch::usage_keys_unseen`). A key whose hash was sent before, another key's or its own,
/// goes through the upsert.
#[derive(Default)]
struct SentKeys {
    hashes: HashSet<u64>,
    hasher: RandomState,
}

impl SentKeys {
    /// Splits a write's records (one per key) into those whose keys were not sent before and the
    /// rest, and notes the keys as sent.
    fn split(&mut self, usage: Vec<UsageRecord>) -> (Vec<UsageRecord>, Vec<UsageRecord>) {
        usage.into_iter().partition(|record| self.hashes.insert(self.hasher.hash_one(&record.record_key)))
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

    #[test]
    fn a_file_keeps_the_record_per_key_the_writer_keeps() {
        let records =
            vec![record("a", 5, 10), record("b", 1, 10), record("a", 9, 30), record("a", 9, 20), record("a", 2, 5), record("c", 0, 1)];
        let kept: Vec<(String, i64, i64)> =
            kept_copies(records).into_iter().map(|record| (record.record_key, record.output_tokens, record.time)).collect();
        assert_eq!(kept, [("a".to_owned(), 9, 20), ("b".to_owned(), 1, 10), ("c".to_owned(), 0, 1)]);
    }
}
