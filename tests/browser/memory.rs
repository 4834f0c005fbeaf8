//! Memory over a working day: one picker in one page, searches typed one after another (each
//! paged once), measured after a forced garbage collection every 50 searches. What each search
//! leaves behind (listeners, closures, reactive owners and subscriptions, answers) must be
//! freed with it. Asserted: neither the JS heap nor the wasm memory after search 300 exceeds
//! that after search 50 by more than 10% or 1 MB; the wasm memory, by more than 64 KiB; and, as
//! a count that does not depend on the heap's ups and downs, as many card elements, buttons,
//! pictures and functions are alive after search 300 as after search 50.
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
/// allocator may take at any time. Stricter than a 10% share, which the grid's leak of
/// about 450 bytes a search (fixed) passed in some runs (+7.7%) and failed in others (+12%);
/// since, it has not grown at all (here, and over 1,000 searches in the benchmark).
const WASM_GROWTH_LIMIT: f64 = 65_536.0;

/// Whether memory at search 300 (`after`) exceeds that at search 50 (`before`) by no more than
/// [`GROWTH_SHARE`] and [`GROWTH_LIMIT`].
fn flat(before: f64, after: f64) -> bool {
    after - before <= (before * GROWTH_SHARE).min(GROWTH_LIMIT)
}

/// The kinds of objects counted after each batch of searches (`Runtime.queryObjects`, after the
/// garbage collections): the first [`FLAT_PROTOTYPES`] must be as many after search 300 as after
/// search 50 (the cards on screen and the page's own handlers); the rest are printed, as V8's
/// own objects and arrays vary a little.
const PROTOTYPES: [&str; 8] = [
    "HTMLLIElement.prototype",
    "HTMLButtonElement.prototype",
    "HTMLImageElement.prototype",
    "Function.prototype",
    // A card's marks differ from search to search.
    "HTMLSpanElement.prototype",
    "Text.prototype",
    "Object.prototype",
    "Array.prototype",
];

/// How many of [`PROTOTYPES`] must not grow at all.
const FLAT_PROTOTYPES: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_over_300_searches() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_url_with(&sandbox.memory_page(""), &MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;

    let (mut samples, mut objects) = (Vec::new(), Vec::new());
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
        let mut live = Vec::new();
        for prototype in PROTOTYPES {
            live.push(browser.live_objects(prototype).await);
        }
        println!("after {to} searches: JS heap {js} B, wasm {wasm} B, live objects {live:?}");
        samples.push((js, wasm));
        objects.push(live);
    }
    // What is alive of the cards and their handlers is what the grid shows, after 50 searches
    // as after 300: a leak of cards, their pictures or of closures would count here exactly.
    let (objects_50, objects_300) = (&objects[0], &objects[5]);
    for (index, prototype) in PROTOTYPES.iter().enumerate().take(FLAT_PROTOTYPES) {
        assert_eq!(
            objects_50[index], objects_300[index],
            "live {prototype} objects after 50 and after 300 searches"
        );
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
