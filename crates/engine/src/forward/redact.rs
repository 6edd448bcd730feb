//! What leaves the machine when content is not forwarded: every record keeps its usage, timing,
//! identity and resource, and loses prompt text, model output, tool arguments and results — the
//! attributes the tools and the GenAI conventions put them in, and log bodies that are text rather
//! than an event name.

use crate::otlp::ExportRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};

/// Attributes that hold content, by exact key (the tools' own names).
const CONTENT_KEYS: &[&str] = &[
    // Claude Code, Codex, Gemini CLI, Qwen Code events
    "prompt",
    "user_prompt",
    "tool_input",
    "tool_parameters",
    "tool_result",
    "function_args",
    "arguments",
    "output",
    "request_text",
    "response_text",
    "message",
    "content",
];

/// Attributes that hold content, by prefix (the GenAI conventions, the AI SDK, OpenInference).
const CONTENT_PREFIXES: &[&str] = &[
    "gen_ai.prompt",
    "gen_ai.completion",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.tool.definitions",
    "gen_ai.tool.call.arguments",
    "gen_ai.tool.call.result",
    "gen_ai.content",
    "ai.prompt",
    "ai.response.text",
    "ai.response.object",
    "ai.response.toolCalls",
    "ai.toolCall.args",
    "ai.toolCall.result",
    "llm.prompts",
    "llm.completions",
    "llm.input_messages",
    "llm.output_messages",
    "input.value",
    "output.value",
];

/// Whether an attribute key holds content.
pub fn is_content(key: &str) -> bool {
    CONTENT_KEYS.contains(&key)
        || CONTENT_PREFIXES.iter().any(|prefix| key == *prefix || key.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('.')))
}

fn keep_usage(attributes: &mut Vec<KeyValue>) {
    attributes.retain(|attribute| !is_content(&attribute.key));
}

/// A log body that is an event name (`claude_code.api_request`) stays; text goes.
fn is_a_name(body: &AnyValue) -> bool {
    match &body.value {
        Some(any_value::Value::StringValue(text)) => {
            text.len() <= 128
                && !text.is_empty()
                && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/'))
        }
        Some(any_value::Value::IntValue(_) | any_value::Value::DoubleValue(_) | any_value::Value::BoolValue(_)) => true,
        _ => false,
    }
}

/// Removes content from a request, in place.
pub fn redact(request: &mut ExportRequest) {
    match request {
        ExportRequest::Logs(request) => {
            for record in
                request.resource_logs.iter_mut().flat_map(|resource| &mut resource.scope_logs).flat_map(|scope| &mut scope.log_records)
            {
                keep_usage(&mut record.attributes);
                if record.body.as_ref().is_some_and(|body| !is_a_name(body)) {
                    record.body = None;
                }
            }
        }
        ExportRequest::Traces(request) => {
            for span in request.resource_spans.iter_mut().flat_map(|resource| &mut resource.scope_spans).flat_map(|scope| &mut scope.spans)
            {
                keep_usage(&mut span.attributes);
                for event in &mut span.events {
                    keep_usage(&mut event.attributes);
                }
                if let Some(status) = &mut span.status {
                    status.message.clear();
                }
            }
        }
        // metric points carry counts and names, no content
        ExportRequest::Metrics(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_keys_go_and_usage_keys_stay() {
        for key in [
            "prompt",
            "function_args",
            "gen_ai.input.messages",
            "gen_ai.prompt.0.content",
            "ai.prompt.messages",
            "llm.input_messages.0.message.content",
        ] {
            assert!(is_content(key), "{key}");
        }
        for key in [
            "prompt_length",
            "prompt.id",
            "prompt_id",
            "gen_ai.usage.input_tokens",
            "model",
            "session.id",
            "input_tokens",
            "output_token_count",
            "ai.usage.promptTokens",
            "gen_ai.promptx",
        ] {
            assert!(!is_content(key), "{key}");
        }
    }

    #[test]
    fn a_body_that_names_an_event_stays_and_text_goes() {
        let text = |value: &str| AnyValue { value: Some(any_value::Value::StringValue(value.to_owned())) };
        assert!(is_a_name(&text("claude_code.api_request")));
        assert!(!is_a_name(&text("Add a /healthz endpoint")));
        assert!(!is_a_name(&text("")));
    }
}
