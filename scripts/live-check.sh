#!/usr/bin/env bash
# Checks the backend against the real Getty API with the credentials in the environment:
# token -> /readyz -> GET /v3/products -> a search in each family (/v3/search/images,
# /creative, /editorial) with the fields the widget asks for -> the shape of the answers.
# Prints PASS/FAIL/WARN/SKIP per check; exits 1 if any check failed. Not part of CI.
#
#   GETTY_API_KEY=... GETTY_API_SECRET=... GETTY_USERNAME=... GETTY_PASSWORD=... \
#     scripts/live-check.sh [--phrase PHRASE] [--download IMAGE_ID]
#
# Cost: one token request, one products request and three or four searches against the
# account's API quota; --download IMAGE_ID also spends ONE download of the account's allowance
# (the first product in the image's largest_downloads) and prints the delivery URI.
# The backend runs in-process on 127.0.0.1 (a random port), accepting only tickets signed with a
# secret made up for this run. Optional: GETTY_TOKEN_URL, GETTY_API_BASE (default
# https://api.gettyimages.com). `--against-sandbox` checks the backend's own sandbox instead
# (no credentials, no cost): that is how the tests exercise the checks.
set -euo pipefail
cd "$(dirname "$0")/.."

sandbox=false
for arg in "$@"; do
  case "$arg" in
    --against-sandbox) sandbox=true ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done

if ! $sandbox; then
  if [[ -z "${GETTY_API_KEY:-}" || -z "${GETTY_API_SECRET:-}" ]]; then
    echo "live-check: GETTY_API_KEY and GETTY_API_SECRET must be set (this calls the real Getty API;" \
      "--against-sandbox checks the sandbox instead). GETTY_USERNAME and GETTY_PASSWORD are needed" \
      "too for the products check and --download." >&2
    exit 2
  fi
  if [[ -z "${GETTY_USERNAME:-}" || -z "${GETTY_PASSWORD:-}" ]]; then
    echo "live-check: GETTY_USERNAME/GETTY_PASSWORD not set: only token and search are checked;" \
      "products and --download need a Getty user." >&2
  fi
fi

nice -n 15 cargo build --quiet -p getty-picker-server --bin getty-picker-live-check
exec "${CARGO_TARGET_DIR:-target}/debug/getty-picker-live-check" "$@"
