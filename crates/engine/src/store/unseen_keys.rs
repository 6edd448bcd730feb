//! When a first import's usage records may be appended without an upsert. Stored through the
//! primary key's `ON CONFLICT` clause, a first import's first pass (`importers::spend_first`) spent
//! a fifth of its time on the conflict handling, for records that could not conflict with anything:
//! a store that holds no record from a session file, and keys the pass has not sent before.
//!
//! The pass marks a batch whose keys it sends for the first time (`WriteBatch::usage_keys_unseen`);
//! the writer appends such a batch with a plain `INSERT` while `FileKeysStored` says that no other
//! write can have stored one of those keys: set when the only bulk import begins on a store with no
//! `file:` key, cleared by any other write of a `file:` key (the watcher, a forwarded record, the
//! full read) and when a second bulk import begins or the last one ends. Telemetry's keys
//! (`otlp:`) never meet a file's.

use super::batch::WriteBatch;
use duckdb::Connection;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// How every usage key a session file's importer makes begins.
const FILE_KEY_PREFIX: &str = "file:";

/// Whether the store may hold a usage record with a `file:` key that a first pass has not sent.
#[derive(Debug, Default, Clone)]
pub(super) struct FileKeysStored {
    /// `true`: none is stored, only those the running import's first pass appended.
    none_but_the_pass: Arc<AtomicBool>,
}

impl FileKeysStored {
    /// A bulk import begins, `imports` of them now running: with one, looks whether the store holds
    /// a file's usage record (one statement, stopping at the first; if it fails, as if it did);
    /// with more, two first passes could send the same key, so neither appends plainly.
    pub(super) fn import_began(&self, connection: &Connection, imports: usize) {
        let none = imports == 1
            && connection
                .query_row("SELECT NOT EXISTS (SELECT 1 FROM usage_records WHERE starts_with(RecordKey, ?))", [FILE_KEY_PREFIX], |row| {
                    row.get::<_, bool>(0)
                })
                .unwrap_or(false);
        self.none_but_the_pass.store(none, Ordering::SeqCst);
    }

    /// The last bulk import ended.
    pub(super) fn imports_ended(&self) {
        self.none_but_the_pass.store(false, Ordering::SeqCst);
    }

    /// Whether the writer may append the usage records of `batches` (one write group) with a plain
    /// `INSERT`: all of them are a first pass's unseen keys and no other write stored a file's key
    /// since the import began. A group that may not, and holds a file's key, ends that for the
    /// rest of the import. Once that has ended (as it has between imports, for every OTLP write
    /// then), a group's keys are not looked at.
    pub(super) fn appends_plainly(&self, batches: &[&WriteBatch]) -> bool {
        if batches.iter().all(|batch| batch.bulk && batch.usage_keys_unseen) {
            return self.none_but_the_pass.load(Ordering::SeqCst);
        }
        if self.none_but_the_pass.load(Ordering::SeqCst)
            && batches.iter().flat_map(|batch| &batch.usage).any(|record| record.record_key.starts_with(FILE_KEY_PREFIX))
        {
            self.none_but_the_pass.store(false, Ordering::SeqCst);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::UsageRecord;

    fn batch(keys: &[&str], bulk: bool, unseen: bool) -> WriteBatch {
        let usage = keys.iter().map(|key| UsageRecord { record_key: (*key).to_owned(), ..UsageRecord::default() }).collect();
        WriteBatch { usage, bulk, usage_keys_unseen: unseen, ..WriteBatch::default() }
    }

    fn store(keys: &[&str]) -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        for key in keys {
            connection
                .execute(
                    "INSERT INTO usage_records (RecordKey, Timestamp, Source, ServiceName, Model, InputTokens, CacheReadTokens,
                        CacheWrite5mTokens, CacheWrite1hTokens, OutputTokens, ReasoningTokens, ToolTokens)
                     VALUES (?, now()::TIMESTAMP, 'otlp', 'svc', 'm', 1, 0, 0, 0, 1, 0, 0)",
                    [key],
                )
                .unwrap();
        }
        connection
    }

    #[test]
    fn a_store_with_telemetry_alone_takes_the_pass_plainly_until_another_write_of_a_file_key() {
        let keys = FileKeysStored::default();
        let unseen = batch(&["file:codex:resp:1"], true, true);
        assert!(!keys.appends_plainly(&[&unseen]), "no import began");

        keys.import_began(&store(&["otlp:codex:1"]), 1);
        assert!(keys.appends_plainly(&[&unseen]));
        assert!(keys.appends_plainly(&[&unseen, &batch(&[], true, true)]));
        assert!(!keys.appends_plainly(&[&batch(&["otlp:codex:2"], false, false)]), "a telemetry write is not a first pass's");
        assert!(keys.appends_plainly(&[&unseen]), "and stores no file key");

        assert!(!keys.appends_plainly(&[&batch(&["file:codex:resp:2"], false, false)]), "the watcher stores a file key");
        assert!(!keys.appends_plainly(&[&unseen]), "from then on every key may be stored");
    }

    #[test]
    fn a_stored_file_key_a_second_import_or_the_end_of_the_last_one_means_an_upsert() {
        let keys = FileKeysStored::default();
        let unseen = batch(&["file:gemini:s:1"], true, true);

        keys.import_began(&store(&["file:gemini:s:0"]), 1);
        assert!(!keys.appends_plainly(&[&unseen]), "a file's record is stored");

        keys.import_began(&store(&[]), 1);
        assert!(keys.appends_plainly(&[&unseen]));
        assert!(!keys.appends_plainly(&[&unseen, &batch(&["file:gemini:s:1"], true, false)]), "the full read's repeat");
        assert!(!keys.appends_plainly(&[&unseen]));

        keys.import_began(&store(&[]), 1);
        keys.import_began(&store(&[]), 2);
        assert!(!keys.appends_plainly(&[&unseen]), "two first passes may send the same key");

        keys.import_began(&store(&[]), 1);
        keys.imports_ended();
        assert!(!keys.appends_plainly(&[&unseen]));
    }
}
