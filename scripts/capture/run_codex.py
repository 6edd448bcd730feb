#!/usr/bin/env python3
"""Capture Codex CLI runs (``codex exec`` / ``codex exec resume --last``) against the scripted
model API, with OTLP export to the sink, into <out>/<run>/ in the fixtures layout.

    python3 run_codex.py codex-limits [--out DIR] [--base DIR] [--tools DIR]

Codex is configured as in the fixtures README: ``openai_base_url`` pointing at the mock (the
built-in "openai" provider with API-key auth from CODEX_API_KEY), approvals off, full access,
and the [otel] exporters pointing at the sink with one full URL per signal.
"""

import argparse
import glob
import json
import os
import re

from capturelib import DEFAULT_BASE, DEFAULT_TOOLS, HERE, Run, tool_version

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures", "limits-captures"))

SESSION_ID = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$")

RUNS = {
    "codex-limits": {
        "script": "scripts/codex-limits.json",
        "protocol": "json",
        "traces": False,
        "model": None,
        "steps": [
            {"prompt": "TOOLCALL: list the files in this directory and summarise them"},
            {"prompt": "Now propose a better name for notes.txt.", "resume": True},
        ],
    },
    "codex-nolimits": {
        "script": "scripts/codex-nolimits.json",
        "protocol": "json",
        "traces": False,
        "model": "gpt-5.5",
        "steps": [{"prompt": "What does greet() in main.py return for 'Ada'? Answer briefly."}],
    },
}


def config_toml(run, spec):
    lines = [
        f'openai_base_url = "{run.mock_url}/v1"',
        'approval_policy = "never"',
        'sandbox_mode = "danger-full-access"',
        "",
        "[otel]",
        'environment = "fixture"',
        "log_user_prompt = true",
    ]
    signals = [("exporter", "logs"), ("metrics_exporter", "metrics")]
    if spec["traces"]:
        signals.append(("trace_exporter", "traces"))
    for key, signal in signals:
        lines.append(f'{key} = {{ otlp-http = {{ endpoint = "{run.sink_url}/v1/{signal}", '
                     f'protocol = "{spec["protocol"]}" }} }}')
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", choices=sorted(RUNS))
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools", default=DEFAULT_TOOLS)
    args = ap.parse_args()
    spec = dict(RUNS[args.run], name=args.run, tool="codex")
    run = Run(args.run, "codex", os.path.join(HERE, spec["script"]), args.out, args.base, args.tools)
    os.makedirs(os.path.join(run.home, ".codex"))
    with open(os.path.join(run.home, ".codex", "config.toml"), "w") as f:
        f.write(config_toml(run, spec))
    env = dict(run.base_env(), CODEX_API_KEY="sk-proj-fixture-not-a-real-key")
    model = ["-m", spec["model"]] if spec["model"] else []
    for step in spec["steps"]:
        if step.get("resume"):
            cmd = ["codex", "exec", "resume", "--skip-git-repo-check"] + model + ["--last", step["prompt"]]
        else:
            cmd = ["codex", "exec", "--skip-git-repo-check"] + model + [step["prompt"]]
        result = run.run_step(cmd, env)
        rollouts = sorted(glob.glob(os.path.join(run.home, ".codex", "sessions", "*", "*", "*", "rollout-*.jsonl")))
        ids = [m.group(1) for m in map(SESSION_ID.search, rollouts) if m]
        result["session_after"] = ids[-1] if ids else None
        print(json.dumps(result))
    served = [r for r in run.served() if r.get("protocol") == "openai-responses"]
    extra = {"version": tool_version(args.tools, "codex"), "model_requests_served": len(served),
             "config_toml": run.redact(config_toml(run, spec)).splitlines()}
    run.finish(spec, env, extra, session_dirs=[".codex/sessions"])
    print(f"done: {run.out} ({len(served)} model requests)")


if __name__ == "__main__":
    main()
