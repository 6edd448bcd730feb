#!/usr/bin/env bash
# Runs every test: UI unit tests and type checks, the Rust workspace tests (real DuckDB files, real
# servers on loopback, the captured CLI fixtures), the generated-types check, and the end-to-end
# suites (OpenTelemetry SDK, browser, desktop) that exist. Run scripts/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
T0=$SECONDS
step() { echo "== [$((SECONDS - T0))s] $*"; }

step "ui: unit tests, type check, build"
npm run --prefix ui test
npm run --prefix ui check
npm run --prefix ui build

step "rust: build"
cargo build "${CARGO_ALL[@]}"

step "rust: tests"
cargo test "${CARGO_ALL[@]}"

step "generated TypeScript types are up to date"
if ! git diff --quiet -- ui/src/lib/api/types.gen.ts 2>/dev/null; then
  git --no-pager diff --stat -- ui/src/lib/api/types.gen.ts
  echo "ui/src/lib/api/types.gen.ts changed when regenerated from the Rust types: commit the regenerated file" >&2
  exit 1
fi

for suite in tests/e2e/*.sh; do
  [ -e "$suite" ] || continue
  step "e2e: $suite"
  timeout 900 bash "$suite"
done
step "all tests passed"
