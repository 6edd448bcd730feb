//! The intake thread in front of the writer: it journals received requests, acknowledges them, and
//! hands every write and job to the writer in the order they came.
//!
//! It takes the first command and whatever else is already waiting, appends the journalled writes
//! of the lot to the journal with one `fdatasync`, answers them, and forwards everything in order
//! (imports' writes and jobs pass without journalling: they wait for DuckDB's commit, as before,
//! and end the writer's pause, `commit_pause`, as does a writer queue three quarters full).
//! While DuckDB stores one group, the next requests are journalled and acknowledged, so the writer
//! finds many requests waiting and commits them in one transaction: the per-statement cost of a
//! commit (docs/benchmarks.md) is paid per group, not per request. When the writer falls behind,
//! its queue fills, this thread waits, and its own queue fills: new requests are refused with
//! `Busy` (a 503) instead of piling up.
//!
//! The journal's two files are written in turns (`journal`): a full one is emptied once the writer
//! stored what it holds, and both at shutdown. After DuckDB refused a journalled write (a full disk,
//! say) nothing from that write on is emptied until the next start, which stores it.

use super::StoreError;
use super::batch::{WriteBatch, WriteOutcome};
use super::journal::{Journal, JournalEntry};
use super::journal_progress::JournalProgress;
use super::writer::WriterCommand;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Most commands taken together (journalled with one `fdatasync`).
const MOST_COMMANDS_PER_GROUP: usize = 512;

/// Most rows acknowledged and not yet stored: past it, the intake waits for the writer (and its own
/// queue, then the receivers, refuse), so a backlog holds at most this many rows in memory.
const MOST_UNSTORED_ROWS: usize = 25_000;

pub(super) enum IntakeCommand {
    /// A received request: journal, acknowledge, then hand to the writer.
    Journal { batch: WriteBatch, reply: oneshot::Sender<Result<WriteOutcome, StoreError>> },
    /// Anything else, handed to the writer as it is.
    Pass(WriterCommand),
}

pub(super) struct Intake {
    pub journal: Journal,
    /// Journalled writes not stored yet (left by a crash), stored before anything new.
    pub replay: Vec<JournalEntry>,
    pub last_sequence: u64,
    pub writer: mpsc::Sender<WriterCommand>,
    pub progress: Arc<JournalProgress>,
}

/// Rows handed to the writer and not stored yet, by journal sequence number.
#[derive(Default)]
struct Unstored {
    writes: std::collections::VecDeque<(u64, usize)>,
    rows: usize,
}

impl Unstored {
    fn add(&mut self, sequence: u64, rows: usize) {
        self.writes.push_back((sequence, rows));
        self.rows += rows;
    }

    /// Forgets what the writer has stored, waiting for it while more than `MOST_UNSTORED_ROWS` wait.
    fn settle(&mut self, progress: &JournalProgress) {
        loop {
            let applied = progress.applied();
            while let Some(&(_, rows)) = self.writes.front().filter(|(sequence, _)| *sequence <= applied) {
                self.writes.pop_front();
                self.rows -= rows;
            }
            match self.writes.front() {
                Some(&(oldest, _)) if self.rows > MOST_UNSTORED_ROWS => progress.wait_applied_blocking(oldest),
                _ => return,
            }
        }
    }
}

pub(super) fn spawn_intake(
    intake: Intake,
    queue_capacity: usize,
) -> Result<(mpsc::Sender<IntakeCommand>, std::thread::JoinHandle<()>), StoreError> {
    let (sender, receiver) = mpsc::channel(queue_capacity);
    let handle = std::thread::Builder::new()
        .name("store-intake".to_owned())
        .spawn(move || run_intake(intake, receiver))
        .map_err(|error| StoreError::Io(error.to_string()))?;
    Ok((sender, handle))
}

fn run_intake(mut intake: Intake, mut receiver: mpsc::Receiver<IntakeCommand>) {
    let replay = std::mem::take(&mut intake.replay);
    if !replay.is_empty() {
        tracing::info!(writes = replay.len(), "storing acknowledged writes the journal kept");
    }
    for (sequence, batch) in replay {
        forward(&intake.writer, &intake.progress, WriterCommand::Write { batch, reply: None, journal_sequence: Some(sequence) });
    }
    let mut unstored = Unstored::default();
    while let Some(first) = receiver.blocking_recv() {
        let mut commands = vec![first];
        while commands.len() < MOST_COMMANDS_PER_GROUP {
            match receiver.try_recv() {
                Ok(command) => commands.push(command),
                Err(_) => break,
            }
        }
        if handle_group(&mut intake, &mut unstored, commands) == Flow::Stop {
            break;
        }
        unstored.settle(&intake.progress);
        rotate_when_full(&mut intake);
    }
    tracing::debug!("intake stopped");
}

#[derive(PartialEq)]
enum Flow {
    Go,
    Stop,
}

fn handle_group(intake: &mut Intake, unstored: &mut Unstored, commands: Vec<IntakeCommand>) -> Flow {
    let first_sequence = intake.last_sequence + 1;
    let journalled = {
        let batches: Vec<(u64, &WriteBatch)> = commands
            .iter()
            .filter_map(|command| match command {
                IntakeCommand::Journal { batch, .. } => Some(batch),
                IntakeCommand::Pass(_) => None,
            })
            .zip(first_sequence..)
            .map(|(batch, sequence)| (sequence, batch))
            .collect();
        let appended = intake.journal.append(&batches);
        if appended.is_ok() && !batches.is_empty() {
            intake.last_sequence += batches.len() as u64;
            intake.progress.acknowledge(intake.last_sequence);
        }
        appended
    };
    if let Err(error) = &journalled {
        tracing::error!(error = %error, "journal write failed; requests refused");
    }
    let mut sequence = first_sequence;
    for command in commands {
        match command {
            IntakeCommand::Journal { batch, reply } => match &journalled {
                Ok(()) => {
                    let _ = reply.send(Ok(WriteOutcome::accepted(&batch)));
                    unstored.add(sequence, batch.row_count());
                    forward(
                        &intake.writer,
                        &intake.progress,
                        WriterCommand::Write { batch, reply: None, journal_sequence: Some(sequence) },
                    );
                    sequence += 1;
                }
                Err(error) => {
                    let _ = reply.send(Err(error.clone()));
                }
            },
            IntakeCommand::Pass(WriterCommand::Shutdown(reply)) => {
                intake.progress.hurry_writer();
                let (stopped, writer_stopped) = oneshot::channel();
                forward(&intake.writer, &intake.progress, WriterCommand::Shutdown(stopped));
                if writer_stopped.blocking_recv().is_ok()
                    && intake.progress.stored() >= intake.last_sequence
                    && let Err(error) = intake.journal.clear()
                {
                    tracing::warn!(error = %error, "journal not emptied at shutdown");
                }
                let _ = reply.send(());
                return Flow::Stop;
            }
            IntakeCommand::Pass(command) => {
                intake.progress.hurry_writer();
                forward(&intake.writer, &intake.progress, command);
            }
        }
    }
    Flow::Go
}

fn forward(writer: &mpsc::Sender<WriterCommand>, progress: &JournalProgress, command: WriterCommand) {
    if writer.capacity() < writer.max_capacity() / 4 {
        // the writer's queue is filling while it pauses: it should commit now, not later
        progress.hurry_writer();
    }
    if writer.blocking_send(command).is_err() {
        tracing::error!("the writer stopped; journalled writes stay for the next start");
    }
}

/// Writes the other journal file next once the current one is full, after the writer stored what
/// the other holds (entries at least a file's worth older than the newest, so it almost always has).
fn rotate_when_full(intake: &mut Intake) {
    let Some(needed) = intake.journal.rotation_needs() else { return };
    if intake.progress.stored() < needed {
        intake.progress.wait_applied_blocking(needed);
    }
    if intake.progress.stored() < needed {
        return;
    }
    if let Err(error) = intake.journal.rotate() {
        tracing::warn!(error = %error, "journal file not emptied");
    }
}
