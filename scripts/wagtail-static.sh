#!/usr/bin/env bash
# Copies the widget's release folder (default dist/, from scripts/build.sh) into the
# Wagtail app's static files, integrations/wagtail/getty_picker/static/getty_picker/widget/,
# where `collectstatic` (and Django's runserver) find it. Only what a page loads: the entry
# module, its bindings and wasm, its locale files and any other top-level files of the release
# (not the dev page index.html, not examples/). Run it before `collectstatic` or before
# building the wheel.
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:-dist}"
dest=integrations/wagtail/getty_picker/static/getty_picker/widget
if [ ! -f "$src/getty-picker.js" ]; then
  echo "wagtail-static: $src/getty-picker.js is missing: build the widget first (scripts/build.sh)" >&2
  exit 1
fi
# A fresh folder each time, so no stale content-hashed file of an older build stays behind.
rm -rf "$dest"
mkdir -p "$dest"
find "$src" -maxdepth 1 -type f ! -name index.html -exec cp {} "$dest/" \;
# The locale files the widget loads from beside its bindings.
if [ -d "$src/locales" ]; then
  cp -R "$src/locales" "$dest/locales"
fi
echo "wagtail-static: copied $(find "$dest" -type f | wc -l) files from $src to $dest" >&2
