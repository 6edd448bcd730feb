#!/usr/bin/env python3
"""Build limits-captures/limits-expected.json from the plan-limits capture runs.

For each run it lists the rate-limit states the scripted model API served (from
mock_requests.jsonl: what went out in the response headers) and the states the CLI exposed
(Codex: ``payload.rate_limits`` of the ``token_count`` events in its rollout files; Claude Code:
``rate_limits`` in the JSON its status-line command received), each as
``{tool, window: "5h"|"7d", used_percent, resets_at (Unix s), resets_at_rfc3339}``, and whether
the last state exposed equals the last state served.

    python3 make_limits_expected.py [--dir <fixtures folder>]
"""

import argparse
import datetime
import glob
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures", "limits-captures"))
RUNS = ["codex-limits", "codex-nolimits", "claude-limits-tui", "claude-apikey-tui", "claude-limits-tui-*"]
CODEX_WINDOWS = {300: "5h", 10080: "7d"}
CLAUDE_WINDOWS = {"5h": "five_hour", "7d": "seven_day"}
NOTES = {
    "codex-limits": "x-codex-* headers on every response; Codex writes them into each token_count event.",
    "codex-nolimits": "No rate-limit headers served (API-key use without a plan): token_count.rate_limits is "
                      "present with primary/secondary/credits null, so no state must be recorded.",
    "claude-limits-tui": "Subscription-style login (CLAUDE_CODE_OAUTH_TOKEN). Two processes (the second is "
                         "claude --continue); the start-up quota check (max_tokens 1) also carries the headers.",
    "claude-limits-tui-2.1.332": "Same script as claude-limits-tui with the newest Claude Code at capture time: "
                                 "used_percentage is rounded to 0.1 and capped at 100 (7 instead of 7.000000000000001).",
    "claude-apikey-tui": "API-key login: the headers were served but Claude Code passed no rate_limits to the status "
                         "line, so nothing is exposed and last_exposed_equals_last_served is false by design.",
}


def rfc3339(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).isoformat().replace("+00:00", "Z")


def state(tool, window, used, resets_at, **extra):
    out = {"tool": tool, "window": window, "used_percent": used, "resets_at": resets_at,
           "resets_at_rfc3339": rfc3339(resets_at) if resets_at is not None else None}
    out.update(extra)
    return out


def served_states(run_dir, tool):
    """Per model request: the rate-limit states sent in its response headers."""
    out = []
    with open(os.path.join(run_dir, "mock_requests.jsonl"), encoding="utf-8") as f:
        for record in map(json.loads, f):
            if record.get("n") is None:
                continue
            rl = record.get("rate_limits") or {}
            states = []
            if tool == "codex":
                for slot in ("primary", "secondary"):
                    w = rl.get(slot)
                    if w:
                        states.append(state("codex", CODEX_WINDOWS.get(w.get("window_minutes"), f"{w.get('window_minutes')}m"),
                                            float(w["used_percent"]), w.get("reset_at"), slot=slot,
                                            window_minutes=w.get("window_minutes")))
            else:
                for window in ("5h", "7d"):
                    w = rl.get(window)
                    if w:
                        states.append(state("claude-code", window, round(w["utilization"] * 100, 9), w["reset_at"],
                                            utilization_header=record["served_headers"].get(
                                                f"anthropic-ratelimit-unified-{window}-utilization")))
            out.append({"n": record["n"], "label": record["label"], "entry": record.get("entry"),
                        "served_at": rfc3339(int(record["t"])), "served_at_unix": record["t"],
                        "credits": rl.get("credits"), "states": states})
    return out


def codex_exposed(run_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(run_dir, "sessions", ".codex", "sessions", "**", "*.jsonl"), recursive=True)):
        rel = os.path.relpath(path, run_dir)
        with open(path, encoding="utf-8") as f:
            for line_no, line in enumerate(f, 1):
                record = json.loads(line)
                payload = record.get("payload") or {}
                if record.get("type") != "event_msg" or payload.get("type") != "token_count":
                    continue
                rl = payload.get("rate_limits")
                states = []
                for slot in ("primary", "secondary"):
                    w = (rl or {}).get(slot)
                    if w:
                        states.append(state("codex", CODEX_WINDOWS.get(w.get("window_minutes"), f"{w.get('window_minutes')}m"),
                                            w["used_percent"], w.get("resets_at"), slot=slot,
                                            window_minutes=w.get("window_minutes")))
                out.append({"file": rel, "line": line_no, "observed_at": record.get("timestamp"),
                            "rate_limits_raw": rl, "states": states})
    return out


def claude_exposed(run_dir):
    run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
    out = []
    for rel, tap_name in sorted(run.get("statusline_files", {}).items()):
        with open(os.path.join(run_dir, rel), encoding="utf-8") as f:
            doc = json.load(f)
        rl = doc.get("rate_limits")
        states = []
        for window, key in CLAUDE_WINDOWS.items():
            w = (rl or {}).get(key)
            if w:
                states.append(state("claude-code", window, w["used_percentage"], w["resets_at"]))
        observed_ns = int(tap_name.split("-")[0])
        out.append({"file": rel, "observed_at": rfc3339(observed_ns // 10**9),
                    "observed_at_unix": observed_ns / 1e9, "session_id": doc.get("session_id"),
                    "rate_limits_raw": rl, "states": states})
    return out


def comparable(states):
    return sorted((s["window"], round(float(s["used_percent"]), 6), s["resets_at"]) for s in states)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=FIXTURES)
    args = ap.parse_args()
    result = {
        "description": ("Plan-limit states the scripted model API served (response headers) and the states each CLI "
                        "exposed, per capture run. used_percent: Codex sends and writes percent (0-100); Claude Code "
                        "is sent a fraction (utilization_header) and shows utilization*100 as a JS double, e.g. "
                        "7.000000000000001 for 0.07, so compare with a tolerance. resets_at: Unix seconds. The "
                        "reset times were chosen a few hours (5h) and days (7d) after the capture time, so they "
                        "are in the past when the tests run: a consumer must treat them as expired then."),
        "generated_by": "scripts/capture/make_limits_expected.py",
        "runs": {},
    }
    names = []
    for pattern in RUNS:
        names += [os.path.basename(p) for p in sorted(glob.glob(os.path.join(args.dir, pattern)))
                  if os.path.basename(p) not in names]
    for name in names:
        run_dir = os.path.join(args.dir, name)
        run = json.load(open(os.path.join(run_dir, "run.json"), encoding="utf-8"))
        tool = run["tool"]
        served = served_states(run_dir, tool)
        with_states = [s for s in served if s["states"]]
        last_served = with_states[-1]["states"] if with_states else []
        if tool == "codex":
            exposed = codex_exposed(run_dir)
            where = "sessions/.codex/sessions/**/rollout-*.jsonl: event_msg with payload.type == token_count, payload.rate_limits"
        else:
            exposed = claude_exposed(run_dir)
            where = "statusline/NNNN.json (the status-line command's stdin, in call order): rate_limits"
        with_exposed = [e for e in exposed if e["states"]]
        last_exposed = with_exposed[-1]["states"] if with_exposed else []
        entry = {
            "tool": "codex" if tool == "codex" else "claude-code",
            "note": NOTES.get(name),
            "cli_version": run.get("version"),
            "served": served,
            "last_served": last_served,
            "exposed_in": where,
            "exposed": exposed,
            "last_exposed": last_exposed,
            "last_exposed_from": with_exposed[-1]["file"] if with_exposed else None,
            "last_exposed_equals_last_served": comparable(last_exposed) == comparable(last_served),
        }
        result["runs"][name] = entry
        print(f"{name}: served {len(with_states)} states, exposed {len(with_exposed)}/{len(exposed)}, "
              f"last equal: {entry['last_exposed_equals_last_served']}")
    with open(os.path.join(args.dir, "limits-expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
