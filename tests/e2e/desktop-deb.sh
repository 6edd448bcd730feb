#!/usr/bin/env bash
# End-to-end: the Linux installer. Bundles the already built debug binary into a .deb
# (`tauri bundle --debug --bundles deb`: no compiling, signed with a throwaway updater key), installs
# it with dpkg, starts the installed /usr/bin/ai-observer-desktop under a virtual display with pinned
# free ports and a throwaway database, checks that it answers on its API and OTLP ports and stops
# cleanly on SIGTERM, then removes the package. Needs root (or sudo) for dpkg.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
export CARGO_TARGET_DIR
PACKAGE=ai-observer
INSTALLED=/usr/bin/ai-observer-desktop
TAURI="$ROOT/node_modules/.bin/tauri"
PASSED=0 FAILED=0
check() { # name, then the command that must succeed
  local name="$1"; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "ok   $name"; else FAILED=$((FAILED + 1)); echo "FAIL $name"; fi
}
finish() { echo "desktop deb: $PASSED passed, $FAILED failed"; [ "$FAILED" = 0 ]; }

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else echo "desktop-deb: needs root or passwordless sudo for dpkg" >&2; FAILED=1; finish; exit 1; fi
fi
if dpkg -s "$PACKAGE" >/dev/null 2>&1; then
  echo "desktop-deb: the package $PACKAGE is already installed here; not replacing it" >&2; FAILED=1; finish; exit 1
fi
for needed in "$CARGO_TARGET_DIR/debug/ai-observer-desktop" "$TAURI"; do
  if [ ! -x "$needed" ]; then echo "desktop-deb: $needed is missing (cargo build; npm ci)" >&2; FAILED=1; finish; exit 1; fi
done

source tests/desktop/session.sh
remove_package() { $SUDO dpkg -r "$PACKAGE" >/dev/null 2>&1 || true; }
trap 'remove_package; desktop_session_cleanup' EXIT

# Bundle, with the `ai-observer` command beside the app (a throwaway key: the real one signs
# releases in CI, see docs/releasing.md).
bash scripts/stage-cli.sh debug >/dev/null
if ! "$TAURI" signer generate --ci -p "" -w "$WORK/updater.key" >"$WORK/signer.log" 2>&1; then
  tail -n 20 "$WORK/signer.log" >&2; FAILED=1; finish; exit 1
fi
BUNDLE_DIR="$CARGO_TARGET_DIR/debug/bundle/deb"
rm -rf "$BUNDLE_DIR"
BUNDLE_START=$SECONDS
TAURI_SIGNING_PRIVATE_KEY="$(cat "$WORK/updater.key")" TAURI_SIGNING_PRIVATE_KEY_PASSWORD="" \
  "$TAURI" bundle --debug --bundles deb --ci --config src-tauri/tauri.cli.conf.json >"$WORK/bundle.log" 2>&1 || { tail -n 30 "$WORK/bundle.log" >&2; }
DEB="$(find "$BUNDLE_DIR" -maxdepth 1 -name '*.deb' 2>/dev/null | head -n 1)"
check "tauri bundle made a .deb and its updater signature ($((SECONDS - BUNDLE_START)) s)" test -n "$DEB" -a -f "$DEB.sig"
if [ -z "$DEB" ]; then finish; exit 1; fi
echo "     $(basename "$DEB"): $(du -h "$DEB" | cut -f1)"
# The app requires the signature to name the version it was made for (requireSignedVersion); a
# signature `tauri` makes without it would make every release refuse to install.
check "the updater signature is bound to the package's version" \
  bash -c 'base64 -d "$1.sig" | grep -qP "^trusted comment: .*\tversion:\Q$(dpkg-deb -f "$1" Version)\E(\t|$)"' _ "$DEB"
check "the .deb is package $PACKAGE with the app, the ai-observer command, a launcher and icons" \
  bash -c '[ "$(dpkg-deb -f "$1" Package)" = "$2" ] && contents="$(dpkg-deb -c "$1")" && grep -Eq " (\./)?usr/bin/ai-observer-desktop$" <<<"$contents" && grep -Eq " (\./)?usr/bin/ai-observer$" <<<"$contents" && grep -q "usr/share/applications/.*\.desktop$" <<<"$contents" && grep -q "hicolor/128x128/apps" <<<"$contents"' _ "$DEB" "$PACKAGE"
check "dpkg -i installs it" bash -c '$1 dpkg -i "$2" >"$3" 2>&1' _ "$SUDO" "$DEB" "$WORK/dpkg.log"
check "the installed binary is on the PATH" test -x "$INSTALLED"

export AI_OBSERVER_DATABASE_PATH="$WORK/installed.duckdb"
export AI_OBSERVER_API_PORT="$(free_port)" AI_OBSERVER_OTLP_PORT="$(free_port)" AI_OBSERVER_GRPC_PORT="$(free_port)"
START=$(date +%s.%N)
"$INSTALLED" --minimized >"$WORK/app.out" 2>"$WORK/app.err" &
APP_PID=$!
track_pid "$APP_PID"
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$AI_OBSERVER_API_PORT/health" >/dev/null 2>&1 && break; kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
READY=$(date +%s.%N)
check "the installed app answers GET /health on its API port" bash -c '[ "$(curl -sf "http://127.0.0.1:$1/health")" = "{\"status\":\"ok\"}" ]' _ "$AI_OBSERVER_API_PORT"
echo "     API ready $(python3 -c "print(f'{$READY - $START:.2f}')") s after launch"
FIXTURE="$ROOT/crates/engine/tests/fixtures/cli-captures/claude-json-plain/otlp/0002-logs.bin"
check "the OTLP port accepts a POST of Claude Code's captured logs" \
  bash -c '[ "$(curl -s -o /dev/null -w "%{http_code}" -H "Content-Type: application/json" --data-binary "@$2" "http://127.0.0.1:$1/v1/logs")" = 200 ]' _ "$AI_OBSERVER_OTLP_PORT" "$FIXTURE"
check "the posted records are stored (GET /api/stats)" \
  bash -c 'curl -sf "http://127.0.0.1:$1/api/stats" | python3 -c "import json, sys; sys.exit(0 if json.load(sys.stdin)[\"logCount\"] >= 5 else 1)"' _ "$AI_OBSERVER_API_PORT"
check "the API port serves the dashboard to browsers" bash -c 'curl -sf "http://127.0.0.1:$1/import" | grep -qi "<!doctype html"' _ "$AI_OBSERVER_API_PORT"

# Claude Code's status line, as the Setup page installs it: the packaged command hands the rate
# limits to the installed app and prints its line.
RESET=$(( $(date +%s) + 7200 ))
STATUS_JSON="{\"model\": {\"display_name\": \"Sonnet 5\"}, \"rate_limits\": {\"five_hour\": {\"used_percentage\": 42, \"resets_at\": $RESET}}}"
check "the packaged ai-observer statusline hands the limits to the installed app" \
  bash -c 'line="$(printf "%s" "$2" | /usr/bin/ai-observer statusline)" && [[ "$line" == "Sonnet 5 · \$"*" today · 5h 42% ("* ]] && curl -sf "http://127.0.0.1:$1/api/limits" | python3 -c "import json, sys; sys.exit(0 if [s[\"usedPercent\"] for s in json.load(sys.stdin)[\"limits\"]] == [42] else 1)"' _ "$AI_OBSERVER_API_PORT" "$STATUS_JSON"

check "a second launch hands over to the running app and exits" \
  bash -c 'timeout 20 "$1" >/dev/null 2>&1 && kill -0 "$2" && curl -sf "http://127.0.0.1:$3/health" >/dev/null' _ "$INSTALLED" "$APP_PID" "$AI_OBSERVER_API_PORT"

kill -TERM "$APP_PID"
CODE=""
for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || { CODE=0; wait "$APP_PID" || CODE=$?; break; }; sleep 0.1; done
check "SIGTERM stops it with exit code 0 within 10 s (got ${CODE:-still running})" test "${CODE:-x}" = 0

check "dpkg -r removes it" bash -c '$1 dpkg -r "$2" >/dev/null && [ ! -e "$3" ]' _ "$SUDO" "$PACKAGE" "$INSTALLED"
if [ "$FAILED" != 0 ]; then
  echo "--- app stderr (last 30 lines)" >&2; tail -n 30 "$WORK/app.err" >&2 || true
fi
finish
