"""Gemini API: POST …/models/<model>:generateContent, :streamGenerateContent (``alt=sse``) and
:countTokens.

Replies carry ``candidates[0].content.parts`` (text or functionCall) and ``usageMetadata``
{promptTokenCount (incl. cached), candidatesTokenCount, cachedContentTokenCount,
thoughtsTokenCount, totalTokenCount}; when streaming, the text comes in a few chunks and the
last chunk has the finishReason and the full usageMetadata.

Rate-limit state: ``{"headers": {...}}`` is sent as is.
"""

import json
import re

from ..common import chunk_text, det_id, instance_of_schema, sse_data

PROTOCOL = "gemini"
ROUTE = re.compile(r"/models/([^/:]+):(generateContent|streamGenerateContent|countTokens)$")


def handles(method, path):
    return method == "POST" and ROUTE.search(path.split("?")[0]) is not None


def _parts_text(parts):
    return "\n".join(p.get("text", "") for p in parts or [] if isinstance(p, dict) and "text" in p)


def summarize(path, body):
    m = ROUTE.search(path.split("?")[0])
    contents = body.get("contents") or []
    last_user = next((c for c in reversed(contents) if c.get("role", "user") == "user"
                      and _parts_text(c.get("parts"))), None)
    last = contents[-1] if contents else {}
    config = body.get("generationConfig") or {}
    schema = config.get("responseJsonSchema") or config.get("responseSchema")
    if config.get("responseMimeType") == "application/json" and schema is None:
        schema = {}
    n_tools = sum(len(t.get("functionDeclarations") or []) or 1 for t in body.get("tools") or [])
    return {
        "protocol": PROTOCOL,
        "path": path,
        "model": m.group(1),
        "stream": m.group(2) == "streamGenerateContent",
        "max_tokens": config.get("maxOutputTokens"),
        "n_tools": n_tools,
        "last_user_text": _parts_text(last_user.get("parts")) if last_user else "",
        "after_tool_result": any("functionResponse" in p for p in last.get("parts") or []),
        "structured_schema": schema,
        "log": {"gemini_method": m.group(2)},
    }


def direct(method, path, body):
    m = ROUTE.search(path.split("?")[0])
    if m and m.group(2) == "countTokens":
        n = len(json.dumps(body)) // 4 + 1
        return 200, {"Content-Type": "application/json"}, json.dumps({"totalTokens": n}).encode()
    return None


def default_usage(rand):
    prompt = 5000 + rand % 9000
    out = 20 + (rand >> 16) % 300
    thoughts = (rand >> 24) % 400
    return {"promptTokenCount": prompt, "candidatesTokenCount": out, "cachedContentTokenCount": 0,
            "thoughtsTokenCount": thoughts, "totalTokenCount": prompt + out + thoughts}


def rate_limit_headers(state):
    return dict((state or {}).get("headers", {}))


def respond(ctx):
    reply = ctx["entry"].get("reply", {})
    label, n = ctx["label"], ctx["n"]
    usage = dict(ctx["usage"])
    usage.setdefault("totalTokenCount", usage.get("promptTokenCount", 0) + usage.get("candidatesTokenCount", 0)
                     + usage.get("thoughtsTokenCount", 0))
    model = ctx["summary"].get("model")
    text = reply.get("text")
    if "json" in reply or (ctx["summary"].get("structured_schema") is not None and text is None):
        text = json.dumps(reply.get("json") or instance_of_schema(ctx["summary"]["structured_schema"]))
    call = reply.get("tool_call")
    if text is None and not call:
        text = "Mock answer."
    response_id = det_id("", label, n, length=22)
    ctx["log"].update({"kind": "tool" if call else "text", "response_id": response_id,
                       "tool": call["name"] if call else None})

    def candidate(parts, finish=None):
        cand = {"content": {"role": "model", "parts": parts}, "index": 0}
        if finish:
            cand["finishReason"] = finish
        return cand

    final_parts = []
    if call:
        final_parts.append({"functionCall": {"name": call["name"], "args": call.get("args", {})}})
    headers = {"x-request-id": det_id("req_", label, n)}
    if not ctx["summary"].get("stream"):
        parts = ([{"text": text}] if text else []) + final_parts
        body = {"candidates": [candidate(parts, "STOP")], "usageMetadata": usage,
                "modelVersion": model, "responseId": response_id}
        headers["Content-Type"] = "application/json; charset=UTF-8"
        return 200, headers, json.dumps(body).encode()
    headers["Content-Type"] = "text/event-stream"

    def events():
        pieces = chunk_text(text) if text else []
        for piece in pieces[:-1] if not final_parts else pieces:
            yield sse_data({"candidates": [candidate([{"text": piece}])], "modelVersion": model,
                            "responseId": response_id})
        last_parts = final_parts or [{"text": pieces[-1]}]
        yield sse_data({"candidates": [candidate(last_parts, "STOP")], "usageMetadata": usage,
                        "modelVersion": model, "responseId": response_id})

    return 200, headers, events()
