#!/usr/bin/env bash
# Where the release wasm's bytes go (docs/performance.md, "Bundle size"): rebuilds the widget's
# wasm in release, optimises it as the release build does but keeping the function names
# (wasm-bindgen --keep-debug, wasm-opt -Oz -g), and prints its code by group, raw and gzipped,
# and the largest functions (examples/bundle_breakdown.rs). Figures, not a test.
#   scripts/bundle-breakdown.sh [TOP]   (default 25 functions)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --quiet --release --target wasm32-unknown-unknown --bin getty-picker
out=target/bundle-breakdown
mkdir -p "$out"
wasm-bindgen --target web --keep-debug --no-typescript --out-dir "$out" --out-name getty-picker \
  target/wasm32-unknown-unknown/release/getty-picker.wasm
wasm-opt -Oz -g "$out/getty-picker_bg.wasm" -o "$out/named.wasm"
cargo run --quiet --release --example bundle_breakdown -- "$out/named.wasm" "${1:-25}"
