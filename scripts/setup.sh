#!/usr/bin/env bash
# Installs every tool the build and the tests need, pinned, and only what is missing.
# Idempotent: a second run on a ready machine takes a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
# Checkouts on one machine may set up at once (worktrees, a clone beside the working copy): one
# setup at a time, machine-wide, or each would build the same tools side by side and apt and
# cargo would wait on each other's locks. The next one then finds the tools in place.
mkdir -p "${CARGO_HOME:-$HOME/.cargo}"
exec 9>"${CARGO_HOME:-$HOME/.cargo}/.getty-picker-setup.lock"
flock 9

TRUNK_VERSION=0.21.14
# npm's binaryen, not Debian's 108: wasm-opt 108 breaks wasm-bindgen 0.2.130's externref table
# ("WebAssembly.Table.set(): Argument 1 is invalid" at start-up).
BINARYEN_VERSION=132
# axe-core is injected into the page by the accessibility tests (tests/browser/search_ux.rs).
AXE_VERSION=4.14.1
# tsc checks the release folder's type declarations (tests/browser/package.rs); 5.9 is the line most
# integrators' builds are on.
TYPESCRIPT_VERSION=5.9.3
# Firefox's WebDriver server for the browser tests in Firefox ESR (tests/support/engine.rs).
GECKODRIVER_VERSION=0.37.1
# Trunk refuses a wasm-bindgen CLI whose version differs from the crate in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
source scripts/env.sh

log() { printf 'setup: %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

missing_debs=()
command -v chromium >/dev/null || missing_debs+=(chromium)
command -v chromedriver >/dev/null || missing_debs+=(chromium-driver)
# npm installs the pinned tools below; node also minifies the stylesheet into the entry module
# (scripts/write-entry.sh). Debian's npm brings nodejs.
command -v npm >/dev/null || missing_debs+=(npm)
# The browser tests' other engines: Firefox ESR, and WebKitGTK's WebKitWebDriver with its
# MiniBrowser (in libwebkit2gtk-4.1-0), which needs an X display: Xvfb.
[ -x /usr/bin/firefox-esr ] || missing_debs+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing_debs+=(webkit2gtk-driver)
command -v Xvfb >/dev/null || missing_debs+=(xvfb)
# WebKitGTK takes its languages from LANGUAGE/LANG, honoured only for locales the system has:
# the tests launch it in several.
[ -d /usr/lib/locale/fr_FR.utf8 ] || missing_debs+=(locales-all)
# The Wagtail integration's virtual environment (below) needs python3 with venv and pip.
command -v python3 >/dev/null || missing_debs+=(python3)
python3 -c 'import ensurepip, venv' 2>/dev/null || missing_debs+=(python3-venv)
# The Wagtail suite runs on PostgreSQL too (scripts/with-postgres.sh: a throwaway cluster).
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing_debs+=(postgresql)
if [ ${#missing_debs[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing_debs[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
fi

axe_installed=$(node -p "require('./.tools/node_modules/axe-core/package.json').version" 2>/dev/null || true)
if [ "$(wasm-opt --version 2>/dev/null)" != "wasm-opt version $BINARYEN_VERSION (version_$BINARYEN_VERSION)" ] \
  || [ "$axe_installed" != "$AXE_VERSION" ] \
  || [ "$(tsc --version 2>/dev/null)" != "Version $TYPESCRIPT_VERSION" ]; then
  # One command for all: npm prunes what a --no-save install does not name.
  log "installing npm packages into .tools/: binaryen@$BINARYEN_VERSION.0.0 (wasm-opt), axe-core@$AXE_VERSION, typescript@$TYPESCRIPT_VERSION"
  npm install --prefix .tools --no-save --no-audit --no-fund --silent \
    "binaryen@$BINARYEN_VERSION.0.0" "axe-core@$AXE_VERSION" "typescript@$TYPESCRIPT_VERSION"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  log "installing trunk $TRUNK_VERSION (several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: the lockfile published with 0.2.130 names a yanked crate.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet
fi
if [ "$(geckodriver --version 2>/dev/null | sed -n 1p)" != "geckodriver $GECKODRIVER_VERSION" ]; then
  log "installing geckodriver $GECKODRIVER_VERSION (a few minutes, once)"
  cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked --quiet
fi

# integrations/wagtail (Wagtail 8.0.x, pytest, selenium) in .venv-wagtail/, from PyPI; redone
# only when its pyproject.toml changes (the stamp names its hash).
venv_stamp=".venv-wagtail/.installed-$(sha256sum integrations/wagtail/pyproject.toml | cut -c1-16)"
if [ ! -f "$venv_stamp" ]; then
  log "creating .venv-wagtail: the Wagtail integration with its test tools (a minute, once)"
  python3 -m venv .venv-wagtail
  nice -n 15 .venv-wagtail/bin/pip install --quiet --disable-pip-version-check -e "integrations/wagtail[test]"
  rm -f .venv-wagtail/.installed-*
  touch "$venv_stamp"
fi
log "tools ready"
