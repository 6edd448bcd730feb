//! The `otel_metrics` table as the API reads it: the column list, the decoder of one row, and the
//! rule that keeps a request's token and cost points from counting twice.

use super::usage_records::IMPORTED_ALSO_IN_TELEMETRY;
use crate::wire::telemetry::{MetricDataPoint, parse_attributes};

pub const METRIC_COLUMNS: &str = "epoch_ns(Timestamp), ServiceName, MetricName, MetricDescription, MetricUnit, ResourceAttributes::VARCHAR,
    ScopeName, ScopeVersion, Attributes::VARCHAR, MetricType, Value, AggregationTemporality, IsMonotonic, Count, Sum, Min, Max";

/// True for a point an import wrote for one model request (token and cost counters keyed
/// `<usage record key>:token:<type>`, `:token_uf:<type>`, `:cost`, `:cost_uf`) when telemetry also
/// reported that request (a usage record from OTLP with the same `MatchKey`): the tool's own
/// telemetry points already count it. Series leave these points out, so a metric summed over any
/// range counts each request once, as spend does, whichever sources loaded it. Only imports write
/// a `RecordKey`, so the key alone says a point came from a file.
pub fn also_in_telemetry() -> String {
    format!(
        "(RecordKey IS NOT NULL AND regexp_replace(RecordKey, ':(token|token_uf):[^:]+$|:(cost|cost_uf)$', '') IN ({IMPORTED_ALSO_IN_TELEMETRY}))"
    )
}

pub fn point_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<MetricDataPoint> {
    Ok(MetricDataPoint {
        timestamp: crate::model::time::rfc3339_nanos(row.get(0)?),
        service_name: row.get(1)?,
        metric_name: row.get(2)?,
        metric_description: row.get(3)?,
        metric_unit: row.get(4)?,
        resource_attributes: parse_attributes(row.get(5)?),
        scope_name: row.get(6)?,
        scope_version: row.get(7)?,
        attributes: parse_attributes(row.get(8)?),
        metric_type: row.get(9)?,
        value: row.get(10)?,
        aggregation_temporality: row.get(11)?,
        is_monotonic: row.get(12)?,
        count: row.get(13)?,
        sum: row.get(14)?,
        min: row.get(15)?,
        max: row.get(16)?,
    })
}
