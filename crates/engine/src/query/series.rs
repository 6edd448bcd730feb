//! Metric time series for charts: bucketed or aggregated over the whole range, split by service and
//! by the `type` and `model` labels.
//!
//! How values combine depends on the metric's kind (read from its newest row): gauges average,
//! delta sums and delta histograms (by their sum) add up, and cumulative sums and histograms take
//! the last value of each underlying series (attributes + start time) in a bucket before adding
//! series together, so concurrent sessions neither overwrite nor repeat each other. A request's
//! imported token and cost points are left out when telemetry also reported it
//! (`otel_metrics::also_in_telemetry`), so the series of a request add up as spend does.

use super::QueryError;
use super::filters::Filters;
use super::tables::otel_metrics::also_in_telemetry;
use super::time_range::TimeRange;
use crate::store::Store;
use crate::wire::lenient;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

const DEFAULT_INTERVAL_SECONDS: i64 = 60;
const MAX_INTERVAL_SECONDS: i64 = 86_400;
/// Most buckets one series may have; a longer range gets a wider interval.
const MAX_BUCKETS: i64 = 2_000;
const MAX_BATCH_QUERIES: usize = 50;

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SeriesRequest {
    pub name: Option<String>,
    #[ts(optional)]
    pub service: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    /// Bucket width in seconds.
    #[serde(default, deserialize_with = "lenient::option_i64")]
    #[ts(optional, type = "number")]
    pub interval: Option<i64>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    #[ts(optional)]
    pub aggregate: Option<bool>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TimeSeries {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// `[epochMillis, value]`; an aggregate is one point at time 0.
    #[ts(type = "[number, number][]")]
    pub datapoints: Vec<(i64, f64)>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SeriesResponse {
    pub series: Vec<TimeSeries>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combination {
    Average,
    Sum,
    LastPerSeries,
}

pub async fn series(store: &Store, request: SeriesRequest, tz: Tz) -> Result<SeriesResponse, QueryError> {
    let name = request.name.filter(|name| !name.trim().is_empty()).ok_or_else(|| QueryError::invalid("name is required"))?;
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let interval = effective_interval(request.interval, &range)?;
    let series = query_series(store, name, request.service, range, interval, request.aggregate.unwrap_or(false)).await?;
    Ok(SeriesResponse { series })
}

fn effective_interval(requested: Option<i64>, range: &TimeRange) -> Result<i64, QueryError> {
    let interval = requested.unwrap_or(DEFAULT_INTERVAL_SECONDS);
    if interval <= 0 {
        return Err(QueryError::invalid("interval must be a positive number of seconds"));
    }
    let span_seconds = (range.to - range.from).num_seconds().max(1);
    let minimum_for_bucket_cap = (span_seconds + MAX_BUCKETS - 1) / MAX_BUCKETS;
    Ok(interval.min(MAX_INTERVAL_SECONDS).max(minimum_for_bucket_cap))
}

const LABEL_TYPE: &str = "coalesce(json_extract_string(Attributes, '$.type'), json_extract_string(Attributes, '$.\"gen_ai.token.type\"'), json_extract_string(Attributes, '$.token_type'), 'default')";
const LABEL_MODEL: &str =
    "coalesce(json_extract_string(Attributes, '$.model'), json_extract_string(Attributes, '$.\"gen_ai.request.model\"'), '')";

async fn query_series(
    store: &Store,
    name: String,
    service: Option<String>,
    range: TimeRange,
    interval_seconds: i64,
    aggregate: bool,
) -> Result<Vec<TimeSeries>, QueryError> {
    let combination = combination_of(store, &name, service.as_deref()).await?;
    let Some(combination) = combination else { return Ok(Vec::new()) };
    let mut filters = Filters::new();
    filters.equals("MetricName", Some(&name));
    filters.equals("ServiceName", service.as_deref());
    filters.time("Timestamp", &range);
    filters.push(&format!("NOT {}", also_in_telemetry()), []);
    let bucket_millis = interval_seconds * 1000;
    let bucket_expression = if aggregate { "0".to_owned() } else { format!("(epoch_ms(Timestamp) // {bucket_millis}) * {bucket_millis}") };
    // Cumulative series take the last value of each underlying series (attributes + start time)
    // before series are added together; histograms count by their sum.
    let base = format!(
        "SELECT ServiceName AS service, {LABEL_TYPE} AS kind, {LABEL_MODEL} AS model, Attributes::VARCHAR AS series_key, StartTimestamp,
                Timestamp, coalesce(Value, Sum) AS value, {bucket_expression} AS bucket
         FROM otel_metrics {where_sql}",
        where_sql = filters.where_sql()
    );
    let sql = match combination {
        Combination::LastPerSeries if aggregate => format!(
            "WITH base AS ({base}), per_series AS (
                SELECT service, kind, model,
                       arg_max(value, Timestamp) - CASE WHEN min(StartTimestamp) >= ? THEN 0 ELSE arg_min(value, Timestamp) END AS value
                FROM base GROUP BY service, kind, model, series_key, StartTimestamp
             )
             SELECT service, kind, model, 0 AS bucket, sum(value) FROM per_series GROUP BY ALL"
        ),
        Combination::LastPerSeries => format!(
            "WITH base AS ({base}), per_series AS (
                SELECT service, kind, model, bucket, arg_max(value, Timestamp) AS value
                FROM base GROUP BY service, kind, model, series_key, StartTimestamp, bucket
             )
             SELECT service, kind, model, bucket, sum(value) FROM per_series GROUP BY ALL"
        ),
        other => {
            let value = match other {
                Combination::Average => "avg(value)",
                _ => "sum(coalesce(value, 0))",
            };
            format!("WITH base AS ({base}) SELECT service, kind, model, bucket, {value} FROM base GROUP BY ALL")
        }
    };
    let mut params = filters.params();
    if combination == Combination::LastPerSeries && aggregate {
        params.push(range.from_value());
    }
    let rows: Vec<(String, String, String, i64, f64)> = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get::<_, Option<f64>>(4)?.unwrap_or(0.0)));
            }
            Ok(found)
        })
        .await?;
    Ok(assemble(&name, rows, &range, bucket_millis, aggregate))
}

/// Groups rows into one series per label set; bucketed series get every bucket of the range
/// (missing ones are 0) so charts line up.
fn assemble(
    name: &str,
    rows: Vec<(String, String, String, i64, f64)>,
    range: &TimeRange,
    bucket_millis: i64,
    aggregate: bool,
) -> Vec<TimeSeries> {
    let mut grouped: BTreeMap<(String, String, String), BTreeMap<i64, f64>> = BTreeMap::new();
    for (service, kind, model, bucket, value) in rows {
        *grouped.entry((service, kind, model)).or_default().entry(bucket).or_default() += value;
    }
    let first_bucket = range.from.timestamp_millis().div_euclid(bucket_millis) * bucket_millis;
    let last_bucket = range.to.timestamp_millis().div_euclid(bucket_millis) * bucket_millis;
    grouped
        .into_iter()
        .map(|((service, kind, model), values)| {
            let mut labels = BTreeMap::new();
            labels.insert("service".to_owned(), service);
            labels.insert("type".to_owned(), kind);
            if !model.is_empty() {
                labels.insert("model".to_owned(), model);
            }
            let datapoints = if aggregate {
                vec![(0, values.values().sum())]
            } else {
                let mut points = Vec::new();
                let mut bucket = first_bucket;
                while bucket <= last_bucket {
                    points.push((bucket, values.get(&bucket).copied().unwrap_or(0.0)));
                    bucket += bucket_millis;
                }
                points
            };
            TimeSeries { name: name.to_owned(), labels, datapoints }
        })
        .collect()
}

async fn combination_of(store: &Store, name: &str, service: Option<&str>) -> Result<Option<Combination>, QueryError> {
    let mut filters = Filters::new();
    filters.equals("MetricName", Some(name));
    filters.equals("ServiceName", service);
    let sql =
        format!("SELECT MetricType, AggregationTemporality FROM otel_metrics {} ORDER BY Timestamp DESC LIMIT 1", filters.where_sql());
    let params = filters.params();
    let kind: Option<(String, Option<i32>)> = store
        .read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(params))?;
            Ok(match rows.next()? {
                Some(row) => Some((row.get(0)?, row.get(1)?)),
                None => None,
            })
        })
        .await?;
    Ok(kind.map(|(metric_type, temporality)| match (metric_type.as_str(), temporality) {
        ("gauge", _) => Combination::Average,
        ("sum" | "histogram" | "exponential_histogram" | "summary", Some(crate::model::TEMPORALITY_CUMULATIVE)) => {
            Combination::LastPerSeries
        }
        ("summary", None) => Combination::LastPerSeries,
        _ => Combination::Sum,
    }))
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BatchSeriesQuery {
    pub id: String,
    pub name: String,
    #[ts(optional)]
    pub service: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    #[ts(optional)]
    pub aggregate: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BatchSeriesRequest {
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_i64")]
    #[ts(optional, type = "number")]
    pub interval: Option<i64>,
    #[serde(default)]
    pub queries: Vec<BatchSeriesQuery>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BatchSeriesResult {
    pub id: String,
    pub success: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub series: Option<Vec<TimeSeries>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct BatchSeriesResponse {
    pub results: Vec<BatchSeriesResult>,
}

pub async fn batch(store: &Store, request: BatchSeriesRequest, tz: Tz) -> Result<BatchSeriesResponse, QueryError> {
    if request.queries.len() > MAX_BATCH_QUERIES {
        return Err(QueryError::invalid(format!("at most {MAX_BATCH_QUERIES} queries per batch")));
    }
    let range = TimeRange::parse(request.from.as_deref(), request.to.as_deref(), tz)?;
    let interval = effective_interval(request.interval, &range)?;
    let futures = request.queries.into_iter().map(|query| {
        let store = store.clone();
        async move {
            match query_series(&store, query.name, query.service, range, interval, query.aggregate.unwrap_or(false)).await {
                Ok(series) => BatchSeriesResult { id: query.id, success: true, error: None, series: Some(series) },
                Err(error) => BatchSeriesResult { id: query.id, success: false, error: Some(error.to_string()), series: None },
            }
        }
    });
    Ok(BatchSeriesResponse { results: futures_util::future::join_all(futures).await })
}
