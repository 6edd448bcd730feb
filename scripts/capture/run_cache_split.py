#!/usr/bin/env python3
"""Capture Claude Code against the scripted model API with a cache-write TTL split in the served
usage (``cache_creation.{ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}``), with OTLP export
to the sink, into <out>/<run>/ in the fixtures layout; then build the folder's expected.json.

    python3 run_cache_split.py claude-cache-split|claude-custom-model|claude-foundry|all
        [--out DIR] [--base DIR] [--tools DIR] [--name RUN]
    python3 run_cache_split.py claude-cache-split --name claude-cache-split-2.1.332 --tools scripts/capture/tools-new
    python3 run_cache_split.py claude-org-pricing --name claude-org-pricing-2.1.332 --tools scripts/capture/tools-new
    /tmp/otelvenv/bin/python run_cache_split.py --expected [--out DIR]   # needs opentelemetry-proto

- ``claude-cache-split``: ``claude -p`` with a Bash tool call and its answer (script
  ``scripts/cache-split-claude.json``), env as the fixtures README (API key, http/protobuf, traces on)
  plus ``ENABLE_PROMPT_CACHING_1H=1`` (Claude Code then marks its cache breakpoints
  ``{"type": "ephemeral", "ttl": "1h"}``; with an API key it otherwise asks for the 5-minute default).
- ``claude-custom-model``: the same with ``ANTHROPIC_MODEL=some-custom-model`` (a model id Claude Code
  has no price for; script ``scripts/cache-split-custom-model.json``).
- ``claude-foundry``: the same script with the Microsoft Foundry provider (``CLAUDE_CODE_USE_FOUNDRY=1``,
  ``ANTHROPIC_FOUNDRY_BASE_URL`` = the mock, which serves Foundry's ``/v1/messages`` as it is; default
  model there: claude-sonnet-4-5), to see whether a third-party provider changes the cost reported.
- ``claude-org-pricing-zero``, ``claude-org-pricing`` (Claude Code 2.1.332; not part of ``all``):
  the same with organisation prices for claude-opus-5-5 in managed settings (``modelPricing.overrides``:
  all 0, or 3 / 15 / cacheRead 0.3 / cacheWrite 3.75). Managed settings are read from
  /etc/claude-code/managed-settings.json: the runner writes that file for the run and removes it
  afterwards (and the folder, when it made it); it refuses to run when the file exists already.

The mock's Anthropic dialect always serves ``cache_creation`` as all-5-minute
(``ephemeral_5m_input_tokens`` = ``cache_creation_input_tokens``, ``ephemeral_1h_input_tokens`` = 0).
This runner replaces that object, in this process only (the dialect is unchanged, other runners and
scripts behave as before), with a script usage's own ``cache_creation`` when it has one: in the
JSON reply and in the SSE ``message_start`` usage. ``message_delta`` keeps the dialect's four scalar
usage fields (input, cache creation total, cache read, output), as before. It also adds to each
``mock_requests.jsonl`` line ``cache_control``: the ``cache_control`` markers the request body
carried (where, type, ttl), to show which cache TTL the CLI asked for.

``--expected`` (needs ``otlp_decode`` with ``opentelemetry-proto``) rewrites each run's
``otlp/summary.json`` from the decoded bodies and writes ``<out>/expected.json``: per run and
request, the served usage, request id, session id, the session-file lines carrying the message and
the usage written there, the OTLP ``api_request`` attributes, the cost Claude Code reported and the
cost at list prices with the 1-hour writes priced at the 1-hour rate and at the 5-minute rate; and
per run the ``claude_code.token.usage`` / ``claude_code.cost.usage`` sums.

Claude Code comes from ``--tools`` (default ``$CAPTURE_TOOLS`` or scripts/capture/tools). The scratch
base defaults to /home/dev/sample/cachesplit (the CLI writes cwd and home into its files).
"""

import argparse
import glob
import json
import os
import re
import sys

from capturelib import HERE, Run, tool_version
from mockapi.dialects import anthropic

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures",
                                         "cache-split-captures"))
DEFAULT_BASE = "/home/dev/sample/cachesplit"
DEFAULT_TOOLS = os.environ.get("CAPTURE_TOOLS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CLAUDE_API_KEY = "sk-ant-api03-fixture-not-a-real-key-000000000000000000000000000000AA"
PROMPT = "TOOLCALL: list the files in this project and tell me what main.py does"

RUNS = {
    "claude-cache-split": {
        "tool": "claude", "script": "scripts/cache-split-claude.json", "protocol": "http/protobuf",
        "traces": True, "env": {"ENABLE_PROMPT_CACHING_1H": "1"}, "steps": [{"prompt": PROMPT}],
    },
    "claude-custom-model": {
        "tool": "claude", "script": "scripts/cache-split-custom-model.json", "protocol": "http/protobuf",
        "traces": True, "env": {"ENABLE_PROMPT_CACHING_1H": "1", "ANTHROPIC_MODEL": "some-custom-model"},
        "steps": [{"prompt": PROMPT}],
    },
    "claude-foundry": {
        "tool": "claude", "script": "scripts/cache-split-claude.json", "protocol": "http/protobuf", "traces": True,
        "env": {"ENABLE_PROMPT_CACHING_1H": "1", "CLAUDE_CODE_USE_FOUNDRY": "1",
                "ANTHROPIC_FOUNDRY_BASE_URL": "{mock_url}", "ANTHROPIC_FOUNDRY_API_KEY": "fixture-not-a-real-foundry-key"},
        "steps": [{"prompt": PROMPT}],
    },
    # 2.1.332 only (2.1.197 has no modelPricing setting): organisation prices from managed settings
    "claude-org-pricing-zero": {
        "tool": "claude", "explicit_only": True, "script": "scripts/cache-split-org-pricing-zero.json", "protocol": "http/protobuf",
        "traces": True, "env": {"ENABLE_PROMPT_CACHING_1H": "1"}, "steps": [{"prompt": PROMPT}],
        "managed_settings": {"modelPricing": {"overrides": {
            "claude-opus-5-5": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0}}}},
    },
    "claude-org-pricing": {
        "tool": "claude", "explicit_only": True, "script": "scripts/cache-split-org-pricing.json", "protocol": "http/protobuf",
        "traces": True, "env": {"ENABLE_PROMPT_CACHING_1H": "1"}, "steps": [{"prompt": PROMPT}],
        "managed_settings": {"modelPricing": {"overrides": {
            "claude-opus-5-5": {"input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75}}}},
    },
}


# ---- the mock: serve a script's cache_creation split (this process only) -----------------------

def _full_usage_with_split(usage, _orig=anthropic._full_usage):
    full = _orig(usage)
    split = usage.get("cache_creation")
    if isinstance(split, dict):
        five = int(split.get("ephemeral_5m_input_tokens", 0))
        hour = int(split.get("ephemeral_1h_input_tokens", 0))
        if five + hour != full["cache_creation_input_tokens"]:
            raise ValueError(f"script usage: 5m {five} + 1h {hour} != cache_creation_input_tokens "
                             f"{full['cache_creation_input_tokens']}")
        full["cache_creation"] = {"ephemeral_5m_input_tokens": five, "ephemeral_1h_input_tokens": hour}
    return full


def _cache_markers(body):
    """Every cache_control marker in a Messages request body: [{where, type, ttl}]."""
    found = []

    def visit(node, where):
        if isinstance(node, dict):
            cc = node.get("cache_control")
            if isinstance(cc, dict):
                found.append({"where": where, "type": cc.get("type"), "ttl": cc.get("ttl")})
        if isinstance(node, list):
            for item in node:
                visit(item, where)
        elif isinstance(node, dict) and "content" in node and isinstance(node["content"], list):
            visit(node["content"], where)

    system = body.get("system")
    if isinstance(system, list):
        visit(system, "system")
    for tool in body.get("tools") or []:
        visit(tool, "tools")
    for i, message in enumerate(body.get("messages") or []):
        visit(message, f"messages[{i}]")
    return found


def _respond_with_markers(ctx, _orig=anthropic.respond):
    ctx["log"]["cache_control"] = _cache_markers(ctx.get("body") or {})
    return _orig(ctx)


anthropic._full_usage = _full_usage_with_split
anthropic.respond = _respond_with_markers


# ---- Claude Code ------------------------------------------------------------------------------

def claude_env(run, spec):
    env = dict(run.base_env(), ANTHROPIC_BASE_URL=run.mock_url, ANTHROPIC_API_KEY=CLAUDE_API_KEY,
               CLAUDE_CODE_ENABLE_TELEMETRY="1",
               OTEL_METRICS_EXPORTER="otlp", OTEL_LOGS_EXPORTER="otlp",
               OTEL_EXPORTER_OTLP_PROTOCOL=spec["protocol"],
               OTEL_EXPORTER_OTLP_ENDPOINT=run.sink_url,
               OTEL_METRIC_EXPORT_INTERVAL="2000", OTEL_LOGS_EXPORT_INTERVAL="1000",
               OTEL_LOG_USER_PROMPTS="1", OTEL_LOG_TOOL_DETAILS="1")
    if spec["traces"]:
        env.update(CLAUDE_CODE_ENHANCED_TELEMETRY_BETA="1", OTEL_TRACES_EXPORTER="otlp",
                   OTEL_TRACES_EXPORT_INTERVAL="1000")
    env.update({k: v.replace("{mock_url}", run.mock_url) for k, v in (spec.get("env") or {}).items()})
    return env


def claude_files(run):
    return sorted(glob.glob(os.path.join(run.home, ".claude", "projects", "**", "*.jsonl"), recursive=True))


MANAGED_DIR = "/etc/claude-code"  # Claude Code's managed-settings folder on Linux


def write_managed_settings(spec):
    """spec["managed_settings"] -> /etc/claude-code/managed-settings.json for the run (removed again by
    remove_managed_settings). Claude Code honours ``modelPricing`` only from managed settings; the
    CLAUDE_CODE_MANAGED_SETTINGS_PATH variable was not honoured by 2.1.332 in a trial (a folder or a
    file path: list prices were charged). Refuses to run over an existing file."""
    settings = spec.get("managed_settings")
    if settings is None:
        return None
    path = os.path.join(MANAGED_DIR, "managed-settings.json")
    if os.path.exists(path):
        raise SystemExit(f"{path} exists already; not replacing it")
    created_dir = not os.path.isdir(MANAGED_DIR)
    os.makedirs(MANAGED_DIR, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(settings, f, indent=1)
    return {"path": path, "created_dir": created_dir, "json": settings}


def remove_managed_settings(managed):
    if managed is None:
        return
    os.remove(managed["path"])
    if managed["created_dir"]:
        os.rmdir(MANAGED_DIR)


def run_claude(run, spec, args):
    env = claude_env(run, spec)
    managed = write_managed_settings(spec)
    session = None
    try:
        for step in spec["steps"]:
            before = set(claude_files(run))
            cmd = ["claude", "-p", step["prompt"], "--allowedTools", "Bash,Read,Agent"]
            if step.get("resume"):
                cmd += ["--resume", session]
            result = run.run_step(cmd, env)
            new = sorted(set(claude_files(run)) - before)
            result["new_session_files"] = [os.path.relpath(p, run.home) for p in new]
            mains = [os.path.basename(p)[:-6] for p in new if re.fullmatch(UUID + r"\.jsonl", os.path.basename(p))]
            result["session_after"] = session = mains[-1] if mains else session
            print(json.dumps(result))
    finally:
        remove_managed_settings(managed)
    served = [r for r in run.served() if r.get("protocol") == "anthropic"]
    extra = {"version": tool_version(args.tools, "claude"), "model_requests_served": len(served)}
    if managed is not None:
        extra["managed_settings"] = {"path": managed["path"], "json": managed["json"],
                                     "note": "present only while the run's steps ran"}
    return env, extra, [".claude/projects"]


def capture(name, args, folder=None):
    folder = folder or name
    spec = dict(RUNS[name], name=folder)
    run = Run(folder, spec["tool"], os.path.join(HERE, spec["script"]), args.out, args.base, args.tools)
    env, extra = run_claude(run, spec, args)[:2]
    extra["remaining_script_entries"] = run.script.remaining()
    extra["mock_note"] = ("served by run_cache_split.py: a script usage's cache_creation split is served as given "
                          "(JSON reply and SSE message_start); message_delta carries the four scalar usage fields")
    run.finish(spec, env, extra, session_dirs=[".claude/projects"])
    print(f"done: {run.out} ({extra['model_requests_served']} model requests; "
          f"unused entries: {extra['remaining_script_entries']})")


# ---- expected.json ----------------------------------------------------------------------------

# Claude Code's own list prices, USD per million tokens (input, output, cache write 5m, cache write 1h,
# cache read), as found in the installed binaries: 2.1.197's table (opus-4-5..4-8 and the fallback
# for unknown models: 5/25/6.25/10/0.5; haiku-4-5: 1/5/1.25/2/0.1) and 2.1.332's model catalog
# (claude-opus-5-5: tier_4_20_cache_read_0_20 = 4/20/5/8/0.2; claude-sonnet-5-5: tier_2_10_cache_read_0_10
# = 2/10/2.5/4/0.1; haiku_45 as above), plus the two organisation overrides of the claude-org-pricing runs.
PRICES = {
    "5/25 (opus-4-5..4-8; 2.1.197's unknown-model fallback)": (5, 25, 6.25, 10, 0.5),
    "4/20 cache read 0.20 (opus-5-5 in 2.1.332)": (4, 20, 5, 8, 0.2),
    "1/5 (haiku-4-5)": (1, 5, 1.25, 2, 0.1),
    "3/15 (sonnet 3.5..4.6, sonnet-5 in 2.1.197; the claude-org-pricing override's 3/15/0.3/3.75)": (3, 15, 3.75, 6, 0.3),
    "15/75 (opus-4-0/4-1)": (15, 75, 18.75, 30, 1.5),
    "10/50 (fable-5, mythos-5)": (10, 50, 12.5, 20, 1.0),
    "2/10 (sonnet-5 in 2.1.332)": (2, 10, 2.5, 4, 0.2),
    "2/10 cache read 0.10 (sonnet-5-5 in 2.1.332, Foundry's default there)": (2, 10, 2.5, 4, 0.1),
    "org override 0/0, cacheRead 0, cacheWrite 0 (claude-org-pricing-zero)": (0, 0, 0, 0, 0),
}


def cost(u, price, one_hour_rate=True):
    p_in, p_out, p_5m, p_1h, p_read = price
    return (u["input"] * p_in + u["output"] * p_out + u["cache_read"] * p_read + u["cache_5m"] * p_5m
            + u["cache_1h"] * (p_1h if one_hour_rate else p_5m)) / 1e6


def served_usage(u):
    split = u.get("cache_creation") or {}
    total = u.get("cache_creation_input_tokens", 0)
    return {"input": u.get("input_tokens", 0), "cache_read": u.get("cache_read_input_tokens", 0),
            "cache_5m": split.get("ephemeral_5m_input_tokens", total if not split else 0),
            "cache_1h": split.get("ephemeral_1h_input_tokens", 0),
            "cache_creation_total": total, "output": u.get("output_tokens", 0)}


def written_usage(u):
    split = u.get("cache_creation")
    return {"input": u.get("input_tokens"), "cache_read": u.get("cache_read_input_tokens"),
            "cache_creation_total": u.get("cache_creation_input_tokens"),
            "cache_5m": split.get("ephemeral_5m_input_tokens") if isinstance(split, dict) else None,
            "cache_1h": split.get("ephemeral_1h_input_tokens") if isinstance(split, dict) else None,
            "output": u.get("output_tokens"), "raw": u}


def build_run(run_dir, od):
    od.summarize_decoded(run_dir)
    run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    served = [json.loads(line) for line in open(os.path.join(run_dir, "mock_requests.jsonl"), encoding="utf-8")]
    served = [r for r in served if r.get("n") is not None]
    # session files: message.id -> [(file, line, usage)], plus cost records per file
    by_message, files = {}, []
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".claude", "projects", "**", "*.jsonl"),
                                 recursive=True)):
        relpath = os.path.relpath(path, run_dir)
        types, cost_states, request_records = {}, [], []
        for i, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            rec = json.loads(line)
            types[rec.get("type")] = types.get(rec.get("type"), 0) + 1
            msg = rec.get("message") if isinstance(rec.get("message"), dict) else {}
            if msg.get("id") and isinstance(msg.get("usage"), dict):
                by_message.setdefault(msg["id"], []).append(
                    {"file": relpath, "line": i, "session_id": rec.get("sessionId"), "request_id": rec.get("requestId"),
                     "model": msg.get("model"), "usage": msg["usage"]})
            if rec.get("type") == "cost-state":
                cost_states.append({"line": i, "record": rec})
            if rec.get("type") == "api-request":
                request_records.append({"line": i, "model": (rec.get("params") or {}).get("model"),
                                        "querySource": rec.get("querySource"),
                                        "cache_control_ttls": [(c.get("value") or {}).get("ttl") for c in rec.get("cacheControl") or []]})
        files.append({"file": relpath, "record_types": types, "cost_state_records": cost_states,
                      "api_request_records": request_records})
    # OTLP
    docs = list(od.bodies(run_dir))
    api_requests, metric_sums, metric_attr_keys = {}, {}, {}
    for _meta, doc in docs:
        for rl in doc.get("resourceLogs", []):
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    a = od.attrs(rec.get("attributes"))
                    if a.get("event.name") == "api_request":
                        api_requests[a.get("request_id")] = a
        for rm in doc.get("resourceMetrics", []):
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    if m["name"] not in ("claude_code.token.usage", "claude_code.cost.usage"):
                        continue
                    kind = next(k for k in ("sum", "gauge", "histogram") if k in m)
                    for p in m[kind].get("dataPoints", []):
                        a = od.attrs(p.get("attributes"))
                        metric_attr_keys.setdefault(m["name"], set()).update(a)
                        value = p.get("asDouble", p.get("asInt"))
                        key = "|".join(f"{k}={a[k]}" for k in ("type", "model", "query_source") if k in a)
                        sums = metric_sums.setdefault(m["name"], {})
                        sums[key] = sums.get(key, 0) + float(value)
    requests = []
    for r in served:
        digest = r["message_id"][4:]
        request_id = "req_" + digest
        try:
            session_in_request = json.loads((r.get("metadata") or {}).get("user_id") or "{}").get("session_id")
        except ValueError:
            session_in_request = None
        u = served_usage(r["usage"])
        lines = by_message.get(r["message_id"], [])
        distinct = []
        for ln in lines:
            w = written_usage(ln["usage"])
            if w not in distinct:
                distinct.append(w)
        otlp = api_requests.get(request_id)
        item = {"n": r["n"], "script_entry": r.get("entry"), "model_requested": r.get("model"),
                "request_id": request_id, "message_id": r["message_id"],
                "session_id_in_request_metadata": session_in_request,
                "cache_control_in_request": r.get("cache_control"),
                "usage_served": u,
                "session_file": {"file": lines[0]["file"] if lines else None,
                                 "lines": [ln["line"] for ln in lines],
                                 "session_id": lines[0]["session_id"] if lines else None,
                                 "usage_written": distinct} if lines else None,
                "otlp_api_request": None}
        if otlp is not None:
            item["otlp_api_request"] = {
                "session.id": otlp.get("session.id"), "model": otlp.get("model"),
                "input_tokens": otlp.get("input_tokens"), "output_tokens": otlp.get("output_tokens"),
                "cache_read_tokens": otlp.get("cache_read_tokens"),
                "cache_creation_tokens": otlp.get("cache_creation_tokens"),
                "split_attributes": {k: v for k, v in otlp.items() if k.startswith("cache_creation_") and k != "cache_creation_tokens"},
                "cost_usd_present": "cost_usd" in otlp, "cost_usd": otlp.get("cost_usd"),
                "cost_usd_micros": otlp.get("cost_usd_micros"), "query_source": otlp.get("query_source"),
                "all_keys": sorted(otlp)}
            reported = otlp.get("cost_usd")
            prices = {}
            for label, price in PRICES.items():
                c1, c5 = cost(u, price, True), cost(u, price, False)
                hit1 = reported is not None and abs(c1 - reported) < 1e-9
                hit5 = reported is not None and abs(c5 - reported) < 1e-9
                prices[label] = {"1h_at_1h_rate": round(c1, 9), "1h_at_5m_rate": round(c5, 9),
                                 "matches": ("either (same value)" if hit1 and hit5 else "1h rate" if hit1 else
                                             "5m rate" if hit5 else None)}
            matched = {k: v for k, v in prices.items() if v["matches"]}
            item["cost_at_list_prices"] = matched or prices  # the matching price rows (all rows when none matches)
            item["reported_cost_matches"] = [f"{k}, {v['matches']}" for k, v in matched.items()]
        requests.append(item)
    return {"version": run.get("version"), "env_extra": {k: v for k, v in run["env"].items() if k == "ANTHROPIC_MODEL"},
            "script": run.get("script"), "requests": requests, "session_files": files,
            "otlp_api_request_count": len(api_requests),
            "metrics": {name: {"sums": dict(sorted(v.items())), "attribute_keys": sorted(metric_attr_keys[name])}
                        for name, v in sorted(metric_sums.items())}}


def build_expected(out):
    sys.path.insert(0, HERE)
    import otlp_decode as od
    runs = {}
    for run_dir in sorted(glob.glob(os.path.join(out, "*", "run.json"))):
        run_dir = os.path.dirname(run_dir)
        runs[os.path.basename(run_dir)] = build_run(run_dir, od)
    doc = {"generated_by": "scripts/capture/run_cache_split.py --expected",
           "prices_usd_per_mtok": {k: dict(zip(("input", "output", "cache_write_5m", "cache_write_1h", "cache_read"), v))
                                   for k, v in PRICES.items()},
           "runs": runs}
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    print(f"wrote {os.path.join(out, 'expected.json')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", nargs="?", choices=sorted(RUNS) + ["all"])
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools", default=DEFAULT_TOOLS)
    ap.add_argument("--name", help="run folder name (default: the run), e.g. to keep a capture per CLI version")
    ap.add_argument("--expected", action="store_true", help="build <out>/expected.json from the run folders")
    args = ap.parse_args()
    if args.expected:
        return build_expected(args.out)
    if not args.run:
        ap.error("a run, or --expected")
    if args.name and args.run == "all":
        ap.error("--name needs a single run")
    os.makedirs(args.out, exist_ok=True)
    for name in (sorted(n for n in RUNS if not RUNS[n].get("explicit_only")) if args.run == "all" else [args.run]):
        capture(name, args, args.name)


if __name__ == "__main__":
    main()
