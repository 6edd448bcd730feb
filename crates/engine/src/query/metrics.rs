//! Raw metric data points, metric names and the values of a breakdown attribute.

use super::QueryError;
use super::filters::{Filters, attribute_path};
use super::list_page::{PageQuery, read_page};
use super::tables::otel_metrics::{METRIC_COLUMNS, point_from_row};
use super::time_range::{Page, TimeRange};
use crate::store::Store;
use crate::wire::lenient;
use crate::wire::telemetry::MetricDataPoint;
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct MetricsListRequest {
    #[ts(optional)]
    pub service: Option<String>,
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(rename = "type")]
    #[ts(optional, rename = "type")]
    pub metric_type: Option<String>,
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
pub struct MetricsListResponse {
    pub metrics: Vec<MetricDataPoint>,
    #[ts(type = "number")]
    pub total: i64,
    pub has_more: bool,
}

pub async fn list(store: &Store, request: MetricsListRequest, tz: Tz) -> Result<MetricsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    filters.equals("MetricName", request.name.as_deref());
    filters.equals("MetricType", request.metric_type.as_deref());
    let query = PageQuery {
        select: format!("SELECT {METRIC_COLUMNS} FROM otel_metrics {}", filters.where_sql()),
        order_by: "Timestamp DESC",
        params: filters.params(),
    };
    let page = read_page(store, query, page, point_from_row).await?;
    let (metrics, total, has_more) = (page.items, page.total, page.has_more);
    Ok(MetricsListResponse { metrics, total, has_more })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct MetricNamesRequest {
    #[ts(optional)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct MetricNamesResponse {
    pub names: Vec<String>,
}

pub async fn names(store: &Store, request: MetricNamesRequest) -> Result<MetricNamesResponse, QueryError> {
    let mut filters = Filters::new();
    filters.equals("ServiceName", request.service.as_deref());
    let sql = format!("SELECT DISTINCT MetricName FROM otel_metrics {} ORDER BY 1", filters.where_sql());
    let params = filters.params();
    let names = store.read(move |connection| string_column(connection, &sql, params)).await?;
    Ok(MetricNamesResponse { names })
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BreakdownValuesRequest {
    pub name: Option<String>,
    pub attribute: Option<String>,
    #[ts(optional)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BreakdownValuesResponse {
    pub values: Vec<String>,
}

pub async fn breakdown_values(store: &Store, request: BreakdownValuesRequest) -> Result<BreakdownValuesResponse, QueryError> {
    let name = request.name.filter(|name| !name.trim().is_empty()).ok_or_else(|| QueryError::invalid("name is required"))?;
    let attribute = request.attribute.filter(|key| !key.trim().is_empty()).ok_or_else(|| QueryError::invalid("attribute is required"))?;
    let path = attribute_path(&attribute)?;
    let mut filters = Filters::new();
    filters.equals("MetricName", Some(&name));
    filters.equals("ServiceName", request.service.as_deref());
    let sql = format!(
        "SELECT DISTINCT value FROM (SELECT json_extract_string(Attributes, ?) AS value FROM otel_metrics {}) WHERE value IS NOT NULL ORDER BY 1",
        filters.where_sql()
    );
    let mut params = vec![Value::Text(path)];
    params.extend(filters.params());
    let values = store.read(move |connection| string_column(connection, &sql, params)).await?;
    Ok(BreakdownValuesResponse { values })
}

pub(super) fn string_column(
    connection: &duckdb::Connection,
    sql: &str,
    params: Vec<Value>,
) -> Result<Vec<String>, crate::store::StoreError> {
    let mut statement = connection.prepare(sql)?;
    let mut rows = statement.query(duckdb::params_from_iter(params))?;
    let mut values = Vec::new();
    while let Some(row) = rows.next()? {
        values.push(row.get::<_, String>(0)?);
    }
    Ok(values)
}
