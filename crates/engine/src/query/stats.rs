//! All-time counts for the dashboard's stat widgets, and the list of services.

use super::QueryError;
use super::metrics::string_column;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct EmptyRequest {}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Stats {
    #[ts(type = "number")]
    pub trace_count: i64,
    #[ts(type = "number")]
    pub raw_trace_count: i64,
    #[ts(type = "number")]
    pub codex_operation_count: i64,
    #[ts(type = "number")]
    pub span_count: i64,
    #[ts(type = "number")]
    pub log_count: i64,
    #[ts(type = "number")]
    pub metric_count: i64,
    #[ts(type = "number")]
    pub service_count: i64,
    pub services: Vec<String>,
    /// Percentage of spans with status ERROR.
    pub error_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ServicesResponse {
    pub services: Vec<String>,
}

const SERVICES_SQL: &str =
    "SELECT ServiceName FROM otel_traces UNION SELECT ServiceName FROM otel_logs UNION SELECT ServiceName FROM otel_metrics ORDER BY 1";

pub async fn services(store: &Store, _request: EmptyRequest) -> Result<ServicesResponse, QueryError> {
    let services = store.read(|connection| string_column(connection, SERVICES_SQL, Vec::new())).await?;
    Ok(ServicesResponse { services })
}

pub async fn stats(store: &Store, _request: EmptyRequest) -> Result<Stats, QueryError> {
    Ok(store
        .read(|connection| {
            let (span_count, raw_trace_count, error_spans): (i64, i64, i64) = connection.query_row(
                "SELECT count(*), count(DISTINCT TraceId), count(*) FILTER (WHERE StatusCode = 'ERROR') FROM otel_traces",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
            let log_count: i64 = connection.query_row("SELECT count(*) FROM otel_logs", [], |row| row.get(0))?;
            let metric_count: i64 = connection.query_row("SELECT count(*) FROM otel_metrics", [], |row| row.get(0))?;
            let services = string_column(connection, SERVICES_SQL, Vec::new())?;
            Ok(Stats {
                trace_count: raw_trace_count,
                raw_trace_count,
                codex_operation_count: 0,
                span_count,
                log_count,
                metric_count,
                service_count: services.len() as i64,
                services,
                error_rate: if span_count == 0 { 0.0 } else { error_spans as f64 * 100.0 / span_count as f64 },
            })
        })
        .await?)
}
