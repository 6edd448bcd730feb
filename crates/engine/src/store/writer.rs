//! The single writer: one thread owns the write connection and commits batches.
//!
//! Writes and jobs come from the intake thread (`intake`), in the order they arrived. The thread
//! takes the first one, drains whatever else is already waiting (up to a row budget), and commits
//! the whole group in one transaction: under load many requests share a commit, at idle a lone
//! request is committed at once. A journalled write that comes right after a commit waits up to
//! `GATHERING_PAUSE` for others to join it, unless someone waits for it (`commit_pause`). A
//! received request was already made durable in the journal and answered (`journal`); the
//! transaction records the highest journal sequence number it stores
//! (`journal_state`), so a restart stores the rest and nothing twice. Every other write (an
//! import's) is answered only after its commit returned. If a group fails, each batch is retried
//! alone so one bad request cannot fail its neighbours.
//!
//! A bulk import's batches skip the look for stored copies and the matching (`WriteBatch::bulk`):
//! its end does both once (`bulk_finish`). Those that come as `BulkWrite`s share transactions of
//! many batches (`bulk_transaction`), committed before anything else is done.
//!
//! Rows that may repeat go through temporary staging tables and one set-based statement per table:
//! spans already stored are skipped; rows from session files (which carry a natural key) replace
//! the stored row with the same key, so re-reading a file that changed updates instead of adding;
//! usage records keep the copy with the most output tokens. Lookups are limited to the batch's time
//! window (a row's time comes from its source, so a key's time never changes), which DuckDB's zone
//! maps keep cheap on a large table. Plan-limit states are kept once per observation.

use super::batch::{WriteBatch, WriteOutcome};
use super::bulk_transaction::{BulkWrite, OpenBulkTransaction};
use super::compaction::{self, Uncompacted};
use super::journal_progress::JournalProgress;
use super::rows::{append_logs, append_metrics, append_spans, timestamp_value};
use super::unseen_keys::FileKeysStored;
use super::usage_upsert::{Attribution, upsert_usage};
use super::{SharedPricer, StoreError};
use duckdb::Connection;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Most rows the writer puts into one transaction before it commits.
const GROUP_ROW_BUDGET: usize = 50_000;

/// How long after a commit journalled writes gather before the next one (`commit_pause`); chosen
/// from 0, 10, 20, 35, 50 and 100 ms in docs/benchmarks.md.
const GATHERING_PAUSE: Duration = Duration::from_millis(35);

type Job = Box<dyn FnOnce(&Connection) + Send>;

type Reply = oneshot::Sender<Result<WriteOutcome, StoreError>>;

/// A write waiting for its commit: whom to answer (none for a journalled write, answered when it
/// was journalled) and its journal sequence number.
struct Pending {
    batch: WriteBatch,
    reply: Option<Reply>,
    journal_sequence: Option<u64>,
}

pub(super) enum WriterCommand {
    Write {
        batch: WriteBatch,
        reply: Option<Reply>,
        /// Set for a journalled write: recorded in `journal_state` in the transaction that stores it.
        journal_sequence: Option<u64>,
    },
    Job(Job),
    /// A bulk import's batch, stored in the open bulk transaction.
    Bulk(BulkWrite),
    /// Commit everything queued, checkpoint, answer, and stop.
    Shutdown(oneshot::Sender<()>),
}

pub(super) fn spawn_writer(
    connection: Connection,
    queue_capacity: usize,
    pricer: SharedPricer,
    file_keys: FileKeysStored,
    progress: Arc<JournalProgress>,
    uncompacted: Uncompacted,
) -> Result<(mpsc::Sender<WriterCommand>, std::thread::JoinHandle<()>), StoreError> {
    create_staging_tables(&connection)?;
    compaction::set_up(&connection)?;
    let (sender, receiver) = mpsc::channel(queue_capacity);
    let handle = std::thread::Builder::new()
        .name("duckdb-writer".to_owned())
        .spawn(move || run_writer(connection, receiver, pricer, file_keys, progress, uncompacted))
        .map_err(|error| StoreError::Io(error.to_string()))?;
    Ok((sender, handle))
}

fn create_staging_tables(connection: &Connection) -> Result<(), StoreError> {
    connection.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS stage_spans AS SELECT * FROM otel_traces LIMIT 0;
         CREATE TEMP TABLE IF NOT EXISTS stage_logs AS SELECT * FROM otel_logs LIMIT 0;
         CREATE TEMP TABLE IF NOT EXISTS stage_metrics AS SELECT * FROM otel_metrics LIMIT 0;
         CREATE TEMP TABLE IF NOT EXISTS stage_usage_keys (Tool VARCHAR, SessionId VARCHAR, RequestId VARCHAR);",
    )?;
    super::usage_upsert::register_staged_usage(connection)
}

fn run_writer(
    connection: Connection,
    mut receiver: mpsc::Receiver<WriterCommand>,
    pricer: SharedPricer,
    file_keys: FileKeysStored,
    progress: Arc<JournalProgress>,
    uncompacted: Uncompacted,
) {
    let mut pending: Vec<Pending> = Vec::new();
    let mut hold = JournalHold::default();
    let mut shutdown_reply = None;
    let mut bulk = OpenBulkTransaction::default();
    let mut last_commit = Instant::now();
    // whether this run stored rows (a write or a bulk import's batch), for the closing compaction
    let mut stored_rows = false;
    while let Some(first) = receiver.blocking_recv() {
        if matches!(first, WriterCommand::Write { reply: None, journal_sequence: Some(_), .. }) {
            progress.pause_writer_until(last_commit + GATHERING_PAUSE);
        }
        // rows in the group being gathered (for its budget), and rows of every write taken
        let (mut rows, mut written) = (0, 0);
        let mut next = Some(first);
        while let Some(command) = next.take() {
            match command {
                WriterCommand::Write { batch, reply, journal_sequence } => {
                    stored_rows = true;
                    bulk.commit(&connection);
                    rows += batch.row_count();
                    written += batch.row_count();
                    pending.push(Pending { batch, reply, journal_sequence });
                }
                WriterCommand::Job(job) => {
                    commit_pending(&connection, &pricer, &file_keys, &progress, &mut hold, &mut pending);
                    bulk.commit(&connection);
                    rows = 0;
                    job(&connection);
                }
                WriterCommand::Bulk(write) => {
                    stored_rows = true;
                    commit_pending(&connection, &pricer, &file_keys, &progress, &mut hold, &mut pending);
                    rows = 0;
                    let store_rows = |connection: &Connection, batch: &WriteBatch| {
                        write_group(connection, &pricer, &file_keys, &[batch], Attribution::Exact).map(drop)
                    };
                    bulk.add(&connection, store_rows, write);
                }
                WriterCommand::Shutdown(reply) => {
                    bulk.commit(&connection);
                    receiver.close();
                    shutdown_reply = Some(reply);
                }
            }
            if rows < GROUP_ROW_BUDGET {
                next = receiver.try_recv().ok();
            }
        }
        commit_pending(&connection, &pricer, &file_keys, &progress, &mut hold, &mut pending);
        last_commit = Instant::now();
        if written > 0 && !bulk.is_open() {
            uncompacted.committed(&connection, written);
        }
    }
    bulk.commit(&connection);
    if (stored_rows || log_holds_changes(&connection))
        && let Err(error) = compaction::compact(&connection)
    {
        tracing::warn!(error = %error, "checkpoint at shutdown failed");
    }
    drop(connection);
    tracing::debug!("writer stopped");
    if let Some(reply) = shutdown_reply {
        let _ = reply.send(());
    }
}

/// Whether DuckDB's write-ahead log holds changes not yet checkpointed (a job's, or the open's).
/// A run that stored no rows and left the log empty has nothing to compact at its end: a routine
/// checkpoint already wrote whatever it changed, and rows a job deleted are reclaimed by the next
/// compaction.
fn log_holds_changes(connection: &Connection) -> bool {
    connection.path().is_some_and(|path| std::fs::metadata(super::wal_path(path)).is_ok_and(|metadata| metadata.len() > 0))
}

/// The first journalled write DuckDB refused in this run, if any. `journal_state` is never raised
/// past the write before it, so the next start stores that write and everything after it again from
/// the journal (spans and usage records are found stored and skipped; log records and metric points
/// without a key would be stored twice). The journal is kept until then.
#[derive(Default)]
struct JournalHold(Option<u64>);

impl JournalHold {
    /// What may be recorded as stored, for a commit that stored up to `sequence`.
    fn storable(&self, sequence: u64) -> u64 {
        self.0.map_or(sequence, |refused| sequence.min(refused - 1))
    }
}

/// Commits the pending writes and answers them. A failed write is retried alone first, so a bad
/// request cannot fail its neighbours. A journalled write DuckDB refuses was already acknowledged:
/// it is logged with its sequence number and stored from the journal at the next start.
fn commit_pending(
    connection: &Connection,
    pricer: &SharedPricer,
    file_keys: &FileKeysStored,
    progress: &JournalProgress,
    hold: &mut JournalHold,
    pending: &mut Vec<Pending>,
) {
    if pending.is_empty() {
        return;
    }
    let group = std::mem::take(pending);
    let batches: Vec<&WriteBatch> = group.iter().map(|pending| &pending.batch).collect();
    let last_sequence = group.iter().filter_map(|pending| pending.journal_sequence).max();
    let attribution = if group.iter().any(|pending| pending.reply.is_some()) { Attribution::Exact } else { Attribution::InOrder };
    match commit_group(connection, pricer, file_keys, &batches, last_sequence.map(|sequence| hold.storable(sequence)), attribution) {
        Ok(outcomes) => {
            for (pending, outcome) in group.into_iter().zip(outcomes) {
                answer(pending, Ok(outcome));
            }
        }
        Err(error) if group.len() == 1 => {
            let pending = group.into_iter().next().expect("one write");
            hold_on_refusal(hold, &pending);
            answer(pending, Err(error));
        }
        Err(_) => {
            for pending in group {
                let result = commit_group(
                    connection,
                    pricer,
                    file_keys,
                    &[&pending.batch],
                    pending.journal_sequence.map(|sequence| hold.storable(sequence)),
                    Attribution::Exact,
                )
                .map(|mut outcomes| outcomes.pop().unwrap_or_default());
                if result.is_err() {
                    hold_on_refusal(hold, &pending);
                }
                answer(pending, result);
            }
        }
    }
    if let Some(sequence) = last_sequence {
        progress.mark_stored(hold.storable(sequence));
        progress.mark_applied(sequence);
    }
}

fn hold_on_refusal(hold: &mut JournalHold, pending: &Pending) {
    if let (None, Some(sequence)) = (hold.0, pending.journal_sequence) {
        hold.0 = Some(sequence);
    }
}

fn answer(pending: Pending, result: Result<WriteOutcome, StoreError>) {
    match (pending.reply, &result) {
        (Some(reply), _) => {
            if let Err(error) = &result {
                tracing::error!(error = %error, "write failed; request rejected");
            }
            let _ = reply.send(result);
        }
        (None, Err(error)) => {
            tracing::error!(error = %error, sequence = pending.journal_sequence, "an acknowledged write could not be stored; the journal keeps it for the next start");
        }
        (None, Ok(_)) => {}
    }
}

/// Commits several batches in one transaction, with the highest journal sequence number among them
/// that may be recorded as stored. Outcomes are attributed per batch by order.
fn commit_group(
    connection: &Connection,
    pricer: &SharedPricer,
    file_keys: &FileKeysStored,
    batches: &[&WriteBatch],
    last_sequence: Option<u64>,
    attribution: Attribution,
) -> Result<Vec<WriteOutcome>, StoreError> {
    let committed = super::in_transaction(connection, |connection| {
        let outcomes = write_group(connection, pricer, file_keys, batches, attribution)?;
        if let Some(sequence) = last_sequence {
            record_applied(connection, sequence)?;
        }
        Ok(outcomes)
    });
    if committed.is_err() {
        let _ = connection
            .execute_batch("DELETE FROM stage_spans; DELETE FROM stage_logs; DELETE FROM stage_metrics; DELETE FROM stage_usage_keys;");
    }
    committed
}

fn write_group(
    connection: &Connection,
    pricer: &SharedPricer,
    file_keys: &FileKeysStored,
    batches: &[&WriteBatch],
    attribution: Attribution,
) -> Result<Vec<WriteOutcome>, StoreError> {
    let mut outcomes = vec![WriteOutcome::default(); batches.len()];
    let write = StoreError::write;

    // Logs and metrics without a natural key (everything OTLP sends) are appended directly, and so
    // are a bulk import's keyed rows: its end removes stored copies (`bulk_finish`), noted here in
    // the same transaction. An import's rows come as prepared columns (`PreparedRows`); rows are
    // appended in the order of their batches (the import's end keeps a key's last copy).
    {
        let appended_directly = |bulk: bool, key: &Option<String>| bulk || key.is_none();
        let mut logs = connection.appender("otel_logs").map_err(write)?;
        let mut metrics = connection.appender("otel_metrics").map_err(write)?;
        let mut direct_logs = Vec::new();
        let mut direct_points = Vec::new();
        let mut keyed = false;
        for (batch, outcome) in batches.iter().zip(outcomes.iter_mut()) {
            if let Some(prepared) = &batch.prepared {
                append_logs(&mut logs, &std::mem::take(&mut direct_logs)).map_err(write)?;
                append_metrics(&mut metrics, &std::mem::take(&mut direct_points)).map_err(write)?;
                if let Some(columns) = prepared.logs() {
                    logs.append_record_batch(columns).map_err(write)?;
                }
                if let Some(columns) = prepared.metrics() {
                    metrics.append_record_batch(columns).map_err(write)?;
                }
                outcome.logs += prepared.log_count();
                outcome.metrics += prepared.metric_count();
                keyed |= prepared.is_keyed();
            }
            let before = (direct_logs.len(), direct_points.len());
            direct_logs.extend(batch.logs.iter().filter(|record| appended_directly(batch.bulk, &record.record_key)));
            direct_points.extend(batch.metrics.iter().filter(|point| appended_directly(batch.bulk, &point.record_key)));
            outcome.logs += direct_logs.len() - before.0;
            outcome.metrics += direct_points.len() - before.1;
            keyed |= direct_logs[before.0..].iter().any(|record| record.record_key.is_some())
                || direct_points[before.1..].iter().any(|point| point.record_key.is_some());
        }
        append_logs(&mut logs, &direct_logs).map_err(write)?;
        logs.flush().map_err(write)?;
        append_metrics(&mut metrics, &direct_points).map_err(write)?;
        metrics.flush().map_err(write)?;
        if keyed {
            super::bulk_finish::note_keyed_rows_appended(connection)?;
        }
    }

    // Spans are staged for the whole group and inserted by one statement (a group of journalled
    // requests may hold hundreds); the spans added are attributed to the batches in order, which is
    // exact for one batch (only a write that waits for its commit reads its outcome).
    if batches.iter().any(|batch| !batch.spans.is_empty()) {
        let mut added = insert_new_spans(connection, batches)?;
        for (batch, outcome) in batches.iter().zip(outcomes.iter_mut()) {
            outcome.spans = batch.spans.len().min(added);
            added -= outcome.spans;
        }
    }

    // Keyed rows (session files') are staged per batch, so each batch's count of added rows is known.
    for (batch, outcome) in batches.iter().zip(outcomes.iter_mut()) {
        if !batch.bulk && batch.logs.iter().any(|record| record.record_key.is_some()) {
            outcome.logs += insert_new_keyed_logs(connection, batch)?;
        }
        if !batch.bulk && batch.metrics.iter().any(|point| point.record_key.is_some()) {
            outcome.metrics += insert_new_keyed_metrics(connection, batch)?;
        }
    }
    if batches.iter().any(|batch| !batch.usage.is_empty()) {
        let changed = upsert_usage(connection, pricer, batches, attribution, file_keys.appends_plainly(batches))?;
        for (outcome, changed) in outcomes.iter_mut().zip(changed) {
            outcome.usage = changed;
        }
    }
    super::import_counters::note_owed(connection, batches)?;
    insert_limits(connection, batches)?;
    Ok(outcomes)
}

/// Notes in `journal_state` that the journal is stored up to `sequence` (never lowers it).
pub(super) fn record_applied(connection: &Connection, sequence: u64) -> Result<(), StoreError> {
    connection.execute("UPDATE journal_state SET Applied = greatest(Applied, ?)", duckdb::params![sequence]).map_err(StoreError::write)?;
    Ok(())
}

/// Stores each reported plan-limit state once (a re-read of the same file repeats it).
fn insert_limits(connection: &Connection, batches: &[&WriteBatch]) -> Result<(), StoreError> {
    let limits: Vec<&crate::model::PlanLimit> = batches.iter().flat_map(|batch| batch.limits.iter()).collect();
    if limits.is_empty() {
        return Ok(());
    }
    let mut statement = connection
        .prepare("INSERT OR IGNORE INTO plan_limits (Tool, LimitWindow, UsedPercent, ResetsAt, ObservedAt, Source, PlanType) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .map_err(StoreError::write)?;
    for limit in limits {
        statement
            .execute(duckdb::params![
                limit.tool.key(),
                limit.window.key(),
                limit.used_percent,
                limit.resets_at.map(|seconds| timestamp_value(seconds.saturating_mul(1_000_000_000))),
                timestamp_value(limit.observed_at),
                limit.source.key(),
                limit.plan_type,
            ])
            .map_err(StoreError::write)?;
    }
    Ok(())
}

fn time_window<I: Iterator<Item = i64>>(times: I) -> (duckdb::types::Value, duckdb::types::Value) {
    let (min, max) = times.fold((i64::MAX, i64::MIN), |(min, max), time| (min.min(time), max.max(time)));
    (timestamp_value(min), timestamp_value(max))
}

fn insert_new_spans(connection: &Connection, batches: &[&WriteBatch]) -> Result<usize, StoreError> {
    let write = StoreError::write;
    let spans: Vec<&crate::model::Span> = batches.iter().flat_map(|batch| batch.spans.iter()).collect();
    {
        let mut stage = connection.appender_to_catalog_and_db("stage_spans", "temp", "main").map_err(write)?;
        append_spans(&mut stage, &spans).map_err(write)?;
        stage.flush().map_err(write)?;
    }
    let (from, to) = time_window(spans.iter().map(|span| span.start_time));
    let inserted = connection
        .execute(
            "INSERT INTO otel_traces
             SELECT s.* FROM temp.stage_spans s
             ANTI JOIN (SELECT ServiceName, TraceId, SpanId FROM otel_traces WHERE Timestamp BETWEEN ? AND ?) t
               ON t.ServiceName = s.ServiceName AND t.TraceId = s.TraceId AND t.SpanId = s.SpanId
             QUALIFY row_number() OVER (PARTITION BY s.ServiceName, s.TraceId, s.SpanId ORDER BY s.Timestamp) = 1",
            duckdb::params![from, to],
        )
        .map_err(write)?;
    connection.execute_batch("DELETE FROM temp.stage_spans").map_err(write)?;
    Ok(inserted)
}

fn insert_new_keyed_logs(connection: &Connection, batch: &WriteBatch) -> Result<usize, StoreError> {
    let write = StoreError::write;
    let keyed: Vec<_> = batch.logs.iter().filter(|record| record.record_key.is_some()).collect();
    {
        let mut stage = connection.appender_to_catalog_and_db("stage_logs", "temp", "main").map_err(write)?;
        append_logs(&mut stage, &keyed).map_err(write)?;
        stage.flush().map_err(write)?;
    }
    let (from, to) = time_window(keyed.iter().map(|record| record.time));
    let replaced = connection
        .execute(
            "DELETE FROM otel_logs WHERE Timestamp BETWEEN ? AND ? AND RecordKey IN (SELECT RecordKey FROM temp.stage_logs)",
            duckdb::params![from, to],
        )
        .map_err(write)?;
    // A key repeated in the batch at the same time keeps its last copy (the staged rows' order), as
    // the bulk path does.
    let inserted = connection
        .execute(
            "INSERT INTO otel_logs
             SELECT * FROM temp.stage_logs
             QUALIFY row_number() OVER (PARTITION BY RecordKey ORDER BY Timestamp DESC, rowid DESC) = 1",
            [],
        )
        .map_err(write)?;
    connection.execute_batch("DELETE FROM temp.stage_logs").map_err(write)?;
    Ok(inserted.saturating_sub(replaced))
}

fn insert_new_keyed_metrics(connection: &Connection, batch: &WriteBatch) -> Result<usize, StoreError> {
    let write = StoreError::write;
    let keyed: Vec<_> = batch.metrics.iter().filter(|point| point.record_key.is_some()).collect();
    {
        let mut stage = connection.appender_to_catalog_and_db("stage_metrics", "temp", "main").map_err(write)?;
        append_metrics(&mut stage, &keyed).map_err(write)?;
        stage.flush().map_err(write)?;
    }
    let (from, to) = time_window(keyed.iter().map(|point| point.time));
    let replaced = connection
        .execute(
            "DELETE FROM otel_metrics WHERE Timestamp BETWEEN ? AND ? AND RecordKey IN (SELECT RecordKey FROM temp.stage_metrics)",
            duckdb::params![from, to],
        )
        .map_err(write)?;
    let inserted = connection
        .execute(
            "INSERT INTO otel_metrics
             SELECT * FROM temp.stage_metrics
             QUALIFY row_number() OVER (PARTITION BY RecordKey ORDER BY Timestamp DESC, rowid DESC) = 1",
            [],
        )
        .map_err(write)?;
    connection.execute_batch("DELETE FROM temp.stage_metrics").map_err(write)?;
    Ok(inserted.saturating_sub(replaced))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Tool, UsageRecord, UsageSource};

    fn record(key: &str, output_tokens: i64) -> UsageRecord {
        UsageRecord {
            record_key: key.to_owned(),
            time: 1_764_547_200_000_000_000,
            tool: Some(Tool::ClaudeCode),
            source: Some(UsageSource::Import),
            service_name: "claude-code".to_owned(),
            session_id: Some("session".to_owned()),
            model: "claude-sonnet-4-5".to_owned(),
            output_tokens,
            ..UsageRecord::default()
        }
    }

    fn batch(usage: Vec<UsageRecord>) -> WriteBatch {
        WriteBatch { usage, ..WriteBatch::default() }
    }

    /// Each stored usage key with its output tokens, by key.
    fn stored_outputs(connection: &Connection) -> Vec<(String, i64)> {
        connection
            .prepare("SELECT RecordKey, OutputTokens FROM usage_records ORDER BY RecordKey")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    fn usage_counts(connection: &Connection, pricer: &SharedPricer, batches: &[WriteBatch]) -> Vec<usize> {
        attributed_usage_counts(connection, pricer, batches, Attribution::Exact)
    }

    fn attributed_usage_counts(
        connection: &Connection,
        pricer: &SharedPricer,
        batches: &[WriteBatch],
        attribution: Attribution,
    ) -> Vec<usize> {
        let batches: Vec<&WriteBatch> = batches.iter().collect();
        write_group(connection, pricer, &FileKeysStored::default(), &batches, attribution)
            .unwrap()
            .iter()
            .map(|outcome| outcome.usage)
            .collect()
    }

    /// A group no one reads by batch hands its changed keys to the batches in order, each taking at
    /// most its own keys, and stores what an exactly counted group stores.
    #[test]
    fn a_group_read_by_no_one_hands_its_count_out_in_order() {
        let pricer: SharedPricer = Arc::new(std::sync::RwLock::new(None));
        let group = [batch(vec![record("a", 1), record("b", 1)]), batch(vec![record("b", 2), record("c", 1)]), batch(vec![record("a", 1)])];
        let mut stored = Vec::new();
        for (attribution, expected) in [(Attribution::Exact, [2, 2, 1]), (Attribution::InOrder, [2, 1, 0])] {
            let connection = Connection::open_in_memory().unwrap();
            super::super::schema::migrate(&connection).unwrap();
            create_staging_tables(&connection).unwrap();
            assert_eq!(attributed_usage_counts(&connection, &pricer, &group, attribution), expected, "{attribution:?}");
            stored.push(stored_outputs(&connection));
        }
        let expected = [("a", 1), ("b", 2), ("c", 1)].map(|(key, output)| (key.to_owned(), output));
        assert_eq!(stored, [expected.to_vec(), expected.to_vec()]);
    }

    /// A write counts the keys it inserted or updated, whether DuckDB gives a row count (one batch)
    /// or the changed keys (a group): a repeat with no more output tokens is not a change, and a key
    /// twice in a batch is one.
    #[test]
    fn a_write_counts_each_usage_key_it_inserted_or_updated_once() {
        let connection = Connection::open_in_memory().unwrap();
        super::super::schema::migrate(&connection).unwrap();
        create_staging_tables(&connection).unwrap();
        let pricer: SharedPricer = Arc::new(std::sync::RwLock::new(None));

        assert_eq!(usage_counts(&connection, &pricer, &[batch(vec![record("a", 10), record("b", 5)])]), [2]);
        let repeats = batch(vec![record("a", 10), record("b", 6), record("b", 7), record("c", 1)]);
        assert_eq!(usage_counts(&connection, &pricer, &[repeats]), [2]);
        let group = [batch(vec![record("c", 3)]), batch(vec![record("c", 2), record("d", 1), record("a", 9)])];
        assert_eq!(usage_counts(&connection, &pricer, &group), [1, 2]);

        let stored = stored_outputs(&connection);
        let expected = [("a", 10), ("b", 7), ("c", 3), ("d", 1)].map(|(key, output)| (key.to_owned(), output));
        assert_eq!(stored, expected);
    }
}
