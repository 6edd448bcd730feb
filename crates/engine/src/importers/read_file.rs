//! Reading one session file: from its stored offset (or the start), line by line (or whole, for a
//! JSON document), through the tool's parser. A large file's rows go to the store in chunks of
//! `ROWS_PER_WRITE` while it is read; its last rows and its new state (offset, lines, parser state)
//! go to the import's `CommitQueue`, which commits them with other files' and saves the state only
//! after the rows committed, so a crash mid-file is repaired by the next import (rows have natural
//! keys).

use super::commit_queue::{CommitQueue, FinishedFile, store_rows};
use super::discovery::SessionFile;
use super::file_locks::FileLock;
use super::line_reader::{LineEvent, LineReader, MAX_LINE_BYTES, MAX_WHOLE_FILE_BYTES, read_bounded};
use super::plan::{ImportOptions, PlannedFile};
use super::projects::ProjectResolver;
use super::state::{self, FileState};
use super::tally::{ProgressSink, Tally};
use super::{Emitted, ImportContext, Importer, ParseContext, SessionParser, importer_for};
use crate::model::UsageSource;
use crate::store::WriteBatch;
use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Rows handed to the writer at once while a file is read. A bulk import's counters are not among
/// its rows (`store::import_counters`), so its batches hold more log records per row: at 20 000
/// rows a first import's peak rose from 340 to 390–416 MB, at 10 000 it is 313–318 MB
/// (docs/benchmarks.md).
const ROWS_PER_WRITE: usize = 10_000;
/// Progress is reported after this many bytes of a file.
const REPORT_BYTES: u64 = 1024 * 1024;

/// What every file of one import shares.
pub struct ImportRun<'a> {
    pub runtime: &'a tokio::runtime::Handle,
    pub context: &'a ImportContext,
    pub options: &'a ImportOptions,
    pub projects: &'a ProjectResolver,
    pub tally: &'a Mutex<Tally>,
    pub sink: Option<&'a ProgressSink>,
    pub cancel: &'a AtomicBool,
    pub commits: &'a CommitQueue,
    /// A bulk import (`run::import`): rows are matched across sources when it ends.
    pub bulk: bool,
    /// What the import's usage-first pass stored, if it stored all it read (`spend_first`).
    pub stored_ahead: Option<&'a super::spend_first::StoredAhead>,
}

/// Where a read stopped.
struct ReadEnd {
    offset: u64,
    lines_read: u64,
    interrupted: bool,
    /// The last line was taken without its newline.
    ends_mid_line: bool,
}

struct FileRead<'run, 'a> {
    run: &'run ImportRun<'a>,
    planned: &'run PlannedFile,
    importer: &'static dyn Importer,
    parser: Box<dyn SessionParser>,
    emitted: Emitted,
    counted: HashSet<String>,
    records_written: usize,
    start_offset: u64,
    first_line: u64,
    /// The previous read took its last line without the newline that may follow it now.
    skip_newline: bool,
    bytes_reported: u64,
}

/// Imports one planned file; problems go to the tally, never up. Waits while another import reads
/// the same file, then plans it again from what that import saved.
pub fn import_file(run: &ImportRun<'_>, planned: &PlannedFile) {
    let reading = run.context.file_locks.lock_or_meanwhile(&planned.file.path, || run.commits.flush(run));
    let planned = &match replanned(run, planned) {
        Ok(planned) => planned,
        Err(message) => {
            if let Ok(mut tally) = run.tally.lock() {
                tally.problem(&planned.file, None, message);
                tally.report(&planned.file, 0, true, run.sink);
            }
            return;
        }
    };
    if planned.status == state::FileStatus::Unchanged && !run.options.force {
        // The other import read it all already.
        if let Ok(mut tally) = run.tally.lock() {
            tally.report(&planned.file, 0, true, run.sink);
        }
        return;
    }
    let Some(importer) = importer_for(planned.file.tool) else {
        if let Ok(mut tally) = run.tally.lock() {
            tally.problem(&planned.file, None, format!("{} files are not imported", planned.file.tool.display_name()));
            tally.report(&planned.file, 0, true, run.sink);
        }
        return;
    };
    let mut read = FileRead::new(run, planned, importer);
    match read.read() {
        Ok(end) => read.finish(&end, reading),
        Err(message) => {
            read.problem(None, message);
            read.report(0, true);
        }
    }
}

/// The file as it is now against its state as stored now, parser state included (another import
/// may have read it since the plan was made, and the plan holds no parser states); unchanged files
/// stay planned as they were when forced.
fn replanned(run: &ImportRun<'_>, planned: &PlannedFile) -> Result<PlannedFile, String> {
    let (tool, path) = (planned.file.tool, planned.file.path.clone());
    let stored = run
        .runtime
        .block_on(run.context.store.read(move |connection| state::load_one(connection, tool.key(), &path)))
        .map_err(|error| format!("its import state could not be read: {error}"))?;
    let file = SessionFile::stat(tool, planned.file.path.clone()).ok_or_else(|| "cannot open: the file is gone".to_owned())?;
    let status = state::classify(&file, stored.as_ref());
    Ok(PlannedFile { file, status, state: stored })
}

impl<'run, 'a> FileRead<'run, 'a> {
    fn new(run: &'run ImportRun<'a>, planned: &'run PlannedFile, importer: &'static dyn Importer) -> Self {
        let resume = planned.resumes(run.options.force);
        let (start_offset, first_line, saved, skip_newline) = match (&planned.state, resume) {
            (Some(state), true) => (state.byte_offset, state.lines_read + 1, state.parser_state.clone(), state.ends_mid_line),
            _ => (0, 1, None, false),
        };
        let parser = importer.parser(&planned.file, saved);
        FileRead {
            run,
            importer,
            planned,
            parser,
            emitted: Emitted::default(),
            counted: HashSet::new(),
            records_written: 0,
            start_offset,
            first_line,
            skip_newline,
            bytes_reported: 0,
        }
    }

    fn parse_context(&self) -> ParseContext<'run> {
        let run = self.run;
        ParseContext {
            file: &self.planned.file,
            source: run.options.source,
            prices: &run.context.prices,
            projects: run.projects,
            window: run.options.window,
            usage_only: false,
            counters_owed: run.bulk,
        }
    }

    fn problem(&self, line: Option<u64>, message: String) {
        if let Ok(mut tally) = self.run.tally.lock() {
            tally.problem(&self.planned.file, line, message);
        }
    }

    fn report(&self, bytes: u64, file_done: bool) {
        if let Ok(mut tally) = self.run.tally.lock() {
            tally.report(&self.planned.file, bytes, file_done, self.run.sink);
        }
    }

    fn parse(&mut self, number: u64, text: &[u8]) {
        let context = self.parse_context();
        if let Err(message) = self.parser.line(&context, number, text, &mut self.emitted) {
            self.problem(Some(number), message);
        }
    }

    fn read(&mut self) -> Result<ReadEnd, String> {
        let mut handle = std::fs::File::open(&self.planned.file.path).map_err(|error| format!("cannot open: {error}"))?;
        if self.importer.is_database() {
            drop(handle);
            let context = self.parse_context();
            if let Err(message) = self.parser.database(&context, &mut self.emitted) {
                self.problem(None, message);
            }
            return Ok(ReadEnd { offset: self.planned.file.size, lines_read: 1, interrupted: false, ends_mid_line: false });
        }
        if self.importer.is_whole_file(&self.planned.file) {
            let bytes = read_bounded(&mut handle, MAX_WHOLE_FILE_BYTES).map_err(|error| format!("cannot read: {error}"))?;
            let context = self.parse_context();
            if let Err(message) = self.parser.line(&context, 1, &bytes, &mut self.emitted) {
                self.problem(None, message);
            }
            return Ok(ReadEnd { offset: bytes.len() as u64, lines_read: 1, interrupted: false, ends_mid_line: false });
        }
        let mut reader = LineReader::open(handle, self.start_offset, self.first_line).map_err(|error| format!("cannot read: {error}"))?;
        if self.skip_newline {
            reader.skip_newline().map_err(|error| format!("cannot read: {error}"))?;
        }
        let mut lines_read = self.first_line - 1;
        while let Some(event) = reader.next_event().map_err(|error| format!("read failed: {error}"))? {
            if let Some(end) = self.take_event(event, &reader, &mut lines_read) {
                return Ok(end);
            }
            if self.emitted.batch.row_count() >= ROWS_PER_WRITE {
                self.write()?;
            }
            let read_so_far = reader.offset() - self.start_offset;
            if read_so_far - self.bytes_reported > REPORT_BYTES {
                self.report(read_so_far - self.bytes_reported, false);
                self.bytes_reported = read_so_far;
            }
            if self.run.cancel.load(Ordering::SeqCst) {
                return Ok(ReadEnd { offset: reader.offset(), lines_read, interrupted: true, ends_mid_line: false });
            }
        }
        Ok(ReadEnd { offset: reader.offset(), lines_read, interrupted: false, ends_mid_line: false })
    }

    /// Handles one line event; a complete last line without its newline ends the read.
    fn take_event(&mut self, event: LineEvent, reader: &LineReader, lines_read: &mut u64) -> Option<ReadEnd> {
        match event {
            LineEvent::Line { number, text, .. } => {
                *lines_read = number;
                if !text.iter().all(u8::is_ascii_whitespace) {
                    self.parse(number, &text);
                }
            }
            LineEvent::TooLong { number, length, .. } => {
                *lines_read = number;
                self.problem(Some(number), format!("line of {length} bytes is longer than the {MAX_LINE_BYTES} byte limit; skipped"));
            }
            LineEvent::Partial { number, text, .. } => {
                // A last line without a newline: complete JSON is taken, anything else is left
                // for the next run (the tool may still be writing it).
                if serde_json::from_slice::<serde::de::IgnoredAny>(&text).is_ok() {
                    *lines_read = number;
                    self.parse(number, &text);
                    return Some(ReadEnd {
                        offset: reader.offset() + text.len() as u64,
                        lines_read: number,
                        interrupted: false,
                        ends_mid_line: true,
                    });
                }
                if self.run.options.source == UsageSource::Import {
                    self.problem(
                        Some(number),
                        "incomplete last line (truncated, or still being written); it is read again next time".to_owned(),
                    );
                }
            }
        }
        None
    }

    /// The rows read so far, counted in the tally.
    fn take_rows(&mut self) -> WriteBatch {
        let batch = std::mem::take(&mut self.emitted.batch);
        let records = std::mem::take(&mut self.emitted.records);
        if let Ok(mut tally) = self.run.tally.lock() {
            tally.count(self.planned.file.tool, &batch, records, &mut self.counted);
        }
        self.records_written += records;
        batch
    }

    /// Hands the rows read so far to the writer and waits for the commit (a large file, mid-read).
    fn write(&mut self) -> Result<(), String> {
        if self.emitted.batch.is_empty() {
            return Ok(());
        }
        let batch = self.take_rows();
        store_rows(self.run, batch).map_err(|error| error.to_string())
    }

    /// Hands what is left to the commit queue with the file's state (for a complete, unfiltered
    /// read only: a filtered or cancelled import must not hide the rest of the file from the next
    /// one) and the file's lock, held until the state is saved.
    fn finish(&mut self, end: &ReadEnd, lock: FileLock) {
        let context = self.parse_context();
        self.parser.finish(&context, &mut self.emitted);
        let (first_time, last_time) = (self.emitted.first_time, self.emitted.last_time);
        let batch = self.take_rows();
        let options = self.run.options;
        let mut file_state = None;
        if !end.interrupted && (options.window.is_none() || options.remember_skipped) {
            let file = &self.planned.file;
            let previous = self.planned.state.as_ref().filter(|_| self.planned.resumes(options.force));
            file_state = Some(FileState {
                fingerprint: state::fingerprint_for_size(&file.path, file.size).unwrap_or_default(),
                byte_offset: end.offset,
                lines_read: end.lines_read,
                parser_state: Some(self.parser.state()),
                size: file.size,
                modified_ms: file.modified_ms,
                records: previous.map_or(0, |state| state.records) + self.records_written as i64,
                first_time: earliest(previous.and_then(|state| state.first_time), first_time),
                last_time: latest(previous.and_then(|state| state.last_time), last_time),
                ends_mid_line: end.ends_mid_line,
            });
        }
        let remaining = end.offset.saturating_sub(self.start_offset).saturating_sub(self.bytes_reported);
        self.report(remaining, true);
        self.run.commits.add(self.run, batch, FinishedFile { file: self.planned.file.clone(), state: file_state, lock });
    }
}

fn earliest(left: Option<i64>, right: Option<i64>) -> Option<i64> {
    match (left, right) {
        (Some(left), Some(right)) => Some(left.min(right)),
        (left, right) => left.or(right),
    }
}

fn latest(left: Option<i64>, right: Option<i64>) -> Option<i64> {
    match (left, right) {
        (Some(left), Some(right)) => Some(left.max(right)),
        (left, right) => left.or(right),
    }
}
