#!/usr/bin/env bash
# End-to-end: the desktop app's dashboard window closed and opened again as a user does, with no
# WebDriver attached, under a virtual display (tests/desktop/reopen_scenario.py): every WebKit
# process ends with the window, and the new window comes back on its page with what it stored.
# Run by scripts/test.sh after the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
APP="$CARGO_TARGET_DIR/debug/ai-observer-desktop"
if [ ! -x "$APP" ]; then echo "desktop-reopen: $APP is missing (cargo build)" >&2; echo "reopen: 0 passed, 1 failed"; exit 1; fi

source tests/desktop/session.sh
export AI_OBSERVER_DATABASE_PATH="$WORK/reopen.duckdb"
export AI_OBSERVER_API_PORT="$(free_port)" AI_OBSERVER_OTLP_PORT="$(free_port)" AI_OBSERVER_GRPC_PORT="$(free_port)"
# A panel for the tray icon (the app waits for none, but a real desktop has one).
/usr/bin/python3 tests/desktop/desktop_shell.py --timeout 300 >"$WORK/tray.jsonl" 2>"$WORK/tray.err" &
track_pid $!
timeout 240 /usr/bin/python3 tests/desktop/reopen_scenario.py --app "$APP" ${REOPEN_SHOTS:+--shots "$REOPEN_SHOTS"}
