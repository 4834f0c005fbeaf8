# Sourced by the other scripts: puts the project's pinned tools first on PATH.
# shellcheck shell=bash
export PATH="$PWD/.tools/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
