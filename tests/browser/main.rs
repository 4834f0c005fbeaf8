//! The root crate's native tests, one binary: the widget's release build (`dist/`) in a real
//! browser, against the real backend and its Getty sandbox over loopback, one module per
//! concern; the harness they share is `tests/support` (also used by the examples).
//!
//! Every test runs in Chromium; those whose outcome depends on the engine are declared with
//! `support::every_engine!` and run in Firefox ESR and WebKit too (the rule is in
//! docs/testing.md). Three modules need no engine choice: `bundle_size` (the download budget,
//! no browser), `locale_files` (the locale files, natively) and `memory` (Chromium only,
//! whatever `GETTY_PICKER_ENGINE` says); `scripts/test-browsers.sh` skips them in other engines
//! even when asked for every test.
//!
//! One binary rather than one per file: linked once, and run once per engine.

#[path = "../bundle/mod.rs"]
mod bundle;
#[path = "../support/mod.rs"]
mod support;

mod budgets;
mod bundle_size;
mod early_typing;
mod embedding;
mod engines;
mod library;
mod licences;
mod locale_files;
mod locales;
mod memory;
mod open_image;
mod package;
mod resilience;
mod search_family;
mod search_ux;
mod web;
