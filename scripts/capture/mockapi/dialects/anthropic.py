"""Anthropic Messages API (POST /v1/messages, streaming SSE or JSON; /v1/messages/count_tokens).

Streaming follows the real event order: message_start (usage with a small placeholder
output_tokens, as the real API sends), content blocks (thinking / text / tool_use), then
message_delta with the final usage about 50 ms after the last block, then message_stop.

Rate-limit state (script ``rate_limits``), as Claude Code reads it (headers
``anthropic-ratelimit-unified-<5h|7d>-utilization`` = fraction 0–1 and ``-reset`` = Unix seconds)::

    {"status": "allowed", "representative_claim": "five_hour",
     "5h": {"utilization": 0.14, "reset_at": 1795900000},
     "7d": {"utilization": 0.03, "reset_after": 432000},
     "headers": {"anthropic-ratelimit-unified-fallback": "available"}}   # any extra header
"""

import json
import time

from ..common import chunk_text, det_id, instance_of_schema, sse

PROTOCOL = "anthropic"
HEADER_PREFIX = "anthropic-ratelimit-unified-"
WINDOW_CLAIMS = {"5h": "five_hour", "7d": "seven_day", "7d_oi": "seven_day_overage_included"}


def handles(method, path):
    route = path.split("?")[0].rstrip("/")
    return method == "POST" and (route.endswith("/messages") or route.endswith("/messages/count_tokens"))


def _text_of(content):
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(block.get("text", ""))
    return "\n".join(parts)


def summarize(path, body):
    messages = body.get("messages") or []
    last_user = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    content = (last_user or {}).get("content")
    after_tool = isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content)
    fmt = body.get("output_format") or (body.get("output_config") or {}).get("format")
    schema = fmt.get("schema") if isinstance(fmt, dict) and fmt.get("type") == "json_schema" else None
    return {
        "protocol": PROTOCOL,
        "path": path,
        "model": body.get("model"),
        "stream": bool(body.get("stream")),
        "max_tokens": body.get("max_tokens"),
        "n_tools": len(body.get("tools") or []),
        "last_user_text": _text_of(content),
        "after_tool_result": after_tool,
        "structured_schema": schema,
        "log": {"max_tokens": body.get("max_tokens"), "thinking": body.get("thinking"),
                "metadata": body.get("metadata")},
    }


def direct(method, path, body):
    """count_tokens needs no script entry."""
    if path.split("?")[0].endswith("/messages/count_tokens"):
        n = sum(len(json.dumps(m)) for m in body.get("messages") or []) // 4 + 1
        return 200, {"Content-Type": "application/json"}, json.dumps({"input_tokens": n}).encode()
    return None


def default_usage(rand):
    return {"input_tokens": 3 + rand % 40, "cache_creation_input_tokens": 1000 + rand % 4000,
            "cache_read_input_tokens": 10000 + (rand >> 12) % 20000, "output_tokens": 20 + (rand >> 24) % 400}


def rate_limit_headers(state):
    if not state:
        return {}
    headers = {HEADER_PREFIX + "status": state.get("status", "allowed")}
    claim = state.get("representative_claim")
    for abbrev, name in WINDOW_CLAIMS.items():
        window = state.get(abbrev)
        if not window:
            continue
        headers[f"{HEADER_PREFIX}{abbrev}-utilization"] = str(window["utilization"])
        headers[f"{HEADER_PREFIX}{abbrev}-reset"] = str(window["reset_at"])
        if "status" in window:
            headers[f"{HEADER_PREFIX}{abbrev}-status"] = window["status"]
        if claim is None:
            claim = name
    if claim:
        headers[HEADER_PREFIX + "representative-claim"] = claim
        abbrev = next((a for a, n in WINDOW_CLAIMS.items() if n == claim), None)
        if abbrev and state.get(abbrev):
            headers[HEADER_PREFIX + "reset"] = str(state[abbrev]["reset_at"])
    headers.update(state.get("headers", {}))
    return headers


def _full_usage(usage):
    cache_creation = usage.get("cache_creation_input_tokens", 0)
    full = {
        "input_tokens": usage.get("input_tokens", 0),
        "cache_creation_input_tokens": cache_creation,
        "cache_read_input_tokens": usage.get("cache_read_input_tokens", 0),
        "cache_creation": {"ephemeral_5m_input_tokens": cache_creation, "ephemeral_1h_input_tokens": 0},
        "output_tokens": usage.get("output_tokens", 0),
        "service_tier": "standard",
    }
    return full


def _blocks(ctx):
    """The content blocks of the reply, with the kind written to the log."""
    reply = ctx["entry"].get("reply", {})
    summary = ctx["summary"]
    blocks = []
    if reply.get("thinking"):
        blocks.append({"type": "thinking", "thinking": reply["thinking"],
                       "signature": det_id("sig_", ctx["label"], ctx["n"], length=48)})
    if "json" in reply or (summary.get("structured_schema") is not None and not reply.get("text")):
        value = reply.get("json") or instance_of_schema(summary.get("structured_schema") or {})
        blocks.append({"type": "text", "text": json.dumps(value)})
        kind = "json"
    else:
        if reply.get("text") is not None:
            blocks.append({"type": "text", "text": reply["text"]})
        kind = "text"
    if reply.get("tool_call"):
        call = reply["tool_call"]
        blocks.append({"type": "tool_use", "id": det_id("toolu_", ctx["label"], ctx["n"]),
                       "name": call["name"], "input": call.get("input", {})})
        kind = "tool"
    if not blocks:
        blocks.append({"type": "text", "text": "Mock answer."})
    return blocks, kind


def respond(ctx):
    blocks, kind = _blocks(ctx)
    usage = _full_usage(ctx["usage"])
    model = ctx["summary"].get("model") or "claude-mock"
    msg_id = det_id("msg_", ctx["label"], ctx["n"])
    stop = "tool_use" if kind == "tool" else "end_turn"
    ctx["log"].update({"kind": kind, "message_id": msg_id,
                       "tool": next((b["name"] for b in blocks if b["type"] == "tool_use"), None)})
    headers = {"request-id": det_id("req_", ctx["label"], ctx["n"])}
    if not ctx["summary"].get("stream"):
        headers["Content-Type"] = "application/json"
        body = {"id": msg_id, "type": "message", "role": "assistant", "model": model,
                "content": blocks, "stop_reason": stop, "stop_sequence": None, "usage": usage}
        return 200, headers, json.dumps(body).encode()

    headers["Content-Type"] = "text/event-stream; charset=utf-8"
    headers["Cache-Control"] = "no-cache"
    start_usage = dict(usage, output_tokens=min(usage["output_tokens"], 1 + ctx["n"] % 8))

    def events():
        yield sse("message_start", {"type": "message_start", "message": {
            "id": msg_id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": start_usage}})
        yield sse("ping", {"type": "ping"})
        for i, block in enumerate(blocks):
            if block["type"] == "text":
                yield sse("content_block_start", {"type": "content_block_start", "index": i,
                                                  "content_block": {"type": "text", "text": ""}})
                for piece in chunk_text(block["text"]):
                    yield sse("content_block_delta", {"type": "content_block_delta", "index": i,
                                                      "delta": {"type": "text_delta", "text": piece}})
            elif block["type"] == "thinking":
                yield sse("content_block_start", {"type": "content_block_start", "index": i,
                                                  "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
                yield sse("content_block_delta", {"type": "content_block_delta", "index": i,
                                                  "delta": {"type": "thinking_delta", "thinking": block["thinking"]}})
                yield sse("content_block_delta", {"type": "content_block_delta", "index": i,
                                                  "delta": {"type": "signature_delta", "signature": block["signature"]}})
            else:
                yield sse("content_block_start", {"type": "content_block_start", "index": i, "content_block": {
                    "type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}})
                yield sse("content_block_delta", {"type": "content_block_delta", "index": i, "delta": {
                    "type": "input_json_delta", "partial_json": json.dumps(block["input"])}})
            yield sse("content_block_stop", {"type": "content_block_stop", "index": i})
        time.sleep(0.05)
        yield sse("message_delta", {"type": "message_delta",
                                    "delta": {"stop_reason": stop, "stop_sequence": None},
                                    "usage": {k: usage[k] for k in ("input_tokens", "cache_creation_input_tokens",
                                                                    "cache_read_input_tokens", "output_tokens")}})
        yield sse("message_stop", {"type": "message_stop"})

    return 200, headers, events()
