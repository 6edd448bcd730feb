"""Shared plumbing for the capture runners: scratch home and project, the mock model API and the
OTLP sink in-process, steps run with their output kept, and the run folder assembled in the
fixtures layout (run.json, mock_requests.jsonl, otlp/, sessions/<path relative to HOME>,
stepN.stdout.txt / stepN.stderr.txt).

Paths: the CLIs write their cwd and home into their files, so captures run under a neutral base
folder (default /home/dev/sample/limits, as the earlier fixtures used /home/dev/sample/work-a),
never under the repository or /tmp; run.json shows them as <base>, <home>, <project>.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from mockapi.script import Script  # noqa: E402
from mockapi.server import serve as serve_mock  # noqa: E402
import otlp_sink  # noqa: E402

DEFAULT_BASE = "/home/dev/sample/limits"
DEFAULT_TOOLS = os.environ.get("CAPTURE_TOOLS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools"))
SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.I)

PROJECT_FILES = {
    "README.md": "# sample\n\nA tiny project used to capture what the AI coding CLIs write.\n",
    "main.py": 'def greet(name):\n    return f"Hello, {name}!"\n\n\nif __name__ == "__main__":\n    print(greet("Ada"))\n',
    "notes.txt": "todo: add a test for greet()\n",
}


def make_project(path):
    os.makedirs(path, exist_ok=True)
    for name, text in PROJECT_FILES.items():
        with open(os.path.join(path, name), "w", encoding="utf-8") as f:
            f.write(text)
    return path


class Run:
    """One capture run: scratch dirs, servers, steps, and the fixture folder it produces."""

    def __init__(self, name, tool, script_path, out_root, base=DEFAULT_BASE, tools=DEFAULT_TOOLS):
        self.name, self.tool = name, tool
        self.base = base
        self.root = os.path.join(base, name)
        self.home = os.path.join(self.root, "home")
        self.tmp = os.path.join(self.root, "tmp")
        self.project = os.path.join(base, "project")
        self.tools = tools
        self.out = os.path.join(out_root, name)
        self.script_path = script_path
        self.steps = []
        self.notes = []
        if os.path.exists(self.root):
            shutil.rmtree(self.root)
        for d in (self.home, self.tmp):
            os.makedirs(d)
        make_project(self.project)
        if os.path.exists(self.out):
            shutil.rmtree(self.out)
        os.makedirs(os.path.join(self.out, "otlp"))
        self.mock_log = os.path.join(self.out, "mock_requests.jsonl")
        self.script = Script.load(script_path)
        self.mock, self.mock_port = serve_mock(self.script, self.mock_log, label=f"{name}#setup")
        self.sink, self.sink_port = otlp_sink.serve(os.path.join(self.out, "otlp"))
        self.mock_url = f"http://127.0.0.1:{self.mock_port}"
        self.sink_url = f"http://127.0.0.1:{self.sink_port}"

    # ---- environment ---------------------------------------------------------------------
    def base_env(self):
        bin_dir = os.path.join(self.tools, "node_modules", ".bin")
        node_dir = os.path.dirname(shutil.which("node") or "/usr/bin/node")
        return {"HOME": self.home, "PATH": f"{bin_dir}:{node_dir}:/usr/local/bin:/usr/bin:/bin",
                "TMPDIR": self.tmp, "LANG": "C.UTF-8", "TERM": "xterm-256color", "TZ": "UTC",
                "USER": "dev", "SHELL": "/bin/bash"}

    def set_label(self, label):
        self.mock.RequestHandlerClass.state.label = label

    # ---- steps ---------------------------------------------------------------------------
    def run_step(self, cmd, env, timeout=240, label=None):
        index = len(self.steps)
        label = label or f"{self.name}#{index}"
        self.set_label(label)
        started = time.time()
        with open(os.path.join(self.out, f"step{index}.stdout.txt"), "wb") as out, \
                open(os.path.join(self.out, f"step{index}.stderr.txt"), "wb") as err:
            proc = subprocess.run(["timeout", "-k", "10", str(timeout)] + cmd, cwd=self.project, env=env,
                                  stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        step = {"label": label, "cmd": cmd, "rc": proc.returncode, "seconds": round(time.time() - started, 1)}
        self.steps.append(step)
        return step

    def served(self):
        """The model requests served so far (mock_requests.jsonl lines with a request number)."""
        if not os.path.exists(self.mock_log):
            return []
        with open(self.mock_log, encoding="utf-8") as f:
            return [r for r in map(json.loads, f) if r.get("n") is not None]

    # ---- assembling the fixture ----------------------------------------------------------
    def copy_home_tree(self, rel):
        """Copy HOME/<rel> (a session folder) to sessions/<rel>, untouched."""
        src = os.path.join(self.home, rel)
        if not os.path.exists(src):
            self.notes.append(f"no {rel} under HOME")
            return
        dst = os.path.join(self.out, "sessions", rel)
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)

    def redact(self, value):
        if isinstance(value, str):
            for path, tag in ((self.home, "<home>"), (self.project, "<project>"), (self.tmp, "<tmp>"),
                              (self.tools, "<tools>"), (self.root, "<run>"), (self.base, "<base>")):
                value = value.replace(path, tag)
            return value
        if isinstance(value, list):
            return [self.redact(v) for v in value]
        if isinstance(value, dict):
            return {self.redact(k): self.redact(v) for k, v in value.items()}
        return value

    def finish(self, spec, env, extra=None, session_dirs=()):
        self.mock.shutdown()
        time.sleep(0.5)
        self.sink.shutdown()
        for rel in session_dirs:
            self.copy_home_tree(rel)
        otlp_dir = os.path.join(self.out, "otlp")
        packed = otlp_sink.pack(otlp_dir)
        otlp_sink.summarize(otlp_dir)
        shown_env = {k: ("<redacted>" if SECRET_ENV.search(k) else self.redact(v)) for k, v in env.items()
                     if k not in ("PATH", "HOME", "TMPDIR", "LANG", "TERM", "TZ", "USER", "SHELL")}
        run = {"name": self.name, "tool": self.tool, "spec": spec, "steps": self.redact(self.steps),
               "env": shown_env, "home": "<home> (scratch, one per run)", "cwd": "<project>",
               "paths_in_files": {"home": self.home, "project": self.project},
               "script": os.path.relpath(self.script_path, HERE), "mock_anchor": self.script.anchor,
               "otlp_packed": packed, "notes": self.notes}
        run.update(extra or {})
        with open(os.path.join(self.out, "run.json"), "w", encoding="utf-8") as f:
            json.dump(run, f, indent=1)
            f.write("\n")
        return run


def tool_version(tools, binary):
    out = subprocess.run([os.path.join(tools, "node_modules", ".bin", binary), "--version"],
                         capture_output=True, text=True, timeout=60)
    return out.stdout.strip()
