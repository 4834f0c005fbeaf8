#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the release build, native unit tests,
# backend tests and the browser end-to-end tests (headless Chromium, loopback only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --quiet -- -D warnings
# The browser tests load this build (dist/), exactly what a CMS would serve.
trunk build --release
cargo test --workspace
