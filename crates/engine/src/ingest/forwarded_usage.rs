//! Imported history on its way to a team's server: each usage record an import (or the file
//! watcher) stores is forwarded as one OTLP log record, `ai_observer.usage_record`, carrying the
//! record as it is stored — its key, source, tool, session, request id, model, tokens and reported
//! cost. The receiving server turns the event back into the same usage record (and stores no log
//! row for it), so its reconciliation matches it with the telemetry of the same request exactly as
//! on the machine that imported it: each request counts once, whichever machine sent which part.

use crate::model::identity::{host_of, user_of};
use crate::model::{AttributeValues, LogRecord, Tool, UsageRecord, UsageSource};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::logs::v1::{LogRecord as ProtoLogRecord, ResourceLogs, ScopeLogs};
use opentelemetry_proto::tonic::resource::v1::Resource;
use std::collections::BTreeMap;

/// The event name of a forwarded usage record.
pub const EVENT_NAME: &str = "ai_observer.usage_record";

fn text(key: &str, value: impl Into<String>) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue { value: Some(any_value::Value::StringValue(value.into())) }),
        ..KeyValue::default()
    }
}

fn int(key: &str, value: i64) -> KeyValue {
    KeyValue { key: key.to_owned(), value: Some(AnyValue { value: Some(any_value::Value::IntValue(value)) }), ..KeyValue::default() }
}

fn double(key: &str, value: f64) -> KeyValue {
    KeyValue { key: key.to_owned(), value: Some(AnyValue { value: Some(any_value::Value::DoubleValue(value)) }), ..KeyValue::default() }
}

fn attributes_of(usage: &UsageRecord) -> Vec<KeyValue> {
    let mut attributes = vec![
        text("event.name", EVENT_NAME),
        text("ai_observer.record_key", usage.record_key.clone()),
        text("ai_observer.source", usage.source.unwrap_or(UsageSource::Import).as_str()),
        text("model", usage.model.clone()),
        int("input_tokens", usage.input_tokens),
        int("cache_read_tokens", usage.cache_read_tokens),
        int("cache_write_5m_tokens", usage.cache_write_5m_tokens),
        int("cache_write_1h_tokens", usage.cache_write_1h_tokens),
        int("output_tokens", usage.output_tokens),
        int("reasoning_tokens", usage.reasoning_tokens),
        int("tool_tokens", usage.tool_tokens),
    ];
    if let Some(tool) = usage.tool {
        attributes.push(text("ai_observer.tool", tool.key()));
    }
    let optional_texts = [
        ("session.id", &usage.session_id),
        ("request_id", &usage.request_id),
        ("message_id", &usage.message_id),
        ("project", &usage.project),
        ("repository", &usage.repository),
        ("speed", &usage.speed),
        ("query_source", &usage.query_source),
        ("agent_id", &usage.agent_id),
        ("user.email", &usage.user_email),
        ("host.name", &usage.host),
    ];
    attributes.extend(optional_texts.into_iter().filter_map(|(key, value)| value.as_ref().map(|value| text(key, value.clone()))));
    if let Some(cost) = usage.reported_cost_usd {
        attributes.push(double("reported_cost_usd", cost));
    }
    if let Some(duration) = usage.duration_ms {
        attributes.push(int("duration_ms", duration));
    }
    attributes
}

/// One OTLP logs request with a record per usage record, one resource per service name.
pub fn request_of(usage: &[UsageRecord]) -> ExportLogsServiceRequest {
    let mut by_service: BTreeMap<&str, Vec<ProtoLogRecord>> = BTreeMap::new();
    for record in usage {
        let time = u64::try_from(record.time).unwrap_or(0);
        by_service.entry(record.service_name.as_str()).or_default().push(ProtoLogRecord {
            time_unix_nano: time,
            observed_time_unix_nano: time,
            body: Some(AnyValue { value: Some(any_value::Value::StringValue(EVENT_NAME.to_owned())) }),
            attributes: attributes_of(record),
            ..ProtoLogRecord::default()
        });
    }
    ExportLogsServiceRequest {
        resource_logs: by_service
            .into_iter()
            .map(|(service, log_records)| ResourceLogs {
                resource: Some(Resource { attributes: vec![text("service.name", service)], ..Resource::default() }),
                scope_logs: vec![ScopeLogs { log_records, ..ScopeLogs::default() }],
                ..ResourceLogs::default()
            })
            .collect(),
    }
}

/// Removes the forwarded usage events from `records` and returns the usage records they carry.
pub fn take_usage(records: &mut Vec<LogRecord>) -> Vec<UsageRecord> {
    let mut usage = Vec::new();
    records.retain(|record| {
        if record.event_name() != Some(EVENT_NAME) {
            return true;
        }
        if let Some(found) = usage_of(record) {
            usage.push(found);
        }
        false
    });
    usage
}

fn usage_of(record: &LogRecord) -> Option<UsageRecord> {
    let attributes = &record.attributes;
    let owned = |key: &str| attributes.text(key).map(str::to_owned);
    let source = match attributes.text("ai_observer.source")? {
        "watch" => UsageSource::Watch,
        _ => UsageSource::Import,
    };
    Some(UsageRecord {
        record_key: owned("ai_observer.record_key")?,
        time: record.time,
        tool: attributes.text("ai_observer.tool").and_then(Tool::from_key),
        source: Some(source),
        service_name: record.service_name.clone(),
        session_id: owned("session.id"),
        request_id: owned("request_id"),
        message_id: owned("message_id"),
        model: owned("model").unwrap_or_else(|| "unknown".to_owned()),
        project: owned("project"),
        repository: owned("repository"),
        input_tokens: attributes.int("input_tokens").unwrap_or(0),
        cache_read_tokens: attributes.int("cache_read_tokens").unwrap_or(0),
        cache_write_5m_tokens: attributes.int("cache_write_5m_tokens").unwrap_or(0),
        cache_write_1h_tokens: attributes.int("cache_write_1h_tokens").unwrap_or(0),
        output_tokens: attributes.int("output_tokens").unwrap_or(0),
        reasoning_tokens: attributes.int("reasoning_tokens").unwrap_or(0),
        tool_tokens: attributes.int("tool_tokens").unwrap_or(0),
        reported_cost_usd: attributes.float("reported_cost_usd"),
        speed: owned("speed"),
        query_source: owned("query_source"),
        agent_id: owned("agent_id"),
        duration_ms: attributes.int("duration_ms"),
        user_email: user_of(attributes, &record.resource_attributes),
        host: attributes.first_text(&["host.name"]).map(str::to_owned).or_else(|| host_of(&record.resource_attributes)),
        ..UsageRecord::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otlp::{ExportRequest, logs_from_request};

    #[test]
    fn a_usage_record_survives_the_trip_as_it_was_stored() {
        let sent = UsageRecord {
            record_key: "claude-code:req_1".to_owned(),
            time: 1_795_873_662_000_000_000,
            tool: Some(Tool::ClaudeCode),
            source: Some(UsageSource::Import),
            service_name: "claude-code".to_owned(),
            session_id: Some("s1".to_owned()),
            request_id: Some("req_1".to_owned()),
            model: "claude-sonnet-5".to_owned(),
            project: Some("/home/dev/app".to_owned()),
            input_tokens: 40,
            cache_read_tokens: 19_272,
            cache_write_5m_tokens: 1_000,
            cache_write_1h_tokens: 587,
            output_tokens: 260,
            reported_cost_usd: Some(0.010_502),
            duration_ms: Some(5_300),
            ..UsageRecord::default()
        };
        let request = ExportRequest::Logs(request_of(std::slice::from_ref(&sent)));
        let ExportRequest::Logs(logs) = request else { unreachable!() };
        let mut records = logs_from_request(logs).records;
        assert_eq!(records.len(), 1);
        let received = take_usage(&mut records);
        assert!(records.is_empty(), "the event itself is not kept as a log row");
        assert_eq!(received, vec![sent]);
    }
}
