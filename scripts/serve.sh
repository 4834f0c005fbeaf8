#!/usr/bin/env bash
# Serves the widget with the sandbox: the backend (token endpoint + fake Getty) on
# 127.0.0.1:8787 and `trunk serve` on http://127.0.0.1:8080/ (the dev page; the CMS example at
# /examples/cms.html). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo build --quiet -p getty-picker-server
target/debug/getty-picker-server --sandbox --listen 127.0.0.1:8787 &
backend=$!
trap 'kill "$backend" 2>/dev/null || true' EXIT INT TERM

echo "getty-picker: open http://127.0.0.1:8080/ (backend and sandbox on http://127.0.0.1:8787)"
echo "getty-picker: the CMS example is at http://127.0.0.1:8080/examples/cms.html"
trunk serve
