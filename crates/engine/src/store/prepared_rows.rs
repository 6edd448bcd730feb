//! A bulk import's log records and metric points turned into the Arrow columns DuckDB's appender
//! takes, on the importer's thread (`WriteBatch::prepare_for_append`), before the batch reaches
//! the writer. The writer thread is a first import's bottleneck; serialising attributes to JSON,
//! building the columns and freeing the rows was about an eighth of its time there
//! (docs/benchmarks.md), and now runs beside it on the readers' threads.
//!
//! Only imports prepare their rows: they wait for the commit and are never journalled, so the
//! prepared columns (which the journal does not hold) are stored or the import reports the failure.

use super::StoreError;
use super::rows::{log_columns, metric_columns};
use crate::model::{LogRecord, MetricPoint};
use duckdb::arrow::record_batch::RecordBatch;

/// The columns of a batch's log records and metric points, ready to append.
#[derive(Debug, Clone, Default)]
pub struct PreparedRows {
    logs: Option<RecordBatch>,
    metrics: Option<RecordBatch>,
    /// Whether any of them carries a natural key (the import's end then removes stored copies).
    keyed: bool,
}

impl PreparedRows {
    /// Builds the columns of `logs` and `points`, in their order.
    pub fn of(logs: &[LogRecord], points: &[MetricPoint]) -> Result<PreparedRows, StoreError> {
        let keyed = logs.iter().any(|record| record.record_key.is_some()) || points.iter().any(|point| point.record_key.is_some());
        let logs: Vec<&LogRecord> = logs.iter().collect();
        let points: Vec<&MetricPoint> = points.iter().collect();
        let write = StoreError::write;
        Ok(PreparedRows {
            logs: (!logs.is_empty()).then(|| log_columns(&logs)).transpose().map_err(write)?,
            metrics: (!points.is_empty()).then(|| metric_columns(&points)).transpose().map_err(write)?,
            keyed,
        })
    }

    pub fn log_count(&self) -> usize {
        self.logs.as_ref().map_or(0, RecordBatch::num_rows)
    }

    pub fn metric_count(&self) -> usize {
        self.metrics.as_ref().map_or(0, RecordBatch::num_rows)
    }

    pub fn is_keyed(&self) -> bool {
        self.keyed
    }

    /// The log columns, if there are log records (cheap: the columns are shared, not copied).
    pub fn logs(&self) -> Option<RecordBatch> {
        self.logs.clone()
    }

    /// The metric columns, if there are metric points.
    pub fn metrics(&self) -> Option<RecordBatch> {
        self.metrics.clone()
    }
}
