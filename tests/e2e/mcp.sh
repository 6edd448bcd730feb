#!/usr/bin/env bash
# End-to-end: the official MCP TypeScript SDK client (tests/mcp, pinned) talks to ai-observer's MCP
# server over both transports — streamable HTTP on a running `serve` (/mcp) and stdio
# (`ai-observer mcp --api-url`, then `ai-observer mcp --database` once serve has stopped) — on a
# database imported from the captured session files. tests/mcp/check.mjs proves that every tool
# answers the same JSON as its REST operation, that the token totals and plan limits equal the
# captures' expected values, that errors come back as error results, and that /mcp refuses a
# foreign Origin (403) and a non-JSON body (415). Also checks that SIGTERM stops serve cleanly.
# Run by scripts/test.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh

BIN="$CARGO_TARGET_DIR/debug/ai-observer"
if [ ! -x "$BIN" ]; then
  echo "mcp: no server binary at $BIN (build it first: cargo build)" >&2
  exit 1
fi
if [ ! -d tests/mcp/node_modules/@modelcontextprotocol/sdk ]; then
  npm ci --no-audit --no-fund --prefix tests/mcp
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

# A home with the captured CLIs' session files: Claude Code, Codex and Gemini CLI runs
# (cli-captures, totals in its expected.json) and a Codex run whose files carry plan limits
# (limits-captures/codex-limits, states in limits-expected.json).
mkdir -p "$WORK/home"
for sessions in crates/engine/tests/fixtures/cli-captures/*/sessions \
  crates/engine/tests/fixtures/limits-captures/codex-limits/sessions; do
  cp -r "$sessions/." "$WORK/home/"
done
HOME="$WORK/home" "$BIN" import all --yes --database "$WORK/db.duckdb" >"$WORK/import.log" 2>&1 \
  || { echo "mcp: import failed" >&2; cat "$WORK/import.log" >&2; exit 1; }

"$BIN" serve --database "$WORK/db.duckdb" --api-port 0 --otlp-port 0 --no-grpc >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
API=""
for _ in $(seq 300); do
  API="$(sed -n 's|^  dashboard and API *\(http://[^ ]*\)$|\1|p' "$WORK/serve.log" | head -n 1)"
  [ -n "$API" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$API" ] || { echo "mcp: the server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }
echo "mcp: server up: API $API"

PASSED=0 FAILED=0 STATUS=0
count() { # the "N passed, M failed" line of a check.mjs run
  local line
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$1" | tail -n 1)"
  if [ -z "$line" ]; then FAILED=$((FAILED + 1)); return; fi
  PASSED=$((PASSED + ${line%% *}))
  FAILED=$((FAILED + $(echo "$line" | sed 's/.*passed, \([0-9]*\) failed/\1/')))
}

# Phase 1: serve is running (streamable HTTP, stdio through the app, the /mcp guards).
timeout 300 node tests/mcp/check.mjs --phase app --api "$API" --bin "$BIN" --save "$WORK/answers.json" \
  | tee "$WORK/app.checks" || STATUS=1
count "$WORK/app.checks"

# A clean stop: SIGTERM, exit code 0, within 10 s; the database is then free for `mcp --database`.
stop_check() {
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "FAIL serve stops on SIGTERM with exit 0 within 10 s: it had already exited"; return 1; }
  kill -TERM "$SERVER_PID"
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "FAIL serve stops on SIGTERM with exit 0 within 10 s: still running after 10 s"
    return 1
  fi
  local code=0
  wait "$SERVER_PID" || code=$?
  SERVER_PID=""
  [ "$code" = 0 ] || { echo "FAIL serve stops on SIGTERM with exit 0 within 10 s: exit code $code"; return 1; }
  echo "ok   serve stops on SIGTERM with exit 0 within 10 s"
}
if stop_check; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); STATUS=1; fi

# Phase 2: the MCP process opens the database itself.
timeout 300 node tests/mcp/check.mjs --phase db --api "$API" --bin "$BIN" --database "$WORK/db.duckdb" \
  --expect "$WORK/answers.json" | tee "$WORK/db.checks" || STATUS=1
count "$WORK/db.checks"

if [ "$STATUS" != 0 ] || [ "$FAILED" != 0 ]; then
  STATUS=1
  echo "--- serve log (last 50 lines)" >&2
  tail -n 50 "$WORK/serve.log" >&2 || true
fi
echo "mcp: $PASSED passed, $FAILED failed"
exit "$STATUS"
