#!/usr/bin/env bash
# Runs every check and test (what CI runs, via .ci/run) and ends with a table of each step's
# wall time, also when a step fails, so that a log shows where the time went. Which tests run
# in which engine and on which database, the steps' order and the time budget:
# docs/testing.md.
#
# The steps run one after another and the run stops at the first failure, except the lints and
# the builds that no test waits for: they run beside the tests, in the background at the lowest
# CPU priority, on the processor time the tests leave idle (the tests wait on browsers and
# servers more than they compute), and are waited for at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target

# --- The table: a row per step (name, wall seconds, outcome), printed however the run ends.
rows=()
row() { rows+=("$(printf '%-46s %6s  %s' "$1" "$2" "${3:-}")"); }
current="" current_started=0
# `step <name> <command...>`: one step.
step() {
  current=$1 current_started=$SECONDS
  shift
  echo "=== test.sh: $current" >&2
  "$@"
  row "$current" $((SECONDS - current_started))
  current=""
}
background_pid=""
background_log=target/test-background.log
background_rows=target/test-background.rows
rm -f "$background_rows"
table() {
  local status=$? name seconds outcome
  [ -z "$current" ] || row "$current" $((SECONDS - current_started)) FAILED
  if [ -n "$background_pid" ]; then
    kill -- -"$background_pid" 2>/dev/null || true
    row "(the background steps, stopped)" ""
  fi
  if [ -s "$background_rows" ]; then
    row "in the background, beside the steps above:" ""
    while IFS=$'\t' read -r name seconds outcome; do
      row "  $name" "$seconds" "$outcome"
    done <"$background_rows"
  fi
  echo >&2
  printf '%-46s %6s\n' "test.sh step" "wall s" >&2
  printf '%s\n' "${rows[@]}" >&2
  printf '%-46s %6s  %s; load average now %s\n' total "$SECONDS" \
    "$([ "$status" = 0 ] && echo passed || echo "FAILED, exit code $status")" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
}
trap table EXIT
SECONDS=0

# --- Background steps: started by `start_background`, in a process group of their own (stopped
# if the run fails first), their output in target/test-background.log, printed when
# `join_background` has waited for them; each writes its row to target/test-background.rows,
# which the table shows after the others.
background() {
  local name=$1 started=$SECONDS status=0
  shift
  echo "=== test.sh (background): $name"
  nice -n 19 "$@" || status=$?
  printf '%s\t%s\t%s\n' "$name" $((SECONDS - started)) \
    "$([ "$status" = 0 ] || echo FAILED)" >>"$background_rows"
  return "$status"
}
start_background() {
  : >"$background_log"
  : >"$background_rows"
  set -m # its own process group
  "$@" >"$background_log" 2>&1 &
  background_pid=$!
  set +m
}
join_background() {
  local status=0
  wait "$background_pid" || status=$?
  background_pid=""
  cat "$background_log" >&2
  return "$status"
}

step setup bash scripts/setup.sh
source scripts/env.sh
step "cargo fmt --check" cargo fmt --all -- --check

# The release folder dist/ (what the browser and Wagtail tests load, exactly what a CMS serves)
# beside the one native build of the run, the workspace's tests: the release build's last
# stage (link-time optimisation, wasm-opt) keeps one processor only. Every later
# `cargo test --workspace` reuses the test build (the same packages, so the same features), and
# so do the Wagtail tests (target/debug/getty-picker-server).
builds() {
  bash scripts/build.sh >target/test-release.log 2>&1 &
  local release=$! status=0
  cargo test --workspace --no-run --quiet || status=$?
  wait "$release" || status=$?
  cat target/test-release.log >&2
  return "$status"
}
step "build: release (dist/) and workspace tests" builds
# The browser passes run that build's test binary directly: a cargo call would wait for the
# background builds' lock on target/.
GETTY_PICKER_BROWSER_TESTS=$(bash scripts/test-binary.sh browser)
export GETTY_PICKER_BROWSER_TESTS

# In the background from here. The server without its sandbox builds first, in its own target
# folder, while the unit and backend tests below still call cargo; then the lints and the wasm
# tests' build, which hold target/'s lock.
lints_and_builds() {
  # --sandbox refused, every sandbox route 404 (its own feature set, in target/no-sandbox/).
  background "server without the sandbox" bash scripts/check-no-sandbox.sh
  background "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
  background "clippy (wasm32)" \
    cargo clippy --target wasm32-unknown-unknown --lib --bins --test wasm --quiet -- -D warnings
  background "build: wasm tests" cargo test --target wasm32-unknown-unknown --test wasm --no-run --quiet
}
start_background lints_and_builds

step "tests: unit, backend, sandbox" cargo test --workspace --quiet --lib --bins --test it
step "tests: doc" cargo test --workspace --quiet --doc

# The browser tests: every test in Chromium; in Firefox ESR and WebKit those whose outcome
# depends on the engine (`every_engine!`).
step "browsers: chromium (every test)" bash scripts/test-browsers.sh chromium
step "browsers: firefox (every_engine)" bash scripts/test-browsers.sh firefox
step "browsers: webkit (every_engine)" bash scripts/test-browsers.sh webkit
# The Wagtail integration (integrations/wagtail, in .venv-wagtail): its lints, then the page
# editor end to end in Chromium against the example site and the token service (the server
# built above, sandbox and forward-auth on), loading the release build from the app's static
# files: every test on PostgreSQL (a throwaway cluster of Debian's: scripts/with-postgres.sh)
# in two processes, and those marked every_database on SQLite too.
step "ruff check, ruff format --check" bash -c ".venv-wagtail/bin/ruff check integrations/wagtail &&
  .venv-wagtail/bin/ruff format --check integrations/wagtail"
step "wagtail: static files" bash scripts/wagtail-static.sh dist
wagtail=(.venv-wagtail/bin/python -m pytest integrations/wagtail -q)
step "wagtail: SQLite (every_database)" "${wagtail[@]}" -m every_database
step "wagtail: PostgreSQL (every test)" bash scripts/with-postgres.sh "${wagtail[@]}" -n 2

step "waiting for the background steps" join_background
# tests/wasm.rs runs as wasm in Chromium (webdriver.json holds the browser's flags), built in
# the background. The test runner takes no --quiet.
step "wasm tests" env CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm
