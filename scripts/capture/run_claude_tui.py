#!/usr/bin/env python3
"""Capture an interactive Claude Code session (under tmux, i.e. a real pseudo-terminal) against
the scripted model API, with a status-line command that keeps every JSON Claude Code passes to it.

    python3 run_claude_tui.py claude-limits-tui|claude-apikey-tui [--out DIR] [--base DIR] [--tools DIR] [--name RUN]

Set-up, all in a scratch HOME:
- ``CLAUDE_CODE_OAUTH_TOKEN`` (any value) = a subscription-style login, so Claude Code reads the
  plan rate-limit headers (``ANTHROPIC_API_KEY`` in the API-key variant); ``ANTHROPIC_BASE_URL`` =
  the mock; OTLP env as in the fixtures README;
- ``~/.claude.json``: onboarding done, the project trusted (``projects.<cwd>.hasTrustDialogAccepted``);
- ``~/.claude/settings.json``: ``statusLine`` = statusline_tap.sh (copied into HOME).
Each prompt is typed with ``tmux send-keys``; the runner waits for the scripted main response and
for the screen to settle, keeps a screen capture (stepN.screen-K.txt), then ``/exit``.
The run folder gets ``statusline/NNNN.json`` (each status-line stdin, in call order, untouched).
"""

import argparse
import json
import os
import shutil
import subprocess
import time

from capturelib import DEFAULT_BASE, DEFAULT_TOOLS, HERE, Run, tool_version

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures", "limits-captures"))

RUNS = {
    "claude-limits-tui": {
        "script": "scripts/claude-limits.json",
        "auth": "oauth",
        "protocol": "http/json",
        "traces": True,
        "steps": [
            {"args": [], "prompts": [
                {"text": "Say hello in five words.", "entry": "claude-main-1"},
                {"text": "What does greet() in main.py return for 'Ada'?", "entry": "claude-main-2"},
                {"text": "Thanks. Suggest one unit test for greet().", "entry": "claude-main-3"}]},
            {"args": ["--continue"], "prompts": [
                {"text": "One more: rename notes.txt to something clearer.", "entry": "claude-main-4"}]},
        ],
    },
    "claude-apikey-tui": {
        "script": "scripts/claude-apikey.json",
        "auth": "apikey",
        "protocol": "http/json",
        "traces": False,
        "steps": [
            {"args": [], "prompts": [{"text": "Say hello in five words.", "entry": "claude-main-1"}]},
        ],
    },
}


class Tmux:
    def __init__(self, socket, session):
        self.socket, self.session = socket, session

    def __call__(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket] + list(args), capture_output=True, text=True, check=check)

    def screen(self):
        return self("capture-pane", "-p", "-t", self.session, check=False).stdout

    def alive(self):
        return self("has-session", "-t", self.session, check=False).returncode == 0

    def type(self, text):
        self("send-keys", "-t", self.session, "-l", text)
        time.sleep(0.7)
        self("send-keys", "-t", self.session, "Enter")


def wait_for(predicate, timeout, step=0.25):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


API_KEY = "sk-ant-api03-fixture-not-a-real-key-000000000000000000000000000000AA"


def claude_env(run, spec):
    env = dict(run.base_env(), ANTHROPIC_BASE_URL=run.mock_url,
               CLAUDE_CODE_ENABLE_TELEMETRY="1",
               OTEL_METRICS_EXPORTER="otlp", OTEL_LOGS_EXPORTER="otlp",
               OTEL_EXPORTER_OTLP_PROTOCOL=spec["protocol"],
               OTEL_EXPORTER_OTLP_ENDPOINT=run.sink_url,
               OTEL_METRIC_EXPORT_INTERVAL="2000", OTEL_LOGS_EXPORT_INTERVAL="1000",
               OTEL_LOG_USER_PROMPTS="1", OTEL_LOG_TOOL_DETAILS="1")
    if spec["auth"] == "oauth":  # any value: taken as a Claude subscription login
        env["CLAUDE_CODE_OAUTH_TOKEN"] = "sk-ant-oat01-fixture-not-a-real-token"
    else:
        env["ANTHROPIC_API_KEY"] = API_KEY
    if spec["traces"]:
        env.update(CLAUDE_CODE_ENHANCED_TELEMETRY_BETA="1", OTEL_TRACES_EXPORTER="otlp",
                   OTEL_TRACES_EXPORT_INTERVAL="1000")
    return env


def write_home(run, spec, version):
    claude_dir = os.path.join(run.home, ".claude")
    os.makedirs(claude_dir)
    tap = os.path.join(claude_dir, "statusline-tap.sh")
    shutil.copy2(os.path.join(HERE, "statusline_tap.sh"), tap)
    settings = {"statusLine": {"type": "command", "command": tap}}
    with open(os.path.join(claude_dir, "settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    state = {"hasCompletedOnboarding": True, "lastOnboardingVersion": version, "theme": "dark",
             "projects": {run.project: {"hasTrustDialogAccepted": True, "hasCompletedProjectOnboarding": True,
                                        "projectOnboardingSeenCount": 1, "allowedTools": []}}}
    if spec["auth"] == "apikey":  # skips the "use this API key?" question
        state["customApiKeyResponses"] = {"approved": [API_KEY[-20:]], "rejected": []}
    with open(os.path.join(run.home, ".claude.json"), "w") as f:
        json.dump(state, f, indent=1)
    return {"~/.claude/settings.json": run.redact(settings), "~/.claude.json (before the run)": run.redact(state)}


def run_interactive(run, env, step_index, step, tap_dir, problems):
    """One interactive Claude Code process: type the prompts, wait, keep screens, /exit."""
    label = f"{run.name}#{step_index}"
    run.set_label(label)
    rc_file = os.path.join(run.tmp, f"claude-{step_index}.rc")
    launcher = os.path.join(run.tmp, f"launch-{step_index}.sh")
    with open(launcher, "w") as f:
        f.write("#!/bin/sh\ncd '%s' || exit 97\nenv -i %s claude %s\necho $? > '%s'\n" % (
            run.project, " ".join(f"'{k}={v}'" for k, v in env.items()), " ".join(step["args"]), rc_file))
    os.chmod(launcher, 0o755)
    tmux = Tmux(f"capture-{run.name}", "claude")
    tmux("kill-server", check=False)
    started = time.time()
    taps_before = len(list_taps(tap_dir))
    tmux("new-session", "-d", "-s", "claude", "-x", "160", "-y", "50", launcher)
    screens = []

    def settled(quiet=3.0):
        """No spinner, and no new status-line call for ``quiet`` seconds."""
        last = (len(list_taps(tap_dir)), time.time())
        while time.time() - last[1] < quiet:
            time.sleep(0.3)
            if len(list_taps(tap_dir)) != last[0] or "esc to interrupt" in tmux.screen():
                last = (len(list_taps(tap_dir)), time.time())
            if time.time() - started > 600:
                return False
        return True

    if not wait_for(lambda: "❯" in tmux.screen() and len(list_taps(tap_dir)) > taps_before, 60):
        problems.append(f"step {step_index}: no prompt / status line within 60 s")
    settled()
    screens.append(tmux.screen())
    for k, prompt in enumerate(step["prompts"], 1):
        tmux.type(prompt["text"])
        if not wait_for(lambda: any(r.get("entry") == prompt["entry"] for r in run.served()), 90):
            problems.append(f"step {step_index} prompt {k}: main response {prompt['entry']} never served")
        settled()
        screens.append(tmux.screen())
    time.sleep(3)
    tmux.type("/exit")
    if not wait_for(lambda: os.path.exists(rc_file), 60):
        problems.append(f"step {step_index}: claude did not exit within 60 s after /exit; killed")
    tmux("kill-server", check=False)
    rc = int(open(rc_file).read().strip() or -1) if os.path.exists(rc_file) else None
    names = []
    for k, text in enumerate(screens):
        names.append(f"step{step_index}.screen-{k}.txt")
        with open(os.path.join(run.out, names[-1]), "w", encoding="utf-8") as f:
            f.write(text)
    run.steps.append({"label": label, "cmd": ["claude"] + step["args"], "interactive": True, "rc": rc,
                      "seconds": round(time.time() - started, 1),
                      "typed": [p["text"] for p in step["prompts"]] + ["/exit"], "screens": names,
                      "statusline_calls": len(list_taps(tap_dir)) - taps_before})


def list_taps(tap_dir):
    return sorted(n for n in os.listdir(tap_dir) if n.endswith(".json")) if os.path.isdir(tap_dir) else []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", choices=sorted(RUNS))
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools", default=DEFAULT_TOOLS)
    ap.add_argument("--name", help="run folder name (default: the run), e.g. to keep a capture per CLI version")
    args = ap.parse_args()
    name = args.name or args.run
    spec = dict(RUNS[args.run], name=name, tool="claude")
    run = Run(name, "claude", os.path.join(HERE, spec["script"]), args.out, args.base, args.tools)
    version = tool_version(args.tools, "claude").split()[0]
    home_files = write_home(run, spec, version)
    env = claude_env(run, spec)
    tap_dir = os.path.join(run.home, "statusline-tap")
    problems = []
    for index, step in enumerate(spec["steps"]):
        run_interactive(run, env, index, step, tap_dir, problems)
        time.sleep(1)

    out_dir = os.path.join(run.out, "statusline")
    os.makedirs(out_dir)
    calls = list_taps(tap_dir)
    for i, name in enumerate(calls, 1):
        shutil.copy2(os.path.join(tap_dir, name), os.path.join(out_dir, f"{i:04d}.json"))
    served = [r for r in run.served() if r.get("protocol") == "anthropic"]
    extra = {"version": version, "model_requests_served": len(served), "home_files": home_files,
             "statusline_files": {f"statusline/{i:04d}.json": n for i, n in enumerate(calls, 1)},
             "problems": problems}
    run.finish(spec, env, extra, session_dirs=[".claude/projects"])
    print(json.dumps({"steps": [(s["rc"], s["statusline_calls"]) for s in run.steps], "served": len(served),
                      "statusline_calls": len(calls), "problems": problems}))


if __name__ == "__main__":
    main()
