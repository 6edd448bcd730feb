"""Helpers shared by the dialects: deterministic ids, SSE framing, schema-shaped JSON replies."""

import hashlib
import json


def det_id(prefix, *parts, length=24):
    """A deterministic id such as ``msg_0a1b…`` from the run label and request number."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}{digest[:length]}"


def sse(event, data):
    """One Server-Sent Event with an ``event:`` line (Anthropic, OpenAI Responses)."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n".encode()


def sse_data(data):
    """One Server-Sent Event with only a ``data:`` line (Chat Completions, Gemini)."""
    payload = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return f"data: {payload}\n\n".encode()


def instance_of_schema(schema, depth=0):
    """A minimal JSON value that satisfies a (simple) JSON schema, for structured-output requests."""
    if not isinstance(schema, dict) or depth > 6:
        return "mock"
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if schema.get(key):
            return instance_of_schema(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        required = schema.get("required", list(props))
        return {k: instance_of_schema(props.get(k, {}), depth + 1) for k in required}
    if kind == "array":
        return []
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return "Mock title"


def chunk_text(text, size=24):
    """Split a reply into a few deltas, like a real stream."""
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]
