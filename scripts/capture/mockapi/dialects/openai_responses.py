"""OpenAI Responses API (POST …/responses), streaming SSE or JSON, as Codex CLI uses it.

Stream: response.created, response.in_progress, per output item (reasoning, message,
function_call or custom_tool_call) output_item.added / deltas / output_item.done, then
response.completed whose ``usage`` has input_tokens (incl. cached), input_tokens_details.cached_tokens,
output_tokens (incl. reasoning), output_tokens_details.reasoning_tokens and total_tokens.
A GET on …/responses (Codex's WebSocket attempt) is not handled here: the server answers 404.

Rate-limit state (script ``rate_limits``), sent as the ``x-<limit>-…`` headers Codex parses
(codex-rs/codex-api/src/rate_limits.rs; limit defaults to ``codex``)::

    {"primary":   {"used_percent": 12, "window_minutes": 300,   "reset_after": 14400},
     "secondary": {"used_percent": 3,  "window_minutes": 10080, "reset_at": 1796400000},
     "credits": {"has_credits": true, "unlimited": false, "balance": "12.50"},
     "limit_name": "…", "limit": "codex", "headers": {…any extra header…}}
"""

import base64
import hashlib
import json
import time

from ..common import chunk_text, det_id, instance_of_schema, sse

PROTOCOL = "openai-responses"


def handles(method, path):
    return method == "POST" and path.split("?")[0].rstrip("/").endswith("/responses")


def _input_text(item):
    content = item.get("content")
    if isinstance(content, str):
        return content
    return "\n".join(c.get("text", "") for c in content or [] if isinstance(c, dict))


def summarize(path, body):
    items = body.get("input") or []
    if isinstance(items, str):
        items = [{"type": "message", "role": "user", "content": items}]
    last_user = next((i for i in reversed(items) if i.get("role") == "user"), None)
    last = items[-1] if items else {}
    fmt = ((body.get("text") or {}).get("format") or {})
    schema = fmt.get("schema") if fmt.get("type") == "json_schema" else None
    return {
        "protocol": PROTOCOL,
        "path": path,
        "model": body.get("model"),
        "stream": bool(body.get("stream")),
        "max_tokens": body.get("max_output_tokens"),
        "n_tools": len(body.get("tools") or []),
        "last_user_text": _input_text(last_user) if last_user else "",
        "after_tool_result": last.get("type") in ("function_call_output", "custom_tool_call_output"),
        "structured_schema": schema,
        "log": {"reasoning": body.get("reasoning"), "prompt_cache_key": body.get("prompt_cache_key")},
    }


def default_usage(rand):
    inp = 6000 + rand % 9000
    out = 40 + (rand >> 16) % 900
    return {"input_tokens": inp, "input_tokens_details": {"cached_tokens": (rand >> 8) % inp},
            "output_tokens": out, "output_tokens_details": {"reasoning_tokens": (rand >> 32) % out},
            "total_tokens": inp + out}


def rate_limit_headers(state):
    if not state:
        return {}
    prefix = "x-" + state.get("limit", "codex").lower().replace("_", "-")
    headers = {}
    for name in ("primary", "secondary"):
        window = state.get(name)
        if not window:
            continue
        headers[f"{prefix}-{name}-used-percent"] = _num(window["used_percent"])
        if window.get("window_minutes") is not None:
            headers[f"{prefix}-{name}-window-minutes"] = str(window["window_minutes"])
        if window.get("reset_at") is not None:
            headers[f"{prefix}-{name}-reset-at"] = str(window["reset_at"])
    credits = state.get("credits")
    if credits:
        headers["x-codex-credits-has-credits"] = str(credits["has_credits"]).lower()
        headers["x-codex-credits-unlimited"] = str(credits["unlimited"]).lower()
        if credits.get("balance") is not None:
            headers["x-codex-credits-balance"] = str(credits["balance"])
    if state.get("limit_name"):
        headers[f"{prefix}-limit-name"] = state["limit_name"]
    headers.update(state.get("headers", {}))
    return headers


def _num(value):
    return str(int(value)) if float(value).is_integer() else str(value)


def _normalize_usage(usage):
    usage = json.loads(json.dumps(usage))
    usage.setdefault("input_tokens_details", {"cached_tokens": 0})
    usage.setdefault("output_tokens_details", {"reasoning_tokens": 0})
    usage.setdefault("total_tokens", usage.get("input_tokens", 0) + usage.get("output_tokens", 0))
    return usage


def _items(ctx, usage):
    reply = ctx["entry"].get("reply", {})
    label, n = ctx["label"], ctx["n"]
    items, kind = [], "text"
    summary_text = reply.get("reasoning_summary")
    if summary_text is None and usage["output_tokens_details"].get("reasoning_tokens"):
        summary_text = "**Planning** Looking at the request."
    if summary_text:
        secret = hashlib.sha256(f"{label}|{n}".encode()).digest() * 2
        items.append({"id": det_id("rs_", label, n, length=32), "type": "reasoning",
                      "summary": [{"type": "summary_text", "text": summary_text}],
                      "encrypted_content": base64.b64encode(secret).decode()})
    call = reply.get("tool_call")
    if call:
        call_id = det_id("call_", label, n)
        if call.get("type") == "custom":
            items.append({"id": det_id("ctc_", label, n, length=32), "type": "custom_tool_call",
                          "status": "completed", "call_id": call_id, "name": call["name"],
                          "input": call.get("input", "")})
            kind = "custom_tool"
        else:
            args = call.get("arguments", {})
            items.append({"id": det_id("fc_", label, n, length=32), "type": "function_call",
                          "status": "completed", "call_id": call_id, "name": call["name"],
                          "arguments": args if isinstance(args, str) else json.dumps(args)})
            kind = "function_tool"
    text = reply.get("text")
    if "json" in reply or (ctx["summary"].get("structured_schema") is not None and text is None):
        text = json.dumps(reply.get("json") or instance_of_schema(ctx["summary"]["structured_schema"]))
        kind = "json"
    if text is None and not call:
        text = "Mock answer."
    if text is not None:
        items.append({"id": det_id("msg_", label, n, length=32), "type": "message", "status": "completed",
                      "role": "assistant",
                      "content": [{"type": "output_text", "text": text, "annotations": []}]})
        if kind == "text" and ctx["summary"].get("after_tool_result"):
            kind = "final_after_tool"
    return items, kind


def respond(ctx):
    usage = _normalize_usage(ctx["usage"])
    items, kind = _items(ctx, usage)
    label, n = ctx["label"], ctx["n"]
    resp_id = det_id("resp_", label, n, length=32)
    created = int(time.time())
    model = ctx["summary"].get("model") or "gpt-mock"
    ctx["log"].update({"kind": kind, "response_id": resp_id,
                       "tool": next((i.get("name") for i in items if "call_id" in i), None)})
    base = {"id": resp_id, "object": "response", "created_at": created, "model": model}
    final = dict(base, status="completed", output=items, usage=usage)
    headers = {"x-request-id": det_id("req_", label, n)}
    if not ctx["summary"].get("stream"):
        headers["Content-Type"] = "application/json"
        return 200, headers, json.dumps(final).encode()
    headers["Content-Type"] = "text/event-stream"

    def events():
        seq = iter(range(1_000_000))

        def ev(kind_, **fields):
            return sse(kind_, dict(type=kind_, sequence_number=next(seq), **fields))

        yield ev("response.created", response=dict(base, status="in_progress", output=[], usage=None))
        yield ev("response.in_progress", response=dict(base, status="in_progress", output=[], usage=None))
        for index, item in enumerate(items):
            if item["type"] == "reasoning":
                yield ev("response.output_item.added", output_index=index,
                         item=dict(item, summary=[], encrypted_content=None))
                text = item["summary"][0]["text"]
                yield ev("response.reasoning_summary_part.added", item_id=item["id"], output_index=index,
                         summary_index=0, part={"type": "summary_text", "text": ""})
                yield ev("response.reasoning_summary_text.delta", item_id=item["id"], output_index=index,
                         summary_index=0, delta=text)
                yield ev("response.reasoning_summary_text.done", item_id=item["id"], output_index=index,
                         summary_index=0, text=text)
            elif item["type"] == "message":
                text = item["content"][0]["text"]
                yield ev("response.output_item.added", output_index=index,
                         item=dict(item, status="in_progress", content=[]))
                yield ev("response.content_part.added", item_id=item["id"], output_index=index,
                         content_index=0, part={"type": "output_text", "text": "", "annotations": []})
                for piece in chunk_text(text):
                    yield ev("response.output_text.delta", item_id=item["id"], output_index=index,
                             content_index=0, delta=piece)
                yield ev("response.output_text.done", item_id=item["id"], output_index=index,
                         content_index=0, text=text)
                yield ev("response.content_part.done", item_id=item["id"], output_index=index,
                         content_index=0, part=item["content"][0])
            elif item["type"] == "function_call":
                yield ev("response.output_item.added", output_index=index,
                         item=dict(item, status="in_progress", arguments=""))
                yield ev("response.function_call_arguments.delta", item_id=item["id"], output_index=index,
                         delta=item["arguments"])
                yield ev("response.function_call_arguments.done", item_id=item["id"], output_index=index,
                         arguments=item["arguments"])
            else:  # custom_tool_call
                yield ev("response.output_item.added", output_index=index,
                         item=dict(item, status="in_progress", input=""))
                yield ev("response.custom_tool_call_input.delta", item_id=item["id"], output_index=index,
                         delta=item["input"])
                yield ev("response.custom_tool_call_input.done", item_id=item["id"], output_index=index,
                         input=item["input"])
            yield ev("response.output_item.done", output_index=index, item=item)
        yield ev("response.completed", response=final)

    return 200, headers, events()
