# Shared by scripts/fuzz.sh and scripts/fuzz-corpus.sh: the fuzz targets and the one set of build
# settings, so minimising a corpus runs the very build that fuzzing made (no rebuild).
FUZZ_TARGETS=(otlp_protobuf otlp_json signal_detection claude_session codex_session gemini_session)
SANITIZER="${FUZZ_SANITIZER:-address}"
# No allocation stacks and a small quarantine: a third more executions, and a report still names
# the faulting access.
export ASAN_OPTIONS="${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=8}"
# cargo-fuzz needs nightly flags; the one stable toolchain here accepts them with RUSTC_BOOTSTRAP.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/ai-observer/fuzz-target}"
