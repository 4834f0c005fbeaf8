//! Memory over a working day: one picker in one page, searches typed one after another (each
//! paged once), measured after a forced garbage collection. What each search leaves behind
//! (listeners, closures, reactive owners, answers) must be freed with it.

mod support;

use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use serde_json::Value;
use support::{Browser, Sandbox};

/// Records the wasm instance's memory as the widget's module instantiates it, and drives
/// searches from inside the page (no WebDriver round trip per step).
const PROBE_JS: &str = r#"// getty-picker memory probe (tests/memory.rs)
(() => {
  const memories = [];
  const keep = (result) => {
    const instance = result && (result.instance || result);
    const memory = instance && instance.exports && instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) memories.push(memory);
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => plain.apply(WebAssembly, args).then(keep);

  const root = () => document.querySelector("[data-getty-picker]").shadowRoot;
  const cards = () => root().querySelectorAll(".gp-card").length;
  const until = (check) => new Promise((resolve, reject) => {
    const started = performance.now();
    const poll = () => {
      if (check()) return resolve();
      if (performance.now() - started > 20000) return reject(new Error("timed out"));
      setTimeout(poll, 5);
    };
    poll();
  });

  // Searches "memory <i>" for i in [from, to), each followed by its second page.
  window.__gpSearches = async (from, to) => {
    for (let i = from; i < to; i++) {
      const phrase = `memory ${i}`;
      const input = root().querySelector(".gp-search-input");
      input.value = phrase;
      input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
      input.dispatchEvent(new KeyboardEvent("keydown",
        { key: "Enter", bubbles: true, composed: true, cancelable: true }));
      await until(() => root().querySelector(".gp-status").textContent.includes(`“${phrase}”`)
        && root().querySelector(".gp-status").textContent.includes("results")
        && cards() >= 30);
      root().querySelector(".gp-sentinel").scrollIntoView();
      await until(() => cards() >= 60);
      // Resource Timing entries are the test's, not the widget's: keep them from piling up.
      performance.clearResourceTimings();
    }
    return cards();
  };

  // After garbage collection: used JS heap and wasm memory, bytes.
  window.__gpMemory = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      js_heap: performance.memory.usedJSHeapSize,
      wasm: memories.reduce((sum, memory) => sum + memory.buffer.byteLength, 0),
    };
  };
})();
"#;

/// Searches (with their second page) from `from` up to `to`, in chunks the WebDriver script
/// timeout allows.
async fn search(browser: &Browser, from: u32, to: u32) {
    for start in (from..to).step_by(25) {
        let end = (start + 25).min(to);
        let cards = browser
            .eval(&format!(
                "return __gpSearches({start}, {end}).catch(e => 'failed: ' + e)"
            ))
            .await;
        assert!(
            cards.as_u64().is_some_and(|n| n >= 60),
            "searches {start}..{end}: {cards}"
        );
    }
}

/// (JS heap, wasm memory) in bytes after a forced garbage collection.
async fn memory(browser: &Browser) -> (f64, f64) {
    let memory: Value = browser.eval("return __gpMemory()").await;
    let read = |name: &str| {
        memory[name]
            .as_f64()
            .unwrap_or_else(|| panic!("{name} in {memory}"))
    };
    (read("js_heap"), read("wasm"))
}

/// Whether `after` exceeds `before` by at most 10% and at most 1 MB.
fn flat(before: f64, after: f64) -> bool {
    after - before <= (before * 0.10).min(1_000_000.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_over_300_searches() {
    let sandbox = Sandbox::start().await;
    sandbox.write("memory-probe.js", PROBE_JS);
    let api = sandbox.api_base();
    sandbox.write(
        "memory.html",
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>memory</title>
<script src="/memory-probe.js"></script>
<script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Picker</h1><div data-getty-picker data-token-url="{api}/token"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-open-tab="false"></div></main></body></html>"#
        ),
    );
    let url = format!("{}memory.html", sandbox.page_url());
    let browser = Browser::open_url_with(
        &url,
        &["--enable-precise-memory-info", "--js-flags=--expose-gc"],
    )
    .await;
    browser
        .client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(180)),
            Some(Duration::from_secs(60)),
            None,
        ))
        .await
        .expect("setting WebDriver timeouts");
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;

    search(&browser, 0, 50).await;
    let (js_50, wasm_50) = memory(&browser).await;
    search(&browser, 50, 300).await;
    let (js_300, wasm_300) = memory(&browser).await;
    println!("after 50 searches: JS heap {js_50} B, wasm {wasm_50} B");
    println!("after 300 searches: JS heap {js_300} B, wasm {wasm_300} B");
    assert!(
        flat(js_50, js_300),
        "JS heap grew from {js_50} B to {js_300} B"
    );
    assert!(
        flat(wasm_50, wasm_300),
        "wasm memory grew from {wasm_50} B to {wasm_300} B"
    );
    browser.close().await;
}
