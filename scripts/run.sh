#!/usr/bin/env bash
# Builds and starts AI Observer as a user runs it: the release build (the UI bundled into the app),
# the desktop app where there is a display, `ai-observer serve` otherwise. Extra arguments go to
# `serve`. The release build keeps its own target directory beside the debug one, so neither
# rebuilds the other's DuckDB; `AI_OBSERVER_BUILD=debug` runs the debug build instead (faster to
# build, for development).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
npm run --prefix ui build
if [ "${AI_OBSERVER_BUILD:-release}" = debug ]; then
  cargo build "${CARGO_ALL[@]}"
  BIN="$CARGO_TARGET_DIR/debug"
else
  export CARGO_TARGET_DIR="${AI_OBSERVER_RELEASE_TARGET_DIR:-$(dirname "$CARGO_TARGET_DIR")/target-release}"
  cargo build --release --locked --workspace --features ai-observer-desktop/custom-protocol --bins
  BIN="$CARGO_TARGET_DIR/release"
fi
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${AI_OBSERVER_HEADLESS:-}" ]; then
  exec "$BIN/ai-observer-desktop"
else
  exec "$BIN/ai-observer" serve "$@"
fi
