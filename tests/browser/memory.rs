//! Memory over a working day: one picker in one page, searches typed one after another (each
//! paged once), measured after a forced garbage collection every 50 searches. What each search
//! leaves behind (listeners, closures, reactive owners and subscriptions, answers) must be
//! freed with it. Asserted (issue 14): neither the JS heap nor the wasm memory after search 300
//! exceeds that after search 50 by more than 10% or 1 MB; the wasm memory, by more than 64 KiB.
//!
//! Measured once the page is quiet: the driver searches faster than the sandbox renders
//! thumbnails, and an image still loading keeps its removed card's nodes alive until it is
//! done (the browser's doing, not a leak: 45 s after search 300 the page is back to the nodes
//! it shows and the JS heap below its figure at search 50).
//!
//! Chromium-only, whatever `GETTY_PICKER_ENGINE` says: it reads `performance.memory` and forces
//! garbage collection (`gc()` under `--js-flags=--expose-gc`, DevTools' `collectGarbage`),
//! which neither Firefox nor WebKit offers to a page or to a WebDriver client.

use crate::support;

use support::{Browser, Sandbox, MEMORY_FLAGS};

/// How much either memory may grow from search 50 to search 300, as a share of its size then.
const GROWTH_SHARE: f64 = 0.10;

/// How much either memory may grow from search 50 to search 300, in bytes.
const GROWTH_LIMIT: f64 = 1_000_000.0;

/// How much the wasm memory may grow from search 50 to search 300: one 64 KiB page, which the
/// allocator may take at any time. Stricter than issue 14's 10%, which the grid's leak of
/// about 450 bytes a search (fixed) passed in some runs (+7.7%) and failed in others (+12%);
/// since, it has not grown at all (here, and over 1,000 searches in the benchmark).
const WASM_GROWTH_LIMIT: f64 = 65_536.0;

/// Whether memory at search 300 (`after`) exceeds that at search 50 (`before`) by no more than
/// [`GROWTH_SHARE`] and [`GROWTH_LIMIT`].
fn flat(before: f64, after: f64) -> bool {
    after - before <= (before * GROWTH_SHARE).min(GROWTH_LIMIT)
}

/// The kinds of objects counted after each batch of searches.
const PROTOTYPES: [&str; 8] = [
    "HTMLLIElement.prototype",
    "HTMLButtonElement.prototype",
    "HTMLImageElement.prototype",
    "HTMLSpanElement.prototype",
    "Text.prototype",
    "Function.prototype",
    "Object.prototype",
    "Array.prototype",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_over_300_searches() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_url_with(&sandbox.memory_page(""), &MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;

    let mut samples = Vec::new();
    for (from, to) in [
        (0, 50),
        (50, 100),
        (100, 150),
        (150, 200),
        (200, 250),
        (250, 300),
    ] {
        browser.searches(from, to).await;
        browser.settle().await;
        let (js, wasm) = browser.memory().await;
        let mut objects = Vec::new();
        for prototype in PROTOTYPES {
            objects.push(browser.live_objects(prototype).await);
        }
        println!("after {to} searches: JS heap {js} B, wasm {wasm} B, objects {objects:?}");
        samples.push((js, wasm));
    }
    let ((js_50, wasm_50), (js_300, wasm_300)) = (samples[0], samples[5]);
    assert!(
        flat(js_50, js_300),
        "JS heap grew from {js_50} B to {js_300} B"
    );
    assert!(
        flat(wasm_50, wasm_300) && wasm_300 - wasm_50 <= WASM_GROWTH_LIMIT,
        "wasm memory grew from {wasm_50} B to {wasm_300} B"
    );
    browser.close().await;
}
