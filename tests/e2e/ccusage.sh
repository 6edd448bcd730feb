#!/usr/bin/env bash
# Imported totals equal ccusage's on the same session files (see tests/ccusage/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/env.sh
BIN="$CARGO_TARGET_DIR/debug/ai-observer"
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
[ -d tests/ccusage/node_modules ] || npm ci --no-audit --no-fund --prefix tests/ccusage >/dev/null

mkdir -p "$WORK/home"
for sessions in crates/engine/tests/fixtures/cli-captures/*/sessions; do cp -r "$sessions/." "$WORK/home/"; done
HOME="$WORK/home" "$BIN" import all --yes --database "$WORK/db.duckdb" >"$WORK/import.log" 2>&1 || { cat "$WORK/import.log"; exit 1; }

"$BIN" serve --database "$WORK/db.duckdb" --api-port 0 --otlp-port 0 --no-grpc >"$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q "dashboard and API" "$WORK/serve.log" && break; sleep 0.1; done
API="$(grep -o 'dashboard and API  http://[0-9.:]*' "$WORK/serve.log" | awk '{print $4}')"
[ -n "$API" ] || { echo "server did not start"; cat "$WORK/serve.log"; exit 1; }
timeout 120 node tests/ccusage/compare.mjs --api "$API" --home "$WORK/home"
