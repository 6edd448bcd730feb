#!/usr/bin/env python3
"""Build fork-subagent-captures/expected.json from the fork and sub-agent capture runs
(run_fork_subagent.py), and cross-check what each CLI SENT (OTLP) and WROTE (session files)
against what the scripted model API served. Exits 1 when a check fails.

    python3 make_fork_expected.py [--dir <fixtures folder>]

Protobuf bodies (Codex ``binary``, Claude ``http/protobuf``) are decoded with ``otlp_decode`` and
need the ``opentelemetry-proto`` package: run this with an interpreter that has it. It also
rewrites each run's ``otlp/summary.json`` from the decoded bodies.

Line numbers are 1-based. Per tool and session id: every served request (usage as served, normalized), the session it
belongs to (the session its OTLP records carry), every place its usage appears in a session file
(file, line numbers, the session id written on those lines, and whether the lines are the
request's own or a copy made by a fork / a sub-agent's inherited history), and totals:

- ``totals_all_requests``: every request of the session (what complete OTLP adds up to);
- ``totals_in_session_files``: the session's requests that appear in a session file, each once,
  with SERVED usage (what a correct importer adds up to);
- ``totals_as_recorded_in_session_files``: the same requests with the usage the CLI WROTE (its own
  lines, de-duplicated: Claude by message.id keeping the largest output, Codex by response_id,
  Gemini by message id);
- ``session_files[].naive_totals``: what counting every request found in that one file gives (copied
  history included), to show what double counting would look like.
"""

import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import otlp_decode as od  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures",
                                         "fork-subagent-captures"))
RUNS = {
    "codex-exec-fork": ("codex", "fork"),
    "codex-subagent": ("codex", "subagent"),
    "claude-fork": ("claude_code", "fork"),
    "claude-fork-2.1.332": ("claude_code", "fork"),
    "claude-subagent": ("claude_code", "subagent"),
    "claude-subagent-placeholder": ("claude_code", "subagent"),
    "claude-subagent-2.1.332": ("claude_code", "subagent"),
    "gemini-subagent": ("gemini_cli", "subagent"),
}
FIELDS = ("input_uncached", "cache_read", "cache_creation", "output", "reasoning")
FIELD_DEFINITIONS = {
    "input_uncached": "Anthropic input_tokens; OpenAI input_tokens - cached_tokens; Gemini promptTokenCount - cachedContentTokenCount",
    "cache_read": "Anthropic cache_read_input_tokens; OpenAI input_tokens_details.cached_tokens; Gemini cachedContentTokenCount",
    "cache_creation": "Anthropic cache_creation_input_tokens (all 5-minute ephemeral); 0 for OpenAI and Gemini",
    "input_total": "input_uncached + cache_read + cache_creation (= OpenAI input_tokens = Gemini promptTokenCount)",
    "output": "Anthropic output_tokens; OpenAI output_tokens (includes reasoning); Gemini candidatesTokenCount (excludes thoughts)",
    "reasoning": "OpenAI reasoning_tokens (a part of output); Gemini thoughtsTokenCount (in addition to output); Anthropic 0",
}
CHECKS = []


def check(ok, text):
    CHECKS.append(("ok  " if ok else "FAIL") + " " + text)
    return ok


# ---- usage ------------------------------------------------------------------------------------

def with_total(n):
    n = {k: int(n.get(k) or 0) for k in FIELDS}
    n["input_total"] = n["input_uncached"] + n["cache_read"] + n["cache_creation"]
    return n


def normalize_served(protocol, u):
    if protocol == "anthropic":
        return with_total({"input_uncached": u.get("input_tokens"), "cache_read": u.get("cache_read_input_tokens"),
                           "cache_creation": u.get("cache_creation_input_tokens"), "output": u.get("output_tokens")})
    if protocol == "openai-responses":
        cached = (u.get("input_tokens_details") or {}).get("cached_tokens", 0)
        return with_total({"input_uncached": u["input_tokens"] - cached, "cache_read": cached,
                           "output": u["output_tokens"],
                           "reasoning": (u.get("output_tokens_details") or {}).get("reasoning_tokens", 0)})
    if protocol == "gemini":
        cached = u.get("cachedContentTokenCount", 0)
        return with_total({"input_uncached": u["promptTokenCount"] - cached, "cache_read": cached,
                           "output": u.get("candidatesTokenCount", 0), "reasoning": u.get("thoughtsTokenCount", 0)})
    raise ValueError(protocol)


def totals(items, key="normalized"):
    out = {"requests": 0, **{k: 0 for k in FIELDS}, "input_total": 0, "models": {}}
    for item in items:
        n = item[key]
        out["requests"] += 1
        for k in FIELDS + ("input_total",):
            out[k] += n[k]
        out["models"][item["model"]] = out["models"].get(item["model"], 0) + 1
    out["models"] = dict(sorted(out["models"].items()))
    return out


def usage_key(n):
    return tuple(n[k] for k in FIELDS)


# ---- served requests -----------------------------------------------------------------------------

def served(run_dir):
    out = []
    for line in open(os.path.join(run_dir, "mock_requests.jsonl"), encoding="utf-8"):
        r = json.loads(line)
        if r.get("n") is None:
            continue
        req = {"n": r["n"], "invocation": r["label"], "script_entry": r.get("entry"), "model": r["model"],
               "kind": r.get("kind"), "tool_call": r.get("tool"), "protocol": r["protocol"],
               "usage_as_served": r["usage"], "normalized": normalize_served(r["protocol"], r["usage"])}
        headers = r.get("headers") or {}
        if r["protocol"] == "anthropic":
            req["wire_id"] = r.get("message_id")
            req["request_id"] = "req_" + r["message_id"][4:]  # the mock's request-id header: same digest
            try:
                req["session_in_request"] = json.loads((r.get("metadata") or {}).get("user_id") or "{}").get("session_id")
            except ValueError:
                req["session_in_request"] = None
        elif r["protocol"] == "openai-responses":
            req["wire_id"] = r.get("response_id")
            req["thread_id_header"] = headers.get("thread-id")
            req["session_id_header"] = headers.get("session-id")
        else:
            req["wire_id"] = r.get("response_id")
        out.append(req)
    return out


# ---- session files -------------------------------------------------------------------------------

def rel(run_dir, path):
    return os.path.relpath(path, run_dir)


def read_jsonl(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def claude_files(run_dir):
    """Per file: its session id, kind, and per message.id the lines (1-based) carrying it."""
    files = []
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".claude", "projects", "**", "*.jsonl"), recursive=True)):
        lines = read_jsonl(path)
        sub = "/subagents/" in path
        file_session = os.path.basename(os.path.dirname(os.path.dirname(path))) if sub else os.path.basename(path)[:-6]
        msgs = {}
        for i, r in enumerate(lines, 1):
            m = r.get("message")
            if r.get("type") != "assistant" or not isinstance(m, dict) or not m.get("id") or "usage" not in m:
                continue
            g = msgs.setdefault(m["id"], {"lines": [], "session_ids": set(), "request_session_ids": set(),
                                          "request_id": r.get("requestId"),
                                          "agent_id": r.get("agentId"), "is_sidechain": r.get("isSidechain"),
                                          "model": m.get("model"), "usages": [], "stop_reasons": [], "uuids": []})
            g["lines"].append(i)
            g["session_ids"].add(r.get("sessionId"))
            g["request_session_ids"].add(r.get("requestSessionId"))
            g["usages"].append(m["usage"])
            g["stop_reasons"].append(m.get("stop_reason"))
            g["uuids"].append(r.get("uuid"))
        files.append({"path": path, "kind": "subagent" if sub else "main", "file_session_id": file_session,
                      "lines": lines, "messages": msgs})
    return files


def claude_recorded(g):
    u = max(g["usages"], key=lambda x: x.get("output_tokens", 0))
    return with_total({"input_uncached": u.get("input_tokens"), "cache_read": u.get("cache_read_input_tokens"),
                       "cache_creation": u.get("cache_creation_input_tokens"), "output": u.get("output_tokens")})


def codex_files(run_dir):
    files = []
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".codex", "sessions", "*", "*", "*", "rollout-*.jsonl"))):
        lines = read_jsonl(path)
        meta = lines[0]["payload"]
        start = meta.get("subagent_history_start_ordinal")
        records, token_counts = {}, []
        for i, r in enumerate(lines, 1):
            p = r.get("payload") or {}
            copied = start is not None and r.get("ordinal") is not None and r["ordinal"] < start
            if r["type"] == "token_usage_record":
                records[p["response_id"]] = {"lines": [i], "ordinal": r.get("ordinal"), "copied_region": copied,
                                             "thread_id": p.get("thread_id"), "session_id": p.get("session_id"),
                                             "turn_id": p.get("turn_id"), "usage": p["usage"]}
            elif r["type"] == "event_msg" and p.get("type") == "token_count" and p.get("info"):
                token_counts.append({"line": i, "ordinal": r.get("ordinal"), "copied_region": copied,
                                     "total_token_usage": p["info"].get("total_token_usage"),
                                     "last_token_usage": p["info"].get("last_token_usage")})
        files.append({"path": path, "kind": "subagent" if isinstance(meta.get("source"), dict) else
                      ("fork" if meta.get("forked_from_id") else "main"),
                      "file_session_id": meta["id"], "lines": lines, "records": records, "token_counts": token_counts})
    return files


def codex_recorded(u):
    return with_total({"input_uncached": u["input_tokens"] - u.get("cached_input_tokens", 0),
                       "cache_read": u.get("cached_input_tokens", 0), "cache_creation": u.get("cache_write_input_tokens", 0),
                       "output": u["output_tokens"], "reasoning": u.get("reasoning_output_tokens", 0)})


def gemini_files(run_dir):
    files = []
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".gemini", "tmp", "*", "chats", "**", "*.jsonl"), recursive=True)):
        lines = read_jsonl(path)
        headers = [(i, r) for i, r in enumerate(lines, 1) if "sessionId" in r]
        msgs = {}
        for i, r in enumerate(lines, 1):
            if r.get("type") == "gemini" and r.get("tokens"):
                g = msgs.setdefault(r["id"], {"lines": [], "model": r.get("model")})
                g["lines"].append(i)
                g["tokens"] = r["tokens"]  # the last record per message id wins
        files.append({"path": path, "kind": headers[-1][1].get("kind") if headers else None,
                      "file_session_id": headers[-1][1]["sessionId"] if headers else None,
                      "header_lines": [i for i, _ in headers], "lines": lines, "messages": msgs})
    return files


def gemini_recorded(t):
    return with_total({"input_uncached": t["input"] - t.get("cached", 0), "cache_read": t.get("cached", 0),
                       "output": t.get("output", 0), "reasoning": t.get("thoughts", 0)})


# ---- OTLP ------------------------------------------------------------------------------------------

def otlp_docs(run_dir):
    return list(od.bodies(run_dir))


def log_records(docs):
    for meta, doc in docs:
        for rl in doc.get("resourceLogs", []):
            res = od.attrs(rl.get("resource", {}).get("attributes"))
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    yield meta, res, od.attrs(rec.get("attributes"))


def metric_points(docs):
    for meta, doc in docs:
        for rm in doc.get("resourceMetrics", []):
            res = od.attrs(rm.get("resource", {}).get("attributes"))
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    kind = next((k for k in ("sum", "gauge", "histogram") if k in m), None)
                    if kind is None:
                        continue
                    for p in m[kind].get("dataPoints", []):
                        yield m["name"], m[kind].get("aggregationTemporality"), p, od.attrs(p.get("attributes")), res


def num(v):
    return int(v) if v is not None else 0


def otlp_requests(tool, docs):
    """Per-request OTLP records as (session id, normalized usage, model, extra attributes)."""
    out = []
    for meta, res, a in log_records(docs):
        name = a.get("event.name")
        if tool == "claude_code" and name == "api_request":
            n = with_total({"input_uncached": num(a.get("input_tokens")), "cache_read": num(a.get("cache_read_tokens")),
                            "cache_creation": num(a.get("cache_creation_tokens")), "output": num(a.get("output_tokens"))})
            out.append({"session": a.get("session.id"), "normalized": n, "model": a.get("model"),
                        "id": a.get("request_id"), "otlp_seq": meta["seq"],
                        "attrs": {k: a.get(k) for k in ("session.id", "query_source", "agent.name", "request_id",
                                                         "prompt.id", "event.sequence") if a.get(k) is not None}})
        elif tool == "codex" and name == "codex.sse_event" and a.get("event.kind") == "response.completed" \
                and "input_token_count" in a:
            cached = num(a.get("cached_token_count"))
            n = with_total({"input_uncached": num(a.get("input_token_count")) - cached, "cache_read": cached,
                            "output": num(a.get("output_token_count")), "reasoning": num(a.get("reasoning_token_count"))})
            out.append({"session": a.get("conversation.id"), "normalized": n, "model": a.get("model"), "id": None,
                        "otlp_seq": meta["seq"], "attrs": {k: a.get(k) for k in ("conversation.id", "originator")}})
        elif tool == "gemini_cli" and name == "gemini_cli.api_response":
            cached = num(a.get("cached_content_token_count"))
            n = with_total({"input_uncached": num(a.get("input_token_count")) - cached, "cache_read": cached,
                            "output": num(a.get("output_token_count")), "reasoning": num(a.get("thoughts_token_count"))})
            out.append({"session": a.get("session.id"), "normalized": n, "model": a.get("model"), "id": None,
                        "otlp_seq": meta["seq"],
                        "attrs": {k: a.get(k) for k in ("session.id", "prompt_id", "role") if a.get(k) is not None}})
    return out


METRIC = {"claude_code": ("claude_code.token.usage", "type", "session.id"),
          "codex": ("codex.turn.token_usage", "token_type", "session_source"),  # no conversation id on metrics
          "gemini_cli": ("gemini_cli.token.usage", "type", "session.id")}


def otlp_metric_totals(tool, docs):
    """Token metric totals per session attribute (DELTA: sum of points; CUMULATIVE: last value of
    each series, series = attributes + start time) and per token type."""
    name, type_key, session_key = METRIC[tool]
    last, delta = {}, {}
    for mname, temporality, p, a, res in metric_points(docs):
        if mname != name:
            continue
        session = a.get(session_key)
        value = p.get("sum", p.get("asInt", p.get("asDouble")))
        value = float(value or 0)
        key = (session, a.get(type_key))
        if temporality == 1:
            delta[key] = delta.get(key, 0) + value
        else:
            last[(json.dumps(a, sort_keys=True), p.get("startTimeUnixNano"))] = (key, value)
    for key, value in last.values():
        delta[key] = delta.get(key, 0) + value
    out = {}
    for (session, kind), value in sorted(delta.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        out.setdefault(str(session), {})[kind] = int(value) if value.is_integer() else value
    return out


def metric_as_normalized(tool, m):
    if tool == "claude_code":
        return {"input_uncached": m.get("input", 0), "cache_read": m.get("cacheRead", 0),
                "cache_creation": m.get("cacheCreation", 0), "output": m.get("output", 0)}
    if tool == "codex":
        return {"input_total": m.get("input", 0), "cache_read": m.get("cached_input", 0),
                "output": m.get("output", 0), "reasoning": m.get("reasoning_output", 0)}
    return {"input_total": m.get("input", 0), "cache_read": m.get("cache", 0), "output": m.get("output", 0),
            "reasoning": m.get("thought", 0)}


# ---- one run -------------------------------------------------------------------------------------

def claude_run(run_dir, reqs, docs):
    files = claude_files(run_dir)
    otlp = otlp_requests("claude_code", docs)
    by_rid = {o["id"]: o for o in otlp}
    for r in reqs:
        o = by_rid.get(r["request_id"])
        r["otlp"] = o["attrs"] if o else None
        r["session"] = o["session"] if o else r.get("session_in_request")
        check(o is not None and o["normalized"] == r["normalized"],
              f"{os.path.basename(run_dir)}: OTLP api_request for #{r['n']} ({r['request_id']}) carries the served usage")
        check(r.get("session_in_request") in (None, r["session"]),
              f"{os.path.basename(run_dir)}: #{r['n']} metadata.user_id session_id = OTLP session.id")
    by_msg = {r["wire_id"]: r for r in reqs}
    for f in files:
        f["found"] = []
        for mid, g in f["messages"].items():
            r = by_msg.get(mid)
            if r is None:
                check(False, f"{rel(run_dir, f['path'])}: message {mid} matches no served request")
                continue
            copied = f["file_session_id"] != r["session"]
            rec = claude_recorded(g)
            place = {"file": rel(run_dir, f["path"]), "lines": g["lines"], "file_kind": f["kind"],
                     "session_id_on_lines": sorted(s for s in g["session_ids"] if s),
                     "requestSessionId_on_lines": sorted(s for s in g["request_session_ids"] if s) or None,
                     "requestId": g["request_id"],
                     "agentId": g["agent_id"], "isSidechain": g["is_sidechain"], "copy": copied,
                     "stop_reason_per_line": g["stop_reasons"], "output_tokens_per_line": [u.get("output_tokens") for u in g["usages"]]}
            if rec != r["normalized"]:
                place["recorded_usage_differs"] = rec
            r.setdefault("in_session_files", []).append(place)
            f["found"].append((r, rec, copied))
    return files


def codex_run(run_dir, reqs, docs):
    files = codex_files(run_dir)
    otlp = otlp_requests("codex", docs)
    used = set()
    for r in reqs:
        r["session"] = r["thread_id_header"]
        match = next((i for i, o in enumerate(otlp) if i not in used and o["session"] == r["session"]
                      and o["normalized"] == r["normalized"]), None)
        if match is not None:
            used.add(match)
        r["otlp"] = otlp[match]["attrs"] if match is not None else None
        check(match is not None, f"{os.path.basename(run_dir)}: OTLP sse_event response.completed for #{r['n']} "
                                 f"(conversation.id {r['session']}) carries the served usage")
    by_resp = {r["wire_id"]: r for r in reqs}
    for f in files:
        f["found"] = []
        for rid, g in f["records"].items():
            r = by_resp.get(rid)
            if r is None:
                check(False, f"{rel(run_dir, f['path'])}: token_usage_record {rid} matches no served request")
                continue
            copied = f["file_session_id"] != r["session"]
            rec = codex_recorded(g["usage"])
            place = {"file": rel(run_dir, f["path"]), "lines": g["lines"], "ordinal": g["ordinal"], "file_kind": f["kind"],
                     "record": "token_usage_record", "thread_id": g["thread_id"], "session_id": g["session_id"],
                     "turn_id": g["turn_id"], "copy": copied, "in_inherited_history_region": g["copied_region"]}
            if rec != r["normalized"]:
                place["recorded_usage_differs"] = rec
            r.setdefault("in_session_files", []).append(place)
            f["found"].append((r, rec, copied))
    return files


def gemini_run(run_dir, reqs, docs):
    files = gemini_files(run_dir)
    otlp = otlp_requests("gemini_cli", docs)
    used = set()
    for r in reqs:
        match = next((i for i, o in enumerate(otlp) if i not in used and o["model"] == r["model"]
                      and o["normalized"] == r["normalized"]), None)
        if match is not None:
            used.add(match)
        r["otlp"] = otlp[match]["attrs"] if match is not None else None
        r["session"] = otlp[match]["session"] if match is not None else None
        check(match is not None, f"{os.path.basename(run_dir)}: OTLP api_response for #{r['n']} carries the served usage")
    for f in files:
        f["found"] = []
        for mid, g in f["messages"].items():
            rec = gemini_recorded(g["tokens"])
            r = next((r for r in reqs if r["model"] == g["model"] and r["normalized"] == rec
                      and not r.get("in_session_files")), None)
            if r is None:
                check(False, f"{rel(run_dir, f['path'])}: message {mid} matches no served request")
                continue
            copied = False  # Gemini sub-agent files hold only the sub-agent's own messages
            place = {"file": rel(run_dir, f["path"]), "lines": g["lines"], "message_id": mid, "file_kind": f["kind"],
                     "file_session_id": f["file_session_id"], "copy": copied}
            r.setdefault("in_session_files", []).append(place)
            f["found"].append((r, rec, copied))
    return files


def file_summary(run_dir, tool, f):
    found = f["found"]
    out = {"path": rel(run_dir, f["path"]), "kind": f["kind"], "file_session_id": f["file_session_id"],
           "line_count": len(f["lines"]),
           "requests_in_file": [r["n"] for r, _, _ in found],
           "own_requests": [r["n"] for r, _, c in found if not c],
           "copied_requests": [r["n"] for r, _, c in found if c],
           "naive_totals": totals([{"normalized": rec, "model": r["model"]} for r, rec, _ in found])}
    if tool == "codex":
        meta = f["lines"][0]["payload"]
        out["session_meta"] = {k: meta.get(k) for k in ("id", "session_id", "forked_from_id", "forked_from_ordinal_exclusive",
                                                        "parent_thread_id", "source", "thread_source", "history_mode",
                                                        "history_base", "subagent_history_start_ordinal") if k in meta}
        out["session_meta_lines"] = [i for i, r in enumerate(f["lines"], 1) if r["type"] == "session_meta"]
        out["ordinals"] = [f["lines"][0].get("ordinal"), f["lines"][-1].get("ordinal")]
        start = meta.get("subagent_history_start_ordinal")
        if start is not None:
            inherited = [i for i, r in enumerate(f["lines"], 1) if r.get("ordinal") is not None and r["ordinal"] < start]
            kinds = {}
            for i in inherited:
                r = f["lines"][i - 1]
                k = r["type"] + ("/" + r["payload"].get("type") if isinstance(r.get("payload"), dict) and r["payload"].get("type") else "")
                kinds[k] = kinds.get(k, 0) + 1
            out["inherited_history"] = {"lines": [inherited[0], inherited[-1]] if inherited else None,
                                        "record_kinds": dict(sorted(kinds.items())),
                                        "has_token_count": any(k == "event_msg/token_count" for k in kinds),
                                        "has_token_usage_record": "token_usage_record" in kinds}
        own_turn = next((i for i, r in enumerate(f["lines"], 1) if r["type"] == "turn_context"
                         and (start is None or r.get("ordinal", 0) >= start)), None)
        own_task = next((i for i, r in enumerate(f["lines"], 1) if r["type"] == "event_msg"
                         and r["payload"].get("type") == "task_started" and (start is None or r.get("ordinal", 0) >= start)), None)
        out["first_own_task_started_line"] = own_task
        out["first_own_turn_context_line"] = own_turn
        out["token_count_lines"] = f["token_counts"]
        out["last_token_count_total_token_usage"] = f["token_counts"][-1]["total_token_usage"] if f["token_counts"] else None
        out["token_usage_records_sum"] = totals([{"normalized": codex_recorded(g["usage"]), "model": "-"}
                                                  for g in f["records"].values()])
        out["token_usage_records_sum"].pop("models")
    elif tool == "claude_code":
        sessions = sorted({r.get("sessionId") for r in f["lines"] if r.get("sessionId")})
        out["session_ids_on_lines"] = sessions
        out["record_types"] = sorted({r.get("type") for r in f["lines"]})
        costs = [(i, r) for i, r in enumerate(f["lines"], 1) if r.get("type") == "cost-state"]
        if costs:
            out["cost_state_lines"] = [{"line": i, "totalCostUSD": r.get("totalCostUSD"), "startTime": r.get("startTime"),
                                        "modelUsage": r.get("modelUsage")} for i, r in costs]
    elif tool == "gemini_cli":
        out["header_lines"] = f["header_lines"]
        out["headers"] = [{k: f["lines"][i - 1].get(k) for k in ("sessionId", "kind")} for i in f["header_lines"]]
    return out


def claude_copy_shape(run_dir, files):
    """Fork files: which lines are copies of another file's lines (same uuid, other sessionId).
    The copy is in the file that started later (its first queue-operation is later)."""
    def started(f):
        return min((r["timestamp"] for r in f["lines"] if r.get("type") == "queue-operation"),
                   default=min((r["timestamp"] for r in f["lines"] if r.get("timestamp")), default=""))
    where = {}
    for f in files:
        for i, r in enumerate(f["lines"], 1):
            if r.get("uuid"):
                where.setdefault(r["uuid"], []).append((f, i, r))
    out = []
    for f in files:
        copied = []
        for i, r in enumerate(f["lines"], 1):
            earlier = [(g, j, o) for g, j, o in where.get(r.get("uuid"), [])
                       if g is not f and started(g) < started(f)]
            if earlier:
                g, j, o = earlier[0]
                copied.append({"line": i, "type": r.get("type"), "copy_of": rel(run_dir, g["path"]), "copy_of_line": j,
                               "fields_that_differ": sorted(k for k in set(o) | set(r) if o.get(k) != r.get(k))})
        if copied:
            lines = {c["line"] for c in copied}
            own = [i for i, r in enumerate(f["lines"], 1) if r.get("uuid") and i not in lines]
            first_own = own[0] if own else None
            out.append({"file": rel(run_dir, f["path"]), "copied_line_range": [copied[0]["line"], copied[-1]["line"]],
                        "copied_lines": copied, "first_own_line_with_uuid": first_own,
                        "first_own_line_parentUuid_is_last_copied_uuid":
                            bool(first_own) and f["lines"][first_own - 1].get("parentUuid") == f["lines"][copied[-1]["line"] - 1].get("uuid")})
    return out


def build(run_dir):
    name = os.path.basename(run_dir)
    tool, case = RUNS[name]
    run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    docs = otlp_docs(run_dir)
    if any("json" not in meta["headers"].get("content-type", "") for meta, _ in docs):
        od.summarize_decoded(run_dir)
    reqs = served(run_dir)
    files = {"claude_code": claude_run, "codex": codex_run, "gemini_cli": gemini_run}[tool](run_dir, reqs, docs)
    for r in reqs:
        r.setdefault("in_session_files", [])
        r["in_session_file"] = any(not p["copy"] for p in r["in_session_files"])
        r["copied_into"] = [p["file"] for p in r["in_session_files"] if p["copy"]]
    metrics = otlp_metric_totals(tool, docs)
    otlp_req = otlp_requests(tool, docs)
    sessions = {}
    for r in reqs:
        sessions.setdefault(r["session"], []).append(r)
    out_sessions = {}
    for sid, rs in sessions.items():
        own_files = [f for f in files if f["file_session_id"] == sid or
                     (tool == "gemini_cli" and f["kind"] == "subagent" and f"/chats/{sid}/" in f["path"])]
        # Codex sub-agent children and Gemini sub-agent files name their parent in the file itself
        in_files = [r for r in rs if r["in_session_file"]]
        recorded = []
        for r in in_files:
            own = next(p for p in r["in_session_files"] if not p["copy"])
            recorded.append({"model": r["model"], "normalized": own.get("recorded_usage_differs", r["normalized"])})
        entry = {"run": name, "case": case, "cli_version": run.get("version"),
                 "prompts": [s.get("prompt") for s in run["spec"]["steps"]],
                 "session_files": [file_summary(run_dir, tool, f) for f in own_files],
                 "totals_all_requests": totals(rs), "totals_in_session_files": totals(in_files),
                 "totals_as_recorded_in_session_files": totals(recorded),
                 "requests": [{k: v for k, v in r.items() if k not in ("protocol",)} for r in rs]}
        otlp_rs = [o for o in otlp_req if o["session"] == sid]
        entry["otlp_per_request_totals"] = totals(otlp_rs)
        check(usage_key_totals(entry["otlp_per_request_totals"]) == usage_key_totals(entry["totals_all_requests"]),
              f"{name}: OTLP per-request records of session {sid} add up to totals_all_requests")
        if tool != "codex" and sid in metrics:
            entry["otlp_token_metric"] = metrics[sid]
            mt = metric_as_normalized(tool, metrics[sid])
            ta = entry["totals_all_requests"]
            check(all(ta[k] == v for k, v in mt.items()),
                  f"{name}: OTLP {METRIC[tool][0]} of session {sid} = totals_all_requests")
        out_sessions[sid] = entry
    whole = {}
    for group in metrics.values():
        for kind, value in group.items():
            whole[kind] = whole.get(kind, 0) + value
    mt, ta = metric_as_normalized(tool, whole), totals(reqs)
    check(all(ta[k] == v for k, v in mt.items()), f"{name}: OTLP {METRIC[tool][0]} (whole run) = all requests served")
    extra = {"otlp_token_metric_by_session": metrics}
    if tool == "claude_code":
        extra["copied_lines"] = claude_copy_shape(run_dir, files)
    return tool, name, out_sessions, extra, run


def usage_key_totals(t):
    return (t["requests"],) + tuple(t[k] for k in FIELDS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=FIXTURES)
    args = ap.parse_args()
    result = {"set": "fork-subagent", "about": (
        "Forks and sub-agents of the real CLIs against the scripted model API (run_fork_subagent.py). Per tool and "
        "session id (the id the CLI's OTLP records carry for the request's process/thread): every served request, "
        "where its usage appears in the session files (own lines, or copies made by a fork / a sub-agent's inherited "
        "history: copy=true), and totals. totals_all_requests = what OTLP should add up to; totals_in_session_files = "
        "the session's requests found in a session file, counted once with SERVED usage; "
        "totals_as_recorded_in_session_files = the same with the usage the CLI WROTE (own lines only). "
        "session_files[].naive_totals = counting every request found in that one file (copies included). "
        "Line numbers are 1-based."),
        "field_definitions": FIELD_DEFINITIONS, "runs": {}, "tools": {}}
    for name in RUNS:
        run_dir = os.path.join(args.dir, name)
        if not os.path.isdir(run_dir):
            check(False, f"missing run folder {name}")
            continue
        tool, name, sessions, extra, run = build(run_dir)
        result["runs"][name] = {"tool": tool, "case": RUNS[name][1], "cli_version": run.get("version"),
                                "sessions": sorted(sessions), "model_requests_served": run.get("model_requests_served"),
                                **extra}
        t = result["tools"].setdefault(tool, {"sessions": {}})
        t["sessions"].update(sessions)
    for tool, t in result["tools"].items():
        every = [r for s in t["sessions"].values() for r in s["requests"]]
        t["totals_all_requests"] = totals(every)
        t["totals_in_session_files"] = totals([r for r in every if r["in_session_file"]])
        rec = []
        for r in every:
            if r["in_session_file"]:
                own = next(p for p in r["in_session_files"] if not p["copy"])
                rec.append({"model": r["model"], "normalized": own.get("recorded_usage_differs", r["normalized"])})
        t["totals_as_recorded_in_session_files"] = totals(rec)
        t["naive_sum_over_session_files"] = totals([{"model": r["model"], "normalized": r["normalized"]}
                                                    for r in every for _ in r["in_session_files"]])
        t["sessions"] = dict(sorted(t["sessions"].items()))
    result["checks"] = CHECKS
    with open(os.path.join(args.dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    for line in CHECKS:
        print(line)
    failed = [c for c in CHECKS if c.startswith("FAIL")]
    print(f"{len(CHECKS) - len(failed)} checks passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
