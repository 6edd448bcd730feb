//! Log list (newest first, filters and search) and log counts per severity; a request's event
//! imported from a session file is left out when telemetry reported the same request.

use super::QueryError;
use super::filters::Filters;
use super::list_page::{PageQuery, read_page};
use super::tables::otel_logs::{LOG_COLUMNS, also_in_telemetry, log_from_row};
use super::time_range::{Page, TimeRange};
use crate::store::Store;
use crate::wire::lenient;
use crate::wire::telemetry::LogRecord;
use chrono_tz::Tz;
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
    /// Only records whose event name contains this text (any case): `api_re` for the tools'
    /// request events. Reads one short column where `search` reads every body and attribute.
    #[ts(optional)]
    pub event: Option<String>,
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

pub async fn list(store: &Store, request: LogsListRequest, tz: Tz) -> Result<LogsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    filters.equals("SeverityText", request.severity.as_deref());
    filters.equals("TraceId", request.trace_id.as_deref());
    filters.search(&["Body", "ScopeName", "SeverityText", "LogAttributes::VARCHAR"], request.search.as_deref());
    filters.search(&["EventName"], request.event.as_deref());
    filters.push(&format!("NOT {}", also_in_telemetry()), []);
    let query = PageQuery {
        select: format!("SELECT {LOG_COLUMNS} FROM otel_logs {}", filters.where_sql()),
        order_by: "Timestamp DESC",
        params: filters.params(),
    };
    let page = read_page(store, query, page, log_from_row).await?;
    let (logs, total, has_more) = (page.items, page.total, page.has_more);
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
    filters.push(&format!("NOT {}", also_in_telemetry()), []);
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
