#!/usr/bin/env python3
"""How the requests that read whole log records answer on a stored history.

Copies DATABASE (it is left as it was), starts `ai-observer serve` on the copy, and times each
request seven times, printing the median in milliseconds: the Overview's, the logs page (first page,
a deep page, a search that matches nothing, so it reads every body and attribute), and one session's
transcript.

    python3 scripts/bench_log_queries.py BINARY DATABASE
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BASE = "http://127.0.0.1:18093"
ALL_TIME = "from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"


def timed_get(path):
    started = time.monotonic()
    with urllib.request.urlopen(BASE + path, timeout=120) as response:
        body = response.read()
    return (time.monotonic() - started) * 1000, body


def main():
    binary, database = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as directory:
        copy = os.path.join(directory, "store.duckdb")
        shutil.copy(database, copy)
        command = [binary, "serve", "--database", copy, "--api-port", "18093", "--otlp-port", "14393", "--grpc-port", "14394"]
        server = subprocess.Popen(command, env=dict(os.environ, HOME=directory), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    timed_get("/api/stats")
                    break
                except OSError:
                    time.sleep(0.1)
            sessions = json.loads(timed_get(f"/api/sessions?sort=cost&limit=25&{ALL_TIME}")[1])["sessions"]
            paths = [
                "/api/spend/summary",
                "/api/stats",
                f"/api/sessions?sort=cost&limit=25&{ALL_TIME}",
                f"/api/logs?event=api_re&limit=500&{ALL_TIME}",
                f"/api/logs?limit=100&{ALL_TIME}",
                f"/api/logs?limit=100&offset=100000&{ALL_TIME}",
                f"/api/logs?search=zebra&limit=100&{ALL_TIME}",
                f"/api/sessions/{sessions[min(3, len(sessions) - 1)]['sessionId']}/transcript",
            ]
            for path in paths:
                times = [timed_get(path)[0] for _ in range(7)]
                print(f"{statistics.median(times):7.1f} ms  {path.replace('&' + ALL_TIME, '')}")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
