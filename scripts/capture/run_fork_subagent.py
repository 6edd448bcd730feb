#!/usr/bin/env python3
"""Capture forks and sub-agents of Codex CLI, Claude Code and Gemini CLI against the scripted model
API, with OTLP export to the sink, into <out>/<run>/ in the fixtures layout.

    python3 run_fork_subagent.py codex-exec-fork|codex-subagent|claude-fork|claude-subagent|gemini-subagent|all
        [--out DIR] [--base DIR] [--tools DIR] [--gemini-tools DIR] [--name RUN]
    python3 run_fork_subagent.py claude-fork --name claude-fork-2.1.332 --tools scripts/capture/tools-new

- ``codex-exec-fork``: ``codex exec`` (code-mode exec tool call + follow-up), then
  ``codex exec fork <session id> "<prompt>"`` (the non-interactive fork of Codex 0.171.0; the
  interactive ``codex fork --last`` is the TUI's) with its own tool call + follow-up. Config as
  run_codex.py (otlp-http binary, traces on).
- ``codex-subagent``: ``codex exec`` whose root agent runs an exec tool call, then
  ``collaboration.spawn_agent`` (multi-agent v2, ``fork_turns: "all"``: the child inherits the
  root's history) and ``collaboration.wait_agent``; the child runs its own exec call and answers;
  the root answers. The Responses API puts namespaced tools' calls in a ``function_call`` item with
  a ``namespace`` field, which the mock's Responses dialect does not write: this runner adds the
  fields of a script ``tool_call.item_extra`` to the item (in this process only; the dialect itself
  is unchanged). Root and child requests run concurrently; ``thread_of_entry`` in run.json (from
  each request's ``thread-id`` header) shows which thread each script entry went to.
- ``claude-fork``: ``claude -p`` with a Bash tool call, then
  ``claude -p --resume <id> --fork-session "<prompt>"``. Env as the fixtures README (API key,
  http/protobuf, traces on).
- ``claude-subagent``: ``claude -p`` whose main model calls the Agent tool (the built-in Explore
  sub-agent; haiku in 2.1.197, the main model in 2.1.332) with ``run_in_background: false``
  (2.1.332 in ``-p`` otherwise runs it in the background and adds a task-notification turn); the
  sub-agent makes a Bash call and answers; then the main model answers.
- ``gemini-subagent``: ``gemini -p --yolo`` whose main model calls ``invoke_agent`` with
  ``codebase_investigator`` (built in, enabled by default: ``experimental.enableAgents`` defaults
  to true in 0.61.0); the sub-agent (its own model) lists the folder and calls ``complete_task``
  with its report; then the main model answers. Settings as the fixtures README (OTLP/JSON over
  http, traces on, logPrompts on).

Claude Code and Codex come from ``--tools`` (default ``$CAPTURE_TOOLS`` or scripts/capture/tools);
Gemini CLI from ``--gemini-tools`` (default /home/dev/sample/tools/gemini: a neutral path, because
Gemini puts its command line into the OTLP resource), installed with
``npm install --prefix /home/dev/sample/tools/gemini @google/gemini-cli@0.61.0``.
The scratch base defaults to /home/dev/sample/forks (the CLIs write cwd and home into their files).
Then ``make_fork_expected.py`` builds the folder's expected.json.
"""

import argparse
import glob
import json
import os
import re

from capturelib import HERE, Run, tool_version
from mockapi.dialects import openai_responses
from run_codex import config_toml as codex_config_toml

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures",
                                         "fork-subagent-captures"))
DEFAULT_BASE = "/home/dev/sample/forks"
DEFAULT_TOOLS = os.environ.get("CAPTURE_TOOLS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
DEFAULT_GEMINI_TOOLS = os.environ.get("CAPTURE_GEMINI_TOOLS", "/home/dev/sample/tools/gemini")

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
CODEX_ROLLOUT_ID = re.compile(rf"({UUID})\.jsonl$")
CLAUDE_API_KEY = "sk-ant-api03-fixture-not-a-real-key-000000000000000000000000000000AA"

RUNS = {
    "codex-exec-fork": {
        "tool": "codex", "script": "scripts/fork-codex.json", "protocol": "binary", "traces": True, "model": None,
        "steps": [
            {"prompt": "TOOLCALL: list the files in this directory and summarise them"},
            {"prompt": "FORK: look inside notes.txt and suggest a better name for it", "fork": True},
        ],
    },
    "codex-subagent": {
        "tool": "codex", "script": "scripts/subagent-codex.json", "protocol": "binary", "traces": True, "model": None,
        "steps": [
            {"prompt": "SUBAGENT: list the files here, then spawn a sub-agent to read notes.txt, wait for it and summarise"},
        ],
    },
    "claude-fork": {
        "tool": "claude", "script": "scripts/fork-claude.json", "protocol": "http/protobuf", "traces": True,
        "steps": [
            {"prompt": "TOOLCALL: list the files in this project and tell me what main.py does"},
            {"prompt": "FORK: suggest one unit test for greet()", "fork": True},
        ],
    },
    "claude-subagent": {
        "tool": "claude", "script": "scripts/subagent-claude.json", "protocol": "http/protobuf", "traces": True,
        "steps": [
            {"prompt": "SUBAGENT: use an Explore agent to find out what this project contains, then summarise"},
        ],
    },
    "gemini-subagent": {
        "tool": "gemini", "script": "scripts/subagent-gemini.json", "traces": True, "log_prompts": True,
        "steps": [
            {"prompt": "SUBAGENT: investigate this codebase with the codebase_investigator agent and summarise it"},
        ],
    },
}


# ---- Codex ------------------------------------------------------------------------------------

def _items_with_extra(ctx, usage, _items=openai_responses._items):
    """The Responses dialect's output items, plus a script ``tool_call.item_extra`` on the call item."""
    items, kind = _items(ctx, usage)
    extra = (ctx["entry"].get("reply", {}).get("tool_call") or {}).get("item_extra")
    for item in items:
        if extra and "call_id" in item:
            item.update(extra)
    return items, kind


openai_responses._items = _items_with_extra  # this runner's process only


def codex_rollouts(run):
    return sorted(glob.glob(os.path.join(run.home, ".codex", "sessions", "*", "*", "*", "rollout-*.jsonl")))


def run_codex(run, spec, args):
    os.makedirs(os.path.join(run.home, ".codex"))
    with open(os.path.join(run.home, ".codex", "config.toml"), "w") as f:
        f.write(codex_config_toml(run, spec))
    env = dict(run.base_env(), CODEX_API_KEY="sk-proj-fixture-not-a-real-key")
    model = ["-m", spec["model"]] if spec["model"] else []
    parent = None
    for step in spec["steps"]:
        before = set(codex_rollouts(run))
        if step.get("fork"):
            cmd = ["codex", "exec", "fork", "--skip-git-repo-check"] + model + [parent, step["prompt"]]
        else:
            cmd = ["codex", "exec", "--skip-git-repo-check"] + model + [step["prompt"]]
        result = run.run_step(cmd, env)
        new = sorted(set(codex_rollouts(run)) - before)
        ids = [m.group(1) for m in map(CODEX_ROLLOUT_ID.search, new) if m]
        result["new_session_files"] = [os.path.relpath(p, run.home) for p in new]
        result["session_after"] = ids[-1] if ids else None
        if not step.get("fork"):
            parent = result["session_after"]
        print(json.dumps(result))
    served = [r for r in run.served() if r.get("protocol") == "openai-responses"]
    extra = {"version": tool_version(args.tools, "codex"), "model_requests_served": len(served),
             "config_toml": run.redact(codex_config_toml(run, spec)).splitlines(),
             "thread_of_entry": {r["entry"]: (r.get("headers") or {}).get("thread-id") for r in served}}
    return env, extra, [".codex/sessions"]


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
    return env


def claude_files(run):
    return sorted(glob.glob(os.path.join(run.home, ".claude", "projects", "**", "*.jsonl"), recursive=True))


def run_claude(run, spec, args):
    env = claude_env(run, spec)
    session = None
    for step in spec["steps"]:
        before = set(claude_files(run))
        cmd = ["claude", "-p", step["prompt"], "--allowedTools", "Bash,Read,Agent"]
        if step.get("fork"):
            cmd += ["--resume", session, "--fork-session"]
        result = run.run_step(cmd, env)
        new = sorted(set(claude_files(run)) - before)
        result["new_session_files"] = [os.path.relpath(p, run.home) for p in new]
        mains = [os.path.basename(p)[:-6] for p in new if re.fullmatch(UUID + r"\.jsonl", os.path.basename(p))]
        result["session_after"] = mains[-1] if mains else session
        if not step.get("fork"):
            session = result["session_after"]
        print(json.dumps(result))
    served = [r for r in run.served() if r.get("protocol") == "anthropic"]
    extra = {"version": tool_version(args.tools, "claude"), "model_requests_served": len(served)}
    return env, extra, [".claude/projects"]


# ---- Gemini CLI -------------------------------------------------------------------------------

def gemini_settings(run, spec):
    return {"security": {"auth": {"selectedType": "gemini-api-key"}},
            "telemetry": {"enabled": True, "target": "local", "otlpEndpoint": run.sink_url,
                          "otlpProtocol": "http", "logPrompts": spec["log_prompts"], "traces": spec["traces"]}}


def gemini_files(run):
    return sorted(glob.glob(os.path.join(run.home, ".gemini", "tmp", "*", "chats", "**", "*.json*"), recursive=True))


def run_gemini(run, spec, args):
    gdir = os.path.join(run.home, ".gemini")
    os.makedirs(gdir)
    settings = gemini_settings(run, spec)
    with open(os.path.join(gdir, "settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    with open(os.path.join(gdir, "trustedFolders.json"), "w") as f:
        json.dump({run.project: "TRUST_FOLDER"}, f, indent=1)
    env = dict(run.base_env(), GEMINI_API_KEY="AIzaSy-fixture-not-a-real-key-0000000000",
               GOOGLE_GEMINI_BASE_URL=run.mock_url)
    for step in spec["steps"]:
        before = set(gemini_files(run))
        cmd = ["gemini", "-p", step["prompt"], "--yolo"] + (["--resume", "latest"] if step.get("resume") else [])
        result = run.run_step(cmd, env)
        new = sorted(set(gemini_files(run)) - before)
        result["new_session_files"] = [os.path.relpath(p, run.home) for p in new]
        print(json.dumps(result))
    served = [r for r in run.served() if r.get("protocol") == "gemini"]
    extra = {"version": tool_version(args.gemini_tools, "gemini"), "model_requests_served": len(served),
             "home_files": {"~/.gemini/settings.json": run.redact(settings),
                            "~/.gemini/trustedFolders.json": {"<project>": "TRUST_FOLDER"}}}
    return env, extra, [".gemini/tmp", ".gemini/projects.json"]


RUNNERS = {"codex": run_codex, "claude": run_claude, "gemini": run_gemini}


def capture(name, args, folder=None):
    folder = folder or name
    spec = dict(RUNS[name], name=folder)
    tools = args.gemini_tools if spec["tool"] == "gemini" else args.tools
    run = Run(folder, spec["tool"], os.path.join(HERE, spec["script"]), args.out, args.base, tools)
    env, extra, session_dirs = RUNNERS[spec["tool"]](run, spec, args)
    extra["remaining_script_entries"] = run.script.remaining()
    run.finish(spec, env, extra, session_dirs=session_dirs)
    print(f"done: {run.out} ({extra['model_requests_served']} model requests; "
          f"unused entries: {extra['remaining_script_entries']})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", choices=sorted(RUNS) + ["all"])
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools", default=DEFAULT_TOOLS)
    ap.add_argument("--gemini-tools", default=DEFAULT_GEMINI_TOOLS)
    ap.add_argument("--name", help="run folder name (default: the run), e.g. to keep a capture per CLI version")
    args = ap.parse_args()
    if args.name and args.run == "all":
        ap.error("--name needs a single run")
    for name in (sorted(RUNS) if args.run == "all" else [args.run]):
        capture(name, args, args.name)


if __name__ == "__main__":
    main()
