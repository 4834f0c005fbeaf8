//! The browser tests, one binary: the widget's release build (`dist/`) in a real browser,
//! against the real backend and its Getty sandbox over loopback. One module per concern; the
//! harness they share is `tests/support` (also used by the examples).
//!
//! One binary rather than one per file: linked once, and run once per engine.

#[path = "../support/mod.rs"]
mod support;

mod budgets;
mod custom_element;
mod early_typing;
mod embedding;
mod engines;
mod library;
mod licences;
mod locales;
mod package;
mod resilience;
mod search_family;
mod search_ux;
mod web;
