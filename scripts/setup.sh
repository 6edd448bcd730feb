#!/usr/bin/env bash
# Installs everything the app and the tests need on a fresh Debian 12 machine: system packages,
# npm packages, tauri-driver, the OpenTelemetry SDK test's packages, moto's S3 server. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

PACKAGES="build-essential pkg-config file libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev
  librsvg2-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libxdo-dev xvfb xauth webkit2gtk-driver dbus-x11 curl
  python3-dbus python3-gi python3-venv chromium imagemagick x11-utils libxtst6"
if ! dpkg -s $PACKAGES >/dev/null 2>&1; then
  for attempt in 1 2 3 4 5; do
    if $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends $PACKAGES; then break; fi
    if [ "$attempt" = 5 ]; then echo "setup: apt-get failed" >&2; exit 1; fi
    sleep 15
  done
fi

npm ci --no-audit --no-fund --prefix ui
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; fi
if [ -f tests/sdk/package-lock.json ]; then npm ci --no-audit --no-fund --prefix tests/sdk; fi
if [ -f tests/mcp/package-lock.json ]; then npm ci --no-audit --no-fund --prefix tests/mcp; fi
# ccusage's lock file holds only this platform's binary package (npm records no entries for the
# other platforms' optional packages), which `npm ci` rejects as out of sync; `npm install` honours
# the lock and the exact version pinned in package.json and leaves both unchanged.
if [ -f tests/ccusage/package-lock.json ]; then npm install --no-audit --no-fund --prefix tests/ccusage; fi

# moto's S3-compatible server, for the object-storage export test (outside the clone, like the target).
MOTO="$HOME/.cache/ai-observer/moto"
if [ ! -x "$MOTO/bin/moto_server" ]; then
  python3 -m venv "$MOTO"
  "$MOTO/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
fi

if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked --version 2.1.0
fi
echo "setup: done"
