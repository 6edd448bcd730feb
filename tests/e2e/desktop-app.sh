#!/usr/bin/env bash
# End-to-end: the desktop app's debug binary under a virtual display, driven by tauri-driver +
# WebKitWebDriver, with a StatusNotifierWatcher on a private session bus standing in for the panel.
# The first-run welcome sets up Codex CLI and imports Codex's and Gemini CLI's captured session files; captured
# Claude Code telemetry posted to the app's OTLP port must show up as the same amount in the window
# and in the tray label (tests/desktop/app_scenario.py). Saves docs/screenshots/desktop.png.
# Run by scripts/test.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
APP="$CARGO_TARGET_DIR/debug/ai-observer-desktop"
TAURI_DRIVER="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
for needed in "$APP" "$TAURI_DRIVER" /usr/bin/WebKitWebDriver; do
  if [ ! -x "$needed" ]; then echo "desktop-app: $needed is missing (cargo build; scripts/setup.sh)" >&2; echo "desktop app: 0 passed, 1 failed"; exit 1; fi
done

source tests/desktop/session.sh

# A new user's machine where Codex CLI and Gemini CLI have left session files: the welcome finds them.
mkdir -p "$HOME"
CAPTURES="$ROOT/crates/engine/tests/fixtures/cli-captures"
cp -r "$CAPTURES/codex-json-plain/sessions/.codex" "$CAPTURES/gemini-plain/sessions/.gemini" "$HOME/"

export AI_OBSERVER_DATABASE_PATH="$WORK/desktop.duckdb"
export AI_OBSERVER_API_PORT="$(free_port)" AI_OBSERVER_OTLP_PORT="$(free_port)" AI_OBSERVER_GRPC_PORT="$(free_port)"
DRIVER_PORT="$(free_port)" NATIVE_PORT="$(free_port)"

/usr/bin/python3 tests/desktop/desktop_shell.py --timeout 600 >"$WORK/tray.jsonl" 2>"$WORK/tray.err" &
track_pid $!
for _ in $(seq 1 50); do grep -q '"watcher": "ready"' "$WORK/tray.jsonl" 2>/dev/null && break; sleep 0.1; done

"$TAURI_DRIVER" --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" --native-driver /usr/bin/WebKitWebDriver >"$WORK/tauri-driver.log" 2>&1 &
track_pid $!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$DRIVER_PORT/status" && break; sleep 0.1; done

STATUS=0
timeout 300 /usr/bin/python3 tests/desktop/app_scenario.py \
  --app "$APP" --webdriver "http://127.0.0.1:$DRIVER_PORT" \
  --otlp-port "$AI_OBSERVER_OTLP_PORT" --api-port "$AI_OBSERVER_API_PORT" \
  --tray-log "$WORK/tray.jsonl" --home "$HOME" \
  --fixture "$ROOT/crates/engine/tests/fixtures/cli-captures/claude-json-plain/otlp/0002-logs.bin" \
  --screenshot "$ROOT/docs/screenshots/desktop.png" | tee "$WORK/checks" || STATUS=$?

# Ending the WebDriver session closes the app; stop it by id if it is still there.
APP_PID="$(pid_listening_on "$AI_OBSERVER_API_PORT")"
if [ -n "$APP_PID" ]; then track_pid "$APP_PID"; fi
if ! grep -q '^desktop app: ' "$WORK/checks"; then echo "desktop app: 0 passed, 1 failed"; STATUS=1; fi
if [ "$STATUS" != 0 ]; then
  echo "--- tray watcher" >&2; tail -n 20 "$WORK/tray.jsonl" "$WORK/tray.err" >&2 || true
  echo "--- tauri-driver and app output (last 60 lines)" >&2; tail -n 60 "$WORK/tauri-driver.log" >&2 || true
fi
exit "$STATUS"
