//! What one write carries: the rows of one OTLP request or one import step.

use super::StoreError;
use super::prepared_rows::PreparedRows;
use crate::model::{LogRecord, MetricPoint, PlanLimit, Span, UsageRecord};

#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct WriteBatch {
    pub spans: Vec<Span>,
    pub logs: Vec<LogRecord>,
    pub metrics: Vec<MetricPoint>,
    pub usage: Vec<UsageRecord>,
    /// Plan-limit states a tool reported (kept as history, one row per observation).
    pub limits: Vec<PlanLimit>,
    /// Written by a bulk import: its keyed log and metric rows are appended without looking for
    /// stored copies, and its usage records are stored unmatched (`Counted` NULL, which no spend
    /// figure counts). The import's end (`Store::end_bulk_writes`, `bulk_finish`) removes the
    /// copies and matches the records, each in one pass instead of one per commit.
    pub bulk: bool,
    /// Set by a first import's first pass on a bulk batch whose usage keys it sends for the first
    /// time: the writer appends them without an upsert while no other write can have stored one
    /// (`unseen_keys`). Never journalled: only bulk writes carry it.
    #[serde(skip)]
    pub usage_keys_unseen: bool,
    /// Set by a bulk import's full read to the `import_source` of its usage records, whose token
    /// and cost counters it did not build: the writer notes them as owed, and the import's end
    /// derives them from the stored records (`import_counters`). Never journalled.
    #[serde(skip)]
    pub counters_owed: Option<&'static str>,
    /// Set by a bulk import's full read: usage records its usage-first pass already stored as they
    /// are (`importers::spend_first::StoredAhead`), left out of `usage` and not written again;
    /// their counters are owed with the others (`counters_owed`). Never journalled.
    #[serde(skip)]
    pub usage_stored_ahead: Vec<UsageRecord>,
    /// The log records and metric points as DuckDB's appender takes them, built on the importer's
    /// thread (`prepare_for_append`); `logs` and `metrics` are then empty. Never journalled: only
    /// imports, which wait for their commit, prepare their rows.
    #[serde(skip)]
    pub prepared: Option<Box<PreparedRows>>,
}

impl WriteBatch {
    pub fn row_count(&self) -> usize {
        let prepared = self.prepared.as_ref().map_or(0, |prepared| prepared.log_count() + prepared.metric_count());
        self.spans.len() + self.logs.len() + self.metrics.len() + self.usage.len() + self.limits.len() + prepared
    }

    /// Turns a bulk batch's log records and metric points into the columns the writer appends
    /// (`PreparedRows`), here rather than on the writer's thread; the rows themselves are freed
    /// here too. Only a bulk batch's rows are appended as they are, so only those are prepared.
    pub fn prepare_for_append(&mut self) -> Result<(), StoreError> {
        if !self.bulk || self.prepared.is_some() || (self.logs.is_empty() && self.metrics.is_empty()) {
            return Ok(());
        }
        self.prepared = Some(Box::new(PreparedRows::of(&self.logs, &self.metrics)?));
        self.logs = Vec::new();
        self.metrics = Vec::new();
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.row_count() == 0 && self.usage_stored_ahead.is_empty()
    }

    /// Keeps only the last copy of each keyed log record and metric point (rows without a key all
    /// stay), in order: what a bulk import's end keeps of them (`bulk_finish`), found here before
    /// they are written. Session files repeat keys within one read: a first import of the generated
    /// 942 MB history appended 359 833 such copies only for its end to remove them.
    pub fn keep_last_copy_of_each_key(&mut self) {
        keep_last_per_key(&mut self.logs, |record| record.record_key.as_deref());
        keep_last_per_key(&mut self.metrics, |point| point.record_key.as_deref());
    }

    /// Adds `other`'s rows (batches are gathered before they are prepared).
    pub fn extend(&mut self, other: WriteBatch) {
        debug_assert!(other.prepared.is_none() && self.prepared.is_none(), "prepared rows are never gathered");
        self.spans.extend(other.spans);
        self.logs.extend(other.logs);
        self.metrics.extend(other.metrics);
        self.usage.extend(other.usage);
        self.limits.extend(other.limits);
    }
}

/// Removes every row of `rows` whose key a later row has too.
fn keep_last_per_key<T>(rows: &mut Vec<T>, key: impl Fn(&T) -> Option<&str>) {
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::new();
        let mut keep: Vec<bool> = rows.iter().rev().map(|row| key(row).is_none_or(|key| seen.insert(key))).collect();
        keep.reverse();
        keep
    };
    let mut flags = keep.into_iter();
    rows.retain(|_| flags.next().unwrap_or(true));
}

/// Rows that a committed batch actually added (duplicates of stored rows are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteOutcome {
    pub spans: usize,
    pub logs: usize,
    pub metrics: usize,
    pub usage: usize,
}

impl WriteOutcome {
    /// What a journalled write answers before DuckDB stores it: the rows it brought (copies of
    /// stored rows are found only when the writer stores them).
    pub fn accepted(batch: &WriteBatch) -> WriteOutcome {
        WriteOutcome { spans: batch.spans.len(), logs: batch.logs.len(), metrics: batch.metrics.len(), usage: batch.usage.len() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(key: Option<&str>, body: &str) -> LogRecord {
        LogRecord { record_key: key.map(str::to_owned), body: body.to_owned(), ..LogRecord::default() }
    }

    fn point(key: &str, value: f64) -> MetricPoint {
        let mut point = MetricPoint::derived_sum(0, "codex", "codex_cli_rs.token.usage", "tokens", "", Default::default(), value);
        point.record_key = Some(key.to_owned());
        point
    }

    #[test]
    fn the_last_copy_of_a_key_stays_in_its_place_and_rows_without_a_key_all_stay() {
        let mut batch = WriteBatch {
            logs: vec![
                log(Some("a"), "a1"),
                log(None, "otlp1"),
                log(Some("b"), "b"),
                log(Some("a"), "a2"),
                log(None, "otlp2"),
                log(Some("a"), "a3"),
            ],
            metrics: vec![point("m", 1.0), point("m", 2.0)],
            ..WriteBatch::default()
        };
        batch.keep_last_copy_of_each_key();
        let bodies: Vec<&str> = batch.logs.iter().map(|record| record.body.as_str()).collect();
        assert_eq!(bodies, ["otlp1", "b", "otlp2", "a3"]);
        let values: Vec<Option<f64>> = batch.metrics.iter().map(|point| point.value).collect();
        assert_eq!(values, [Some(2.0)]);
    }

    #[test]
    fn only_a_bulk_batch_is_prepared_and_it_keeps_its_row_count() {
        let rows =
            || WriteBatch { logs: vec![log(Some("a"), "a"), log(None, "otlp")], metrics: vec![point("m", 1.0)], ..WriteBatch::default() };
        let mut plain = rows();
        plain.prepare_for_append().unwrap();
        assert!(plain.prepared.is_none());
        assert_eq!((plain.logs.len(), plain.metrics.len(), plain.row_count()), (2, 1, 3));

        let mut bulk = WriteBatch { bulk: true, ..rows() };
        bulk.prepare_for_append().unwrap();
        let prepared = bulk.prepared.as_ref().expect("prepared");
        assert_eq!((prepared.log_count(), prepared.metric_count(), prepared.is_keyed()), (2, 1, true));
        assert_eq!((bulk.logs.len(), bulk.metrics.len(), bulk.row_count()), (0, 0, 3));
    }
}
