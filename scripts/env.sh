# Shared environment for the project's scripts: one cargo target directory outside the clone, so a
# fresh clone reuses the compiled DuckDB (its C++ build is most of a cold build).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# WebKitGTK reports navigator.language = "C" under the C locale, which breaks Intl.
export LANG="${LANG_OVERRIDE:-en_US.UTF-8}"
mkdir -p "$CARGO_TARGET_DIR"
# Every cargo invocation uses the same targets and features: a different feature set would make
# cargo rebuild DuckDB from scratch.
CARGO_ALL=(--workspace --all-targets --locked)
