#!/usr/bin/env bash
# Chaos soak (not part of CI): N pickers in one headless Chromium for M minutes against the
# sandbox on loopback, with random faults at the given rate, while attacker loops force token
# refreshes beside them; prints what happened (examples/soak.rs). Bounded: it stops by itself.
#   scripts/soak.sh [PICKERS] [MINUTES] [FAULT_RATE] [ATTACKERS]   (defaults 10 3 0.1 4)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
trunk build --release
cargo run --quiet --release --example soak -- "${1:-10}" "${2:-3}" "${3:-0.1}" "${4:-4}"
