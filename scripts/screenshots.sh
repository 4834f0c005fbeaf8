#!/usr/bin/env bash
# The screenshots of docs/screenshots/: the grid and the details panel, wide and narrow, light
# and dark (examples/screenshots.rs), taken in headless Chromium against the sandbox from the
# release build. Not a test.
#   scripts/screenshots.sh [FOLDER]   (default docs/screenshots)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
source scripts/env.sh
cargo run --quiet --release --example screenshots -- "${1:-docs/screenshots}"
