#!/usr/bin/env bash
# Runs every check and test: formatting, lints, the release build, native unit tests,
# backend tests, the browser end-to-end tests in Chromium, Firefox ESR and WebKit, the
# in-browser wasm tests (loopback only) and the Wagtail suite on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --test wasm --quiet -- -D warnings
# The browser tests load this build (dist/), exactly what a CMS would serve.
bash scripts/build.sh
# The browser tests (tests/browser/) run in Chromium here, then in
# Firefox ESR and WebKit; each engine's browser, driver and display start and stop per test.
GETTY_PICKER_ENGINE=chromium cargo test --workspace
# The server without its sandbox feature: --sandbox refused, every sandbox route 404.
bash scripts/check-no-sandbox.sh
bash scripts/test-browsers.sh firefox webkit
# tests/wasm.rs runs as wasm in Chromium (webdriver.json holds the browser's flags).
CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm
# The Wagtail integration (integrations/wagtail, in .venv-wagtail): its lints, its checks, and
# the page editor end to end in Chromium against the example site and the token service
# (sandbox, forward-auth on), on SQLite and on PostgreSQL (Debian's, a throwaway cluster that
# scripts/with-postgres.sh starts and stops). It loads the release build above from the app's
# static files.
.venv-wagtail/bin/ruff check integrations/wagtail
.venv-wagtail/bin/ruff format --check integrations/wagtail
# The server binary the Wagtail tests start (target/debug/getty-picker-server, sandbox on) is the
# one `cargo test --workspace` built above; this is a no-op unless a source changed since.
cargo test --quiet --workspace --no-run
bash scripts/wagtail-static.sh dist
.venv-wagtail/bin/python -m pytest integrations/wagtail -q
bash scripts/with-postgres.sh .venv-wagtail/bin/python -m pytest integrations/wagtail -q
