#!/usr/bin/env bash
# Builds the release folder, dist/: the entry module getty-picker.js, the content-hashed widget
# files, getty-picker.d.ts and package.json (see docs/embedding.md).
# Installs whatever tool is missing first (scripts/setup.sh) and puts the pinned ones on PATH,
# so it works in a plain shell. Arguments go to `trunk build`, e.g. `--dist other/folder`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
trunk build --release "$@"
