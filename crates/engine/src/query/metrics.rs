//! Raw metric data points, metric names and the values of a breakdown attribute.

use super::QueryError;
use super::filters::{Filters, attribute_path};
use super::time_range::{Page, TimeRange};
use crate::store::Store;
use crate::wire::lenient;
use crate::wire::telemetry::{MetricDataPoint, parse_attributes};
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

const METRIC_COLUMNS: &str = "epoch_ns(Timestamp), ServiceName, MetricName, MetricDescription, MetricUnit, ResourceAttributes::VARCHAR,
    ScopeName, ScopeVersion, Attributes::VARCHAR, MetricType, Value, AggregationTemporality, IsMonotonic, Count, Sum, Min, Max";

pub async fn list(store: &Store, request: MetricsListRequest, tz: Tz) -> Result<MetricsListResponse, QueryError> {
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let page = Page::new(request.limit, request.offset);
    let mut filters = Filters::new();
    filters.time("Timestamp", &range);
    filters.equals("ServiceName", request.service.as_deref());
    filters.equals("MetricName", request.name.as_deref());
    filters.equals("MetricType", request.metric_type.as_deref());
    let where_sql = filters.where_sql();
    let count_sql = format!("SELECT count(*) FROM otel_metrics {where_sql}");
    let list_sql = format!("SELECT {METRIC_COLUMNS} FROM otel_metrics {where_sql} ORDER BY Timestamp DESC LIMIT ? OFFSET ?");
    let count_params = filters.params();
    let list_params = filters.params_with([Value::BigInt(i64::from(page.limit)), Value::BigInt(i64::from(page.offset))]);
    let (metrics, total) = store
        .read(move |connection| {
            let total: i64 = connection.query_row(&count_sql, duckdb::params_from_iter(count_params), |row| row.get(0))?;
            let mut statement = connection.prepare(&list_sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(list_params))?;
            let mut metrics = Vec::new();
            while let Some(row) = rows.next()? {
                metrics.push(MetricDataPoint {
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
                });
            }
            Ok((metrics, total))
        })
        .await?;
    let has_more = page.has_more(metrics.len(), total);
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
