#!/usr/bin/env bash
# Prints the path of a workspace test binary (a tests/ target, e.g. `browser`), built first if
# needed with `cargo test --workspace --no-run`: the same packages, so the same features, as
# every other test build of scripts/test.sh, which it reuses.
#   scripts/test-binary.sh browser
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo test --quiet --workspace --test "$1" --no-run
cargo test --quiet --workspace --test "$1" --no-run --message-format=json |
  python3 -c 'import json, sys
name = sys.argv[1]
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == name \
            and message.get("executable"):
        print(message["executable"])' "$1"
