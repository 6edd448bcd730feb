#!/usr/bin/env python3
"""Capture Codex CLI and Claude Code sessions whose model requests straddle a UTC quarter-hour
boundary (hh:00, hh:15, hh:30, hh:45), against the scripted model API with OTLP export to the
sink, into <out>/<run>/ in the fixtures layout. In a time zone whose local midnight falls on that
boundary (UTC-2 for 02:00 UTC, UTC+10 for 14:00 UTC, UTC-3:30 for 03:30 UTC, ...) the session
crosses local midnight.

    python3 run_midnight.py codex-across-boundary|claude-across-boundary
        [--boundary HH:MM] [--lead S] [--after S] [--out DIR] [--base DIR] [--tools DIR]

- ``codex-across-boundary``: ``codex exec`` (code-mode exec tool call + follow-up: 2 requests)
  starting ``--lead`` seconds before the boundary, a sleep until ``--after`` seconds past it,
  then ``codex exec resume --last`` (1 request). Config as run_codex.py (otlp-http binary,
  traces on).
- ``claude-across-boundary``: ``claude -p`` (1 answer + the haiku session-title request) before
  the boundary, then ``claude -p --resume <session id>`` (1 answer) after it; one session file.
  Env as the fixtures README (API key, http/protobuf, traces on).

The boundary defaults to the next quarter hour at least ``--lead`` + 30 s away; the runner waits
for it (a run takes up to ~16 minutes). It checks that every request of the first invocation was
received before the boundary and every request of the second after it, and records the boundary,
each request's receive time (UTC) and the result of that check in run.json (``boundary``).
TZ=UTC for the CLIs, as in the other runners. Scratch base default: /tmp/midnight-capture.
"""

import argparse
import datetime as dt
import glob
import json
import os
import re
import time

from capturelib import HERE, Run, tool_version
from run_codex import config_toml as codex_config_toml

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures",
                                         "midnight-captures"))
DEFAULT_BASE = "/tmp/midnight-capture"
DEFAULT_TOOLS = os.environ.get("CAPTURE_TOOLS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CODEX_ROLLOUT_ID = re.compile(rf"({UUID})\.jsonl$")
CLAUDE_API_KEY = "sk-ant-api03-fixture-not-a-real-key-000000000000000000000000000000AA"

RUNS = {
    "codex-across-boundary": {
        "tool": "codex", "script": "scripts/midnight-codex.json", "protocol": "binary", "traces": True,
        "model": None, "lead": 75, "after": 20,
        "steps": [
            {"prompt": "TOOLCALL: list the files in this directory and summarise them (BEFORE the boundary)"},
            {"prompt": "AFTER the boundary: propose a better name for notes.txt.", "resume": True},
        ],
    },
    "claude-across-boundary": {
        "tool": "claude", "script": "scripts/midnight-claude.json", "protocol": "http/protobuf", "traces": True,
        "lead": 45, "after": 20,
        "steps": [
            {"prompt": "BEFORE the boundary: what does main.py do? Answer briefly."},
            {"prompt": "AFTER the boundary: suggest one unit test for greet().", "resume": True},
        ],
    },
}


def utc(ts):
    return dt.datetime.fromtimestamp(ts, dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def midnight_zones(ts):
    """IANA zones (zoneinfo) whose local time at ``ts`` is exactly 00:00:00 (local midnight)."""
    from zoneinfo import ZoneInfo, available_timezones
    when = dt.datetime.fromtimestamp(ts, dt.timezone.utc)
    zones = []
    for name in sorted(available_timezones()):
        if name.startswith(("Etc/", "SystemV/")) or "/" not in name:
            continue
        local = when.astimezone(ZoneInfo(name))
        if (local.hour, local.minute, local.second) == (0, 0, 0):
            zones.append({"zone": name, "utc_offset": local.strftime("%z"), "local": local.isoformat()})
    return zones


def next_boundary(min_ahead):
    """The next quarter hour at least ``min_ahead`` s away that is local midnight in some IANA zone."""
    now = time.time()
    b = (int(now) // 900 + 1) * 900
    while b - now < min_ahead or not midnight_zones(b):
        b += 900
    return b


def parse_boundary(text, min_ahead):
    hh, mm = map(int, text.split(":"))
    if mm % 15:
        raise SystemExit("--boundary must be a quarter hour (hh:00, hh:15, hh:30, hh:45)")
    now = dt.datetime.now(dt.timezone.utc)
    b = now.replace(hour=hh, minute=mm, second=0, microsecond=0)
    if b.timestamp() - now.timestamp() < min_ahead:
        b += dt.timedelta(days=1)
    return b.timestamp()


def sleep_until(ts, why):
    left = ts - time.time()
    if left > 0:
        print(f"waiting {left:.0f} s until {utc(ts)} ({why})", flush=True)
        time.sleep(left)


def claude_env(run, spec):
    """As run_fork_subagent.claude_env (copied: importing that module patches the Responses dialect)."""
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
    return env


def claude_files(run):
    return sorted(glob.glob(os.path.join(run.home, ".claude", "projects", "**", "*.jsonl"), recursive=True))


def timed_step(run, cmd, env):
    started = time.time()
    result = run.run_step(cmd, env)
    result["started_utc"], result["ended_utc"] = utc(started), utc(time.time())
    return result


def run_codex(run, spec, args, boundary):
    os.makedirs(os.path.join(run.home, ".codex"))
    with open(os.path.join(run.home, ".codex", "config.toml"), "w") as f:
        f.write(codex_config_toml(run, spec))
    env = dict(run.base_env(), CODEX_API_KEY="sk-proj-fixture-not-a-real-key")
    model = ["-m", spec["model"]] if spec["model"] else []
    for i, step in enumerate(spec["steps"]):
        if i == 1:
            sleep_until(boundary + spec["after"], "past the boundary")
        if step.get("resume"):
            cmd = ["codex", "exec", "resume", "--skip-git-repo-check"] + model + ["--last", step["prompt"]]
        else:
            cmd = ["codex", "exec", "--skip-git-repo-check"] + model + [step["prompt"]]
        result = timed_step(run, cmd, env)
        rollouts = sorted(glob.glob(os.path.join(run.home, ".codex", "sessions", "*", "*", "*", "rollout-*.jsonl")))
        ids = [m.group(1) for m in map(CODEX_ROLLOUT_ID.search, rollouts) if m]
        result["session_after"] = ids[-1] if ids else None
        print(json.dumps(result), flush=True)
    served = [r for r in run.served() if r.get("protocol") == "openai-responses"]
    extra = {"version": tool_version(args.tools, "codex"), "model_requests_served": len(served),
             "config_toml": run.redact(codex_config_toml(run, spec)).splitlines()}
    return env, extra, [".codex/sessions"]


def run_claude(run, spec, args, boundary):
    env = claude_env(run, spec)
    session = None
    for i, step in enumerate(spec["steps"]):
        if i == 1:
            sleep_until(boundary + spec["after"], "past the boundary")
        cmd = ["claude", "-p", step["prompt"], "--allowedTools", "Bash,Read,Agent"]
        if step.get("resume"):
            cmd += ["--resume", session]
        result = timed_step(run, cmd, env)
        files = claude_files(run)
        mains = [os.path.basename(p)[:-6] for p in files if re.fullmatch(UUID + r"\.jsonl", os.path.basename(p))]
        result["session_files"] = [os.path.relpath(p, run.home) for p in files]
        result["session_after"] = session or (mains[-1] if mains else None)
        session = result["session_after"]
        print(json.dumps(result), flush=True)
    served = [r for r in run.served() if r.get("protocol") == "anthropic"]
    extra = {"version": tool_version(args.tools, "claude"), "model_requests_served": len(served)}
    return env, extra, [".claude/projects"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", choices=sorted(RUNS))
    ap.add_argument("--boundary", help="HH:MM UTC, a quarter hour (default: the next one far enough ahead)")
    ap.add_argument("--lead", type=float, help="seconds before the boundary to start the first invocation")
    ap.add_argument("--after", type=float, help="seconds after the boundary to start the second invocation")
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools", default=DEFAULT_TOOLS)
    args = ap.parse_args()
    spec = dict(RUNS[args.run], name=args.run)
    if args.lead is not None:
        spec["lead"] = args.lead
    if args.after is not None:
        spec["after"] = args.after
    min_ahead = spec["lead"] + 30
    boundary = parse_boundary(args.boundary, min_ahead) if args.boundary else next_boundary(min_ahead)
    zones = midnight_zones(boundary)
    print(f"{args.run}: boundary {utc(boundary)}, local midnight in {[z['zone'] for z in zones][:8]}", flush=True)
    if not zones:
        raise SystemExit("no IANA zone has local midnight at that boundary; pick another")
    sleep_until(boundary - spec["lead"] - 5, "shortly before the first invocation")
    run = Run(args.run, spec["tool"], os.path.join(HERE, spec["script"]), args.out, args.base, args.tools)
    sleep_until(boundary - spec["lead"], "the first invocation")
    runner = run_codex if spec["tool"] == "codex" else run_claude
    env, extra, session_dirs = runner(run, spec, args, boundary)
    served = [r for r in run.served()]
    first, second = (f"{args.run}#0", f"{args.run}#1")
    ok = (all(r["t"] < boundary for r in served if r["label"] == first)
          and all(r["t"] >= boundary for r in served if r["label"] == second)
          and any(r["label"] == first for r in served) and any(r["label"] == second for r in served))
    extra["boundary"] = {
        "utc": utc(boundary), "unix": boundary,
        "requests": [{"n": r["n"], "label": r["label"], "entry": r.get("entry"), "model": r.get("model"),
                      "received_utc": utc(r["t"]), "t": r["t"]} for r in served],
        "first_invocation_before_and_second_after": ok,
        "zones_with_local_midnight_at_boundary": zones,
    }
    run.finish(spec, env, extra, session_dirs=session_dirs)
    print(f"done: {run.out} ({len(served)} model requests, straddles {utc(boundary)}: {ok})", flush=True)
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
