#!/usr/bin/env python3
"""Capture Qwen Code, opencode, GitHub Copilot CLI and Goose runs against the scripted model API,
with their OpenTelemetry export pointed at the sink, into <out>/<run>/ in the fixtures layout.

    python3 run_more_tools.py qwen-plain [--out DIR] [--base DIR] [--tools-root DIR]
    python3 run_more_tools.py all

Each tool is installed in its own scratch folder under --tools-root (default
/home/dev/sample/tools: a neutral path, because Qwen Code writes its install path into some OTLP
log records), e.g. ``npm install --prefix /home/dev/sample/tools/qwen @qwen-code/qwen-code@0.24.4``;
the runner puts
``<tools-root>/<tool>/node_modules/.bin`` first on PATH (Goose: ``npm install
@aaif/goose-binary-linux-x64`` and a ``goose`` symlink in that .bin folder).

What each tool is told (details and why in CAPTURE-NOTES.md, "More assistants"):

- Qwen Code: env ``OPENAI_API_KEY/OPENAI_BASE_URL/OPENAI_MODEL`` (or ``ANTHROPIC_*``) select the
  provider; ``~/.qwen/settings.json`` ``telemetry`` = enabled, target local, otlpEndpoint = sink,
  otlpProtocol http. ``qwen --yolo "<prompt>"``, follow-up ``--resume <session id>``.
- opencode: ``~/.config/opencode/opencode.json`` with the built-in openai / anthropic provider's
  ``options.baseURL`` on the mock and ``experimental.openTelemetry: true``; env
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` = sink. ``opencode run "<prompt>"``, follow-up ``--session <id>``.
- Copilot CLI: BYOK env ``COPILOT_PROVIDER_BASE_URL/TYPE/API_KEY``, ``COPILOT_MODEL``,
  ``COPILOT_OFFLINE=true`` (no GitHub login), ``OTEL_EXPORTER_OTLP_ENDPOINT`` = sink.
  ``copilot -p "<prompt>" --allow-all-tools``, follow-up ``--resume=<id>``.
- Goose: env ``GOOSE_PROVIDER``, ``GOOSE_MODEL``, ``OPENAI_HOST`` / ``ANTHROPIC_HOST`` = mock,
  ``OTEL_EXPORTER_OTLP_ENDPOINT`` = sink. ``goose run -t "<prompt>" -n <name>``, follow-up ``--resume``.

SQLite stores are copied as written (db, -wal, -shm); a readable ``.dump`` of a scratch copy is
written to ``<run>/sqlite/<path relative to HOME>.sql`` (the copied files are never opened). Run it
with an interpreter that has ``opentelemetry-proto`` (PyPI) to get ``otlp/summary.json`` for
protobuf bodies too (``otlp_decode.py``); then ``make_more_expected.py`` builds
``expected-more-tools.json``.
"""

import argparse
import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

from capturelib import HERE, Run, tool_version

FIXTURES = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "engine", "tests", "fixtures", "more-tools-captures"))
DEFAULT_BASE = "/home/dev/sample/more"
DEFAULT_TOOLS_ROOT = os.environ.get("CAPTURE_MORE_TOOLS", "/home/dev/sample/tools")

PLAIN = "Explain in two sentences what a Python f-string is."
TOOLCALL = "TOOLCALL: list the files in this project"
FOLLOW_UP = "Which of those files would you document first, and why? Answer briefly."

TOOLCALL_STEPS = [{"prompt": TOOLCALL}, {"prompt": FOLLOW_UP, "resume": True}]

RUNS = {
    "qwen-plain": {"tool": "qwen", "api": "openai", "model": "qwen3-coder-plus", "log_prompts": False,
                   "steps": [{"prompt": PLAIN}]},
    "qwen-toolcall": {"tool": "qwen", "api": "openai", "model": "qwen3-coder-plus", "log_prompts": True,
                      "steps": TOOLCALL_STEPS},
    "qwen-anthropic-plain": {"tool": "qwen", "api": "anthropic", "model": "claude-sonnet-4-5", "log_prompts": True,
                             "steps": [{"prompt": PLAIN}]},
    "opencode-plain": {"tool": "opencode", "api": "openai", "model": "openai/gpt-5.5", "bsp_delay_ms": 100,
                       "steps": [{"prompt": PLAIN}]},
    "opencode-toolcall": {"tool": "opencode", "api": "anthropic", "model": "anthropic/claude-sonnet-4-5",
                          "bsp_delay_ms": 100, "steps": TOOLCALL_STEPS},
    "copilot-plain": {"tool": "copilot", "api": "openai", "model": "gpt-5.4", "protocol": "http/protobuf",
                      "capture_content": False, "steps": [{"prompt": PLAIN}]},
    "copilot-file-plain": {"tool": "copilot", "api": "openai", "model": "gpt-5.4", "file_exporter": True,
                           "capture_content": False, "steps": [{"prompt": PLAIN}]},
    "copilot-toolcall": {"tool": "copilot", "api": "anthropic", "model": "claude-sonnet-4.5", "protocol": "http/json",
                         "capture_content": True, "steps": TOOLCALL_STEPS},
    "goose-plain": {"tool": "goose", "api": "openai", "model": "gpt-5.4", "protocol": "http/json",
                    "steps": [{"prompt": PLAIN}]},
    "goose-toolcall": {"tool": "goose", "api": "anthropic", "model": "claude-sonnet-4-5", "protocol": None,
                       "steps": TOOLCALL_STEPS},
}

FAKE_KEYS = {"openai": "sk-proj-fixture-not-a-real-key", "anthropic": "sk-ant-api03-fixture-not-a-real-key"}


# ---- per tool ---------------------------------------------------------------------------------

def qwen_setup(run, spec):
    settings = {"telemetry": {"enabled": True, "target": "local", "otlpEndpoint": run.sink_url,
                              "otlpProtocol": "http", "logPrompts": spec["log_prompts"]}}
    os.makedirs(os.path.join(run.home, ".qwen"))
    with open(os.path.join(run.home, ".qwen", "settings.json"), "w") as f:
        json.dump(settings, f, indent=1)
    env = dict(run.base_env())
    if spec["api"] == "openai":
        env.update(OPENAI_API_KEY=FAKE_KEYS["openai"], OPENAI_BASE_URL=run.mock_url + "/v1", OPENAI_MODEL=spec["model"])
    else:
        env.update(ANTHROPIC_API_KEY=FAKE_KEYS["anthropic"], ANTHROPIC_BASE_URL=run.mock_url,
                   ANTHROPIC_MODEL=spec["model"])
    return env, {".qwen/settings.json": settings}


def qwen_session(run):
    chats = sorted(glob.glob(os.path.join(run.home, ".qwen", "projects", "*", "chats", "*.jsonl")), key=os.path.getmtime)
    return os.path.basename(chats[-1])[:-6] if chats else None


def qwen_cmd(run, spec, step, session):
    cmd = ["qwen", "--yolo"]
    if step.get("resume"):
        cmd += ["--resume", session]
    return cmd + [step["prompt"]]


def opencode_setup(run, spec):
    provider = spec["api"]
    config = {"$schema": "https://opencode.ai/config.json", "model": spec["model"], "autoupdate": False,
              "share": "disabled", "experimental": {"openTelemetry": True},
              "provider": {provider: {"options": {"baseURL": run.mock_url + "/v1"}}}}
    cfg_dir = os.path.join(run.home, ".config", "opencode")
    os.makedirs(cfg_dir)
    with open(os.path.join(cfg_dir, "opencode.json"), "w") as f:
        json.dump(config, f, indent=1)
    env = dict(run.base_env(), OTEL_EXPORTER_OTLP_ENDPOINT=run.sink_url, OPENCODE_DISABLE_MODELS_FETCH="1",
               OPENCODE_DISABLE_AUTOUPDATE="1")
    if spec.get("bsp_delay_ms") is not None:
        # opencode's BatchSpanProcessor is not flushed when `opencode run` exits: with the default
        # 5 s delay the spans of a short run are lost (see CAPTURE-NOTES.md).
        env["OTEL_BSP_SCHEDULE_DELAY"] = str(spec["bsp_delay_ms"])
    env["OPENAI_API_KEY" if provider == "openai" else "ANTHROPIC_API_KEY"] = FAKE_KEYS[provider]
    return env, {".config/opencode/opencode.json": config}


def sqlite_rows(db_path, query):
    """Run a query on a scratch copy of a SQLite store (db + -wal + -shm), never on the original."""
    if not os.path.exists(db_path):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_path + suffix):
                shutil.copy2(db_path + suffix, os.path.join(tmp, "copy.db" + suffix))
        con = sqlite3.connect(os.path.join(tmp, "copy.db"))
        try:
            return con.execute(query).fetchall()
        finally:
            con.close()


def opencode_session(run):
    rows = sqlite_rows(os.path.join(run.home, ".local", "share", "opencode", "opencode.db"),
                       "select id from session order by time_created desc limit 1")
    return rows[0][0] if rows else None


def opencode_cmd(run, spec, step, session):
    cmd = ["opencode", "run"]
    if step.get("resume"):
        cmd += ["--session", session]
    return cmd + [step["prompt"]]


COPILOT_OTEL_FILE = ".copilot/otel/copilot-otel.jsonl"


def copilot_setup(run, spec):
    env = dict(run.base_env(), COPILOT_OFFLINE="true", COPILOT_AUTO_UPDATE="false",
               COPILOT_PROVIDER_TYPE=spec["api"], COPILOT_PROVIDER_API_KEY=FAKE_KEYS[spec["api"]],
               COPILOT_PROVIDER_BASE_URL=run.mock_url + ("/v1" if spec["api"] == "openai" else ""),
               COPILOT_MODEL=spec["model"])
    if spec.get("file_exporter"):
        # The file exporter instead of OTLP/HTTP: JSON lines in a file we choose (kept under sessions/).
        env["COPILOT_OTEL_FILE_EXPORTER_PATH"] = os.path.join(run.home, COPILOT_OTEL_FILE)
    else:
        env.update(OTEL_EXPORTER_OTLP_ENDPOINT=run.sink_url, OTEL_EXPORTER_OTLP_PROTOCOL=spec["protocol"])
    if spec.get("capture_content"):
        env["OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"] = "true"
    return env, {}


def copilot_session(run):
    dirs = sorted(glob.glob(os.path.join(run.home, ".copilot", "session-state", "*-*-*-*-*")), key=os.path.getmtime)
    return os.path.basename(dirs[-1]) if dirs else None


def copilot_cmd(run, spec, step, session):
    cmd = ["copilot", "-p", step["prompt"], "--allow-all-tools"]
    if step.get("resume"):
        cmd.append(f"--resume={session}")
    return cmd


def goose_setup(run, spec):
    env = dict(run.base_env(), GOOSE_DISABLE_KEYRING="1", GOOSE_PROVIDER=spec["api"], GOOSE_MODEL=spec["model"],
               OTEL_EXPORTER_OTLP_ENDPOINT=run.sink_url)
    if spec.get("protocol"):
        env["OTEL_EXPORTER_OTLP_PROTOCOL"] = spec["protocol"]
    if spec["api"] == "openai":
        env.update(OPENAI_API_KEY=FAKE_KEYS["openai"], OPENAI_HOST=run.mock_url)
    else:
        env.update(ANTHROPIC_API_KEY=FAKE_KEYS["anthropic"], ANTHROPIC_HOST=run.mock_url)
    return env, {}


def goose_session(run):
    rows = sqlite_rows(os.path.join(run.home, ".local", "share", "goose", "sessions", "sessions.db"),
                       "select id from sessions order by created_at desc limit 1")
    return rows[0][0] if rows else None


def goose_cmd(run, spec, step, session):
    cmd = ["goose", "run", "-t", step["prompt"], "-n", run.name]
    if step.get("resume"):
        cmd.append("--resume")
    return cmd


TOOLS = {
    "qwen": {"setup": qwen_setup, "cmd": qwen_cmd, "session": qwen_session, "binary": "qwen",
             "keep": [".qwen/projects", ".qwen/usage", ".qwen/usage_record.jsonl", ".qwen/tmp"]},
    "opencode": {"setup": opencode_setup, "cmd": opencode_cmd, "session": opencode_session, "binary": "opencode",
                 "keep": [".local/share/opencode/opencode.db", ".local/share/opencode/opencode.db-wal",
                          ".local/share/opencode/opencode.db-shm", ".local/share/opencode/storage"]},
    "copilot": {"setup": copilot_setup, "cmd": copilot_cmd, "session": copilot_session, "binary": "copilot",
                "keep": [".copilot/session-state", ".copilot/session-store.db", ".copilot/session-store.db-wal",
                         ".copilot/session-store.db-shm", COPILOT_OTEL_FILE]},
    "goose": {"setup": goose_setup, "cmd": goose_cmd, "session": goose_session, "binary": "goose",
              "keep": [".local/share/goose/sessions", ".local/state/goose/logs/llm_request.0.jsonl",
                       ".local/state/goose/logs/llm_request.1.jsonl", ".local/state/goose/logs/llm_request.2.jsonl",
                       ".local/state/goose/logs/llm_request.3.jsonl", ".local/state/goose/logs/llm_request.4.jsonl"]},
}


# ---- SQLite dumps -------------------------------------------------------------------------------

def dump_sqlite(out_dir):
    """Write <run>/sqlite/<rel>.sql for every *.db copied under sessions/ (from a scratch copy)."""
    sessions = os.path.join(out_dir, "sessions")
    written = []
    dbs = sorted(os.path.join(d, f) for d, _, files in os.walk(sessions) for f in files if f.endswith(".db"))
    for db in dbs:
        rel = os.path.relpath(db, sessions)
        target = os.path.join(out_dir, "sqlite", rel + ".sql")
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    shutil.copy2(db + suffix, os.path.join(tmp, "copy.db" + suffix))
            dump = subprocess.run(["sqlite3", os.path.join(tmp, "copy.db"), ".dump"], capture_output=True,
                                  text=True, check=True).stdout
        with open(target, "w", encoding="utf-8") as f:
            f.write(dump)
        written.append(os.path.relpath(target, out_dir))
    return written


# ---- main ---------------------------------------------------------------------------------------

def capture(name, out, base, tools_root):
    spec = dict(RUNS[name], name=name)
    tool = TOOLS[spec["tool"]]
    tools_dir = os.path.join(tools_root, spec["tool"])
    script = os.path.join(HERE, "scripts", f"more-{name}.json")
    run = Run(name, spec["tool"], script, out, base, tools_dir)
    env, config_files = tool["setup"](run, spec)
    session = None
    for step in spec["steps"]:
        cmd = tool["cmd"](run, spec, step, session)
        result = run.run_step(cmd, env)
        session = tool["session"](run) or session
        result["session_after"] = session
        print(json.dumps(run.redact(result)), flush=True)
    time.sleep(2)  # late exports
    for rel in tool["keep"]:
        if os.path.exists(os.path.join(run.home, rel)):
            run.copy_home_tree(rel)
    dumps = dump_sqlite(run.out)
    served = run.served()
    extra = {"version": tool_version(tools_dir, tool["binary"]), "model_requests_served": len(served),
             "session_id": session, "config_files": run.redact(config_files), "sqlite_dumps": dumps,
             "kept_from_home": tool["keep"]}
    run.finish(spec, env, extra)
    if any(f.endswith(".meta.json") for f in os.listdir(os.path.join(run.out, "otlp"))):
        try:
            import otlp_decode
            otlp_decode.summarize_decoded(run.out)  # covers protobuf bodies too
        except ImportError:
            print("note: opentelemetry-proto not importable; otlp/summary.json lists JSON bodies only", flush=True)
    print(f"done: {run.out} ({len(served)} model requests, session {session})", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", choices=sorted(RUNS) + ["all"])
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--base", default=DEFAULT_BASE)
    ap.add_argument("--tools-root", default=DEFAULT_TOOLS_ROOT)
    args = ap.parse_args()
    for name in (sorted(RUNS) if args.run == "all" else [args.run]):
        capture(name, args.out, args.base, args.tools_root)


if __name__ == "__main__":
    main()
