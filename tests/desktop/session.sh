# Sourced by the desktop end-to-end suites: a display (the one CI provides, else our own Xvfb), a
# private D-Bus session bus (our own tray watcher, and no other instance of the app: single-instance
# uses the bus), a throwaway HOME, free loopback ports, and a cleanup trap that stops exactly the
# processes started here, by id.
# Provides: WORK, free_port, track_pid, pid_listening_on, the exported environment.

WORK="$(mktemp -d)"
TRACKED_PIDS=()
track_pid() { TRACKED_PIDS+=("$1"); }

desktop_session_cleanup() {
  local pid
  for pid in "${TRACKED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${TRACKED_PIDS[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null || true
  [ -n "${OWN_XVFB_PID:-}" ] && kill "$OWN_XVFB_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap desktop_session_cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The process listening on a loopback TCP port (how the app started by tauri-driver is found).
pid_listening_on() {
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1
}

if [ -z "${DISPLAY:-}" ]; then
  for number in $(seq 90 120); do
    [ -e "/tmp/.X11-unix/X$number" ] || [ -e "/tmp/.X$number-lock" ] || break
  done
  Xvfb ":$number" -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  OWN_XVFB_PID=$!
  export DISPLAY=":$number"
  for _ in $(seq 1 50); do [ -e "/tmp/.X11-unix/X$number" ] && break; sleep 0.1; done
fi
eval "$(dbus-launch --sh-syntax)"

mkdir -p "$WORK/home"
# Tools found through HOME (rustup's toolchains, cargo's binaries) stay where they are.
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share" XDG_CACHE_HOME="$WORK/home/.cache"
# WebKitGTK needs a real locale name for Intl (see docs/desktop.md); the day is UTC's for both the
# window and the tray.
export LANG=en_US.UTF-8 TZ=UTC AI_OBSERVER_TIME_ZONE=UTC AI_OBSERVER_UPDATE_CHECK=off NO_AT_BRIDGE=1
