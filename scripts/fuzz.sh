#!/usr/bin/env bash
# Runs every cargo-fuzz target for a while (default 60 s each), seeded from the captured fixtures.
# Not part of the test suite. Usage: bash scripts/fuzz.sh [seconds-per-target] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"; shift || true
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz needs nightly flags; the one stable toolchain here accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/ai-observer/fuzz-target}"
FIXTURES=crates/engine/tests/fixtures/cli-captures
seed() {
  local target=$1; mkdir -p "fuzz/corpus/$target"
  case $target in
    otlp_protobuf|signal_detection)
      for meta in $FIXTURES/*/otlp/*.meta.json; do
        base=${meta%.meta.json}; if [ -f "$base.bin" ]; then cp "$base.bin" "fuzz/corpus/$target/$(basename "$base")"; else gunzip -c "$base.bin.gz" > "fuzz/corpus/$target/$(basename "$base")"; fi
      done ;;
    otlp_json)
      for meta in $FIXTURES/*/otlp/*.meta.json; do
        grep -qi '"application/json"' "$meta" || continue
        base=${meta%.meta.json}; if [ -f "$base.bin" ]; then cp "$base.bin" "fuzz/corpus/$target/$(basename "$base")"; else gunzip -c "$base.bin.gz" > "fuzz/corpus/$target/$(basename "$base")"; fi
      done ;;
    claude_session) find $FIXTURES -path '*.claude/projects/*.jsonl' -exec cp {} "fuzz/corpus/$target/" \; ;;
    codex_session) find $FIXTURES -path '*.codex/sessions/*.jsonl' -exec cp {} "fuzz/corpus/$target/" \; ;;
    gemini_session) find $FIXTURES -path '*.gemini/tmp/*' -name '*.jsonl' -exec cp {} "fuzz/corpus/$target/" \; ;;
  esac
}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(otlp_protobuf otlp_json signal_detection claude_session codex_session gemini_session)
for target in "${TARGETS[@]}"; do
  seed "$target"
  echo "== fuzzing $target for ${SECONDS_PER_TARGET}s"
  (cd fuzz && cargo fuzz run "$target" -- -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096 -max_len=1048576)
done
echo "fuzzing done; crashes (if any) are in fuzz/artifacts/"
