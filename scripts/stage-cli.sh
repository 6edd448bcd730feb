#!/usr/bin/env bash
# Puts the built `ai-observer` command where the installers pick it up, so every package ships it
# beside the app (Claude Code's status line and `ai-observer mcp` run it): Tauri's `externalBin`
# (src-tauri/tauri.cli.conf.json, merged with `--config` when bundling) takes
# src-tauri/binaries/ai-observer-<target triple>.
# Usage: scripts/stage-cli.sh debug|release [TARGET_TRIPLE]  (a triple: the build was --target TRIPLE)
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${1:?usage: scripts/stage-cli.sh debug|release [TARGET_TRIPLE]}"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/ai-observer/target}"
if [ -n "${2:-}" ]; then
  TRIPLE="$2"
  BUILT_DIR="$CARGO_TARGET_DIR/$TRIPLE/$PROFILE"
else
  TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
  BUILT_DIR="$CARGO_TARGET_DIR/$PROFILE"
fi
SUFFIX=""
case "$TRIPLE" in *windows*) SUFFIX=".exe" ;; esac
BUILT="$BUILT_DIR/ai-observer$SUFFIX"
if [ ! -x "$BUILT" ]; then
  echo "stage-cli: $BUILT is missing (cargo build$([ "$PROFILE" = release ] && echo " --release") --locked --bin ai-observer)" >&2
  exit 1
fi
mkdir -p src-tauri/binaries
cp "$BUILT" "src-tauri/binaries/ai-observer-$TRIPLE$SUFFIX"
echo "stage-cli: src-tauri/binaries/ai-observer-$TRIPLE$SUFFIX ($PROFILE)"
