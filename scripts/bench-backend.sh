#!/usr/bin/env bash
# Benchmarks the token backend: builds it in release, starts it in sandbox mode on loopback with
# a warm cached token, sends REQUESTS `POST /token` over CONCURRENCY connections and prints
# requests/s, p50, p99, errors and the number of upstream token calls. Figures, not a test.
#   scripts/bench-backend.sh [REQUESTS [CONCURRENCY]]   (defaults: 5000 50)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --quiet --release -p getty-picker-server --example bench
"$CARGO_TARGET_DIR/release/examples/bench" "${1:-5000}" "${2:-50}"
