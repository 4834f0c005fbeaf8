#!/usr/bin/env bash
# Trunk post_build hook: under `trunk serve`, makes sure the backend with its Getty sandbox
# listens on 127.0.0.1:8787, where the dev page (index.html) sends its token and API requests,
# so that plain `trunk serve` works as Leptos developers type it. Under `trunk build` it does
# nothing.
#
# Idempotent: if anything listens on 127.0.0.1:8787 already (a backend from an earlier build of
# this `trunk serve`, from scripts/serve.sh or started by hand), it leaves it alone; a lock
# keeps two rebuilds from starting two. The backend it starts stops with trunk: a watchdog polls
# trunk's pid and stops the backend once trunk is gone, however trunk ended. Its output goes to
# target/dev-backend.log.
set -euo pipefail

HOST=127.0.0.1
PORT=8787

# The hook's parent is trunk; only `trunk serve` (with any options) needs the backend.
trunk_pid=$PPID
trunk_args=$(ps -o args= -p "$trunk_pid" 2>/dev/null || true)
[[ " $trunk_args " == *" serve "* ]] || exit 0

listening() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }
listening && exit 0

cd "$(dirname "$0")/.."
mkdir -p "${CARGO_TARGET_DIR:-target}"
target=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)
# Held by the watchdog below for as long as it runs: another hook run finds it taken. (macOS has
# no flock(1) nor setsid(1); there the port check alone guards, and the watchdog still stops the
# backend once trunk is gone.)
if command -v flock >/dev/null; then
  exec 9>"$target/dev-backend.lock"
  flock -n 9 || exit 0
fi
detach=()
if command -v setsid >/dev/null; then detach=(setsid); fi

say() { printf 'dev-backend: %s\n' "$*" >&2; }
say "starting the sandbox backend on http://$HOST:$PORT for the dev page (building it first)"
if ! cargo build --quiet -p getty-picker-server; then
  say "the backend did not build; the dev page cannot search until it runs:"
  say "  cargo run -p getty-picker-server -- --sandbox --listen $HOST:$PORT"
  exit 0
fi

log="$target/dev-backend.log"
# setsid: Ctrl-C in trunk's terminal reaches trunk only; the watchdog does the stopping, so a
# backend never outlives trunk whether trunk got Ctrl-C, a kill or crashed.
${detach[@]+"${detach[@]}"} bash -c '
  server=$1 trunk=$2 listen=$3
  "$server" --sandbox --listen "$listen" 9>&- &
  backend=$!
  trap "kill \$backend 2>/dev/null; wait \$backend 2>/dev/null" EXIT
  trap exit INT TERM HUP
  while kill -0 "$trunk" 2>/dev/null && kill -0 "$backend" 2>/dev/null; do sleep 1; done
' dev-backend "$target/debug/getty-picker-server" "$trunk_pid" "$HOST:$PORT" \
  </dev/null >>"$log" 2>&1 &

for _ in $(seq 100); do
  if listening; then
    say "sandbox backend ready on http://$HOST:$PORT (log: $log); it stops with trunk"
    exit 0
  fi
  sleep 0.1
done
say "the backend did not start listening within 10 s; see $log"
