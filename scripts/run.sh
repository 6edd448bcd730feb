#!/usr/bin/env bash
# Builds and starts AI Observer: the desktop app where there is a display, `ai-observer serve`
# otherwise. Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
npm run --prefix ui build
cargo build "${CARGO_ALL[@]}"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${AI_OBSERVER_HEADLESS:-}" ]; then
  exec "$CARGO_TARGET_DIR/debug/ai-observer-desktop"
else
  exec "$CARGO_TARGET_DIR/debug/ai-observer" serve "$@"
fi
