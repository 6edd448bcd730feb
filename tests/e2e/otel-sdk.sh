#!/usr/bin/env bash
# End-to-end: a real OpenTelemetry JS SDK exports to a real `ai-observer serve` over OTLP/HTTP JSON,
# OTLP/HTTP protobuf and OTLP/gRPC, and tests/sdk/export-and-verify.mjs reads the data back through
# the REST API. Starts the already built binary on OS-chosen ports with a throwaway database, then
# checks that SIGTERM stops it cleanly (exit 0 within 10 s). Run by scripts/test.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."

CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
BIN="$CARGO_TARGET_DIR/debug/ai-observer"
if [ ! -x "$BIN" ]; then
  echo "otel-sdk: no server binary at $BIN (build it first: cargo build)" >&2
  exit 1
fi
if [ ! -d tests/sdk/node_modules/@opentelemetry/sdk-trace-base ]; then
  npm ci --no-audit --no-fund --prefix tests/sdk
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

show_server_output() {
  echo "--- server stdout" >&2; cat "$WORK/stdout" >&2 || true
  echo "--- server stderr (last 50 lines)" >&2; tail -n 50 "$WORK/stderr" >&2 || true
}

"$BIN" serve --api-port 0 --otlp-port 0 --grpc-port 0 --database "$WORK/db.duckdb" >"$WORK/stdout" 2>"$WORK/stderr" &
SERVER_PID=$!

# The banner names the ports the OS picked, e.g. "  OTLP/gRPC          http://127.0.0.1:41234".
url_of() { sed -n "s|^  $1 *\(http://[^ ]*\)\$|\1|p" "$WORK/stdout" | head -n 1; }
API_URL="" OTLP_HTTP_URL="" OTLP_GRPC_URL=""
for _ in $(seq 1 300); do
  API_URL="$(url_of 'dashboard and API')"
  OTLP_HTTP_URL="$(url_of 'OTLP/HTTP')"
  OTLP_GRPC_URL="$(url_of 'OTLP/gRPC')"
  if [ -n "$API_URL" ] && [ -n "$OTLP_HTTP_URL" ] && [ -n "$OTLP_GRPC_URL" ]; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "otel-sdk: the server exited before it was ready" >&2
    show_server_output
    exit 1
  fi
  sleep 0.1
done
if [ -z "$API_URL" ] || [ -z "$OTLP_HTTP_URL" ] || [ -z "$OTLP_GRPC_URL" ]; then
  echo "otel-sdk: the server did not print its three URLs within 30 s" >&2
  show_server_output
  exit 1
fi
echo "otel-sdk: server up: API $API_URL, OTLP/HTTP $OTLP_HTTP_URL, OTLP/gRPC $OTLP_GRPC_URL"

STATUS=0   # with pipefail, the node script's exit code
timeout 300 node tests/sdk/export-and-verify.mjs --api "$API_URL" --otlp-http "$OTLP_HTTP_URL" --otlp-grpc "$OTLP_GRPC_URL" | tee "$WORK/checks" \
  || STATUS=$?
PASSED="$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$WORK/checks" | tail -n 1)"
FAILED="$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$WORK/checks" | tail -n 1)"
PASSED="${PASSED:-0}" FAILED="${FAILED:-1}"

# A clean stop: SIGTERM, exit code 0, within 10 s.
stop_check() {
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    echo "FAIL server stops on SIGTERM with exit 0 within 10 s: it had already exited before the SIGTERM"
    return 1
  fi
  kill -TERM "$SERVER_PID"
  for _ in $(seq 1 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "FAIL server stops on SIGTERM with exit 0 within 10 s: still running after 10 s"
    return 1
  fi
  local code=0
  wait "$SERVER_PID" || code=$?
  SERVER_PID=""
  if [ "$code" != 0 ]; then
    echo "FAIL server stops on SIGTERM with exit 0 within 10 s: exit code $code"
    return 1
  fi
  echo "ok   server stops on SIGTERM with exit 0 within 10 s"
}
if stop_check; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); STATUS=1; fi
if [ "$STATUS" != 0 ]; then show_server_output; fi
echo "otel-sdk: $PASSED passed, $FAILED failed"
exit "$STATUS"
