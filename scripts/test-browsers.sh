#!/usr/bin/env bash
# Runs the browser tests (tests/browser/, one binary) in one engine, several, or all:
#   scripts/test-browsers.sh [chromium|firefox|webkit|all]... [-- <test binary arguments>]
#   scripts/test-browsers.sh firefox webkit             # what scripts/test.sh runs after Chromium
#   scripts/test-browsers.sh webkit -- embedding::      # one engine, one module (all its tests)
#   scripts/test-browsers.sh all                        # every test in every engine
# Which tests run where (docs/testing.md): Chromium runs every test; Firefox ESR and WebKit run
# the tests whose outcome depends on the engine, declared with `every_engine!` (their names end
# in `::every_engine`, or hold `::every_engine::`). `all`, or test arguments after `--`, choose
# the same tests in every engine named (the engine-free modules below aside). No engine named:
# chromium firefox webkit, by that rule.
# The release build in dist/ is what the tests load: built first if missing (scripts/build.sh
# rebuilds it). Every engine named runs, even after one fails; the wall time of each is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

engines=()
every_test=false
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case "$1" in
    all)
      engines+=(chromium firefox webkit)
      every_test=true
      ;;
    chromium | firefox | webkit) engines+=("$1") ;;
    *)
      echo "usage: scripts/test-browsers.sh [chromium|firefox|webkit|all]... [-- test args]" >&2
      exit 2
      ;;
  esac
  shift
done
[ "${1:-}" != "--" ] || shift
[ ${#engines[@]} -gt 0 ] || engines=(chromium firefox webkit)
# Test arguments choose the tests themselves.
[ $# -eq 0 ] || every_test=true

[ -f dist/index.html ] || bash scripts/build.sh
bash scripts/setup.sh
source scripts/env.sh
# The test binary: GETTY_PICKER_BROWSER_TESTS when scripts/test.sh has built it (no cargo call
# then, which would wait for its background builds), else built here, reusing the workspace's
# test build.
tests=${GETTY_PICKER_BROWSER_TESTS:-$(bash scripts/test-binary.sh browser)}

# Modules that do not depend on the engine (the bundle budget, the locale files) or always use
# Chromium (memory) run in the Chromium pass only, whatever else is asked.
engine_free=(--skip bundle_size:: --skip locale_files:: --skip memory::)

failed=()
for engine in "${engines[@]}"; do
  started=$(date +%s)
  selection=()
  if [ "$engine" != chromium ]; then
    selection=("${engine_free[@]}")
    # libtest runs the tests whose name contains a filter.
    $every_test || selection+=(::every_engine)
  fi
  if ! GETTY_PICKER_ENGINE=$engine "$tests" --quiet "${selection[@]}" "$@"; then
    failed+=("$engine")
  fi
  echo "test-browsers: $engine: $(($(date +%s) - started)) s" >&2
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "test-browsers: failed in ${failed[*]}" >&2
  exit 1
fi
