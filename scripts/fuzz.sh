#!/usr/bin/env bash
# Runs the cargo-fuzz targets, seeded from the captured fixtures, and keeps a tally of executions.
# Not part of the test suite.
#
#   bash scripts/fuzz.sh [--seconds N | --runs N] [--parallel P] [target...]
#
# --seconds N   fuzz each target for N seconds (default 60)
# --runs N      fuzz each target for N executions instead
# --parallel P  run P targets at once (default 1; one per core is the most this machine gives)
# --until TIME  end every run by this time (anything `date -d` reads), whatever its limit
#
# Stopping a run (Ctrl-C, kill) still records the executions done, from the last progress line.
#
# Every run appends one line per target to fuzz/runs.tsv (date, target, executions, seconds,
# crashes, corpus size, sanitizer), and the script ends with each target's totals over all runs.
# The corpus grows in fuzz/corpus/<target>, first filled from fuzz/corpus-archive/ (the kept,
# minimised corpus: `bash scripts/fuzz-corpus.sh save` refreshes it); crashes land in
# fuzz/artifacts/<target>/ and make the script exit with status 1. FUZZ_SANITIZER=none builds
# without AddressSanitizer (about twice the executions; the targets are safe Rust, so the sanitizer
# mostly guards the dependencies' unsafe code).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=60
RUNS_PER_TARGET=""
PARALLEL=1
UNTIL=""
TARGETS=()
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) SECONDS_PER_TARGET=$2; shift 2 ;;
    --runs) RUNS_PER_TARGET=$2; shift 2 ;;
    --parallel) PARALLEL=$2; shift 2 ;;
    --until) UNTIL=$(date -d "$2" +%s); shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
source scripts/fuzz-env.sh
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${FUZZ_TARGETS[@]}")

FIXTURES=crates/engine/tests/fixtures/cli-captures
copy_otlp_bodies() { # $1: destination, $2: a pattern the capture's metadata must contain (optional)
  for meta in "$FIXTURES"/*/otlp/*.meta.json; do
    if [ -n "${2:-}" ] && ! grep -qi "$2" "$meta"; then continue; fi
    base=${meta%.meta.json}
    if [ -f "$base.bin" ]; then cp "$base.bin" "$1/$(basename "$base")"; else gunzip -c "$base.bin.gz" > "$1/$(basename "$base")"; fi
  done
}
seed() {
  local target=$1 corpus="fuzz/corpus/$1"
  mkdir -p "$corpus"
  case $target in
    otlp_protobuf|signal_detection) copy_otlp_bodies "$corpus" ;;
    otlp_json) copy_otlp_bodies "$corpus" '"application/json"' ;;
    claude_session) find "$FIXTURES" -path '*.claude/projects/*.jsonl' -exec cp {} "$corpus/" \; ;;
    codex_session) find "$FIXTURES" -path '*.codex/sessions/*.jsonl' -exec cp {} "$corpus/" \; ;;
    gemini_session) find "$FIXTURES" -path '*.gemini/tmp/*' -name '*.jsonl' -exec cp {} "$corpus/" \; ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
}

echo "== building the fuzz targets (sanitizer: $SANITIZER)"
(cd fuzz && cargo fuzz build -O --sanitizer "$SANITIZER")

mkdir -p fuzz/logs
# Go on from the corpus kept in the repository (minimised by `scripts/fuzz-corpus.sh save`).
bash scripts/fuzz-corpus.sh restore "${TARGETS[@]}"
[ -f fuzz/runs.tsv ] || printf 'date\ttarget\texecutions\tseconds\tcrashes\tcorpus\tsanitizer\n' > fuzz/runs.tsv
LINES_BEFORE=$(wc -l < fuzz/runs.tsv)

run_target() {
  local target=$1 log="fuzz/logs/$1.log" limit
  seed "$target"
  mkdir -p "fuzz/artifacts/$target"
  local before; before=$(find "fuzz/artifacts/$target" -type f | wc -l)
  if [ -n "$RUNS_PER_TARGET" ]; then limit="-runs=$RUNS_PER_TARGET"; else limit="-max_total_time=$SECONDS_PER_TARGET"; fi
  if [ -n "$UNTIL" ]; then
    local left=$((UNTIL - $(date +%s)))
    if [ "$left" -le 10 ]; then echo "== $target: skipped, the time given by --until has come"; return; fi
    if [ -n "$RUNS_PER_TARGET" ] || [ "$left" -lt "$SECONDS_PER_TARGET" ]; then limit="$limit -max_total_time=$left"; fi
  fi
  # Inputs are cut to a few kilobytes: larger ones reach no new code (a request holds records, a
  # session file lines) and each execution would take ten times as long. Session lines run longer,
  # and a JSON request cut to 4 KB no longer parses (its seeds are 10-100 KB bodies).
  local max_len=4096
  case $target in *_session) max_len=8192 ;; otlp_json) max_len=32768 ;; esac
  local started=$SECONDS
  (cd fuzz && cargo fuzz run -O --sanitizer "$SANITIZER" "$target" -- $limit -max_len="$max_len" \
      -rss_limit_mb=4096 -timeout=30 -print_final_stats=1) >"$log" 2>&1 || true
  local elapsed=$((SECONDS - started))
  local executions; executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  # A crash, timeout or out-of-memory input is written to the artifacts folder.
  local crashes=$(( $(find "fuzz/artifacts/$target" -type f | wc -l) - before ))
  local corpus; corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  if [ -z "$executions" ]; then
    # Stopped from outside (Ctrl-C, a kill): the last progress line gives a lower bound.
    executions=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    echo "!! $target was stopped before its end; counted from its last progress line (see $log)"
    executions=${executions:-0}
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" "$target" "$executions" "$elapsed" \
    "$crashes" "$corpus" "$SANITIZER" >> fuzz/runs.tsv
  echo "== $target: $executions executions in ${elapsed}s, $crashes crashes, corpus $corpus inputs"
}

running=0
for target in "${TARGETS[@]}"; do
  run_target "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

echo
echo "== totals over every run recorded in fuzz/runs.tsv"
printf '%-18s %14s %10s %8s\n' target executions seconds crashes
awk -F'\t' 'NR > 1 { runs[$2] += $3; secs[$2] += $4; crashes[$2] += $5 }
  END { for (t in runs) printf "%-18s %14d %10d %8d\n", t, runs[t], secs[t], crashes[t] }' fuzz/runs.tsv | sort
NEW_CRASHES=$(tail -n +"$((LINES_BEFORE + 1))" fuzz/runs.tsv | awk -F'\t' '{ sum += $5 } END { print sum + 0 }')
if [ "$NEW_CRASHES" -gt 0 ]; then echo "$NEW_CRASHES crashes in this run: see fuzz/artifacts/ and fuzz/logs/"; exit 1; fi
