#!/usr/bin/env bash
# Where the widget's time goes on a search: builds the release with its function names kept
# (no wasm-opt, which strips them; otherwise the same build) in target/profile-dist, then
# prints Chromium's CPU profile of the first search in a fresh page, or with `warm` of a
# second search in the same page (examples/bench_widget.rs). Prints figures; not a test.
#   scripts/profile.sh [RUNS] [warm]   (default 5 runs, summed)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

# A copy of index.html beside the build, its paths pointing back to the project.
page=target/profile-index.html
mkdir -p target
sed -e 's|data-wasm-opt="z"|href="../Cargo.toml" data-wasm-opt="0" data-keep-debug|' \
  -e 's|href="examples/cms"|href="../examples/cms"|' index.html >"$page"
trunk build --release --dist target/profile-dist "$page"
mode=profile
[ "${2:-}" != "warm" ] || mode=profile-warm
GETTY_PICKER_DIST=target/profile-dist cargo run --quiet --release --example bench_widget -- "${1:-5}" "$mode"
