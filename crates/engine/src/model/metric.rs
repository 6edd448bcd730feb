//! One metric data point, as stored in `otel_metrics` (one row per point, every kind in one table).

use super::{Attributes, UnixNanos};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MetricKind {
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::Gauge => "gauge",
            MetricKind::Sum => "sum",
            MetricKind::Histogram => "histogram",
            MetricKind::ExponentialHistogram => "exponential_histogram",
            MetricKind::Summary => "summary",
        }
    }
}

/// OTLP aggregation temporality values as stored (`0` unspecified, `1` delta, `2` cumulative).
pub const TEMPORALITY_DELTA: i32 = 1;
pub const TEMPORALITY_CUMULATIVE: i32 = 2;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MetricPoint {
    pub time: UnixNanos,
    pub start_time: Option<UnixNanos>,
    pub service_name: String,
    pub name: String,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub resource_attributes: Attributes,
    pub scope_name: Option<String>,
    pub scope_version: Option<String>,
    pub attributes: Attributes,
    pub kind: MetricKind,
    pub value: Option<f64>,
    pub temporality: Option<i32>,
    pub is_monotonic: Option<bool>,
    pub count: Option<u64>,
    pub sum: Option<f64>,
    pub bucket_counts: Option<Vec<u64>>,
    pub explicit_bounds: Option<Vec<f64>>,
    pub scale: Option<i32>,
    pub zero_count: Option<u64>,
    pub positive_offset: Option<i32>,
    pub positive_bucket_counts: Option<Vec<u64>>,
    pub negative_offset: Option<i32>,
    pub negative_bucket_counts: Option<Vec<u64>>,
    pub quantile_values: Option<Vec<f64>>,
    pub quantile_quantiles: Option<Vec<f64>>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Natural key of a point derived from a session file; re-imports never add it twice.
    pub record_key: Option<String>,
}

impl MetricPoint {
    /// A delta `sum` point with a value: the shape of every metric the engine derives itself.
    pub fn derived_sum(
        time: UnixNanos,
        service_name: &str,
        name: &str,
        unit: &str,
        description: &str,
        attributes: Attributes,
        value: f64,
    ) -> Self {
        MetricPoint {
            time,
            start_time: None,
            service_name: service_name.to_owned(),
            name: name.to_owned(),
            description: Some(description.to_owned()),
            unit: Some(unit.to_owned()),
            resource_attributes: Attributes::new(),
            scope_name: None,
            scope_version: None,
            attributes,
            kind: MetricKind::Sum,
            value: Some(value),
            temporality: Some(TEMPORALITY_DELTA),
            is_monotonic: Some(true),
            count: None,
            sum: None,
            bucket_counts: None,
            explicit_bounds: None,
            scale: None,
            zero_count: None,
            positive_offset: None,
            positive_bucket_counts: None,
            negative_offset: None,
            negative_bucket_counts: None,
            quantile_values: None,
            quantile_quantiles: None,
            min: None,
            max: None,
            record_key: None,
        }
    }
}
