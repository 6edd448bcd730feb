//! Usage from spans that follow the OpenTelemetry GenAI semantic conventions: Qwen Code's
//! `qwen-code.llm_request`, Copilot CLI's `chat <model>`, Goose's `stream_response_from_provider`,
//! opencode's `ai.streamText.doStream` (Vercel AI SDK) and any other service that sends them; also
//! from the conventions' log events that carry usage (`gen_ai.client.inference.operation.details`).
//! A call sent both as a span and as an event carries one response id in both, and the two rows
//! count once (`model::matching` groups rows by id).
//!
//! One span per model call counts: a span carrying `gen_ai.usage.*` whose `gen_ai.operation.name`
//! is not an agent- or tool-level operation (`invoke_agent` spans repeat the sums of their calls;
//! the AI SDK's outer `ai.streamText` carries only `ai.usage.*`). Claude Code, Codex and Gemini
//! CLI also send such spans, but their usage events are counted instead (`Tool::has_usage_events`).
//!
//! Tokens follow the conventions: input includes cache reads and writes, output includes
//! reasoning. Where a tool sends both the conventions' names and its own (the AI SDK's
//! `ai.usage.*`, Qwen's `thoughts_token_count`), the conventions' win and the tool's fill what they
//! lack; docs/pricing.md lists the order.

use crate::model::identity::{host_of, user_of};
use crate::model::{AttributeValues, Attributes, LogRecord, Span, Tool, UsageRecord, UsageSource};

/// Operations whose spans sum the model calls below them, or are no model call.
const NOT_A_MODEL_CALL: [&str; 4] = ["invoke_agent", "create_agent", "invoke_workflow", "execute_tool"];

const INPUT: [&str; 2] = ["gen_ai.usage.input_tokens", "ai.usage.inputTokens"];
const OUTPUT: [&str; 2] = ["gen_ai.usage.output_tokens", "ai.usage.outputTokens"];
const CACHE_READ: [&str; 3] =
    ["gen_ai.usage.cache_read.input_tokens", "ai.usage.inputTokenDetails.cacheReadTokens", "ai.usage.cachedInputTokens"];
const CACHE_WRITE: [&str; 3] =
    ["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_write.input_tokens", "ai.usage.inputTokenDetails.cacheWriteTokens"];
const REASONING: [&str; 4] = [
    "gen_ai.usage.reasoning.output_tokens",
    "ai.usage.outputTokenDetails.reasoningTokens",
    "ai.usage.reasoningTokens",
    "thoughts_token_count",
];
const MODEL: [&str; 3] = ["gen_ai.response.model", "gen_ai.request.model", "ai.model.id"];
const SESSION: [&str; 3] = ["gen_ai.conversation.id", "session.id", "ai.telemetry.metadata.sessionId"];
const RESPONSE_ID: [&str; 2] = ["gen_ai.response.id", "ai.response.id"];

fn first_int(attributes: &Attributes, keys: &[&str]) -> Option<i64> {
    keys.iter().find_map(|key| attributes.int(key))
}

/// Whether a span's or event's attributes are one model call with its usage.
fn is_model_call(attributes: &Attributes) -> bool {
    let has_usage = attributes.int(INPUT[0]).is_some() || attributes.int(OUTPUT[0]).is_some();
    let operation = attributes.text("gen_ai.operation.name").unwrap_or_default();
    has_usage && !NOT_A_MODEL_CALL.contains(&operation)
}

/// Whether usage from the conventions is counted for this service (not for the tools whose own
/// usage events count). Checked after `is_model_call`, which most records fail at one map lookup.
fn counted_for(service_name: &str) -> bool {
    !Tool::from_service_name(service_name).is_some_and(Tool::has_usage_events)
}

/// The usage records of the model-call spans among `spans`, unpriced.
pub fn usage_from_spans(spans: &[Span]) -> Vec<UsageRecord> {
    spans
        .iter()
        .filter(|span| is_model_call(&span.attributes) && counted_for(&span.service_name))
        .map(|span| {
            let key = format!("span:{}:{}", span.trace_id, span.span_id);
            let end = span.start_time.saturating_add(span.duration_nanos.max(0));
            let usage = usage_of(&span.attributes, &span.service_name, key, end, Some(span.duration_nanos.max(0) / 1_000_000));
            UsageRecord {
                user_email: user_of(&span.attributes, &span.resource_attributes),
                host: host_of(&span.resource_attributes),
                ..usage
            }
        })
        .collect()
}

/// The usage records of the log events among `records` that carry the conventions' usage, unpriced.
pub fn usage_from_events(records: &[LogRecord]) -> Vec<UsageRecord> {
    records
        .iter()
        .filter(|record| is_model_call(&record.attributes) && counted_for(&record.service_name))
        .map(|record| {
            let id = record
                .attributes
                .first_text(&RESPONSE_ID)
                .map_or_else(|| format!("{}:{}", record.time, record.span_id.as_deref().unwrap_or("-")), str::to_owned);
            let duration = record.attributes.float("gen_ai.client.operation.duration").map(|seconds| (seconds * 1000.0).round() as i64);
            let usage = usage_of(&record.attributes, &record.service_name, format!("event:{id}"), record.time, duration);
            UsageRecord {
                user_email: user_of(&record.attributes, &record.resource_attributes),
                host: host_of(&record.resource_attributes),
                ..usage
            }
        })
        .collect()
}

fn usage_of(attributes: &Attributes, service_name: &str, key: String, time: i64, duration_ms: Option<i64>) -> UsageRecord {
    let tool = Tool::from_service_name(service_name);
    let input_total = first_int(attributes, &INPUT).unwrap_or(0).max(0);
    let cache_read = first_int(attributes, &CACHE_READ).unwrap_or(0).clamp(0, input_total);
    let cache_write = first_int(attributes, &CACHE_WRITE).unwrap_or(0).clamp(0, input_total - cache_read);
    let output = first_int(attributes, &OUTPUT).unwrap_or(0).max(0);
    let owner = tool.map_or(service_name, |tool| tool.key());
    UsageRecord {
        record_key: format!("otlp:{owner}:{key}"),
        time,
        tool,
        source: Some(UsageSource::Otlp),
        service_name: service_name.to_owned(),
        session_id: attributes.first_text(&SESSION).map(str::to_owned),
        request_id: attributes.first_text(&RESPONSE_ID).map(str::to_owned),
        model: attributes.first_text(&MODEL).unwrap_or("unknown").to_owned(),
        input_tokens: input_total - cache_read - cache_write,
        cache_read_tokens: cache_read,
        cache_write_5m_tokens: cache_write,
        output_tokens: output,
        reasoning_tokens: first_int(attributes, &REASONING).unwrap_or(0).clamp(0, output),
        duration_ms,
        ..UsageRecord::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(service: &str, name: &str, attributes: &[(&str, &str)]) -> Span {
        Span {
            start_time: 1_000_000_000,
            trace_id: "t1".to_owned(),
            span_id: name.to_owned(),
            parent_span_id: None,
            trace_state: None,
            name: name.to_owned(),
            kind: "Client".to_owned(),
            service_name: service.to_owned(),
            resource_attributes: Attributes::new(),
            scope_name: None,
            scope_version: None,
            attributes: attributes.iter().map(|(key, value)| ((*key).to_owned(), (*value).to_owned())).collect(),
            duration_nanos: 250_000_000,
            status_code: "Ok".to_owned(),
            status_message: None,
            events: Vec::new(),
            links: Vec::new(),
        }
    }

    #[test]
    fn a_chat_span_counts_and_its_agent_span_does_not() {
        let chat = span(
            "github-copilot",
            "chat",
            &[
                ("gen_ai.operation.name", "chat"),
                ("gen_ai.usage.input_tokens", "12178"),
                ("gen_ai.usage.cache_read.input_tokens", "11264"),
                ("gen_ai.usage.cache_write.input_tokens", "512"),
                ("gen_ai.usage.output_tokens", "132"),
                ("gen_ai.response.id", "msg_1"),
                ("gen_ai.response.model", "claude-sonnet-4.5"),
                ("gen_ai.conversation.id", "s1"),
            ],
        );
        let agent = span(
            "github-copilot",
            "invoke_agent",
            &[("gen_ai.operation.name", "invoke_agent"), ("gen_ai.usage.input_tokens", "12178"), ("gen_ai.usage.output_tokens", "132")],
        );
        let usage = usage_from_spans(&[chat, agent]);
        assert_eq!(usage.len(), 1);
        let record = &usage[0];
        assert_eq!(record.tool, Some(Tool::Copilot));
        assert_eq!(
            (record.input_tokens, record.cache_read_tokens, record.cache_write_5m_tokens, record.output_tokens),
            (402, 11264, 512, 132)
        );
        assert_eq!((record.request_id.as_deref(), record.session_id.as_deref()), (Some("msg_1"), Some("s1")));
        assert_eq!(record.time, 1_250_000_000);
        assert_eq!(record.record_key, "otlp:copilot:span:t1:chat");
    }

    #[test]
    fn the_ai_sdk_names_fill_what_the_conventions_lack() {
        let do_stream = span(
            "opencode",
            "ai.streamText.doStream",
            &[
                ("gen_ai.usage.input_tokens", "10556"),
                ("gen_ai.usage.output_tokens", "203"),
                ("ai.usage.inputTokenDetails.cacheReadTokens", "10218"),
                ("ai.usage.inputTokenDetails.cacheWriteTokens", "310"),
                ("ai.usage.outputTokenDetails.reasoningTokens", "64"),
                ("ai.model.id", "claude-sonnet-4-5"),
                ("session.id", "ses_1"),
            ],
        );
        let outer = span("opencode", "ai.streamText", &[("ai.usage.inputTokens", "10556"), ("ai.usage.outputTokens", "203")]);
        let usage = usage_from_spans(&[do_stream, outer]);
        assert_eq!(usage.len(), 1);
        assert_eq!(
            (usage[0].input_tokens, usage[0].cache_read_tokens, usage[0].cache_write_5m_tokens, usage[0].reasoning_tokens),
            (28, 10218, 310, 64)
        );
        assert_eq!((usage[0].model.as_str(), usage[0].session_id.as_deref()), ("claude-sonnet-4-5", Some("ses_1")));
    }

    #[test]
    fn tools_with_usage_events_are_not_counted_twice_and_unknown_services_are_kept() {
        let attributes = [("gen_ai.operation.name", "chat"), ("gen_ai.usage.input_tokens", "10"), ("gen_ai.usage.output_tokens", "2")];
        assert!(usage_from_spans(&[span("claude-code", "claude_code.llm_request", &attributes)]).is_empty());
        assert!(usage_from_spans(&[span("gemini-cli", "llm_call", &attributes)]).is_empty());
        let other = usage_from_spans(&[span("my-agent", "chat", &attributes)]);
        assert_eq!((other[0].tool, other[0].service_name.as_str(), other[0].input_tokens), (None, "my-agent", 10));
        assert_eq!(other[0].record_key, "otlp:my-agent:span:t1:chat");
    }

    #[test]
    fn an_inference_event_with_usage_counts_and_shares_its_calls_response_id() {
        let mut event = LogRecord {
            time: 5_000,
            service_name: "my-agent".to_owned(),
            attributes: [
                ("event.name", "gen_ai.client.inference.operation.details"),
                ("gen_ai.operation.name", "chat"),
                ("gen_ai.usage.input_tokens", "100"),
                ("gen_ai.usage.cache_read.input_tokens", "60"),
                ("gen_ai.usage.output_tokens", "7"),
                ("gen_ai.response.id", "resp_9"),
                ("gen_ai.request.model", "gpt-5.4"),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value.to_owned()))
            .collect(),
            ..LogRecord::default()
        };
        let usage = usage_from_events(std::slice::from_ref(&event));
        assert_eq!((usage[0].input_tokens, usage[0].cache_read_tokens, usage[0].output_tokens), (40, 60, 7));
        assert_eq!((usage[0].request_id.as_deref(), usage[0].record_key.as_str()), (Some("resp_9"), "otlp:my-agent:event:resp_9"));
        event.service_name = "claude-code".to_owned();
        assert!(usage_from_events(&[event]).is_empty());
    }
}
