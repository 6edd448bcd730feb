"""HTTP/1.1 server for the scripted model API (loopback only).

Routes each request to the dialect that handles its path, asks the script for the entry to
serve, adds the rate-limit headers of the current state, and appends one line per request to
mock_requests.jsonl: request headers (credentials shortened), model, stream, tool count, the
usage served, the rate-limit state served and the extra response headers. Streaming replies
are sent with chunked transfer encoding so connections stay alive as with the real APIs.

Control routes (not logged): ``POST /__mock/label`` {"label": "..."} tags the following
requests (the capture runner sets one per step); ``GET /__mock/status`` shows the request count,
the entries not yet served and the current rate-limit state.
"""

import gzip
import json
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import dialects

SECRET_HEADERS = {"authorization": 12, "x-api-key": 12, "x-goog-api-key": 8, "api-key": 8,
                  "cookie": 0, "proxy-authorization": 0, "chatgpt-account-id": 4}


def redact_headers(headers):
    out = {}
    for key, value in headers.items():
        keep = SECRET_HEADERS.get(key.lower())
        if keep is None:
            out[key] = value
        elif keep == 0:
            out[key] = "<redacted>"
        else:
            out[key] = value[:keep] + "..."
    return out


class MockState:
    def __init__(self, script, log_path, label="", verbose=False):
        self.script = script
        self.log_path = log_path
        self.label = label
        self.verbose = verbose
        self.n = 0
        self.lock = threading.Lock()

    def next_n(self):
        with self.lock:
            self.n += 1
            return self.n

    def log(self, record):
        line = json.dumps(record, sort_keys=True)
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        if self.verbose:
            print(f"[mock] {record.get('label')} #{record.get('n')} {record.get('method', 'POST')} "
                  f"{record.get('path')} -> {record.get('status')} {record.get('kind', '')}", flush=True)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "mock-model-api/1"
    state: MockState = None  # set by serve()

    def log_message(self, fmt, *args):  # keep stderr quiet; everything goes to the JSONL log
        pass

    # ---- request body -------------------------------------------------------------------
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                raw += self.rfile.read(size)
                self.rfile.readline()
            raw = bytes(raw)
        else:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "").lower()
        if encoding == "gzip":
            raw = gzip.decompress(raw)
        elif encoding == "deflate":
            raw = zlib.decompress(raw)
        return raw

    # ---- responses ----------------------------------------------------------------------
    def send(self, status, headers, body):
        self.send_response(status)
        streaming = not isinstance(body, (bytes, bytearray))
        for key, value in headers.items():
            self.send_header(key, value)
        if streaming:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not streaming:
            self.wfile.write(body)
            return
        try:
            for piece in body:
                if piece:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.flush()
                    time.sleep(0.005)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def not_found(self, body_head=""):
        self.state.log({"t": time.time(), "label": self.state.label, "n": None, "method": self.command,
                        "path": self.path, "protocol": "unknown", "status": 404,
                        "headers": redact_headers(dict(self.headers)), "body_head": body_head})
        payload = json.dumps({"error": {"type": "not_found_error", "message": f"mock: no route {self.path}"}})
        self.send(404, {"Content-Type": "application/json"}, payload.encode())

    # ---- verbs --------------------------------------------------------------------------
    def do_GET(self):
        if self.path.startswith("/__mock/status"):
            st = self.state
            body = {"n": st.n, "label": st.label, "remaining": st.script.remaining(),
                    "rate_limits": st.script.states or st.script.initial_rate_limits, "anchor": st.script.anchor}
            return self.send(200, {"Content-Type": "application/json"}, json.dumps(body).encode())
        self.not_found()

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        raw = self.read_body()
        if self.path.startswith("/__mock/label"):
            self.state.label = json.loads(raw or b"{}").get("label", "")
            return self.send(200, {"Content-Type": "application/json"}, b"{}")
        dialect = dialects.find(self.command, self.path)
        if dialect is None:
            return self.not_found(raw[:200].decode("utf-8", "replace"))
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return self.not_found(raw[:200].decode("utf-8", "replace"))
        direct = getattr(dialect, "direct", None)
        answer = direct(self.command, self.path, body) if direct else None
        if answer is not None:
            self.state.log({"t": time.time(), "label": self.state.label, "n": None, "method": "POST",
                            "path": self.path, "protocol": dialect.PROTOCOL, "kind": "direct",
                            "status": answer[0], "headers": redact_headers(dict(self.headers))})
            return self.send(*answer)
        self.serve_model_request(dialect, body)

    def serve_model_request(self, dialect, body):
        st = self.state
        n = st.next_n()
        summary = dialect.summarize(self.path, body)
        entry, rate_state = st.script.pick(summary)
        usage = entry.get("usage") or dialect.default_usage(st.script.rand(n, dialect.PROTOCOL))
        served_headers = dialect.rate_limit_headers(rate_state)
        served_headers.update(entry.get("headers", {}))
        log = {"t": time.time(), "label": st.label, "n": n, "method": "POST", "path": self.path,
               "protocol": dialect.PROTOCOL, "headers": redact_headers(dict(self.headers)),
               "model": summary.get("model"), "stream": summary.get("stream"),
               "n_tools": summary.get("n_tools"), "entry": entry.get("id"), "usage": usage,
               "rate_limits": rate_state, "served_headers": served_headers}
        log.update({k: v for k, v in summary.get("log", {}).items() if v is not None})
        ctx = {"n": n, "label": st.label, "summary": summary, "entry": entry, "usage": usage,
               "body": body, "log": log}
        status_override = entry.get("status")
        status, headers, payload = dialect.respond(ctx)
        if status_override:
            status = status_override
        headers.update(served_headers)
        log["status"] = status
        st.log(log)
        self.send(status, headers, payload)


class QuietServer(ThreadingHTTPServer):
    """Ignores clients that drop a kept-alive connection when their process exits."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


def serve(script, log_path, host="127.0.0.1", port=0, label="", verbose=False):
    """Start the server in a background thread; returns (server, port)."""
    handler = type("BoundHandler", (Handler,), {"state": MockState(script, log_path, label, verbose)})
    httpd = QuietServer((host, port), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, httpd.server_address[1]
