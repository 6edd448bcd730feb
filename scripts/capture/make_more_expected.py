#!/usr/bin/env python3
"""Build more-tools-captures/expected-more-tools.json from the Qwen Code, opencode, Copilot CLI and Goose
capture runs, and cross-check what each tool SENT (OTLP) and WROTE (its own files) against what
the scripted model API served.

    python3 make_more_expected.py [--dir <fixtures folder>]

Protobuf bodies (Goose, copilot-plain) are decoded with ``otlp_decode`` and need the
``opentelemetry-proto`` package; run this with an interpreter that has it.

Per tool and session: every served request with its usage as served (provider field names) and
normalized (definitions in ``field_definitions`` below), whether its usage appears in the tool's
session files and in OTLP (per-request records, matched by response id where the tool keeps one,
else by (input_total, output)), and totals:

- ``totals_all_requests``: every model request served (what complete telemetry adds up to);
- ``totals_in_session_files``: the requests present in the primary session store, with SERVED usage;
- ``totals_as_recorded_in_session_files``: the same records with the usage the tool WROTE, after the
  de-duplication rule given in ``session_store``;
- ``totals_in_otlp_requests``: the per-request OTLP records that arrived, with the usage they carry;
- secondary stores (Qwen's usage ledger, Copilot's session-store.db) and OTLP metrics separately.
"""

import argparse
import glob
import json
import os
import shutil
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import otlp_decode as od  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures", "more-tools-captures"))
RUNS = {
    "qwen_code": ["qwen-plain", "qwen-toolcall", "qwen-anthropic-plain"],
    "opencode": ["opencode-plain", "opencode-toolcall"],
    "copilot_cli": ["copilot-plain", "copilot-file-plain", "copilot-toolcall"],
    "goose": ["goose-plain", "goose-toolcall"],
}
FIELDS = ("input_uncached", "cache_read", "cache_creation", "output", "reasoning")

FIELD_DEFINITIONS = {
    "input_uncached": "Anthropic input_tokens; OpenAI (Chat Completions prompt_tokens / Responses input_tokens) minus cached_tokens",
    "cache_read": "Anthropic cache_read_input_tokens; OpenAI prompt_tokens_details.cached_tokens / input_tokens_details.cached_tokens",
    "cache_creation": "Anthropic cache_creation_input_tokens (all 5-minute ephemeral); 0 for OpenAI",
    "input_total": "input_uncached + cache_read + cache_creation (= OpenAI prompt_tokens / input_tokens)",
    "output": "Anthropic output_tokens; OpenAI completion_tokens / output_tokens (includes reasoning)",
    "reasoning": "OpenAI reasoning_tokens (a part of output, not in addition); Anthropic 0",
}


# ---- served usage -------------------------------------------------------------------------------

def normalize_served(protocol, u):
    if protocol == "anthropic":
        n = {"input_uncached": u.get("input_tokens", 0), "cache_read": u.get("cache_read_input_tokens", 0),
             "cache_creation": u.get("cache_creation_input_tokens", 0), "output": u.get("output_tokens", 0),
             "reasoning": 0}
    elif protocol == "openai-chat":
        cached = (u.get("prompt_tokens_details") or {}).get("cached_tokens", 0)
        n = {"input_uncached": u["prompt_tokens"] - cached, "cache_read": cached, "cache_creation": 0,
             "output": u["completion_tokens"],
             "reasoning": (u.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)}
    elif protocol == "openai-responses":
        cached = (u.get("input_tokens_details") or {}).get("cached_tokens", 0)
        n = {"input_uncached": u["input_tokens"] - cached, "cache_read": cached, "cache_creation": 0,
             "output": u["output_tokens"], "reasoning": (u.get("output_tokens_details") or {}).get("reasoning_tokens", 0)}
    else:
        raise ValueError(protocol)
    return with_total(n)


def with_total(n):
    n = {k: int(n.get(k) or 0) for k in FIELDS}
    n["input_total"] = n["input_uncached"] + n["cache_read"] + n["cache_creation"]
    return n


def signature(n):
    return (n["input_total"], n["output"])


def totals(items, key="normalized"):
    out = {"requests": 0, **{k: 0 for k in FIELDS}, "input_total": 0, "models": {}}
    for item in items:
        n = item[key]
        out["requests"] += 1
        for k in FIELDS + ("input_total",):
            out[k] += n[k]
        if item.get("model"):
            out["models"][item["model"]] = out["models"].get(item["model"], 0) + 1
    return out


# ---- SQLite on a scratch copy -------------------------------------------------------------------

def query(db, sql):
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                shutil.copy2(db + suffix, os.path.join(tmp, "copy.db" + suffix))
        con = sqlite3.connect(os.path.join(tmp, "copy.db"))
        con.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in con.execute(sql)]
        finally:
            con.close()


# ---- session stores (what each tool WROTE) -----------------------------------------------------
# Each reader returns (records, description); a record has id, wire_id (or None), model, normalized, raw.

def qwen_chats(run_dir):
    records, files = [], sorted(glob.glob(os.path.join(run_dir, "sessions", ".qwen", "projects", "*", "chats", "*.jsonl")))
    for path in files:
        lines = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
        by_uuid = {r.get("uuid"): r for r in lines}
        seen = set()
        for r in lines:
            if r.get("type") != "assistant" or "usageMetadata" not in r or r["uuid"] in seen:
                continue
            seen.add(r["uuid"])
            parent = by_uuid.get(r.get("parentUuid")) or {}
            ui = ((parent.get("systemPayload") or {}).get("uiEvent") or {})
            wire = ui.get("response_id") if ui.get("event.name") == "qwen-code.api_response" else None
            u = r["usageMetadata"]
            n = with_total({"input_uncached": u.get("promptTokenCount", 0) - u.get("cachedContentTokenCount", 0),
                            "cache_read": u.get("cachedContentTokenCount", 0), "cache_creation": 0,
                            "output": u.get("candidatesTokenCount", 0), "reasoning": u.get("thoughtsTokenCount", 0)})
            records.append({"id": r["uuid"], "wire_id": wire, "model": r.get("model"), "normalized": n, "raw": u,
                            "session_id": r.get("sessionId")})
    return records, [os.path.relpath(p, run_dir) for p in files]


def qwen_ledger(run_dir):
    records, files = {}, sorted(glob.glob(os.path.join(run_dir, "sessions", ".qwen", "usage", "token-usage-*.jsonl")))
    for path in files:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            r = json.loads(line)
            n = with_total({"input_uncached": r["inputTokens"] - r.get("cachedTokens", 0), "cache_read": r.get("cachedTokens", 0),
                            "cache_creation": 0, "output": r["outputTokens"], "reasoning": r.get("thoughtsTokens", 0)})
            records[r["id"]] = {"id": r["id"], "wire_id": None, "model": r.get("model"), "normalized": n,
                                "raw": {k: r.get(k) for k in ("source", "inputTokens", "cachedTokens", "outputTokens",
                                                              "thoughtsTokens", "totalTokens")},
                                "session_id": r.get("sessionId")}
    return list(records.values()), [os.path.relpath(p, run_dir) for p in files]


def opencode_db(run_dir):
    db = os.path.join(run_dir, "sessions", ".local", "share", "opencode", "opencode.db")
    records = {}
    for row in query(db, "select id, session_id, data from message order by time_created, id"):
        data = json.loads(row["data"])
        if data.get("role") != "assistant" or "tokens" not in data:
            continue
        t = data["tokens"]
        n = with_total({"input_uncached": t.get("input", 0), "cache_read": t["cache"].get("read", 0),
                        "cache_creation": t["cache"].get("write", 0),
                        "output": t.get("output", 0) + t.get("reasoning", 0), "reasoning": t.get("reasoning", 0)})
        records[row["id"]] = {"id": row["id"], "wire_id": None, "model": data.get("modelID"), "normalized": n,
                              "raw": {"tokens": t, "cost": data.get("cost"), "providerID": data.get("providerID")},
                              "session_id": row["session_id"]}
    return list(records.values()), [os.path.relpath(db, run_dir) + " (message table)"]


def copilot_events(run_dir):
    files = sorted(glob.glob(os.path.join(run_dir, "sessions", ".copilot", "session-state", "*", "events.jsonl")))
    records = {}
    for path in files:
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            if r.get("type") != "session.usage_record":
                continue
            u = r["data"]["usage"]
            key = (u.get("accounting") or {}).get("usageId") or u.get("apiCallId") or r["id"]
            n = with_total({"input_uncached": u["inputTokens"] - u.get("cacheReadTokens", 0) - u.get("cacheWriteTokens", 0),
                            "cache_read": u.get("cacheReadTokens", 0), "cache_creation": u.get("cacheWriteTokens", 0),
                            "output": u["outputTokens"], "reasoning": u.get("reasoningTokens") or 0})
            records[key] = {"id": key, "wire_id": u.get("apiCallId"), "model": u.get("model"), "normalized": n,
                            "raw": {k: u.get(k) for k in ("inputTokens", "outputTokens", "cacheReadTokens",
                                                          "cacheWriteTokens", "reasoningTokens", "initiator")},
                            "session_id": (u.get("accounting") or {}).get("sourceSessionId")}
    return list(records.values()), [os.path.relpath(p, run_dir) for p in files]


def copilot_store(run_dir):
    db = os.path.join(run_dir, "sessions", ".copilot", "session-store.db")
    records = []
    for row in query(db, "select * from assistant_usage_events order by id"):
        n = with_total({"input_uncached": row["input_tokens"] - (row["cache_read_tokens"] or 0) - (row["cache_write_tokens"] or 0),
                        "cache_read": row["cache_read_tokens"], "cache_creation": row["cache_write_tokens"],
                        "output": row["output_tokens"], "reasoning": row["reasoning_tokens"]})
        records.append({"id": row["id"], "wire_id": None, "model": row["model"], "normalized": n,
                        "raw": {k: row[k] for k in ("input_tokens", "output_tokens", "cache_read_tokens",
                                                    "cache_write_tokens", "reasoning_tokens", "initiator")},
                        "session_id": row["session_id"]})
    return records, [os.path.relpath(db, run_dir) + " (assistant_usage_events)"]


def goose_ledger(run_dir):
    db = os.path.join(run_dir, "sessions", ".local", "share", "goose", "sessions", "sessions.db")
    records = []
    for row in query(db, "select * from usage_ledger order by id"):
        read, write = row["cache_read_tokens"] or 0, row["cache_write_tokens"] or 0
        n = with_total({"input_uncached": row["input_tokens"] - read - write, "cache_read": read, "cache_creation": write,
                        "output": row["output_tokens"], "reasoning": 0})
        records.append({"id": row["id"], "wire_id": None, "model": row["model"], "normalized": n,
                        "raw": {k: row[k] for k in ("input_tokens", "output_tokens", "total_tokens", "cache_read_tokens",
                                                    "cache_write_tokens", "cost", "cost_source")},
                        "session_id": row["session_id"]})
    return records, [os.path.relpath(db, run_dir) + " (usage_ledger)"]


def goose_messages(run_dir):
    db = os.path.join(run_dir, "sessions", ".local", "share", "goose", "sessions", "sessions.db")
    records = {}
    for row in query(db, "select message_id, session_id, role, metadata_json from messages order by id"):
        meta = json.loads(row["metadata_json"] or "{}")
        u = meta.get("usage")
        if row["role"] != "assistant" or not u:
            continue
        read, write = u.get("cacheReadTokens") or 0, u.get("cacheWriteTokens") or 0
        n = with_total({"input_uncached": u["inputTokens"] - read - write, "cache_read": read, "cache_creation": write,
                        "output": u["outputTokens"], "reasoning": 0})
        records[row["message_id"]] = {"id": row["message_id"], "wire_id": row["message_id"],
                                      "model": (meta.get("inference") or {}).get("requestedModel"), "normalized": n,
                                      "raw": u, "session_id": row["session_id"]}
    return list(records.values()), [os.path.relpath(db, run_dir) + " (messages.metadata_json.usage)"]


PRIMARY = {"qwen_code": qwen_chats, "opencode": opencode_db, "copilot_cli": copilot_events, "goose": goose_ledger}
SECONDARY = {"qwen_code": [("usage_ledger", qwen_ledger)], "copilot_cli": [("session_store_db", copilot_store)],
             "goose": [("messages_metadata", goose_messages)]}
STORE_RULES = {
    "qwen_code": "chats/<session>.jsonl: records with type=assistant and usageMetadata, one per model response, "
                 "unique by uuid (the preceding system/ui_telemetry api_response record carries the response_id). "
                 "Auxiliary requests (managed-auto-memory-extractor) have no assistant record.",
    "opencode": "opencode.db message table: role=assistant rows, one per model step, unique by message id "
                "(the step-finish part repeats the same tokens; event rows replay message.updated; session row holds running totals).",
    "copilot_cli": "session-state/<session>/events.jsonl: type=session.usage_record, one per model call, unique by "
                   "data.usage.accounting.usageId (= apiCallId = provider response id); session.shutdown snapshots are cumulative.",
    "goose": "sessions.db usage_ledger: one row per model call (autoincrement id, no response id); the same usage is in "
             "messages.metadata_json.usage of the assistant message whose message_id is the provider response id; "
             "the sessions row holds the last call (total_tokens, input_tokens...) and running totals (accumulated_*).",
}


# ---- OTLP (what each tool SENT) -----------------------------------------------------------------

def otlp_docs(run_dir):
    out = []
    for meta, doc in od.bodies(run_dir):
        out.append((meta, doc))
    return out


def spans(docs):
    for meta, doc in docs:
        for rs in doc.get("resourceSpans", []):
            for ss in rs.get("scopeSpans", []):
                for sp in ss.get("spans", []):
                    yield meta, sp, od.attrs(sp.get("attributes"))


def logs(docs):
    for meta, doc in docs:
        for rl in doc.get("resourceLogs", []):
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    yield meta, rec, od.attrs(rec.get("attributes"))


def metric_points(docs):
    for meta, doc in docs:
        for rm in doc.get("resourceMetrics", []):
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    kind = next((k for k in ("sum", "gauge", "histogram") if k in m), None)
                    if kind is None:
                        continue
                    for p in m[kind].get("dataPoints", []):
                        yield m["name"], m[kind].get("aggregationTemporality"), p, od.attrs(p.get("attributes"))


def cumulative_last(points):
    """Sum of the last value of each cumulative series (series = attributes + start time)."""
    last = {}
    for name, temporality, p, a in points:
        key = (name, json.dumps(a, sort_keys=True), p.get("startTimeUnixNano"))
        value = p.get("asInt", p.get("asDouble", p.get("sum")))
        if temporality in (1, "AGGREGATION_TEMPORALITY_DELTA"):
            last[key + (p.get("timeUnixNano"),)] = value
        else:
            last[key] = value
    out = {}
    for (name, attrs_json, *_), value in last.items():
        a = json.loads(attrs_json)
        sub = a.get("type") or a.get("token_type") or ""
        k = f"{name}[{sub}]" if sub else name
        out[k] = out.get(k, 0) + float(value)
    return {k: int(v) if float(v).is_integer() else v for k, v in sorted(out.items())}


def gen_ai_span(a):
    inp, read = a.get("gen_ai.usage.input_tokens", 0), a.get("gen_ai.usage.cache_read.input_tokens", 0)
    write = a.get("gen_ai.usage.cache_creation.input_tokens", a.get("gen_ai.usage.cache_write.input_tokens", 0))
    return with_total({"input_uncached": inp - read - write, "cache_read": read, "cache_creation": write,
                       "output": a.get("gen_ai.usage.output_tokens", 0),
                       "reasoning": a.get("gen_ai.usage.reasoning.output_tokens", a.get("thoughts_token_count", 0))})


def otlp_qwen(run_dir):
    docs = otlp_docs(run_dir)
    per_request = []
    for meta, rec, a in logs(docs):
        if a.get("event.name") == "qwen-code.api_response":
            n = with_total({"input_uncached": a["input_token_count"] - a.get("cached_content_token_count", 0),
                            "cache_read": a.get("cached_content_token_count", 0), "cache_creation": 0,
                            "output": a["output_token_count"], "reasoning": a.get("thoughts_token_count", 0)})
            per_request.append({"wire_id": a.get("response_id"), "model": a.get("model"), "normalized": n,
                                "source": "log qwen-code.api_response", "session_id": a.get("session.id")})
    span_records = [{"wire_id": a.get("gen_ai.response.id"), "model": a.get("gen_ai.response.model"),
                     "normalized": gen_ai_span(a), "source": "span qwen-code.llm_request"}
                    for meta, sp, a in spans(docs) if sp["name"] == "qwen-code.llm_request"]
    metrics = cumulative_last(p for p in metric_points(docs) if p[0] == "qwen-code.token.usage")
    return per_request, {"spans qwen-code.llm_request": totals(span_records),
                         "metric qwen-code.token.usage (cumulative, last per series+start)": metrics}


def otlp_opencode(run_dir):
    docs = otlp_docs(run_dir)
    per_request = []
    for meta, sp, a in spans(docs):
        if sp["name"] == "ai.streamText.doStream":
            n = with_total({"input_uncached": a.get("ai.usage.inputTokenDetails.noCacheTokens", 0),
                            "cache_read": a.get("ai.usage.inputTokenDetails.cacheReadTokens", 0),
                            "cache_creation": a.get("ai.usage.inputTokenDetails.cacheWriteTokens", 0),
                            "output": a.get("ai.usage.outputTokens", 0),
                            "reasoning": a.get("ai.usage.outputTokenDetails.reasoningTokens", a.get("ai.usage.reasoningTokens", 0))})
            per_request.append({"wire_id": a.get("ai.response.id"), "model": a.get("ai.model.id"), "normalized": n,
                                "source": "span ai.streamText.doStream", "session_id": a.get("session.id")})
    return per_request, {}


def copilot_file_lines(run_dir):
    path = os.path.join(run_dir, "sessions", ".copilot", "otel", "copilot-otel.jsonl")
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def otlp_copilot(run_dir):
    per_request, extra = [], {}
    docs = otlp_docs(run_dir)
    chat_spans = [(sp["name"], a) for meta, sp, a in spans(docs) if a.get("gen_ai.operation.name") == "chat"]
    file_lines = copilot_file_lines(run_dir)
    chat_spans += [(line["name"], line.get("attributes") or {}) for line in file_lines
                   if line.get("type") == "span" and (line.get("attributes") or {}).get("gen_ai.operation.name") == "chat"]
    for name, a in chat_spans:
        per_request.append({"wire_id": a.get("gen_ai.response.id"), "model": a.get("gen_ai.response.model"),
                            "normalized": gen_ai_span(a), "source": "span chat <model>" + (" (file exporter)" if file_lines else ""),
                            "session_id": a.get("gen_ai.conversation.id")})
    points = [p for p in metric_points(docs) if p[0].startswith("gen_ai.client.inference.usage.")]
    if points:
        extra["metrics gen_ai.client.inference.usage.* (cumulative, last per series+start)"] = cumulative_last(points)
    if file_lines:
        extra["file exporter line types"] = sorted({line.get("type") for line in file_lines})
    return per_request, extra


def otlp_goose(run_dir):
    docs = otlp_docs(run_dir)
    per_request = [{"wire_id": a.get("gen_ai.response.id"), "model": a.get("gen_ai.response.model"),
                    "normalized": gen_ai_span(a), "source": "span stream_response_from_provider",
                    "session_id": a.get("session.id")}
                   for meta, sp, a in spans(docs) if sp["name"] == "stream_response_from_provider"]
    reply = [{"normalized": gen_ai_span(a), "model": None} for meta, sp, a in spans(docs) if sp["name"] == "reply"]
    metrics = cumulative_last(p for p in metric_points(docs) if p[0] in ("goose.session_tokens",))
    return per_request, {"spans reply (per invocation, input+output only)": totals(reply),
                         "metric goose.session_tokens (cumulative, last per series+start)": metrics}


OTLP = {"qwen_code": otlp_qwen, "opencode": otlp_opencode, "copilot_cli": otlp_copilot, "goose": otlp_goose}


# ---- matching -----------------------------------------------------------------------------------

def match(requests, records):
    """Map each record to a served request: by wire id when both have one, else by (input_total, output)."""
    free = {r["n"]: r for r in requests}
    pairs = []
    for rec in records:
        req = None
        if rec.get("wire_id"):
            req = next((r for r in free.values() if r["wire_id"] == rec["wire_id"]), None)
        if req is None:
            req = next((r for r in free.values() if signature(r["normalized"]) == signature(rec["normalized"])
                        and (not rec.get("model") or rec["model"] == r["model"])), None)
        if req is None:
            req = next((r for r in free.values() if signature(r["normalized"]) == signature(rec["normalized"])), None)
        if req is not None:
            del free[req["n"]]
        pairs.append((rec, req))
    return pairs


def build_session(tool, run, base):
    run_dir = os.path.join(base, run)
    with open(os.path.join(run_dir, "run.json"), encoding="utf-8") as f:
        run_json = json.load(f)
    served = [json.loads(line) for line in open(os.path.join(run_dir, "mock_requests.jsonl"), encoding="utf-8")]
    requests = []
    for r in served:
        if r.get("n") is None:
            continue
        requests.append({"n": r["n"], "invocation": r["label"], "model": r["model"], "protocol": r["protocol"],
                         "kind": r.get("kind"), "tool_call": r.get("tool"), "entry": r.get("entry"),
                         "wire_id": r.get("response_id") or r.get("message_id"),
                         "usage_as_served": r["usage"], "normalized": normalize_served(r["protocol"], r["usage"])})
    # primary session store
    records, files = PRIMARY[tool](run_dir)
    recorded = []
    for rec, req in match(requests, records):
        if req is None:
            recorded.append({"normalized": rec["normalized"], "model": rec["model"], "unmatched": True})
            continue
        req["in_session_file"] = True
        req["session_file_record"] = {"id": rec["id"], "raw": rec["raw"]}
        if rec["normalized"] != req["normalized"]:
            req["session_file_records_different_usage"] = rec["normalized"]
        recorded.append({"normalized": rec["normalized"], "model": rec["model"]})
    # OTLP per-request records
    otlp_records, otlp_extra = OTLP[tool](run_dir)
    otlp_seen = []
    for rec, req in match(requests, otlp_records):
        if req is not None:
            req["in_otlp"] = rec["source"]
            if rec["normalized"] != req["normalized"]:
                req["otlp_records_different_usage"] = rec["normalized"]
        otlp_seen.append({"normalized": rec["normalized"], "model": rec["model"], "matched_request": req["n"] if req else None})
    for req in requests:
        req.setdefault("in_session_file", False)
        req.setdefault("in_otlp", None)
    session = {
        "run": run, "tool_version": run_json.get("version"), "session_id": run_json.get("session_id"),
        "prompts": [s["prompt"] for s in run_json["spec"]["steps"]],
        "session_files": files,
        "session_store": STORE_RULES[tool],
        "totals_all_requests": totals(requests),
        "totals_in_session_files": totals([r for r in requests if r["in_session_file"]]),
        "totals_as_recorded_in_session_files": totals(recorded),
        "totals_in_otlp_requests": totals(otlp_seen),
        "otlp_other": otlp_extra,
        "requests": requests,
    }
    for label, reader in SECONDARY.get(tool, []):
        sec_records, sec_files = reader(run_dir)
        pairs = match(requests, sec_records)
        session[f"totals_as_recorded_in_{label}"] = totals([{"normalized": rec["normalized"], "model": rec["model"]} for rec, _ in pairs])
        session[f"{label}_files"] = sec_files
        session[f"{label}_requests"] = sorted(req["n"] for _, req in pairs if req)
    return run_json["session_id"], session


def add(a, b):
    out = dict(a)
    for k in ("requests",) + FIELDS + ("input_total",):
        out[k] = a.get(k, 0) + b[k]
    models = dict(a.get("models", {}))
    for m, c in b["models"].items():
        models[m] = models.get(m, 0) + c
    out["models"] = models
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=FIXTURES)
    args = ap.parse_args()
    doc = {"set": "more-tools",
           "about": "Token usage the loopback mock model API served to Qwen Code, opencode, GitHub Copilot CLI and Goose "
                    "in these captures, where each served request shows up in the tool's own files and in its OTLP "
                    "export, and the totals an importer / collector must add up to. Built by "
                    "scripts/capture/make_more_expected.py from the run folders; see CAPTURE-NOTES.md 'More assistants'.",
           "field_definitions": FIELD_DEFINITIONS, "tools": {}}
    checks = []
    for tool, runs in RUNS.items():
        entry = {"sessions": {}}
        agg = {k: {"requests": 0, **{f: 0 for f in FIELDS}, "input_total": 0, "models": {}}
               for k in ("totals_all_requests", "totals_in_session_files", "totals_as_recorded_in_session_files",
                         "totals_in_otlp_requests")}
        for run in runs:
            if not os.path.isdir(os.path.join(args.dir, run)):
                continue
            sid, session = build_session(tool, run, args.dir)
            # keyed by run: Goose session ids ("YYYYMMDD_N") are a per-home counter and collide across runs
            entry["sessions"][run] = session
            for k in agg:
                agg[k] = add(agg[k], session[k])
            strip = lambda t: {k: v for k, v in t.items() if k != "models"}  # noqa: E731
            checks.append({"run": run,
                           "session_files_equal_served": strip(session["totals_as_recorded_in_session_files"]) == strip(session["totals_in_session_files"]),
                           "otlp_requests_equal_all_served": strip(session["totals_in_otlp_requests"]) == strip(session["totals_all_requests"]),
                           "requests_served": session["totals_all_requests"]["requests"],
                           "requests_in_files": session["totals_in_session_files"]["requests"],
                           "requests_in_otlp": session["totals_in_otlp_requests"]["requests"]})
        entry.update(agg)
        entry["versions"] = sorted({str(sess.get("tool_version")).splitlines()[0] for sess in entry["sessions"].values()})
        doc["tools"][tool] = entry
    doc["checks"] = checks
    out = os.path.join(args.dir, "expected-more-tools.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for c in checks:
        print(json.dumps(c))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
