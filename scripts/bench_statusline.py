#!/usr/bin/env python3
"""Latency of `ai-observer statusline` as Claude Code runs it: one process per call, the captured
status-line JSON on stdin, the app answering on loopback (and once with no app). Prints p50/p95/p99.
Usage: bench_statusline.py BINARY API_URL [CALLS]"""
import os
import pathlib
import subprocess
import sys
import tempfile
import time

binary, api, calls = sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300
status = (pathlib.Path(__file__).resolve().parent.parent / "crates/engine/tests/fixtures/limits-captures/claude-limits-tui/statusline/0008.json").read_bytes()


# With no app, each call also spools the limits beside the database: point it at a scratch folder.
scratch = tempfile.mkdtemp()
environment = {**os.environ, "AI_OBSERVER_DATABASE_PATH": os.path.join(scratch, "bench.duckdb")}


def measure(url):
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        subprocess.run([binary, "statusline", "--api-url", url], input=status, capture_output=True, check=True, env=environment)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return f"p50 {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, p99 {pick(0.99):.1f} ms, max {times[-1]:.1f} ms ({calls} calls)"


print(f"statusline, app answering: {measure(api)}")
print(f"statusline, no app (port 9): {measure('http://127.0.0.1:9')}")
