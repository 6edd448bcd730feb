//! The JSON shapes of stored telemetry, exactly as the original API serialises them (camelCase,
//! optional fields omitted when empty). Built from DuckDB rows by queries and from model values for
//! live messages, so both layers share them from here.

use crate::model::time::rfc3339_nanos;
use crate::model::{self, Attributes};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpanEvent {
    pub timestamp: String,
    pub name: String,
    #[ts(type = "Record<string, string>")]
    pub attributes: Attributes,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SpanLink {
    pub trace_id: String,
    pub span_id: String,
    pub trace_state: String,
    #[ts(type = "Record<string, string>")]
    pub attributes: Attributes,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Span {
    pub timestamp: String,
    pub trace_id: String,
    pub span_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub parent_span_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trace_state: Option<String>,
    pub span_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub span_kind: Option<String>,
    pub service_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub resource_attributes: Option<Attributes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub span_attributes: Option<Attributes>,
    /// Nanoseconds.
    #[ts(type = "number")]
    pub duration: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub status_message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub events: Option<Vec<SpanEvent>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub links: Option<Vec<SpanLink>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LogRecord {
    pub timestamp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub span_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub trace_flags: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub severity_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub severity_number: Option<i32>,
    pub service_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub resource_schema_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub resource_attributes: Option<Attributes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_schema_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub scope_attributes: Option<Attributes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub log_attributes: Option<Attributes>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct MetricDataPoint {
    pub timestamp: String,
    pub service_name: String,
    pub metric_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metric_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metric_unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub resource_attributes: Option<Attributes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub scope_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, string>")]
    pub attributes: Option<Attributes>,
    pub metric_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub aggregation_temporality: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub is_monotonic: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub max: Option<f64>,
}

fn non_empty_attributes(attributes: &Attributes) -> Option<Attributes> {
    if attributes.is_empty() { None } else { Some(attributes.clone()) }
}

fn non_empty_text(text: &str) -> Option<String> {
    if text.is_empty() { None } else { Some(text.to_owned()) }
}

impl From<&model::Span> for Span {
    fn from(span: &model::Span) -> Self {
        Span {
            timestamp: rfc3339_nanos(span.start_time),
            trace_id: span.trace_id.clone(),
            span_id: span.span_id.clone(),
            parent_span_id: span.parent_span_id.clone(),
            trace_state: span.trace_state.clone(),
            span_name: span.name.clone(),
            span_kind: non_empty_text(&span.kind),
            service_name: span.service_name.clone(),
            resource_attributes: non_empty_attributes(&span.resource_attributes),
            scope_name: span.scope_name.clone(),
            scope_version: span.scope_version.clone(),
            span_attributes: non_empty_attributes(&span.attributes),
            duration: span.duration_nanos,
            status_code: non_empty_text(&span.status_code),
            status_message: span.status_message.clone(),
            events: None,
            links: None,
        }
    }
}

impl From<&model::LogRecord> for LogRecord {
    fn from(record: &model::LogRecord) -> Self {
        LogRecord {
            timestamp: rfc3339_nanos(record.time),
            trace_id: record.trace_id.clone(),
            span_id: record.span_id.clone(),
            trace_flags: record.trace_flags,
            severity_text: non_empty_text(&record.severity_text),
            severity_number: Some(record.severity_number),
            service_name: record.service_name.clone(),
            body: non_empty_text(&record.body),
            resource_schema_url: record.resource_schema_url.clone(),
            resource_attributes: non_empty_attributes(&record.resource_attributes),
            scope_schema_url: record.scope_schema_url.clone(),
            scope_name: record.scope_name.clone(),
            scope_version: record.scope_version.clone(),
            scope_attributes: non_empty_attributes(&record.scope_attributes),
            log_attributes: non_empty_attributes(&record.attributes),
        }
    }
}

impl From<&model::MetricPoint> for MetricDataPoint {
    fn from(point: &model::MetricPoint) -> Self {
        MetricDataPoint {
            timestamp: rfc3339_nanos(point.time),
            service_name: point.service_name.clone(),
            metric_name: point.name.clone(),
            metric_description: point.description.clone(),
            metric_unit: point.unit.clone(),
            resource_attributes: non_empty_attributes(&point.resource_attributes),
            scope_name: point.scope_name.clone(),
            scope_version: point.scope_version.clone(),
            attributes: non_empty_attributes(&point.attributes),
            metric_type: point.kind.as_str().to_owned(),
            value: point.value,
            aggregation_temporality: point.temporality,
            is_monotonic: point.is_monotonic,
            count: point.count,
            sum: point.sum,
            min: point.min,
            max: point.max,
        }
    }
}

/// Parses a JSON attributes column; anything that is not a flat object yields an empty map.
pub fn parse_attributes(text: Option<String>) -> Option<Attributes> {
    let text = text?;
    let value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let object = value.as_object()?;
    let attributes: Attributes =
        object.iter().map(|(key, value)| (key.clone(), value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string()))).collect();
    non_empty_attributes(&attributes)
}
