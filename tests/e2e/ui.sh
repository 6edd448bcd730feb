#!/usr/bin/env bash
# End-to-end: the built web UI (ui/dist) in real headless Chromium against real `ai-observer serve`
# processes fed with the captured CLI fixtures. Three servers on OS-chosen ports, each with a throwaway
# database: "telemetry" gets the fixtures' OTLP requests (all but one logs request, which the
# browser run posts itself to see it arrive live); "import" starts empty, with the fixtures' session
# files in its HOME, for the import wizard (the browser run later sends it the OTLP requests too, to see
# that imported and live-reported sessions do not show twice); "welcome" starts empty too, with only
# Claude Code's and Codex CLI's session files in its own HOME, for the first-run welcome (found tools,
# one-click import, then the Overview). ui/e2e/run.mjs drives the browser, prints one line per
# check and `N passed, M failed`, and compares every page (light and dark) with docs/screenshots/*.png:
# UPDATE_SCREENSHOTS=1 rewrites them; a failed comparison leaves the actual and diff images in
# target/ui-e2e-visual/ (kept after the run). Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"

CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
BIN="$CARGO_TARGET_DIR/debug/ai-observer"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
FIXTURES="$ROOT/crates/engine/tests/fixtures/cli-captures"
# The one logs request the browser posts during the live check (kept out of the initial replay).
LIVE_FIXTURE="$FIXTURES/claude-proto-toolcall/otlp/0005-logs"

for need in "$BIN:the server binary (cargo build)" "$CHROMIUM:Chromium (scripts/setup.sh)" "ui/dist/index.html:the built UI (npm run --prefix ui build)" "ui/node_modules/playwright-core:playwright-core (npm ci --prefix ui)"; do
  if [ ! -e "${need%%:*}" ]; then
    echo "ui: missing ${need#*:} at ${need%%:*}" >&2
    exit 1
  fi
done

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A HOME holding every run's .claude/.codex/.gemini trees, merged, so default discovery finds them.
SESSIONS_HOME="$WORK/home"
mkdir -p "$SESSIONS_HOME"
for run in "$FIXTURES"/*/sessions; do
  cp -R "$run/." "$SESSIONS_HOME/"
done

# The first-run welcome's machine: Claude Code and Codex CLI were used here, Gemini CLI was not.
WELCOME_HOME="$WORK/welcome-home"
mkdir -p "$WELCOME_HOME"
for run in claude-json-plain codex-json-plain; do
  cp -R "$FIXTURES/$run/sessions/." "$WELCOME_HOME/"
done

# start_server NAME [HOME [SERVE ARGUMENTS…]]: starts `serve` with its own database and HOME (default:
# the sessions HOME); sets NAME_API and NAME_OTLP.
start_server() {
  local name="$1" dir="$WORK/$1" home="${2:-$SESSIONS_HOME}"
  shift $(( $# < 2 ? $# : 2 ))
  mkdir -p "$dir"
  : >"$dir/stdout"   # exists before the server's own redirection, so the first read below cannot fail
  HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
    "$BIN" serve --api-port 0 --otlp-port 0 --grpc-port 0 --database "$dir/db.duckdb" --ui-dir "$ROOT/ui/dist" "$@" \
    >"$dir/stdout" 2>"$dir/stderr" &
  local pid=$!
  PIDS+=("$pid")
  local api="" otlp=""
  for _ in $(seq 1 300); do
    api="$(sed -n 's|^  dashboard and API *\(http://[^ ]*\)$|\1|p' "$dir/stdout" | head -n 1)"
    otlp="$(sed -n 's|^  OTLP/HTTP *\(http://[^ ]*\)$|\1|p' "$dir/stdout" | head -n 1)"
    if [ -n "$api" ] && [ -n "$otlp" ]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$api" ] || [ -z "$otlp" ]; then
    echo "ui: the $name server did not print its URLs" >&2
    echo "--- stdout" >&2; cat "$dir/stdout" >&2 || true
    echo "--- stderr (last 50 lines)" >&2; tail -n 50 "$dir/stderr" >&2 || true
    exit 1
  fi
  printf -v "${name^^}_API" '%s' "$api"
  printf -v "${name^^}_OTLP" '%s' "$otlp"
  echo "ui: $name server up: API $api, OTLP/HTTP $otlp"
}

start_server telemetry
start_server import
start_server welcome "$WELCOME_HOME"
# A team server behind a proxy: every caller needs a token, loopback included. Its machine "laptop"
# sends Claude Code's captured run with its token.
TEAM_ADMIN_TOKEN="e2e-team-admin-$RANDOM$RANDOM"
export AI_OBSERVER_TOKEN="$TEAM_ADMIN_TOKEN"
mkdir -p "$WORK/team-home"
start_server team "$WORK/team-home" --require-token
TEAM_TOKEN="$("$BIN" tokens add laptop --api-url "$TEAM_API" | tail -n 1)"
unset AI_OBSERVER_TOKEN

# meta_field FILE FIELD: path, content type or content encoding recorded in a fixture's .meta.json.
meta_field() {
  node -e '
    const meta = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const headers = Object.fromEntries(Object.entries(meta.headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
    const value = { path: meta.path, type: headers["content-type"], encoding: headers["content-encoding"] }[process.argv[2]];
    process.stdout.write(value || "");
  ' "$1" "$2"
}

# post_fixture OTLP_BASE META [CURL ARGUMENTS…]: posts one captured request (a .bin.gz is gzip'd
# only for storage) with its recorded content type and encoding; exits unless it is accepted.
post_fixture() {
  local otlp="$1" meta="$2" base body encoding status
  shift 2
  base="${meta%.meta.json}"
  body="$base.bin"
  if [ ! -f "$body" ]; then
    body="$WORK/body.bin"
    gunzip -c "$base.bin.gz" >"$body"
  fi
  local headers=(-H "Content-Type: $(meta_field "$meta" type)")
  encoding="$(meta_field "$meta" encoding)"
  [ -n "$encoding" ] && headers+=(-H "Content-Encoding: $encoding")
  status="$(curl -sS -o "$WORK/answer" -w '%{http_code}' -X POST "${headers[@]}" "$@" --data-binary @"$body" "$otlp$(meta_field "$meta" path)")"
  if [ "$status" != 200 ]; then
    echo "ui: posting ${base#"$FIXTURES"/} to $otlp answered $status: $(head -c 300 "$WORK/answer")" >&2
    exit 1
  fi
}

# Replay the fixtures in their recorded order.
POSTED=0
for meta in "$FIXTURES"/*/otlp/*.meta.json; do
  [ "${meta%.meta.json}" = "$LIVE_FIXTURE" ] && continue
  post_fixture "$TELEMETRY_OTLP" "$meta"
  POSTED=$((POSTED + 1))
done
echo "ui: replayed $POSTED OTLP requests"
# The team server's machine "laptop" sends Claude Code's run with its token.
for meta in "$FIXTURES"/claude-json-plain/otlp/*.meta.json; do
  post_fixture "$TEAM_OTLP" "$meta" -H "Authorization: Bearer $TEAM_TOKEN"
done

mkdir -p docs/screenshots
STATUS=0
timeout 600 node ui/e2e/run.mjs \
  --api "$TELEMETRY_API" --otlp "$TELEMETRY_OTLP" --import-api "$IMPORT_API" --import-otlp "$IMPORT_OTLP" --welcome-api "$WELCOME_API" \
  --team-api "$TEAM_API" --team-token "$TEAM_TOKEN" --live-fixture "$LIVE_FIXTURE" --chromium "$CHROMIUM" --screenshots "$ROOT/docs/screenshots" --work "$WORK" \
  --artefacts "$ROOT/target/ui-e2e-visual" \
  || STATUS=$?
if [ "$STATUS" != 0 ]; then
  for name in telemetry import welcome team; do
    echo "--- $name server stderr (last 30 lines)" >&2
    tail -n 30 "$WORK/$name/stderr" >&2 || true
  done
fi
exit "$STATUS"
