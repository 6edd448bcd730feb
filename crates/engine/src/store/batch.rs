//! What one write carries: the rows of one OTLP request or one import step.

use crate::model::{LogRecord, MetricPoint, PlanLimit, Span, UsageRecord};

#[derive(Debug, Default, Clone)]
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
}

impl WriteBatch {
    pub fn row_count(&self) -> usize {
        self.spans.len() + self.logs.len() + self.metrics.len() + self.usage.len() + self.limits.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_count() == 0
    }

    pub fn extend(&mut self, other: WriteBatch) {
        self.spans.extend(other.spans);
        self.logs.extend(other.logs);
        self.metrics.extend(other.metrics);
        self.usage.extend(other.usage);
        self.limits.extend(other.limits);
    }
}

/// Rows that a committed batch actually added (duplicates of stored rows are not counted).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteOutcome {
    pub spans: usize,
    pub logs: usize,
    pub metrics: usize,
    pub usage: usize,
}
