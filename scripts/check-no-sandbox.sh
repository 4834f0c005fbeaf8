#!/usr/bin/env bash
# The server built without its default `sandbox` feature: builds getty-picker-server so
# (a debug build, cheap next to the test build; --release for the production build and its
# size), prints the binary's size, and checks that it refuses --sandbox (exit code 2, saying
# why) and that, started normally, it answers 404 on every sandbox route (/v3/..., /sandbox/...,
# /oauth2/token) while its own endpoints answer. The same checks of a process with the feature
# on are in server/tests/it/sandbox_mode.rs.
#   scripts/check-no-sandbox.sh [--release]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

profile=debug
build=()
case "${1:-}" in
  --release) profile=release build=(--release) ;;
  "") ;;
  *)
    echo "usage: scripts/check-no-sandbox.sh [--release]" >&2
    exit 2
    ;;
esac
# A target directory of its own: this build's feature set differs from the workspace's, and in
# the shared one its binary would replace target/debug/getty-picker-server (sandbox on), which
# the Wagtail tests start. Without incremental caches: it is built to be run once.
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR="$target_dir/no-sandbox" CARGO_INCREMENTAL=0
cargo build --quiet "${build[@]}" -p getty-picker-server --no-default-features --bin getty-picker-server
bin="$CARGO_TARGET_DIR/$profile/getty-picker-server"
echo "check-no-sandbox: $bin: $(stat -c %s "$bin") bytes ($profile, --no-default-features)"

fail() {
  echo "check-no-sandbox: $*" >&2
  exit 1
}

# --sandbox is refused at start, with a message that names the missing feature.
set +e
refusal=$(env -i PATH="$PATH" "$bin" --sandbox --listen 127.0.0.1:0 2>&1 </dev/null)
code=$?
set -e
[ "$code" = 2 ] || fail "--sandbox: exit code $code, not 2: $refusal"
grep -q "has no sandbox" <<<"$refusal" || fail "--sandbox: no clear message: $refusal"

# Started without it (an anonymous-token configuration needs no CMS), on a free loopback port.
log=$(mktemp)
env -i PATH="$PATH" GETTY_API_KEY=check-key GETTY_API_SECRET=check-secret \
  PICKER_ALLOW_ANONYMOUS_TOKENS=true PICKER_LOG_JSON=true \
  "$bin" --listen 127.0.0.1:0 2>"$log" </dev/null &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
addr=
for _ in $(seq 100); do
  addr=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    try: entry = json.loads(line)
    except ValueError: continue
    if entry.get("fields", {}).get("message") == "listening": print(entry["fields"]["addr"])' "$log")
  [ -n "$addr" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the server stopped: $(cat "$log")"
  sleep 0.1
done
[ -n "$addr" ] || fail "the server did not start: $(cat "$log")"

# The status of `METHOD path` on the server.
status() {
  python3 -c 'import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[2], method=sys.argv[1])
try:
    print(urllib.request.urlopen(request, timeout=10).status)
except urllib.error.HTTPError as error:
    print(error.code)' "$1" "http://$addr$2"
}
[ "$(status GET /healthz)" = 200 ] || fail "/healthz does not answer 200"
for request in "GET /v3/search/images?phrase=cat" "GET /v3/search/images/creative" \
  "GET /v3/search/images/editorial" "POST /v3/downloads/images/1" "GET /v3/products" \
  "GET /v3/images/1/downloadhistory" "GET /v3/images/1" "GET /v3/images?ids=1" \
  "GET /v3/images/1/similar" "GET /v3/images/1/same-series" "GET /v3/downloads" \
  "GET /v3/countries" "GET /sandbox/media/thumb/1.png" "GET /sandbox/delivery/downloads/1" \
  "POST /oauth2/token" \
  "OPTIONS /v3/search/images"; do
  got=$(status $request)
  [ "$got" = 404 ] || fail "$request: $got, not 404"
done
echo "check-no-sandbox: --sandbox refused; every sandbox route 404 on $addr"
