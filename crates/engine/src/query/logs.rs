//! Log list (newest first, filters and search) and log counts per severity.

use super::QueryError;
use super::filters::Filters;
use super::time_range::{Page, TimeRange};
use crate::store::Store;
use crate::wire::lenient;
use crate::wire::telemetry::{LogRecord, parse_attributes};
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LogsListRequest {
    #[ts(optional)]
    pub service: Option<String>,
    #[ts(optional)]
    pub severity: Option<String>,
    #[ts(optional)]
    pub trace_id: Option<String>,
    #[ts(optional)]
    pub search: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default, deserialize_with = "lenient::option_u32")]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LogsListResponse {
    pub logs: Vec<LogRecord>,
    #[ts(type = "number")]
    pub total: i64,
    pub has_more: bool,
}

const LOG_COLUMNS: &str = "epoch_ns(Timestamp), TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber, ServiceName, Body,
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

pub async fn list(store: &Store, request: LogsListRequest, tz: Tz) -> Result<LogsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    filters.equals("SeverityText", request.severity.as_deref());
    filters.equals("TraceId", request.trace_id.as_deref());
    filters.search(&["Body", "ScopeName", "SeverityText", "LogAttributes::VARCHAR"], request.search.as_deref());
    let where_sql = filters.where_sql();
    let count_sql = format!("SELECT count(*) FROM otel_logs {where_sql}");
    let list_sql = format!("SELECT {LOG_COLUMNS} FROM otel_logs {where_sql} ORDER BY Timestamp DESC LIMIT ? OFFSET ?");
    let count_params = filters.params();
    let list_params = filters.params_with([Value::BigInt(i64::from(page.limit)), Value::BigInt(i64::from(page.offset))]);
    let (logs, total) = store
        .read(move |connection| {
            let total: i64 = connection.query_row(&count_sql, duckdb::params_from_iter(count_params), |row| row.get(0))?;
            let mut statement = connection.prepare(&list_sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(list_params))?;
            let mut logs = Vec::new();
            while let Some(row) = rows.next()? {
                logs.push(log_from_row(row)?);
            }
            Ok((logs, total))
        })
        .await?;
    let has_more = page.has_more(logs.len(), total);
    Ok(LogsListResponse { logs, total, has_more })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LogLevelsRequest {
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[ts(optional)]
    pub service: Option<String>,
}

/// `{"INFO": 12, ...}` within the time range (the original ignored the range).
pub async fn levels(store: &Store, request: LogLevelsRequest, tz: Tz) -> Result<BTreeMap<String, i64>, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    let sql = format!(
        "SELECT coalesce(nullif(SeverityText, ''), 'UNSET'), count(*) FROM otel_logs {} GROUP BY 1 ORDER BY 1",
        filters.where_sql()
    );
    let params = filters.params();
    Ok(store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut levels = BTreeMap::new();
            while let Some(row) = rows.next()? {
                levels.insert(row.get::<_, String>(0)?, row.get::<_, i64>(1)?);
            }
            Ok(levels)
        })
        .await?)
}
