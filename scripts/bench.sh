#!/usr/bin/env bash
# Benchmarks — not part of the tests. Builds optimised binaries in their own target directory
# (a release build compiles DuckDB once more, ~20 minutes the first time), then measures:
#   1. criterion benches: OTLP ingest over HTTP in-process, the writer vs a bare Appender, and the
#      Overview / dashboard queries at BENCH_ROWS (default 1 000 000 and 10 000 000 rows);
#   2. `otlp-load` against `ai-observer serve`: throughput per protocol and signal, and
#      acknowledgement latency at fixed request rates;
#   3. import of a generated history (`corpus-gen`), cold and incremental, beside `ccusage daily`;
#   4. `ai-observer statusline` latency per call (Claude Code waits for it), with and without the app;
#   5. a team server: TLS against plain (`otlp-load --ca`), and forwarding — the acknowledgement of an
#      app that forwards against one that does not, and how fast a queue built while the destination
#      was down drains once it is up.
# BENCH_SECTIONS picks some of them (default "criterion load import statusline team").
# Peak memory comes from GNU time. Results go to $BENCH_OUT (default: a new temp folder).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-$HOME/.cache/ai-observer/target-release}"
OUT="${BENCH_OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
echo "results in $OUT"
R="$CARGO_TARGET_DIR/release"
bench_binary() { ls -t "$R"/deps/"$1"-* | grep -v '\.d$' | head -1; }
peak() { grep "Maximum resident set size" "$1" | awk '{printf "%.0f MB", $6/1024}'; }

want() { [[ " ${BENCH_SECTIONS:-criterion load import statusline team} " == *" $1 "* ]]; }
# The criterion benches need every target; the other sections only the CLI's binaries.
if want criterion; then
  cargo build --release --workspace --exclude ai-observer-desktop --all-targets
else
  cargo build --release --locked --bin ai-observer --bin otlp-load --bin corpus-gen --bin appender_baseline
fi
# Starts `ai-observer serve` in the background on the given ports; extra arguments follow.
# Sets SERVED (its pid) and waits until it listens.
serve_on() {
  local name=$1 api=$2 otlp=$3 grpc=$4
  shift 4
  "$R/ai-observer" serve --database "$OUT/$name.duckdb" --api-port "$api" --otlp-port "$otlp" --grpc-port "$grpc" "$@" >"$OUT/$name.log" 2>&1 &
  SERVED=$!
  for _ in $(seq 200); do grep -q "OTLP/gRPC" "$OUT/$name.log" && return 0; sleep 0.1; done
  echo "$name did not start"; cat "$OUT/$name.log"; return 1
}
summary() { python3 -c "import json;d=json.load(open('$1'));print(f\"{d['requests_ok']} acknowledged, {d['requests_failed']} failed, {d['requests_per_second']:.1f} req/s, {d['records_per_second']:.0f} records/s, p50 {d['latency_ms']['p50']:.1f} ms, p99 {d['latency_ms']['p99']:.1f} ms\")"; }
queued() { curl -s "http://127.0.0.1:$1/api/forwarding" | python3 -c "import json,sys;print(sum(d['queued'] for d in json.load(sys.stdin)['destinations']))"; }

if want criterion; then
echo "== criterion: ingest and store"
/usr/bin/time -v "$(bench_binary ingest)" --bench >"$OUT/criterion-ingest.txt" 2>"$OUT/criterion-ingest.time"
grep -E "time:|thrpt:|^[a-z_/]+" "$OUT/criterion-ingest.txt" | grep -v "^Benchmarking" | tee "$OUT/criterion-ingest.summary"
echo "peak memory: $(peak "$OUT/criterion-ingest.time")"
for rows in ${BENCH_ROWS_LIST:-1000000 10000000}; do
  echo "== criterion: queries at $rows rows"
  BENCH_ROWS=$rows /usr/bin/time -v "$(bench_binary queries)" --bench >"$OUT/criterion-queries-$rows.txt" 2>"$OUT/criterion-queries-$rows.time"
  grep -E "time:|^queries" "$OUT/criterion-queries-$rows.txt" | tee "$OUT/criterion-queries-$rows.summary"
  echo "peak memory: $(peak "$OUT/criterion-queries-$rows.time")"
done

fi

if want load; then
echo "== otlp-load against ai-observer serve"
"$R/ai-observer" serve --database "$OUT/load.duckdb" --api-port 0 --otlp-port 0 --grpc-port 0 >"$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "OTLP/gRPC" "$OUT/serve.log" && break; sleep 0.1; done
HTTP="$(grep -o 'OTLP/HTTP *http://[0-9.:]*' "$OUT/serve.log" | awk '{print $2}')"
GRPC="$(grep -o 'OTLP/gRPC *http://[0-9.:]*' "$OUT/serve.log" | awk '{print $2}')"
API="$(grep -o 'dashboard and API *http://[0-9.:]*' "$OUT/serve.log" | awk '{print $4}')"
# A request is acknowledged once journalled; the time a read then waits is how far DuckDB was behind
# when the load stopped (`/api/stats` waits for every acknowledged request to be stored).
stored_after() { local start; start=$(date +%s.%N); curl -s "$API/api/stats" >/dev/null; python3 -c "print(f'{$(date +%s.%N) - $start:.2f} s')"; }
for protocol in http-protobuf http-json grpc; do
  target=$HTTP; [ $protocol = grpc ] && target=$GRPC
  for signal in traces logs metrics; do
    "$R/otlp-load" --target "$target" --protocol $protocol --signal $signal --count 1000000 --duration 30 --concurrency 8 >"$OUT/load-$protocol-$signal.json"
    echo "$protocol $signal: $(python3 -c "import json;d=json.load(open('$OUT/load-$protocol-$signal.json'));print(f\"{d['records_per_second']:.0f} records/s, {d['requests_per_second']:.0f} req/s, p50 {d['latency_ms']['p50']:.1f} ms, p99 {d['latency_ms']['p99']:.1f} ms, failed {d['requests_failed']}\")"), all stored $(stored_after) later"
  done
done
"$R/appender_baseline" "$OUT/appender.duckdb" 30 >"$OUT/appender.json"
echo "bare Appender, the same spans, one transaction per request: $(python3 -c "import json;a=json.load(open('$OUT/appender.json'));i=json.load(open('$OUT/load-http-protobuf-traces.json'));print(f\"{a['spans_per_second']:.0f} spans/s; ingest (HTTP protobuf) / Appender = {i['records_per_second']/a['spans_per_second']:.2f}\")")"
for rate in 20 100 400; do
  "$R/otlp-load" --target "$HTTP" --protocol http-protobuf --signal logs --rate $rate --count $((rate * 15)) --duration 20 --concurrency 64 >"$OUT/latency-$rate.json"
  echo "fixed rate $rate req/s (logs, protobuf): $(python3 -c "import json;d=json.load(open('$OUT/latency-$rate.json'));print(f\"achieved {d['requests_per_second']:.0f} req/s, p50 {d['latency_ms']['p50']:.1f} ms, p99 {d['latency_ms']['p99']:.1f} ms\")")"
done
echo "server peak memory: $(grep VmHWM /proc/$SERVER/status | awk '{printf "%.0f MB", $2/1024}')"
kill $SERVER; wait $SERVER 2>/dev/null || true
fi

if want import; then
echo "== import of a generated history vs ccusage"
HOME_DIR="$OUT/corpus"
"$R/corpus-gen" --home "$HOME_DIR" --sessions "${CORPUS_SESSIONS:-300}" --turns "${CORPUS_TURNS:-200}" --text-bytes "${CORPUS_TEXT:-1500}" >"$OUT/corpus.json"
BYTES=$(du -sb "$HOME_DIR" | cut -f1)
echo "corpus: $((BYTES / 1024 / 1024)) MB in $(find "$HOME_DIR" -type f | wc -l) files"
/usr/bin/time -v env HOME="$HOME_DIR" "$R/ai-observer" import --yes --database "$OUT/import.duckdb" >"$OUT/import-cold.log" 2>"$OUT/import-cold.time"
COLD=$(grep "Elapsed (wall clock)" "$OUT/import-cold.time" | awk '{print $8}')
echo "cold import: $COLD (m:ss), peak $(peak "$OUT/import-cold.time")"
/usr/bin/time -v env HOME="$HOME_DIR" "$R/ai-observer" import --yes --database "$OUT/import.duckdb" >"$OUT/import-noop.log" 2>"$OUT/import-noop.time"
echo "unchanged rescan: $(grep "Elapsed (wall clock)" "$OUT/import-noop.time" | awk '{print $8}')"
mapfile -t GROWN < <(find "$HOME_DIR/.codex" -name '*.jsonl' | sort | head -n 50)
for file in "${GROWN[@]}"; do tail -n 5 "$file" | sed 's/resp_/resp_more_/' >>"$file"; done
/usr/bin/time -v env HOME="$HOME_DIR" "$R/ai-observer" import --yes --database "$OUT/import.duckdb" >"$OUT/import-incremental.log" 2>"$OUT/import-incremental.time"
echo "incremental (50 files grown): $(grep "Elapsed (wall clock)" "$OUT/import-incremental.time" | awk '{print $8}')"
[ -d tests/ccusage/node_modules ] || npm install --no-audit --no-fund --prefix tests/ccusage >/dev/null
for run in 1 2 3; do
  /usr/bin/time -v env HOME="$HOME_DIR" tests/ccusage/node_modules/.bin/ccusage daily --json --offline >"$OUT/ccusage.json" 2>"$OUT/ccusage-$run.time"
  echo "ccusage daily run $run: $(grep "Elapsed (wall clock)" "$OUT/ccusage-$run.time" | awk '{print $8}'), peak $(peak "$OUT/ccusage-$run.time")"
done
fi

if want statusline; then
echo "== ai-observer statusline latency"
"$R/ai-observer" serve --database "$OUT/statusline.duckdb" --api-port 0 --otlp-port 0 --no-grpc >"$OUT/statusline-serve.log" 2>&1 &
STATUS_SERVER=$!
for _ in $(seq 100); do grep -q "dashboard and API" "$OUT/statusline-serve.log" && break; sleep 0.1; done
API="$(grep -o 'dashboard and API *http://[0-9.:]*' "$OUT/statusline-serve.log" | awk '{print $4}')"
python3 scripts/bench_statusline.py "$R/ai-observer" "$API" 300 | tee "$OUT/statusline.txt"
kill $STATUS_SERVER; wait $STATUS_SERVER 2>/dev/null || true
fi
if want team; then
echo "== team server: TLS and forwarding"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -addext basicConstraints=critical,CA:FALSE \
  -addext extendedKeyUsage=serverAuth -keyout "$OUT/key.pem" -out "$OUT/cert.pem" 2>/dev/null
for signal in logs metrics; do
  serve_on "plain-$signal" 0 24318 24317
  "$R/otlp-load" --target http://127.0.0.1:24318 --signal $signal --duration 30 --count 1000000 --concurrency 8 >"$OUT/plain-$signal.json"
  kill $SERVED; wait $SERVED 2>/dev/null || true
  serve_on "tls-$signal" 0 24318 24317 --tls-cert "$OUT/cert.pem" --tls-key "$OUT/key.pem"
  "$R/otlp-load" --target https://localhost:24318 --ca "$OUT/cert.pem" --signal $signal --duration 30 --count 1000000 --concurrency 8 >"$OUT/tls-$signal.json"
  kill $SERVED; wait $SERVED 2>/dev/null || true
  echo "$signal, plain HTTP: $(summary "$OUT/plain-$signal.json")"
  echo "$signal, TLS:        $(summary "$OUT/tls-$signal.json")"
done

# The team server and its token for the app.
serve_on team 28080 24318 24317
TEAM=$SERVED
TOKEN="$("$R/ai-observer" tokens add laptop --api-url http://127.0.0.1:28080 | tail -n 1)"
# A destination that only acknowledges (no store behind it): what forwarding itself costs the app,
# apart from a team server ingesting the same load on the same two cores.
python3 -c '
import http.server
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200); self.send_header("content-type", "application/x-protobuf"); self.send_header("content-length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", 24418), Sink).serve_forever()' &
SINK=$!
for forwarding in no yes sink; do
  args=()
  [ $forwarding = yes ] && args=(--forward http://127.0.0.1:24318 --forward-header "Authorization=Bearer $TOKEN")
  [ $forwarding = sink ] && args=(--forward http://127.0.0.1:24418)
  serve_on "app-forward-$forwarding" 18080 14318 14317 "${args[@]}"
  "$R/otlp-load" --target http://127.0.0.1:14318 --signal logs --rate 100 --count 3000 --duration 40 --concurrency 64 >"$OUT/app-forward-$forwarding.json"
  echo "app at 100 req/s, forwarding: $forwarding: $(summary "$OUT/app-forward-$forwarding.json")"
  if [ $forwarding != no ]; then
    for _ in $(seq 600); do [ "$(queued 18080)" = 0 ] && break; sleep 0.1; done
    echo "  queued once the load stopped: $(queued 18080)"
  fi
  kill $SERVED; wait $SERVED 2>/dev/null || true
done
# A queue built while the destination is down, then drained. Metric requests: small and cheap to
# store, so the sender, not the team server's writer, sets the pace.
kill $TEAM; wait $TEAM 2>/dev/null || true
serve_on app-drain 18080 14318 14317 --forward http://127.0.0.1:24318 --forward-header "Authorization=Bearer $TOKEN"
APP=$SERVED
"$R/otlp-load" --target http://127.0.0.1:14318 --signal metrics --count 5000 --duration 120 --concurrency 8 >"$OUT/app-drain-load.json"
for _ in $(seq 100); do [ "$(queued 18080)" -ge 5000 ] && break; sleep 0.1; done
BUILT=$(queued 18080)
echo "queued while the team server was down: $BUILT requests, $(du -sh "$OUT/app-drain.duckdb.forward" | cut -f1) on disk"
serve_on team 28080 24318 24317
TEAM=$SERVED
# from the first delivery (the sender may still be waiting out its backoff when the server comes up)
for _ in $(seq 1200); do [ "$(queued 18080)" -lt "$BUILT" ] && break; sleep 0.05; done
START=$(date +%s.%N)
for _ in $(seq 3000); do [ "$(queued 18080)" = 0 ] && break; sleep 0.1; done
END=$(date +%s.%N)
python3 -c "print(f'drained {$BUILT} requests in {$END - $START:.1f} s: {$BUILT / ($END - $START):.0f} req/s from the first delivery')"
kill $APP $TEAM $SINK; wait $APP $TEAM $SINK 2>/dev/null || true
fi
echo "done: $OUT"
