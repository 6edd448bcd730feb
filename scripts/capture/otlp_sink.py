"""Loopback OTLP/HTTP sink that stores every request body exactly as received.

Each POST becomes ``NNNN-<signal>.bin`` (signal from the path: traces, metrics, logs, else
"other") and ``NNNN-<signal>.meta.json`` with method, path, headers, body length and time. The
body is stored after undoing chunked transfer encoding only: a gzip-encoded export stays gzip.
The answer is 200 with an empty body and the request's content type (an empty protobuf message
is a valid Export*ServiceResponse; JSON clients ignore the body).

``pack(dir)`` gzips bodies over 64 KiB into ``.bin.gz`` (gunzip gives the exact bytes; meta gets
"stored_as") and ``summarize(dir)`` writes summary.json for OTLP/JSON bodies (metric, event and
span names with their attribute keys).

Usage: ``python3 otlp_sink.py --dir OUT [--port N] [--port-file F]``.
"""

import argparse
import gzip
import json
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PACK_LIMIT = 64 * 1024


class SinkHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    out_dir = "."
    counter = [0]
    lock = threading.Lock()

    def log_message(self, fmt, *args):
        pass

    def read_raw(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(raw)
                raw += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_POST(self):
        body = self.read_raw()
        route = self.path.split("?")[0].rstrip("/")
        signal_name = next((s for s in ("traces", "metrics", "logs") if route.endswith("/" + s)), "other")
        with self.lock:
            self.counter[0] += 1
            seq = self.counter[0]
        stem = os.path.join(self.out_dir, f"{seq:04d}-{signal_name}")
        with open(stem + ".bin", "wb") as f:
            f.write(body)
        meta = {"seq": seq, "time": time.time(), "method": "POST", "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()}, "body_len": len(body)}
        with open(stem + ".meta.json", "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
        self.send_response(200)
        self.send_header("Content-Type", self.headers.get("Content-Type", "application/x-protobuf"))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()


class QuietServer(ThreadingHTTPServer):
    """Ignores clients that drop a kept-alive connection when their process exits."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(out_dir, host="127.0.0.1", port=0):
    """Start the sink in a background thread; returns (server, port)."""
    os.makedirs(out_dir, exist_ok=True)
    handler = type("BoundSink", (SinkHandler,), {"out_dir": out_dir, "counter": [0], "lock": threading.Lock()})
    httpd = QuietServer((host, port), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_address[1]


def pack(out_dir, limit=PACK_LIMIT):
    """Gzip bodies larger than ``limit`` (fixtures stay small); returns the names packed."""
    packed = []
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if not name.endswith(".bin") or os.path.getsize(path) <= limit:
            continue
        with open(path, "rb") as f:
            data = f.read()
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(data, 9, mtime=0))
        os.remove(path)
        meta_path = path[:-4] + ".meta.json"
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        meta["stored_as"] = name + ".gz"
        with open(meta_path, "w", encoding="utf-8") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
        packed.append(name)
    return packed


def _attr_keys(attrs):
    return sorted({a.get("key") for a in attrs or []})


def _attr(attrs, key):
    for a in attrs or []:
        if a.get("key") == key:
            value = a.get("value") or {}
            return next(iter(value.values()), None)
    return None


def summarize(out_dir):
    """summary.json: per signal, names seen in the OTLP/JSON bodies (protobuf bodies are counted only)."""
    summary = {"requests": 0, "protobuf_bodies": 0, "json_bodies": 0, "metrics": {}, "events": {},
               "spans": {}, "resources": []}
    for name in sorted(os.listdir(out_dir)):
        if not name.endswith(".meta.json"):
            continue
        with open(os.path.join(out_dir, name), encoding="utf-8") as f:
            meta = json.load(f)
        summary["requests"] += 1
        stored = meta.get("stored_as", name.replace(".meta.json", ".bin"))
        with open(os.path.join(out_dir, stored), "rb") as f:
            data = f.read()
        if stored.endswith(".gz"):
            data = gzip.decompress(data)
        if meta["headers"].get("content-encoding") == "gzip":
            data = gzip.decompress(data)
        if "json" not in meta["headers"].get("content-type", ""):
            summary["protobuf_bodies"] += 1
            continue
        summary["json_bodies"] += 1
        doc = json.loads(data)
        for rm in doc.get("resourceMetrics", []):
            _resource(summary, rm)
            for sm in rm.get("scopeMetrics", []):
                for m in sm.get("metrics", []):
                    kind = next((k for k in ("sum", "gauge", "histogram", "exponentialHistogram") if k in m), "?")
                    points = m.get(kind, {}).get("dataPoints", [])
                    entry = summary["metrics"].setdefault(m["name"], {"kind": kind, "attrs": set(), "points": 0})
                    entry["points"] += len(points)
                    for p in points:
                        entry["attrs"].update(_attr_keys(p.get("attributes")))
        for rl in doc.get("resourceLogs", []):
            _resource(summary, rl)
            for sl in rl.get("scopeLogs", []):
                for rec in sl.get("logRecords", []):
                    event = _attr(rec.get("attributes"), "event.name") or rec.get("eventName") or "?"
                    entry = summary["events"].setdefault(event, {"count": 0, "attrs": set()})
                    entry["count"] += 1
                    entry["attrs"].update(_attr_keys(rec.get("attributes")))
        for rs in doc.get("resourceSpans", []):
            _resource(summary, rs)
            for ss in rs.get("scopeSpans", []):
                for span in ss.get("spans", []):
                    entry = summary["spans"].setdefault(span["name"], {"count": 0, "attrs": set()})
                    entry["count"] += 1
                    entry["attrs"].update(_attr_keys(span.get("attributes")))
    for group in ("metrics", "events", "spans"):
        for entry in summary[group].values():
            entry["attrs"] = sorted(a for a in entry["attrs"] if a)
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    return summary


def _resource(summary, block):
    attrs = {a["key"]: next(iter((a.get("value") or {}).values()), None)
             for a in (block.get("resource") or {}).get("attributes", [])}
    keep = {k: attrs.get(k) for k in ("service.name", "service.version") if k in attrs}
    if keep and keep not in summary["resources"]:
        summary["resources"].append(keep)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    args = ap.parse_args(argv)
    httpd, port = serve(args.dir, port=args.port)
    if args.port_file:
        with open(args.port_file, "w") as f:
            f.write(str(port))
    print(f"PORT {port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        httpd.shutdown()


if __name__ == "__main__":
    main()
