"""OpenAI Chat Completions API (POST …/chat/completions), streaming or JSON.

Streaming sends ``chat.completion.chunk`` deltas (content or tool_calls), a chunk with the
finish_reason, then — as with ``stream_options.include_usage`` — a last chunk with empty choices
and ``usage`` {prompt_tokens, completion_tokens, total_tokens, prompt_tokens_details.cached_tokens,
completion_tokens_details.reasoning_tokens}, then ``data: [DONE]``. The usage chunk is always
sent (some clients do not ask for it but read it when present).

Rate-limit state: ``{"headers": {...}}`` is sent as is (e.g. the x-ratelimit-* headers).
"""

import json
import time

from ..common import chunk_text, det_id, instance_of_schema, sse_data

PROTOCOL = "openai-chat"


def handles(method, path):
    return method == "POST" and path.split("?")[0].rstrip("/").endswith("/chat/completions")


def _content_text(content):
    if isinstance(content, str):
        return content
    return "\n".join(c.get("text", "") for c in content or [] if isinstance(c, dict))


def summarize(path, body):
    messages = body.get("messages") or []
    last_user = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    fmt = body.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") if fmt.get("type") == "json_schema" else None
    return {
        "protocol": PROTOCOL,
        "path": path,
        "model": body.get("model"),
        "stream": bool(body.get("stream")),
        "max_tokens": body.get("max_completion_tokens") or body.get("max_tokens"),
        "n_tools": len(body.get("tools") or []),
        "last_user_text": _content_text(last_user.get("content")) if last_user else "",
        "after_tool_result": bool(messages) and messages[-1].get("role") == "tool",
        "structured_schema": schema,
        "log": {"stream_options": body.get("stream_options")},
    }


def default_usage(rand):
    prompt = 3000 + rand % 9000
    completion = 30 + (rand >> 16) % 600
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
            "prompt_tokens_details": {"cached_tokens": (rand >> 8) % prompt},
            "completion_tokens_details": {"reasoning_tokens": 0}}


def rate_limit_headers(state):
    return dict((state or {}).get("headers", {}))


def respond(ctx):
    reply = ctx["entry"].get("reply", {})
    label, n = ctx["label"], ctx["n"]
    usage = json.loads(json.dumps(ctx["usage"]))
    usage.setdefault("total_tokens", usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0))
    model = ctx["summary"].get("model") or "gpt-mock"
    chat_id = det_id("chatcmpl-", label, n)
    created = int(time.time())
    text = reply.get("text")
    if "json" in reply or (ctx["summary"].get("structured_schema") is not None and text is None):
        text = json.dumps(reply.get("json") or instance_of_schema(ctx["summary"]["structured_schema"]))
    call = reply.get("tool_call")
    if text is None and not call:
        text = "Mock answer."
    tool_calls = None
    if call:
        args = call.get("arguments", {})
        tool_calls = [{"index": 0, "id": det_id("call_", label, n), "type": "function",
                       "function": {"name": call["name"],
                                    "arguments": args if isinstance(args, str) else json.dumps(args)}}]
    finish = "tool_calls" if call else "stop"
    ctx["log"].update({"kind": "tool" if call else "text", "response_id": chat_id,
                       "tool": call["name"] if call else None})
    headers = {"x-request-id": det_id("req_", label, n)}
    if not ctx["summary"].get("stream"):
        message = {"role": "assistant", "content": text}
        if tool_calls:
            message["tool_calls"] = [{k: v for k, v in c.items() if k != "index"} for c in tool_calls]
        body = {"id": chat_id, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": message, "finish_reason": finish}], "usage": usage}
        headers["Content-Type"] = "application/json"
        return 200, headers, json.dumps(body).encode()
    headers["Content-Type"] = "text/event-stream"

    def chunk(delta, finish_reason=None):
        return sse_data({"id": chat_id, "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]})

    def events():
        yield chunk({"role": "assistant", "content": ""})
        if text:
            for piece in chunk_text(text):
                yield chunk({"content": piece})
        if tool_calls:
            yield chunk({"tool_calls": tool_calls})
        yield chunk({}, finish)
        yield sse_data({"id": chat_id, "object": "chat.completion.chunk", "created": created, "model": model,
                        "choices": [], "usage": usage})
        yield sse_data("[DONE]")

    return 200, headers, events()
