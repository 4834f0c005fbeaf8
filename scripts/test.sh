#!/usr/bin/env bash
# Runs every check and test (what CI runs, via .ci/run), step by step, and ends with a table of
# each step's wall time, also when a step fails (the run stops at the first failure). Which
# tests run in which engine and on which database, and the time budget: docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

names=()
starts=()
seconds=()
# `step <name> <command...>`: runs the command as one row of the table.
step() {
  echo "=== test.sh: $1" >&2
  names+=("$1")
  starts+=("$SECONDS")
  shift
  "$@"
  seconds+=($((SECONDS - starts[-1])))
}
# The table, however the run ends: a step without a time is the one that failed.
table() {
  local status=$? i
  echo >&2
  printf '%-46s %6s\n' "test.sh step" "wall s" >&2
  for i in "${!names[@]}"; do
    if [ -n "${seconds[$i]:-}" ]; then
      printf '%-46s %6d\n' "${names[$i]}" "${seconds[$i]}" >&2
    else
      printf '%-46s %6d  FAILED\n' "${names[$i]}" $((SECONDS - starts[i])) >&2
    fi
  done
  printf '%-46s %6d  %s (load average %s)\n' total "$SECONDS" \
    "$([ "$status" = 0 ] && echo passed || echo "failed, exit code $status")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
trap table EXIT
SECONDS=0

step setup bash scripts/setup.sh
source scripts/env.sh

step "cargo fmt --check" cargo fmt --all -- --check
step "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib --bins --test wasm --quiet -- -D warnings
# The release folder dist/: what the browser tests and the Wagtail tests load, exactly what a
# CMS would serve.
step "build: widget release (dist/)" bash scripts/build.sh
# One build of the workspace's tests; every later `cargo test --workspace` reuses it (the same
# packages, so the same features), and so do the Wagtail tests (target/debug/getty-picker-server).
step "build: workspace tests" cargo test --workspace --no-run --quiet
step "tests: unit, backend, sandbox" cargo test --workspace --quiet --lib --bins --test it
step "tests: doc" cargo test --workspace --quiet --doc
# The browser tests: all of them in Chromium; in Firefox ESR and WebKit those whose outcome
# depends on the engine (`every_engine!`).
step "browsers: chromium (every test)" bash scripts/test-browsers.sh chromium
step "browsers: firefox (every_engine)" bash scripts/test-browsers.sh firefox
step "browsers: webkit (every_engine)" bash scripts/test-browsers.sh webkit
# tests/wasm.rs runs as wasm in Chromium (webdriver.json holds the browser's flags). The test
# runner takes no --quiet.
step "wasm tests (build and run)" env CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm
# The server without its sandbox feature: --sandbox refused, every sandbox route 404.
step "server without the sandbox" bash scripts/check-no-sandbox.sh
# The Wagtail integration (integrations/wagtail, in .venv-wagtail): its lints, then the page
# editor end to end in Chromium against the example site and the token service (the server
# built above, sandbox and forward-auth on), loading the release build from the app's static
# files: every test on PostgreSQL (a throwaway cluster of Debian's: scripts/with-postgres.sh),
# and those marked every_database on SQLite too.
step "ruff" .venv-wagtail/bin/ruff check integrations/wagtail
step "ruff format --check" .venv-wagtail/bin/ruff format --check integrations/wagtail
step "wagtail: static files" bash scripts/wagtail-static.sh dist
wagtail=(.venv-wagtail/bin/python -m pytest integrations/wagtail -q)
step "wagtail: SQLite (every_database)" "${wagtail[@]}" -m every_database
step "wagtail: PostgreSQL (every test)" bash scripts/with-postgres.sh "${wagtail[@]}" -n 2
