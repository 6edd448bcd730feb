"""One module per API dialect. Each module exposes:

- ``PROTOCOL``: the name written to mock_requests.jsonl;
- ``handles(method, path)``: whether a request is for this dialect;
- ``summarize(path, body)``: a dict the script matches on (model, stream, n_tools, last_user_text,
  structured_schema, after_tool_result, max_tokens) plus fields to log;
- ``default_usage(rand)``: usage in the provider's field names when the script gives none;
- ``rate_limit_headers(state)``: the response headers for a rate-limit state (or {});
- ``respond(ctx)``: returns ``(status, headers, body)`` where body is bytes or a list of byte
  chunks to stream, and ``ctx`` carries summary, entry, usage, ids and the request body.
"""

from . import anthropic, gemini, openai_chat, openai_responses

ALL = [anthropic, openai_responses, openai_chat, gemini]


def find(method, path):
    for dialect in ALL:
        if dialect.handles(method, path):
            return dialect
    return None
