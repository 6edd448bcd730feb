#!/usr/bin/env bash
# Runs every test: UI unit tests and type checks, the Rust workspace tests (real DuckDB files, real
# servers on loopback, the captured CLI fixtures), the generated-types check, and the end-to-end
# suites (OpenTelemetry SDK, browser, desktop) that exist. Run scripts/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
T0=$SECONDS
step() { echo "== [$((SECONDS - T0))s] $*"; }

step "ui: unit tests, type check, lint, build"
npm run --prefix ui test
npm run --prefix ui check
npm run --prefix ui lint
npm run --prefix ui build

step "rust: formatting"
cargo fmt --all --check

# Clippy runs inside the one build: clippy-driver compiles the workspace's own crates (and lints
# them, warnings denied) while every dependency is built exactly as by `cargo build`, so DuckDB is
# not compiled a second time as a `cargo clippy` check build would.
export RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
step "rust: build with clippy (warnings denied)"
cargo build "${CARGO_ALL[@]}"

step "rust: tests"
cargo test "${CARGO_ALL[@]}"

step "generated TypeScript is up to date"
if [ -n "$(git status --porcelain -- 'ui/src/lib/api/*.gen.ts' 2>/dev/null)" ]; then
  git status --short -- 'ui/src/lib/api/*.gen.ts'
  echo "ui/src/lib/api/*.gen.ts changed when regenerated from the Rust types and operation table: commit the regenerated files" >&2
  exit 1
fi

for suite in tests/e2e/*.sh; do
  [ -e "$suite" ] || continue
  step "e2e: $suite"
  timeout 900 bash "$suite"
done
step "all tests passed"
