#!/usr/bin/env bash
# The benchmark command: builds the widget in release, prints the transfer size of what it
# loads and its figures in headless Chromium on loopback (examples/bench_widget.rs: beside a
# minimal plain-JavaScript picker, examples/bench_floor.js, then alone), then the token
# backend's figures (scripts/bench-backend.sh). Prints figures; it is not a test (the
# budgets are tests/browser/budgets.rs and tests/browser/bundle_size.rs).
#   scripts/bench.sh [RUNS]   (default 5)
#   GETTY_PICKER_DIST=folder        builds and measures there (default dist/)
#   GETTY_PICKER_BASE_DIST=folder   also measures that (already built) release folder in the
#                                   same run, runs interleaved, and prints this/base ratios
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

dist="${GETTY_PICKER_DIST:-dist}"
GETTY_PICKER_DIST=$(realpath -m "$dist")
export GETTY_PICKER_DIST
if [ -n "${GETTY_PICKER_BASE_DIST:-}" ]; then
  GETTY_PICKER_BASE_DIST=$(realpath "$GETTY_PICKER_BASE_DIST")
  export GETTY_PICKER_BASE_DIST
fi
bash scripts/build.sh --dist "$GETTY_PICKER_DIST"
cargo run --quiet --release --example bench_widget -- "${1:-5}"
echo
echo "== backend: POST /token =="
bash scripts/bench-backend.sh
