#!/usr/bin/env python3
"""How the Overview's requests answer while `serve` runs a first import, and idle afterwards.

Starts `ai-observer serve` on a new database with HOME pointing at a history of session files,
starts the import wizard's import (`POST /api/import/start`), and times the Overview's requests in
a loop until the job is done; then times each of them five times idle. Prints the median and the
largest time per request. A benchmark, not a test (docs/benchmarks.md).

    python3 scripts/bench_queries_during_import.py HOME BINARY [DATABASE]
"""

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request

REQUESTS = [
    "/api/spend/summary",
    "/api/spend?groupBy=day",
    "/api/stats",
    "/api/sessions?sort=cost&limit=25",
    "/api/logs?event=api_re&limit=500",
]
BASE = "http://127.0.0.1:18091"


def timed_get(path):
    started = time.monotonic()
    with urllib.request.urlopen(BASE + path, timeout=60) as response:
        body = response.read()
    return (time.monotonic() - started) * 1000, body


def main():
    home, binary = sys.argv[1], sys.argv[2]
    database = sys.argv[3] if len(sys.argv) > 3 else "/tmp/bench-during-import.duckdb"
    for suffix in ["", ".wal", ".journal", ".journal-2"]:
        if os.path.exists(database + suffix):
            os.remove(database + suffix)
    command = [binary, "serve", "--database", database, "--api-port", "18091", "--otlp-port", "14391", "--grpc-port", "14392"]
    server = subprocess.Popen(command, env=dict(os.environ, HOME=home), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(150):
            try:
                timed_get("/api/stats")
                break
            except OSError:
                time.sleep(0.2)
        start = urllib.request.Request(BASE + "/api/import/start", data=b"{}", headers={"Content-Type": "application/json"}, method="POST")
        started = time.monotonic()
        with urllib.request.urlopen(start) as response:
            job_id = json.loads(response.read())["jobId"]
        during = {path: [] for path in REQUESTS}
        while True:
            for path in REQUESTS:
                during[path].append(timed_get(path)[0])
            job = json.loads(timed_get(f"/api/import/jobs/{job_id}")[1])
            if job["state"] != "running":
                break
            time.sleep(0.1)
        print(f"import {time.monotonic() - started:.2f} s, {job['state']}")
        for path in REQUESTS:
            idle = [timed_get(path)[0] for _ in range(5)]
            times = during[path]
            print(f"{path}: during the import {len(times)} runs, median {statistics.median(times):.0f} ms, "
                  f"largest {max(times):.0f} ms; idle {min(idle):.0f}-{max(idle):.0f} ms")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
