#!/usr/bin/env bash
# Measures the desktop app (not a test; run by hand): cold start to a ready tray (the first
# "$… today" label a panel sees), then idle CPU and memory over a minute with the window closed
# (started --minimized, no data arriving), then memory with the window open on the Overview, then
# 10 s after closing it again (tests/desktop/close_window.py sends the close a window manager
# would). Memory is the app's own RSS and, separately, with its WebKit helper processes.
# Usage: tests/desktop/measure.sh [binary] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
APP="${1:-${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}/debug/ai-observer-desktop}"
SECONDS_IDLE="${2:-60}"
source tests/desktop/session.sh
export AI_OBSERVER_DATABASE_PATH="$WORK/measure.duckdb"
export AI_OBSERVER_API_PORT="$(free_port)" AI_OBSERVER_OTLP_PORT="$(free_port)" AI_OBSERVER_GRPC_PORT="$(free_port)"
/usr/bin/python3 tests/desktop/desktop_shell.py --timeout 900 >"$WORK/tray.jsonl" 2>/dev/null &
WATCHER_PID=$!
track_pid "$WATCHER_PID"
for _ in $(seq 1 50); do grep -q ready "$WORK/tray.jsonl" 2>/dev/null && break; sleep 0.1; done

launch() { # $1: label for the run; prints seconds from launch to the tray's spend label
  local before; before=$(wc -l <"$WORK/tray.jsonl")
  local start; start=$(date +%s.%N)
  "$APP" --minimized >"$WORK/app.out" 2>"$WORK/app.err" &
  APP_PID=$!
  track_pid "$APP_PID"
  for _ in $(seq 1 600); do
    tail -n +"$((before + 1))" "$WORK/tray.jsonl" | grep -q '"label": "\$[0-9.]* today"' && break
    sleep 0.05
  done
  echo "$1: tray label after $(python3 -c "import time; print(f'{time.time() - $start:.2f}')") s"
}

stop_app() { kill -TERM "$APP_PID"; for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done; }

launch "first start (new database)"
stop_app
launch "second start"
sleep 5
# From here on the stand-in panel stops polling the tray item (it polls 4 times a second to time
# the start; a real panel listens for the item's signals), so the idle minute is the app's own.
kill -USR1 "$WATCHER_PID"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
children() { pgrep -P "$APP_PID" || true; }
HZ=$(getconf CLK_TCK)
APP_START=$(ticks "$APP_PID"); ALL_START=0
for pid in $APP_PID $(children); do ALL_START=$((ALL_START + $(ticks "$pid"))); done
sleep "$SECONDS_IDLE"
APP_END=$(ticks "$APP_PID"); ALL_END=0
for pid in $APP_PID $(children); do ALL_END=$((ALL_END + $(ticks "$pid"))); done
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
APP_RSS=$(rss "$APP_PID"); ALL_RSS=0
for pid in $APP_PID $(children); do ALL_RSS=$((ALL_RSS + $(rss "$pid"))); done
python3 - "$HZ" "$SECONDS_IDLE" "$APP_START" "$APP_END" "$ALL_START" "$ALL_END" "$APP_RSS" "$ALL_RSS" <<'PY'
import sys
hz, seconds, a0, a1, t0, t1, rss, all_rss = map(float, sys.argv[1:])
print(f"idle over {seconds:.0f} s, window hidden: app CPU {100 * (a1 - a0) / hz / seconds:.2f} %, with WebKit helpers {100 * (t1 - t0) / hz / seconds:.2f} %")
print(f"memory: app RSS {rss / 1024:.0f} MiB, with WebKit helpers {all_rss / 1024:.0f} MiB")
PY
# The window opened (a second launch hands over to the running app, which makes the window).
"$APP" >/dev/null 2>&1 || true
sleep 10
OPEN_RSS=$(rss "$APP_PID"); OPEN_ALL=0
for pid in $APP_PID $(children); do OPEN_ALL=$((OPEN_ALL + $(rss "$pid"))); done
echo "memory with the window open on the Overview (10 s after opening): app RSS $((OPEN_RSS / 1024)) MiB, with WebKit helpers $((OPEN_ALL / 1024)) MiB"
if /usr/bin/python3 tests/desktop/close_window.py "AI Observer"; then
  sleep 10
  CLOSED_RSS=$(rss "$APP_PID"); CLOSED_ALL=0; HELPERS=""
  for pid in $(children); do CLOSED_ALL=$((CLOSED_ALL + $(rss "$pid"))); HELPERS="$HELPERS $(cat "/proc/$pid/comm") $(($(rss "$pid") / 1024)) MiB"; done
  echo "memory 10 s after closing the window: app RSS $((CLOSED_RSS / 1024)) MiB, with WebKit helpers $(((CLOSED_RSS + CLOSED_ALL) / 1024)) MiB (helpers:${HELPERS:- none})"
else
  echo "no window titled AI Observer to close"
fi
stop_app
