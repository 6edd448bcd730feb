//! The `otel_logs` table as the API reads it: the column list and the decoder of one row, shared by
//! the log list and the transcript, and the rule that shows a request's event once.

use super::usage_records::IMPORTED_ALSO_IN_TELEMETRY;
use crate::wire::telemetry::{LogRecord, parse_attributes};

/// True for a per-request event an import wrote (`<usage record key>:api_request`) when telemetry
/// also reported that request: the tool's own event is already listed. Only imports write a
/// `RecordKey` (OTLP rows have none), so the key alone says where a row came from; reading its
/// `import_source` attribute as well parsed the JSON of every imported row (148 → 28 ms for the
/// log levels over 2.7 M records).
pub fn also_in_telemetry() -> String {
    format!("(RecordKey IS NOT NULL AND regexp_replace(RecordKey, ':api_request$', '') IN ({IMPORTED_ALSO_IN_TELEMETRY}))")
}

pub const LOG_COLUMNS: &str = "epoch_ns(Timestamp), TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body,
    ResourceSchemaUrl, ResourceAttributes::VARCHAR, ScopeSchemaUrl, ScopeName, ScopeVersion, ScopeAttributes::VARCHAR, LogAttributes::VARCHAR";

pub fn log_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<LogRecord> {
    Ok(LogRecord {
        timestamp: crate::model::time::rfc3339_nanos(row.get(0)?),
        trace_id: row.get(1)?,
        span_id: row.get(2)?,
        trace_flags: row.get(3)?,
        severity_text: row.get::<_, Option<String>>(4)?.filter(|text| !text.is_empty()),
        severity_number: row.get(5)?,
        service_name: row.get(6)?,
        body: row.get::<_, Option<String>>(7)?.filter(|text| !text.is_empty()),
        resource_schema_url: row.get(8)?,
        resource_attributes: parse_attributes(row.get(9)?),
        scope_schema_url: row.get(10)?,
        scope_name: row.get(11)?,
        scope_version: row.get(12)?,
        scope_attributes: parse_attributes(row.get(13)?),
        log_attributes: parse_attributes(row.get(14)?),
    })
}
