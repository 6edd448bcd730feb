//! Metrics: `ExportMetricsServiceRequest` bytes into `model::MetricPoint` rows, one per data point.

use super::DecodeError;
use super::any_value::attributes_from_owned_key_values;
use super::traces::{clamp_nanos, non_empty, service_name_of};
use crate::model::{Attributes, MetricKind, MetricPoint, TEMPORALITY_CUMULATIVE};
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::metrics::v1::{
    ExponentialHistogramDataPoint, HistogramDataPoint, Metric, NumberDataPoint, SummaryDataPoint, metric::Data, number_data_point,
};
use prost::Message;

pub fn decode_metrics_protobuf(body: &[u8]) -> Result<ExportMetricsServiceRequest, DecodeError> {
    ExportMetricsServiceRequest::decode(body).map_err(|error| DecodeError::Protobuf { signal: "metrics", message: error.to_string() })
}

pub fn decode_metrics_json(body: &[u8]) -> Result<ExportMetricsServiceRequest, DecodeError> {
    serde_json::from_slice(body).map_err(|error| DecodeError::Json { signal: "metrics", message: error.to_string() })
}

#[derive(Debug, Default)]
pub struct MetricsBatch {
    pub points: Vec<MetricPoint>,
    pub rejected: i64,
    pub rejection_reason: Option<String>,
}

struct MetricContext<'a> {
    service_name: &'a str,
    resource_attributes: &'a Attributes,
    scope_name: Option<String>,
    scope_version: Option<String>,
    name: &'a str,
    description: Option<String>,
    unit: Option<String>,
}

impl MetricContext<'_> {
    fn point(&self, kind: MetricKind, time: u64, start: u64, attributes: Attributes) -> MetricPoint {
        MetricPoint {
            time: clamp_nanos(time),
            start_time: if start == 0 { None } else { Some(clamp_nanos(start)) },
            service_name: self.service_name.to_owned(),
            name: self.name.to_owned(),
            description: self.description.clone(),
            unit: self.unit.clone(),
            resource_attributes: self.resource_attributes.clone(),
            scope_name: self.scope_name.clone(),
            scope_version: self.scope_version.clone(),
            attributes,
            kind,
            value: None,
            temporality: None,
            is_monotonic: None,
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

fn number_value(value: Option<&number_data_point::Value>) -> Option<f64> {
    match value? {
        number_data_point::Value::AsDouble(number) => Some(*number),
        number_data_point::Value::AsInt(number) => Some(*number as f64),
    }
}

/// The request's data points as rows. The request is consumed: attribute keys and values and
/// bucket counts move into the rows instead of being copied.
pub fn metrics_from_request(request: ExportMetricsServiceRequest) -> MetricsBatch {
    let mut batch = MetricsBatch::default();
    for resource_metrics in request.resource_metrics {
        let resource_attributes =
            resource_metrics.resource.map(|resource| attributes_from_owned_key_values(resource.attributes)).unwrap_or_default();
        let service_name = service_name_of(&resource_attributes);
        for scope_metrics in resource_metrics.scope_metrics {
            let scope = scope_metrics.scope.as_ref();
            let scope_name = scope.and_then(|scope| non_empty(&scope.name));
            let scope_version = scope.and_then(|scope| non_empty(&scope.version));
            for metric in scope_metrics.metrics {
                if metric.name.is_empty() {
                    batch.rejected += data_point_count(&metric) as i64;
                    batch.rejection_reason = Some("metric without a name".to_owned());
                    continue;
                }
                let context = MetricContext {
                    service_name: &service_name,
                    resource_attributes: &resource_attributes,
                    scope_name: scope_name.clone(),
                    scope_version: scope_version.clone(),
                    name: &metric.name,
                    description: non_empty(&metric.description),
                    unit: non_empty(&metric.unit),
                };
                convert_metric(&context, metric.data, &mut batch);
            }
        }
    }
    batch
}

/// The data points a metric holds (a metric without data counts as one refused point).
pub fn data_point_count(metric: &Metric) -> usize {
    match &metric.data {
        None => 1,
        Some(Data::Gauge(gauge)) => gauge.data_points.len(),
        Some(Data::Sum(sum)) => sum.data_points.len(),
        Some(Data::Histogram(histogram)) => histogram.data_points.len(),
        Some(Data::ExponentialHistogram(histogram)) => histogram.data_points.len(),
        Some(Data::Summary(summary)) => summary.data_points.len(),
    }
}

/// Whether a metric is a monotonic cumulative sum, whose points become deltas
/// (`ingest::cumulative`).
pub fn holds_cumulative_counter(metric: &Metric) -> bool {
    matches!(&metric.data, Some(Data::Sum(sum)) if sum.is_monotonic && sum.aggregation_temporality == TEMPORALITY_CUMULATIVE)
}

fn convert_metric(context: &MetricContext<'_>, data: Option<Data>, batch: &mut MetricsBatch) {
    match data {
        None => {
            batch.rejected += 1;
            batch.rejection_reason = Some(format!("metric {} has no data", context.name));
        }
        Some(Data::Gauge(gauge)) => {
            batch.points.extend(gauge.data_points.into_iter().map(|point| number_row(context, MetricKind::Gauge, point)))
        }
        Some(Data::Sum(sum)) => batch.points.extend(sum.data_points.into_iter().map(|point| {
            let mut row = number_row(context, MetricKind::Sum, point);
            row.temporality = Some(sum.aggregation_temporality);
            row.is_monotonic = Some(sum.is_monotonic);
            row
        })),
        Some(Data::Histogram(histogram)) => batch
            .points
            .extend(histogram.data_points.into_iter().map(|point| histogram_row(context, histogram.aggregation_temporality, point))),
        Some(Data::ExponentialHistogram(histogram)) => batch.points.extend(
            histogram.data_points.into_iter().map(|point| exponential_histogram_row(context, histogram.aggregation_temporality, point)),
        ),
        Some(Data::Summary(summary)) => batch.points.extend(summary.data_points.into_iter().map(|point| summary_row(context, point))),
    }
}

fn number_row(context: &MetricContext<'_>, kind: MetricKind, point: NumberDataPoint) -> MetricPoint {
    let mut row = context.point(kind, point.time_unix_nano, point.start_time_unix_nano, attributes_from_owned_key_values(point.attributes));
    row.value = number_value(point.value.as_ref());
    row
}

fn histogram_row(context: &MetricContext<'_>, temporality: i32, point: HistogramDataPoint) -> MetricPoint {
    let mut row = context.point(
        MetricKind::Histogram,
        point.time_unix_nano,
        point.start_time_unix_nano,
        attributes_from_owned_key_values(point.attributes),
    );
    row.temporality = Some(temporality);
    row.count = Some(point.count);
    row.sum = point.sum;
    row.bucket_counts = Some(point.bucket_counts);
    row.explicit_bounds = Some(point.explicit_bounds);
    row.min = point.min;
    row.max = point.max;
    row
}

fn exponential_histogram_row(context: &MetricContext<'_>, temporality: i32, point: ExponentialHistogramDataPoint) -> MetricPoint {
    let mut row = context.point(
        MetricKind::ExponentialHistogram,
        point.time_unix_nano,
        point.start_time_unix_nano,
        attributes_from_owned_key_values(point.attributes),
    );
    row.temporality = Some(temporality);
    row.count = Some(point.count);
    row.sum = point.sum;
    row.scale = Some(point.scale);
    row.zero_count = Some(point.zero_count);
    row.positive_offset = point.positive.as_ref().map(|buckets| buckets.offset);
    row.positive_bucket_counts = point.positive.map(|buckets| buckets.bucket_counts);
    row.negative_offset = point.negative.as_ref().map(|buckets| buckets.offset);
    row.negative_bucket_counts = point.negative.map(|buckets| buckets.bucket_counts);
    row.min = point.min;
    row.max = point.max;
    row
}

fn summary_row(context: &MetricContext<'_>, point: SummaryDataPoint) -> MetricPoint {
    let mut row = context.point(
        MetricKind::Summary,
        point.time_unix_nano,
        point.start_time_unix_nano,
        attributes_from_owned_key_values(point.attributes),
    );
    row.count = Some(point.count);
    row.sum = Some(point.sum);
    row.quantile_quantiles = Some(point.quantile_values.iter().map(|quantile| quantile.quantile).collect());
    row.quantile_values = Some(point.quantile_values.iter().map(|quantile| quantile.value).collect());
    row
}
