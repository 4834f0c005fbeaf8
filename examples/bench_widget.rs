//! Benchmark of the widget in headless Chromium on loopback: prints figures, asserts nothing.
//!
//! Starts the backend with its sandbox in-process, serves the release build (`GETTY_PICKER_DIST`
//! or `dist/`) with a page whose picker shows 100 images a page, and for each run opens that page
//! in a fresh browser (cold cache) and measures, in the page so WebDriver's latency is left out:
//!
//! - navigation start → search box present in the shadow root and enabled;
//! - Enter → 100 result cards in the DOM, and a plain `fetch` + `.json()` of the same search URL
//!   in the same page, so the widget's own share shows as a ratio;
//! - scrolling the end of the grid into view → the next 100 cards appended;
//! - JS heap and wasm linear memory after 1,000 results (10 pages);
//! - once per build, in a page of 30 images a page: JS heap and wasm linear memory after 50
//!   and after 1,000 searches typed one after another (each paged once), as tests/memory.rs
//!   measures them.
//!
//! Also prints the transfer size of the build (gzip -9 and brotli 11).
//!
//! With `GETTY_PICKER_BASE_DIST=<folder>`, a second build is served beside the first and measured
//! in the same run, runs alternating between the two (so both see the same machine load), and
//! the medians are also printed as ratios (this build / base build).
//!
//! `cargo run --release --example bench_widget [-- RUNS]` (default 5; `scripts/bench.sh` runs it)

#[path = "../tests/bundle/mod.rs"]
mod bundle;
#[path = "../tests/support/mod.rs"]
mod support;

use std::process::ExitCode;

use serde_json::Value;
use support::{Browser, Sandbox, MEMORY_FLAGS};

/// Images per page of the benchmark's picker (the most Getty allows).
const PAGE_SIZE: usize = 100;
/// Results loaded before memory is measured.
const RESULTS_FOR_MEMORY: usize = 1_000;
/// Searches typed in one page before memory is measured again.
const SEARCHES_FOR_MEMORY: u32 = 1_000;
const PHRASE: &str = "kitties";

/// Installed before the widget's module runs: records the wasm instance's memory and the
/// moment the search box becomes usable, and offers the in-page measurements.
const PROBE_JS: &str = r#"// getty-picker benchmark probe (examples/bench_widget.rs)
(() => {
  const probe = (window.__gpBench = { ready: null });

  const host = () => document.querySelector("[data-getty-picker]");
  const root = () => host() && host().shadowRoot;

  // Interactive: the search box exists in the shadow root and is enabled. Checked on every
  // change of the picker's shadow DOM (exact) and every frame (fallback).
  const check = () => {
    if (probe.ready !== null) return true;
    const input = root() && root().querySelector(".gp-search-input");
    if (input && !input.disabled) probe.ready = performance.now();
    return probe.ready !== null;
  };
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const shadow = attachShadow.call(this, init);
    new MutationObserver((_, observer) => check() && observer.disconnect())
      .observe(shadow, { childList: true, subtree: true, attributes: true });
    return shadow;
  };
  const frame = () => check() || requestAnimationFrame(frame);
  requestAnimationFrame(frame);

  probe.readyAt = () => new Promise((resolve) => {
    const poll = () => {
      const mark = performance.getEntriesByName("getty-picker:ready", "mark")[0];
      if (mark) return resolve(mark.startTime);
      if (check()) return resolve(probe.ready);
      setTimeout(poll, 20);
    };
    poll();
  });

  const cards = () => root().querySelectorAll(".gp-card").length;
  // Resolves with performance.now() at the first DOM change that brings the grid to `n` cards.
  const cardsReach = (n) => new Promise((resolve) => {
    if (cards() >= n) return resolve(performance.now());
    const observer = new MutationObserver(() => {
      if (cards() >= n) {
        observer.disconnect();
        resolve(performance.now());
      }
    });
    observer.observe(root(), { childList: true, subtree: true });
  });
  probe.cards = cards;

  // Enter in the search box → `n` cards; ms.
  probe.search = async (phrase, n) => {
    const input = root().querySelector(".gp-search-input");
    input.value = phrase;
    input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    const start = performance.now();
    const shown = cardsReach(n);
    input.dispatchEvent(new KeyboardEvent("keydown",
      { key: "Enter", code: "Enter", bubbles: true, composed: true, cancelable: true }));
    return (await shown) - start;
  };

  // Until the network is quiet (no request finished for 200 ms; at most 10 s), so the grid's
  // thumbnails do not queue in front of the next measured request (6 connections per origin).
  probe.settle = () => new Promise((resolve) => {
    const until = performance.now() + 10000;
    let seen = -1;
    let quietSince = performance.now();
    const poll = () => {
      const now = performance.now();
      const count = performance.getEntriesByType("resource").length;
      if (count !== seen) [seen, quietSince] = [count, now];
      if (now - quietSince >= 200 || now > until) return resolve();
      setTimeout(poll, 20);
    };
    poll();
  });

  // The widget's last search request, then the same URL by plain fetch + JSON.parse; ms.
  probe.plainFetch = async () => {
    await probe.settle();
    const searches = performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/v3/search/images"));
    const last = searches[searches.length - 1];
    const { tokenUrl, apiKey } = host().dataset;
    const answer = await fetch(tokenUrl, { method: "POST", credentials: "include" });
    const { access_token } = await answer.json();
    const start = performance.now();
    const response = await fetch(last.name, {
      cache: "no-store",
      headers: { "Api-Key": apiKey, Authorization: `Bearer ${access_token}` },
    });
    const body = await response.json();
    const elapsed = performance.now() - start;
    if (!response.ok || !Array.isArray(body.images)) throw new Error(`search: ${response.status}`);
    return { fetch: elapsed, widget_request: last.responseEnd - last.startTime };
  };

  // Scroll the end of the grid into view → `PAGE` more cards; ms.
  probe.nextPage = async (page) => {
    await probe.settle();
    const want = cards() + page;
    const start = performance.now();
    const shown = cardsReach(want);
    root().querySelector(".gp-sentinel").scrollIntoView();
    return (await shown) - start;
  };
})();
"#;

/// One run's figures, in milliseconds or bytes.
#[derive(Debug, Default)]
struct Run {
    interactive_ms: f64,
    enter_to_cards_ms: f64,
    plain_fetch_ms: f64,
    widget_request_ms: f64,
    next_page_ms: f64,
    js_heap_bytes: f64,
    wasm_memory_bytes: f64,
}

#[tokio::main]
async fn main() -> ExitCode {
    let runs = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 5,
        Some(Ok(n)) if n > 0 => n,
        _ => {
            eprintln!("usage: bench_widget [RUNS]  (default 5)");
            return ExitCode::from(2);
        }
    };

    let dist = bundle::dist_dir();
    println!("== bundle: {} ==", dist.display());
    println!("{}", bundle::table(&bundle::measure(&dist)));
    let base = std::env::var_os("GETTY_PICKER_BASE_DIST").map(std::path::PathBuf::from);
    if let Some(base) = &base {
        println!("== base bundle: {} ==", base.display());
        println!("{}", bundle::table(&bundle::measure(base)));
    }

    let sandbox = Sandbox::start().await;
    sandbox.write("bench-probe.js", PROBE_JS);
    let mut builds = vec![("this build", write_page(&sandbox, ""))];
    if let Some(base) = &base {
        sandbox.add_build("base", base);
        builds.push(("base build", write_page(&sandbox, "base/")));
    }
    println!(
        "== widget: headless Chromium, {PAGE_SIZE} images a page, median of {runs} runs (after 1 warm-up) =="
    );
    // The first run of each build warms the OS's file cache and the backend; it is dropped.
    for (_, url) in &builds {
        measure_run(url).await;
    }
    let mut results: Vec<Vec<Run>> = builds.iter().map(|_| Vec::with_capacity(runs)).collect();
    for run in 1..=runs {
        // Interleaved, so a burst of load on the machine falls on both builds alike.
        for ((name, url), results) in builds.iter().zip(&mut results) {
            let figures = measure_run(url).await;
            eprintln!("{name}, run {run}: {figures:?}");
            results.push(figures);
        }
    }
    for ((name, _), results) in builds.iter().zip(&results) {
        println!("-- {name} --");
        print_table(results);
    }
    if let [current, base] = &results[..] {
        println!("-- this build / base build (medians) --");
        print_ratios(current, base);
    }
    println!(
        "== memory over a working day: {SEARCHES_FOR_MEMORY} searches in one page, each paged once (30 images a page) =="
    );
    let mut prefixes = vec![("this build", "")];
    if base.is_some() {
        prefixes.push(("base build", "base/"));
    }
    for (name, prefix) in prefixes {
        let [(js_50, wasm_50), (js, wasm)] =
            memory_after_many_searches(&sandbox.memory_page(prefix)).await;
        println!("-- {name} --");
        for (what, before, after) in [("JS heap", js_50, js), ("wasm memory", wasm_50, wasm)] {
            println!(
                "{:<44} {:>7.2} MB -> {:>5.2} MB ({:+.1}%)",
                format!("{what} after 50 -> {SEARCHES_FOR_MEMORY} searches"),
                before / 1e6,
                after / 1e6,
                (after - before) / before * 100.0
            );
        }
    }
    ExitCode::SUCCESS
}

/// The benchmark page for the build served under `/{prefix}`: one picker, 100 images a page,
/// the probe before the widget's module.
fn write_page(sandbox: &Sandbox, prefix: &str) -> String {
    let api = sandbox.api_base();
    let name = format!("{prefix}bench.html");
    sandbox.write(
        &name,
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bench</title>
<script src="/memory-probe.js"></script><script src="/bench-probe.js"></script>
<script type="module" src="/{prefix}getty-picker.js"></script></head>
<body><main><h1>Picker</h1><div data-getty-picker data-token-url="{api}/token"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-page-size="{PAGE_SIZE}"
 data-open-tab="false"></div></main></body></html>"#
        ),
    );
    format!("{}{name}", sandbox.page_url())
}

/// One run: a fresh browser (empty cache) loads the page and goes through every measurement.
async fn measure_run(url: &str) -> Run {
    let browser = Browser::start_with(&MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .client
        .goto(url)
        .await
        .unwrap_or_else(|error| panic!("{url} loads: {error}"));
    let mut run = Run {
        interactive_ms: time_to_interactive(&browser).await,
        ..Run::default()
    };
    (
        run.enter_to_cards_ms,
        run.plain_fetch_ms,
        run.widget_request_ms,
    ) = enter_to_cards_and_plain_fetch(&browser).await;
    run.next_page_ms = next_page(&browser).await;
    (run.js_heap_bytes, run.wasm_memory_bytes) = memory_after_many_results(&browser).await;
    browser.close().await;
    run
}

/// Navigation start → search box usable (or the widget's `getty-picker:ready` mark), ms.
async fn time_to_interactive(browser: &Browser) -> f64 {
    number(browser, "return __gpBench.readyAt()").await
}

/// Enter → 100 cards, then a plain fetch of the same search URL in the same page: (widget ms,
/// plain fetch ms, the widget's own search request ms from Resource Timing).
async fn enter_to_cards_and_plain_fetch(browser: &Browser) -> (f64, f64, f64) {
    let widget = number(
        browser,
        &format!("return __gpBench.search({PHRASE:?}, {PAGE_SIZE})"),
    )
    .await;
    let fetched = browser.eval("return __gpBench.plainFetch()").await;
    (
        widget,
        field(&fetched, "fetch"),
        field(&fetched, "widget_request"),
    )
}

/// Scrolling the end of the grid into view → the next page's 100 cards appended, ms.
async fn next_page(browser: &Browser) -> f64 {
    number(browser, &format!("return __gpBench.nextPage({PAGE_SIZE})")).await
}

/// Pages in up to 1,000 results, then (JS heap bytes, wasm linear memory bytes).
async fn memory_after_many_results(browser: &Browser) -> (f64, f64) {
    while (number(browser, "return __gpBench.cards()").await as usize) < RESULTS_FOR_MEMORY {
        number(browser, &format!("return __gpBench.nextPage({PAGE_SIZE})")).await;
    }
    browser.memory().await
}

/// (JS heap bytes, wasm linear memory bytes) after 50 and after [`SEARCHES_FOR_MEMORY`]
/// searches on the memory page at `url`, each measurement once the page is quiet.
async fn memory_after_many_searches(url: &str) -> [(f64, f64); 2] {
    let browser = Browser::open_url_with(url, &MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;
    let mut after_50 = (f64::NAN, f64::NAN);
    for from in (0..SEARCHES_FOR_MEMORY).step_by(50) {
        browser.searches(from, from + 50).await;
        // Thumbnails of earlier searches must not pile up (see `Browser::settle`).
        browser.settle().await;
        if from == 0 {
            after_50 = browser.memory().await;
        }
    }
    let after = browser.memory().await;
    browser.close().await;
    [after_50, after]
}

async fn number(browser: &Browser, script: &str) -> f64 {
    let value = browser.eval(script).await;
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{script} gave {value}, not a number"))
}

fn field(value: &Value, name: &str) -> f64 {
    value[name].as_f64().unwrap_or(f64::NAN)
}

/// A metric's name, unit and value in a run.
type Metric = (&'static str, &'static str, fn(&Run) -> f64);

/// The metrics, in the order printed.
const METRICS: [Metric; 8] = [
    ("navigation start -> interactive search box", "ms", |r| {
        r.interactive_ms
    }),
    ("Enter -> 100 cards in the DOM", "ms", |r| {
        r.enter_to_cards_ms
    }),
    ("  plain fetch + json() of the same URL", "ms", |r| {
        r.plain_fetch_ms
    }),
    ("  widget / plain fetch", "x", |r| {
        r.enter_to_cards_ms / r.plain_fetch_ms
    }),
    ("  the widget's search request (network)", "ms", |r| {
        r.widget_request_ms
    }),
    ("scroll -> next 100 cards appended", "ms", |r| {
        r.next_page_ms
    }),
    ("JS heap after 1,000 results", "MB", |r| {
        r.js_heap_bytes / 1e6
    }),
    ("wasm memory after 1,000 results", "MB", |r| {
        r.wasm_memory_bytes / 1e6
    }),
];

/// Median, min and max of each metric across runs.
fn print_table(runs: &[Run]) {
    println!("{:<44} {:>9} {:>9} {:>9}", "metric", "median", "min", "max");
    for (name, unit, get) in METRICS {
        let values = sorted(runs, get);
        let (median, min, max) = (median(&values), values[0], values[values.len() - 1]);
        println!(
            "{:<44} {:>9} {:>9} {:>9}",
            name,
            show(median, unit),
            show(min, unit),
            show(max, unit)
        );
    }
}

/// Each metric's median for `current` divided by its median for `base`.
fn print_ratios(current: &[Run], base: &[Run]) {
    for (name, _, get) in METRICS {
        let ratio = median(&sorted(current, get)) / median(&sorted(base, get));
        println!("{name:<44} {:>9}", show(ratio, "x"));
    }
}

/// One metric's values across runs, sorted.
fn sorted(runs: &[Run], get: fn(&Run) -> f64) -> Vec<f64> {
    let mut values: Vec<f64> = runs.iter().map(get).collect();
    values.sort_by(f64::total_cmp);
    values
}

/// The median of sorted values (the mean of the middle two for an even count).
fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn show(value: f64, unit: &str) -> String {
    if value.is_nan() {
        return "n/a".to_owned();
    }
    match unit {
        "x" => format!("{value:.2}x"),
        "MB" => format!("{value:.1} MB"),
        _ => format!("{value:.1} ms"),
    }
}
