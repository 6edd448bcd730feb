//! The acknowledgement journal: a file beside the database where a received request's rows are
//! made durable before DuckDB stores them.
//!
//! An OTLP request is acknowledged once its rows are here (one `fdatasync` for every request that
//! arrived together), and the writer stores them in DuckDB afterwards, many requests per
//! transaction. Each entry carries a sequence number; the writer records the highest one it
//! committed in `journal_state` in the same transaction as the rows, so after a crash the entries
//! above it are stored again when the database is next opened, and none twice.
//!
//! The journal is two files, `<database>.journal` and `<database>.journal-2`, written in turns:
//! once the one being written passes `SEGMENT_BYTES`, the other is emptied (everything in it must
//! be stored by then; the intake waits for the writer if it is not) and written next. So the
//! journal never needs the writer to have caught up at one moment, and takes at most about twice
//! `SEGMENT_BYTES` on disk.
//!
//! A file emptied for its next turn keeps its size and is overwritten from its start: an
//! `fdatasync` of bytes inside the file only flushes them, while one that grows the file also
//! commits the file system's metadata, which took about twice as long (docs/benchmarks.md). So
//! under a steady load the journal is written in place once each file has had its first turn.
//! Emptying writes an end marker (a zero length) at the start; a shutdown that stored everything
//! cuts both files to nothing.
//!
//! An entry is `length (u32 LE) · CRC-32 of the payload (u32 LE) · payload`, the payload being the
//! sequence number and the `WriteBatch` in postcard's encoding. Reading stops at the first entry
//! that is cut short, has a zero length, fails its checksum (a write the crash interrupted, never
//! acknowledged) or does not follow the one before in sequence (an older turn's entry behind the
//! newest), and cuts the file there, so later entries follow a whole one.

use super::{StoreError, WriteBatch};
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes of an entry's header: its payload's length and checksum.
const HEADER_BYTES: usize = 8;

/// Size past which the other file is written next (small in unit tests, to see it happen).
const SEGMENT_BYTES: u64 = if cfg!(test) { 64 << 10 } else { 32 << 20 };

/// One journalled write: its sequence number and rows.
pub(super) type JournalEntry = (u64, WriteBatch);

pub(super) struct Journal {
    segments: [Segment; 2],
    /// The segment being written.
    active: usize,
}

impl Journal {
    /// Opens (or creates) the database's journal and returns its whole entries by sequence number.
    pub(super) fn open(database: &Path) -> Result<(Journal, Vec<JournalEntry>), StoreError> {
        let [first_path, second_path] = segment_paths(database);
        let (first, mut entries) = Segment::open(&first_path)?;
        let (second, more) = Segment::open(&second_path)?;
        entries.extend(more);
        entries.sort_by_key(|(sequence, _)| *sequence);
        let active = usize::from(second.last_sequence > first.last_sequence);
        Ok((Journal { segments: [first, second], active }, entries))
    }

    /// Appends the entries to the segment being written and makes them durable, all or none.
    pub(super) fn append(&mut self, entries: &[(u64, &WriteBatch)]) -> Result<(), StoreError> {
        self.segments[self.active].append(entries)
    }

    /// When the segment being written is full: the sequence number up to which the writer must
    /// have stored before the other one may be emptied and written (`rotate`).
    pub(super) fn rotation_needs(&self) -> Option<u64> {
        (self.segments[self.active].length > SEGMENT_BYTES).then(|| self.segments[1 - self.active].last_sequence)
    }

    /// Empties the other segment and writes there from now on (once `rotation_needs` is stored).
    pub(super) fn rotate(&mut self) -> Result<(), StoreError> {
        self.segments[1 - self.active].reset()?;
        self.active = 1 - self.active;
        Ok(())
    }

    /// Empties both segments: call only once every entry is committed to DuckDB.
    pub(super) fn clear(&mut self) -> Result<(), StoreError> {
        for segment in &mut self.segments {
            segment.clear()?;
        }
        self.active = 0;
        Ok(())
    }
}

/// One of the journal's two files.
struct Segment {
    file: File,
    path: PathBuf,
    length: u64,
    /// The sequence number of its last entry (0 when empty).
    last_sequence: u64,
}

impl Segment {
    /// Opens (or creates, user-only) the file and reads its whole entries, cutting off a torn last
    /// one.
    fn open(path: &Path) -> Result<(Segment, Vec<JournalEntry>), StoreError> {
        let io_error = |error: std::io::Error| StoreError::Io(format!("journal {}: {error}", path.display()));
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).map_err(io_error)?;
        crate::owner_only::tighten_if_present(path).map_err(io_error)?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io_error)?;
        let (entries, whole) = decode_entries(&bytes);
        if whole < bytes.len() {
            tracing::warn!(kept = entries.len(), dropped_bytes = bytes.len() - whole, "journal ended in a torn or older entry; cut there");
            file.set_len(whole as u64).map_err(io_error)?;
            file.sync_data().map_err(io_error)?;
        }
        file.seek(SeekFrom::Start(whole as u64)).map_err(io_error)?;
        let last_sequence = entries.last().map_or(0, |(sequence, _)| *sequence);
        Ok((Segment { file, path: path.to_owned(), length: whole as u64, last_sequence }, entries))
    }

    /// Appends the entries and makes them durable, all or none: on failure the file is cut back to
    /// where it was.
    fn append(&mut self, entries: &[(u64, &WriteBatch)]) -> Result<(), StoreError> {
        let Some(&(last_sequence, _)) = entries.last() else { return Ok(()) };
        // Each payload is encoded straight after room for its header, which is filled in after.
        let mut bytes = Vec::with_capacity(64 << 10);
        for entry in entries {
            let start = bytes.len();
            bytes.extend_from_slice(&[0; HEADER_BYTES]);
            postcard::to_io(entry, &mut bytes).map_err(|error| StoreError::Write(format!("journal encoding: {error}")))?;
            let payload = &bytes[start + HEADER_BYTES..];
            let length = u32::try_from(payload.len()).map_err(|_| StoreError::Write("a request too large for the journal".to_owned()))?;
            let checksum = crc32fast::hash(payload);
            bytes[start..start + 4].copy_from_slice(&length.to_le_bytes());
            bytes[start + 4..start + HEADER_BYTES].copy_from_slice(&checksum.to_le_bytes());
        }
        let written = self.file.write_all(&bytes).and_then(|()| self.file.sync_data());
        if let Err(error) = written {
            let _ = self.file.set_len(self.length);
            let _ = self.file.seek(SeekFrom::Start(self.length));
            // A full disk, say: the store cannot take writes now (a 503), and may later.
            return Err(StoreError::Write(format!("journal {}: {error}", self.path.display())));
        }
        self.length += bytes.len() as u64;
        self.last_sequence = last_sequence;
        Ok(())
    }

    /// Empties the file for its next turn, keeping its size: an end marker at its start, and the
    /// next entries written over the old ones.
    fn reset(&mut self) -> Result<(), StoreError> {
        let io_error = |error: std::io::Error| StoreError::Io(format!("journal {}: {error}", self.path.display()));
        self.file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        self.file.write_all(&[0; HEADER_BYTES]).map_err(io_error)?;
        self.file.sync_data().map_err(io_error)?;
        self.file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        self.length = 0;
        self.last_sequence = 0;
        Ok(())
    }

    fn clear(&mut self) -> Result<(), StoreError> {
        let io_error = |error: std::io::Error| StoreError::Io(format!("journal {}: {error}", self.path.display()));
        self.file.set_len(0).map_err(io_error)?;
        self.file.seek(SeekFrom::Start(0)).map_err(io_error)?;
        self.file.sync_data().map_err(io_error)?;
        self.length = 0;
        self.last_sequence = 0;
        Ok(())
    }
}

/// The whole entries at the start of `bytes`, and how many bytes they take.
fn decode_entries(bytes: &[u8]) -> (Vec<JournalEntry>, usize) {
    let mut entries: Vec<JournalEntry> = Vec::new();
    let mut at = 0;
    while let Some(header) = bytes.get(at..at + HEADER_BYTES) {
        let length = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let checksum = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let Some(payload) = bytes.get(at + HEADER_BYTES..at + HEADER_BYTES + length).filter(|_| length > 0) else { break };
        if crc32fast::hash(payload) != checksum {
            break;
        }
        let Ok(entry) = postcard::from_bytes::<JournalEntry>(payload) else { break };
        if entries.last().is_some_and(|(before, _)| entry.0 <= *before) {
            break;
        }
        entries.push(entry);
        at += HEADER_BYTES + length;
    }
    (entries, at)
}

/// The journal's two files beside a database file.
pub(super) fn segment_paths(database: &Path) -> [PathBuf; 2] {
    [".journal", ".journal-2"].map(|suffix| {
        let mut name = database.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LogRecord, MetricPoint, UsageRecord};

    fn batch(body: &str) -> WriteBatch {
        let mut point = MetricPoint::derived_sum(7, "codex", "codex_cli_rs.token.usage", "tokens", "", Default::default(), f64::NAN);
        point.bucket_counts = Some(vec![1, 2, 3]);
        WriteBatch {
            logs: vec![LogRecord { body: body.to_owned(), time: 1_700_000_000_000_000_000, ..LogRecord::default() }],
            metrics: vec![point],
            usage: vec![UsageRecord { record_key: format!("key-{body}"), output_tokens: 42, ..UsageRecord::default() }],
            ..WriteBatch::default()
        }
    }

    #[test]
    fn entries_come_back_as_written_and_a_torn_last_one_is_cut_off() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("store.duckdb.journal");
        let (mut journal, entries) = Segment::open(&path).unwrap();
        assert!(entries.is_empty());
        let (first, second) = (batch("first"), batch("second"));
        journal.append(&[(1, &first), (2, &second)]).unwrap();
        let whole = journal.length;
        drop(journal);
        // A crash in the middle of the next write leaves part of an entry.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&[200, 0, 0, 0, 1, 2, 3, 4, 5]).unwrap();
        drop(file);

        let (mut journal, entries) = Segment::open(&path).unwrap();
        assert_eq!(entries.iter().map(|(sequence, _)| *sequence).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(entries[1].1.logs[0].body, "second");
        assert_eq!(entries[1].1.usage[0].output_tokens, 42);
        assert!(entries[0].1.metrics[0].value.is_some_and(f64::is_nan));
        assert_eq!(entries[0].1.metrics[0].bucket_counts, Some(vec![1, 2, 3]));
        assert_eq!(std::fs::metadata(&path).unwrap().len(), whole);
        // The next entry follows the whole ones.
        journal.append(&[(3, &batch("third"))]).unwrap();
        drop(journal);
        let (_, entries) = Segment::open(&path).unwrap();
        assert_eq!(entries.iter().map(|(sequence, _)| *sequence).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn reading_stops_at_an_entry_whose_checksum_fails() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("store.duckdb.journal");
        let (mut journal, _) = Segment::open(&path).unwrap();
        journal.append(&[(1, &batch("kept")), (2, &batch("damaged"))]).unwrap();
        drop(journal);
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let (journal, entries) = Segment::open(&path).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].1.logs[0].body, "kept");
        assert!(journal.length < bytes.len() as u64);
    }

    #[test]
    fn the_two_files_are_written_in_turns_and_read_back_in_order() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("store.duckdb");
        let (mut journal, _) = Journal::open(&database).unwrap();
        let large = batch(&"x".repeat(20 << 10)); // about 40 KB an entry
        let mut sequence = 0;
        let mut append = |journal: &mut Journal| {
            sequence += 1;
            journal.append(&[(sequence, &large)]).unwrap();
        };
        append(&mut journal);
        assert_eq!(journal.rotation_needs(), None);
        append(&mut journal);
        // The first file is full; the second is empty and needs nothing stored.
        assert_eq!(journal.rotation_needs(), Some(0));
        journal.rotate().unwrap();
        append(&mut journal);
        append(&mut journal);
        // The second is full; the first holds entries 1 and 2, which must be stored first.
        assert_eq!(journal.rotation_needs(), Some(2));
        journal.rotate().unwrap();
        append(&mut journal);
        drop(journal);

        let (journal, entries) = Journal::open(&database).unwrap();
        assert_eq!(entries.iter().map(|(sequence, _)| *sequence).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(journal.active, 0, "the file with the newest entry is written next");
        assert_eq!((journal.segments[0].length, journal.segments[1].length), (journal.segments[1].length / 2, journal.segments[1].length));
    }

    #[test]
    fn a_file_emptied_for_its_next_turn_is_written_in_place_and_its_older_entries_are_not_read_back() {
        let folder = tempfile::tempdir().unwrap();
        let database = folder.path().join("store.duckdb");
        let [first_path, _] = segment_paths(&database);
        let (mut journal, _) = Journal::open(&database).unwrap();
        let large = batch(&"x".repeat(20 << 10));
        journal.append(&[(1, &large)]).unwrap();
        journal.append(&[(2, &large)]).unwrap();
        let first_size = std::fs::metadata(&first_path).unwrap().len();
        journal.rotate().unwrap();
        journal.append(&[(3, &large)]).unwrap();
        journal.append(&[(4, &large)]).unwrap();
        journal.rotate().unwrap();
        // The first file is written again from its start; entry 2, of the same size as the new
        // entry 5, now follows it.
        journal.append(&[(5, &large)]).unwrap();
        assert_eq!(std::fs::metadata(&first_path).unwrap().len(), first_size, "written in place, not cut");
        drop(journal);

        let (mut journal, entries) = Journal::open(&database).unwrap();
        assert_eq!(entries.iter().map(|(sequence, _)| *sequence).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(journal.active, 0);
        assert!(std::fs::metadata(&first_path).unwrap().len() < first_size, "the older entry behind the newest was cut off at open");

        // Both emptied for their next turns and not written since: nothing is read from them.
        journal.rotate().unwrap();
        journal.rotate().unwrap();
        drop(journal);
        let (_, entries) = Journal::open(&database).unwrap();
        assert!(entries.is_empty(), "got {:?}", entries.iter().map(|(sequence, _)| *sequence).collect::<Vec<_>>());
    }
}
