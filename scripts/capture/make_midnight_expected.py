#!/usr/bin/env python3
"""Build midnight-captures/expected.json from the runs of run_midnight.py: per tool and session,
every model request the scripted API served (usage as served and normalized, receive time in UTC
and in the chosen zone), which side of the boundary it is on, where it is in the CLI's session
file (timestamp and usage as written) and in OTLP (event timestamps and tokens), and totals per
side of the boundary and per local date of the zone.

    python3 make_midnight_expected.py [--dir <fixtures folder>] [--zone America/Noronha]

Run it with an interpreter that has ``opentelemetry-proto`` (see otlp_decode.py) to include the
OTLP cross-check for protobuf bodies (both runs export protobuf); without it the OTLP part is
left out (``otlp: null``) and a note says so. The zone must have local midnight exactly at the
boundary (checked with zoneinfo; the script stops otherwise).
"""

import argparse
import datetime as dt
import glob
import json
import os
import sys
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures",
                                         "midnight-captures"))
RUNS = ["codex-across-boundary", "claude-across-boundary"]
TOOL_KEY = {"codex": "codex", "claude": "claude_code"}
FIELDS = ("input_uncached", "cache_read", "cache_creation", "input_total", "output", "reasoning")

FIELD_DEFINITIONS = {
    "input_uncached": "Anthropic input_tokens; OpenAI input_tokens - input_tokens_details.cached_tokens",
    "cache_read": "Anthropic cache_read_input_tokens; OpenAI input_tokens_details.cached_tokens",
    "cache_creation": "Anthropic cache_creation_input_tokens; 0 for OpenAI (none served)",
    "input_total": "input_uncached + cache_read + cache_creation (= OpenAI input_tokens)",
    "output": "Anthropic output_tokens; OpenAI output_tokens (includes reasoning)",
    "reasoning": "OpenAI output_tokens_details.reasoning_tokens (subset of output); Anthropic 0",
}


def iso(ts, tz=dt.timezone.utc):
    text = dt.datetime.fromtimestamp(ts, tz).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z") if tz is dt.timezone.utc else text


def normalize(protocol, u):
    if protocol == "anthropic":
        n = {"input_uncached": u.get("input_tokens", 0), "cache_read": u.get("cache_read_input_tokens", 0),
             "cache_creation": u.get("cache_creation_input_tokens", 0), "output": u.get("output_tokens", 0),
             "reasoning": 0}
    else:
        cached = (u.get("input_tokens_details") or {}).get("cached_tokens", 0)
        n = {"input_uncached": u["input_tokens"] - cached, "cache_read": cached, "cache_creation": 0,
             "output": u["output_tokens"], "reasoning": (u.get("output_tokens_details") or {}).get("reasoning_tokens", 0)}
    n["input_total"] = n["input_uncached"] + n["cache_read"] + n["cache_creation"]
    return n


def total(requests, key="normalized"):
    out = {"requests": 0, **{f: 0 for f in FIELDS}, "models": {}}
    for r in requests:
        usage = r[key] if key == "normalized" else (r.get("session_file") or {}).get("normalized")
        if usage is None:
            continue
        out["requests"] += 1
        for f in FIELDS:
            out[f] += usage[f]
        out["models"][r["model"]] = out["models"].get(r["model"], 0) + 1
    return out


def parse_ts(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# ---- session files ------------------------------------------------------------------------------

def claude_session_records(run_dir):
    """message.id -> {file, timestamp (first line), usage (last line), lines}."""
    out = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".claude", "projects", "**", "*.jsonl"),
                                 recursive=True)):
        rel = os.path.relpath(path, run_dir)
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                rec = json.loads(line)
                msg = rec.get("message") or {}
                if rec.get("type") != "assistant" or not msg.get("id"):
                    continue
                got = out.setdefault(msg["id"], {"file": rel, "timestamp": rec.get("timestamp"), "lines": []})
                got["lines"].append(line_no)
                got["usage"] = msg.get("usage")
                got["session_id"] = rec.get("sessionId")
    return out


def codex_session_records(run_dir):
    """response_id -> {file, timestamp, usage} from token_usage_record lines."""
    out = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".codex", "sessions", "**", "*.jsonl"),
                                 recursive=True)):
        rel = os.path.relpath(path, run_dir)
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                rec = json.loads(line)
                payload = rec.get("payload") or {}
                if rec.get("type") == "token_usage_record" and payload.get("response_id"):
                    out[payload["response_id"]] = {"file": rel, "timestamp": rec.get("timestamp"),
                                                   "lines": [line_no], "usage": payload.get("usage")}
    return out


def session_normalized(protocol, usage):
    if usage is None:
        return None
    if protocol == "anthropic":
        return normalize("anthropic", usage)
    n = {"input_uncached": usage["input_tokens"] - usage.get("cached_input_tokens", 0),
         "cache_read": usage.get("cached_input_tokens", 0), "cache_creation": usage.get("cache_write_input_tokens", 0),
         "output": usage["output_tokens"], "reasoning": usage.get("reasoning_output_tokens", 0)}
    n["input_total"] = n["input_uncached"] + n["cache_read"] + n["cache_creation"]
    return n


# ---- OTLP ---------------------------------------------------------------------------------------

def otlp_events(run_dir, tool):
    """Token-carrying log events: Claude api_request; Codex sse_event response.completed with tokens."""
    import otlp_decode
    out = []
    otlp_dir = os.path.join(run_dir, "otlp")
    for name in sorted(n for n in os.listdir(otlp_dir) if n.endswith(".meta.json")):
        meta, data = otlp_decode.read_body(otlp_dir, name)
        doc = otlp_decode.decode(meta, data)
        for rl in doc.get("resourceLogs", []):
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    a = otlp_decode.attrs(rec.get("attributes"))
                    if tool == "claude" and a.get("event.name") == "api_request":
                        tokens = (a.get("input_tokens"), a.get("cache_read_tokens"), a.get("cache_creation_tokens"),
                                  a.get("output_tokens"))
                    elif (tool == "codex" and a.get("event.name") == "codex.sse_event"
                          and a.get("event.kind") == "response.completed" and "input_token_count" in a):
                        # input/output/tool_token_count arrive as stringValue, the others as intValue
                        tokens = tuple(int(a.get(k) or 0) for k in ("input_token_count", "cached_token_count",
                                                                      "output_token_count", "reasoning_token_count"))
                    else:
                        continue
                    time_ns = int(rec.get("timeUnixNano", 0) or 0)
                    observed_ns = int(rec.get("observedTimeUnixNano", 0) or 0)
                    out.append({"otlp_file": "otlp/" + meta.get("stored_as", name.replace(".meta.json", ".bin")),
                                "tokens": tokens,
                                "event_timestamp": a.get("event.timestamp"),
                                "time_unix_nano": time_ns or None, "observed_time_unix_nano": observed_ns or None,
                                "session_id": a.get("session.id") or a.get("conversation.id"),
                                "model": a.get("model"), "query_source": a.get("query_source")})
    return out


def otlp_token_metrics(run_dir, tool, boundary):
    """Token metric data points: Claude claude_code.token.usage (Sum, DELTA, per request batch);
    Codex codex.turn.token_usage (Histogram, DELTA, one point per turn and token_type)."""
    import otlp_decode
    wanted = "claude_code.token.usage" if tool == "claude" else "codex.turn.token_usage"
    out = []
    otlp_dir = os.path.join(run_dir, "otlp")
    for name in sorted(n for n in os.listdir(otlp_dir) if n.endswith(".meta.json")):
        meta, data = otlp_decode.read_body(otlp_dir, name)
        doc = otlp_decode.decode(meta, data)
        for rm in doc.get("resourceMetrics", []):
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    if m["name"] != wanted:
                        continue
                    kind = "sum" if "sum" in m else "histogram"
                    for p in m[kind].get("dataPoints", []):
                        a = otlp_decode.attrs(p.get("attributes"))
                        t = int(p["timeUnixNano"])
                        value = p.get("asDouble", p.get("asInt")) if kind == "sum" else p.get("sum")
                        out.append({"otlp_file": "otlp/" + meta.get("stored_as", name.replace(".meta.json", ".bin")),
                                    "metric": m["name"], "kind": kind,
                                    "temporality": m[kind].get("aggregationTemporality"),
                                    "type": a.get("type") or a.get("token_type"), "model": a.get("model"),
                                    "query_source": a.get("query_source"), "value": float(value),
                                    "start_time_unix_nano": int(p["startTimeUnixNano"]), "time_unix_nano": t,
                                    "time_utc": iso(t / 1e9),
                                    "side_of_boundary": "before" if t / 1e9 < boundary else "after"})
    return out


def request_tokens(tool, usage):
    if tool == "claude":
        return (usage.get("input_tokens"), usage.get("cache_read_input_tokens"),
                usage.get("cache_creation_input_tokens"), usage.get("output_tokens"))
    return (usage["input_tokens"], (usage.get("input_tokens_details") or {}).get("cached_tokens", 0),
            usage["output_tokens"], (usage.get("output_tokens_details") or {}).get("reasoning_tokens", 0))


# ---- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=FIXTURES)
    ap.add_argument("--zone", default="America/Noronha")
    args = ap.parse_args()
    zone = ZoneInfo(args.zone)
    try:
        import otlp_decode  # noqa: F401
        from opentelemetry.proto.collector.logs.v1 import logs_service_pb2  # noqa: F401
        have_proto = True
    except ImportError:
        have_proto = False

    result = {
        "set": "midnight-captures",
        "about": ("Token usage the loopback mock model API served to the real CLIs in two sessions whose model "
                  "requests straddle a UTC quarter-hour boundary: the first invocation's requests were all "
                  "received before it, the resumed invocation's all after it. In `boundary.zone` local midnight "
                  "falls exactly on the boundary, so each session's requests fall on two local dates. "
                  "served_at = when the mock received the request (its log's `t`); the CLIs' own timestamps "
                  "(session_file.timestamp, otlp[].event_timestamp) are a little later but on the same side."),
        "generated_by": "scripts/capture/make_midnight_expected.py",
        "field_definitions": FIELD_DEFINITIONS,
        "boundary": None,
        "tools": {},
    }
    boundaries = set()
    for name in RUNS:
        run_dir = os.path.join(args.dir, name)
        run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
        tool = run["tool"]
        b = run["boundary"]
        boundaries.add(b["unix"])
        protocol = "anthropic" if tool == "claude" else "openai-responses"
        records = claude_session_records(run_dir) if tool == "claude" else codex_session_records(run_dir)
        events = otlp_events(run_dir, tool) if have_proto else None
        served = []
        with open(os.path.join(run_dir, "mock_requests.jsonl"), encoding="utf-8") as f:
            served = [r for r in map(json.loads, f) if r.get("n") is not None and r.get("protocol") == protocol]
        requests = []
        for r in served:
            wire_id = r.get("message_id") if tool == "claude" else r.get("response_id")
            rec = records.get(wire_id)
            local = dt.datetime.fromtimestamp(r["t"], zone)
            entry = {
                "n": r["n"], "invocation": r["label"], "entry": r.get("entry"), "model": r.get("model"),
                "kind": r.get("kind"), "tool_call": r.get("tool"), "wire_id": wire_id,
                "side_of_boundary": "before" if r["t"] < b["unix"] else "after",
                "served_at": iso(r["t"]), "served_at_unix": r["t"],
                "served_at_local": iso(r["t"], zone), "local_date": local.date().isoformat(),
                "in_session_file": rec is not None,
                "usage_as_served": r["usage"], "normalized": normalize(protocol, r["usage"]),
                "session_file": None, "otlp": None,
            }
            if rec is not None:
                sf = {"file": rec["file"], "lines": rec["lines"], "timestamp": rec["timestamp"],
                      "usage_as_recorded": rec["usage"], "normalized": session_normalized(protocol, rec["usage"])}
                if rec["timestamp"]:
                    ts = parse_ts(rec["timestamp"])
                    sf["local_timestamp"] = iso(ts, zone)
                    sf["side_of_boundary"] = "before" if ts < b["unix"] else "after"
                entry["session_file"] = sf
                entry["session_file_records_different_usage"] = sf["normalized"] != entry["normalized"]
            if events is not None:
                want = request_tokens(tool, r["usage"])
                entry["otlp"] = [{k: v for k, v in e.items() if k != "tokens"}
                                 for e in events if tuple(e["tokens"]) == want]
            requests.append(entry)
        sessions = {}
        main_session = run["steps"][-1].get("session_after")
        session = {
            "run": name, "cli_version": run.get("version"),
            "run_spec": {k: v for k, v in run["spec"].items() if k not in ("steps", "lead", "after")},
            "prompts": [s["prompt"] for s in run["spec"]["steps"]],
            "invocations": [{k: s.get(k) for k in ("label", "cmd", "rc", "started_utc", "ended_utc")}
                            for s in run["steps"]],
            "session_files": sorted({req["session_file"]["file"] for req in requests if req["session_file"]}),
            "totals_all_requests": total(requests),
            "totals_in_session_files": total([q for q in requests if q["in_session_file"]]),
            "totals_as_recorded_in_session_files": total(requests, key="session_file"),
            "totals_by_side_of_boundary": {side: total([q for q in requests if q["side_of_boundary"] == side])
                                           for side in ("before", "after")},
            "totals_by_local_date": {d: total([q for q in requests if q["local_date"] == d])
                                     for d in sorted({q["local_date"] for q in requests})},
            "totals_by_utc_date": {d: total([q for q in requests if q["served_at"][:10] == d])
                                   for d in sorted({q["served_at"][:10] for q in requests})},
            "requests": requests,
        }
        if events is None:
            session["otlp_note"] = "opentelemetry-proto was not importable: OTLP cross-check left out"
        else:
            session["otlp_events_matched"] = sum(len(q["otlp"]) for q in requests)
            session["otlp_events_total"] = len(events)
            session["otlp_token_metric_points"] = otlp_token_metrics(run_dir, tool, b["unix"])
        sessions[main_session] = session
        result["tools"][TOOL_KEY[tool]] = {"sessions": sessions}
        print(f"{name}: {len(requests)} requests, session {main_session}, "
              f"sides {[q['side_of_boundary'] for q in requests]}, local dates {[q['local_date'] for q in requests]}")
    if len(boundaries) != 1:
        raise SystemExit(f"runs crossed different boundaries: {sorted(boundaries)}")
    b_unix = boundaries.pop()
    local = dt.datetime.fromtimestamp(b_unix, zone)
    if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
        raise SystemExit(f"{args.zone} is at {local.isoformat()} at the boundary, not local midnight")
    before = dt.datetime.fromtimestamp(b_unix - 1, zone)
    offset = local.utcoffset()
    sign = "-" if offset < dt.timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    run = json.load(open(os.path.join(args.dir, RUNS[0], "run.json"), encoding="utf-8"))
    result["boundary"] = {
        "utc": iso(b_unix), "unix": b_unix,
        "zone": args.zone, "utc_offset": f"{sign}{minutes // 60:02d}:{minutes % 60:02d}",
        "dst_in_effect": bool(local.dst()), "zone_abbreviation": local.tzname(),
        "local_at_boundary": local.isoformat(), "local_one_second_before": before.isoformat(),
        "local_date_before": before.date().isoformat(), "local_date_after": local.date().isoformat(),
        "checked_with": f"Python {sys.version.split()[0]} zoneinfo: boundary in {args.zone} is 00:00:00 local",
        "other_zones_with_local_midnight_at_boundary": [z["zone"] for z in
                                                        run["boundary"]["zones_with_local_midnight_at_boundary"]
                                                        if z["zone"] != args.zone],
    }
    with open(os.path.join(args.dir, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"boundary {result['boundary']['utc']} = local midnight in {args.zone} ({result['boundary']['utc_offset']})")


if __name__ == "__main__":
    main()
