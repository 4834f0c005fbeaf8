//! Benchmark of the widget in headless Chromium on loopback: prints figures, asserts nothing.
//!
//! Starts the backend with its sandbox in-process and serves the release build
//! (`GETTY_PICKER_DIST` or `dist/`). Everything is timed in the page (`performance.now()`), so
//! WebDriver's latency is left out; each run opens its page in a fresh browser (cold cache).
//!
//! 1. **Widget and floor**, side by side in the same run, runs alternating: the widget as a CMS
//!    embeds it (30 images a page) and the floor, a minimal hand-written plain-JavaScript picker
//!    doing the same job (`examples/bench_floor.js`: token from the backend, the widget's search
//!    URL, 30 cards with thumbnails, a search box). For each: navigation start → search box
//!    ready; → the picker fully mounted (the widget's wasm); Enter → 30 cards once the page is
//!    quiet; JS heap (and wasm memory) after that one search; and, in another fresh page, Enter
//!    pressed the moment the box is ready → 30 cards (the widget's wasm may still be loading);
//!    and, once per page in one run, the JS heap after 50 and after 300 searches in one page
//!    (unpaged: the floor cannot page), as the growth between them.
//! 2. The widget with 100 images a page: Enter → 100 cards, and a plain `fetch` + `.json()` of
//!    the same search URL in the same page, so the widget's own share shows as a ratio;
//!    scrolling the end of the grid into view → the next 100 cards appended; JS heap and wasm
//!    memory after 1,000 results (10 pages).
//! 3. Once per build, in a page of 30 images a page: JS heap and wasm memory after 50 and after
//!    1,000 searches typed one after another (each paged once), as tests/browser/memory.rs measures them.
//!
//! Also prints the transfer size of the build (gzip -9 and brotli 11).
//!
//! With `GETTY_PICKER_BASE_DIST=<folder>`, a second build is served beside the first and measured
//! in the same runs (alternating), and the medians are also printed as ratios (this / base).
//!
//! `cargo run --release --example bench_widget [-- RUNS [floor]]` (default 5 runs; `floor`:
//! only part 1; `scripts/bench.sh` runs it)

#[path = "../tests/bundle/mod.rs"]
mod bundle;
#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::{HashMap, HashSet};
use std::process::ExitCode;

use serde_json::{json, Value};
use support::{Browser, Sandbox, MEMORY_FLAGS};

/// Images per page of the benchmark's picker (the most Getty allows).
const PAGE_SIZE: usize = 100;
/// Images per page in the comparison with the floor: the picker's default, as a CMS embeds it.
const COMPARE_PAGE_SIZE: usize = 30;
/// The floor: a minimal plain-JavaScript picker (`__FIELDS__` and `__STYLES__` filled in).
const FLOOR_JS: &str = include_str!("bench_floor.js");
/// Results loaded before memory is measured.
const RESULTS_FOR_MEMORY: usize = 1_000;
/// Searches typed in one page before memory is measured again.
const SEARCHES_FOR_MEMORY: u32 = 1_000;
const PHRASE: &str = "kitties";

/// Installed before the picker's module runs (widget or floor): records the moments the search
/// box becomes usable and the picker is mounted, and offers the in-page measurements.
const PROBE_JS: &str = r#"// getty-picker benchmark probe (examples/bench_widget.rs)
(() => {
  const PHRASE = "kitties";
  const probe = (window.__gpBench = { ready: null });

  const host = () => document.querySelector("[data-getty-picker]");
  const root = () => host() && host().shadowRoot;

  // Ready: the search box exists in the shadow root and is enabled. Mounted: the picker's own
  // tree is there too (its result grid), for the widget once its wasm has rendered. Checked on
  // every change of the picker's shadow DOM (exact) and every frame (fallback). With
  // `#type-at-ready:N` in the URL, the phrase is typed and Enter pressed the moment the box is
  // ready, and `typed` resolves with the time from that Enter to N cards.
  probe.mounted = null;
  probe.typed = null;
  const check = () => {
    const shadow = root();
    if (!shadow) return false;
    if (probe.ready === null) {
      const input = shadow.querySelector(".gp-search-input");
      if (input && !input.disabled) {
        probe.ready = performance.now();
        const early = /^#type-at-ready:(\d+)$/.exec(location.hash);
        if (early) probe.typed = probe.search(PHRASE, Number(early[1]));
      }
    }
    if (probe.mounted === null && shadow.querySelector(".gp-grid")) {
      probe.mounted = performance.now();
    }
    return probe.ready !== null && probe.mounted !== null;
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

  // Resolves with what `read()` returns once it is not null.
  const when = (read) => new Promise((resolve) => {
    const poll = () => {
      check();
      const value = read();
      if (value !== null) return resolve(value);
      setTimeout(poll, 20);
    };
    poll();
  });
  probe.readyAt = () => when(() => probe.ready);
  probe.mountedAt = () => when(() => probe.mounted);
  probe.typedAtReady = () => when(() => probe.typed);

  const cards = () => root().querySelectorAll(".gp-card").length;
  // Resolves with performance.now() at the first DOM change that brings the grid to `n` cards
  // and, if `stale` is given, replaced that first card (a new search's cards).
  const cardsReach = (n, stale) => new Promise((resolve) => {
    const done = () => cards() >= n && (!stale || root().querySelector(".gp-card") !== stale);
    if (done()) return resolve(performance.now());
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        resolve(performance.now());
      }
    });
    observer.observe(root(), { childList: true, subtree: true });
  });
  probe.cards = cards;

  // Enter in the search box → `n` cards; ms.
  // `lastSearch` breaks the last one down by its search request (Resource Timing): Enter → the
  // request sent (a token first, if none yet), the request, its answer → the cards.
  probe.search = async (phrase, n) => {
    const input = root().querySelector(".gp-search-input");
    input.value = phrase;
    input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    const start = performance.now();
    const shown = cardsReach(n, root().querySelector(".gp-card"));
    input.dispatchEvent(new KeyboardEvent("keydown",
      { key: "Enter", code: "Enter", bubbles: true, composed: true, cancelable: true }));
    const end = await shown;
    const request = performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/v3/search/images") && e.startTime >= start).pop();
    probe.lastSearch = request && {
      to_request: request.startTime - start,
      request: request.responseEnd - request.startTime,
      to_cards: end - request.responseEnd,
    };
    return end - start;
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

/// One run of one page in the comparison with the floor, in milliseconds or bytes.
#[derive(Debug, Default)]
struct Side {
    ready_ms: f64,
    mounted_ms: f64,
    enter_to_cards_ms: f64,
    /// Of those: Enter → search request sent, the request, its answer → the cards.
    to_request_ms: f64,
    request_ms: f64,
    to_cards_ms: f64,
    typed_at_ready_ms: f64,
    js_heap_bytes: f64,
    wasm_memory_bytes: f64,
    /// The search request, without its origin (the same for every page served here).
    search_url: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let runs = match args.next().map(|arg| arg.parse::<usize>()) {
        None => 5,
        Some(Ok(n)) if n > 0 => n,
        _ => return usage(),
    };
    let floor_only = match args.next().as_deref() {
        None => false,
        Some("floor") => true,
        Some("profile") => return profile_search(runs, false).await,
        Some("profile-warm") => return profile_search(runs, true).await,
        Some(_) => return usage(),
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
    if let Some(base) = &base {
        sandbox.add_build("base", base);
    }
    let mut prefixes = vec![("this build", "")];
    if base.is_some() {
        prefixes.push(("base build", "base/"));
    }

    compare_with_floor(&sandbox, &prefixes, runs).await;
    if floor_only {
        return ExitCode::SUCCESS;
    }

    let builds: Vec<(&str, String)> = prefixes
        .iter()
        .map(|(name, prefix)| (*name, write_page(&sandbox, prefix)))
        .collect();
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

fn usage() -> ExitCode {
    eprintln!(
        "usage: bench_widget [RUNS [floor|profile|profile-warm]]  (default 5 runs; floor: only \
         widget vs floor; profile: where a fresh page's first search's time goes, profile-warm: \
         a second search's; scripts/profile.sh)"
    );
    ExitCode::from(2)
}

/// `profile`: where the time of a fresh page's first search goes (Enter → 30 cards), or with
/// `warm` of a second search in the same page, from Chromium's sampling CPU profiler, summed
/// over `runs` fresh pages: each function's own time and its time with what it calls. Wasm
/// functions have names only in a build that keeps them (`scripts/profile.sh` makes one).
async fn profile_search(runs: usize, warm: bool) -> ExitCode {
    let sandbox = Sandbox::start().await;
    sandbox.write("bench-probe.js", PROBE_JS);
    let url = write_compare_page(&sandbox, "");
    let (mut own, mut total) = (Profile::default(), Profile::default());
    let mut searches = Vec::with_capacity(runs);
    for _ in 0..runs {
        let browser = Browser::start_with(&MEMORY_FLAGS).await;
        browser.allow_long_scripts().await;
        goto(&browser, &url).await;
        browser
            .eval("return __gpBench.settle().then(() => true)")
            .await;
        if warm {
            // Another phrase first, so the measured search renders every card anew.
            let first = format!("return __gpBench.search('puppies', {COMPARE_PAGE_SIZE})");
            number(&browser, &first).await;
            browser
                .eval("return __gpBench.settle().then(() => true)")
                .await;
        }
        browser.devtools("Profiler.enable", json!({})).await;
        browser
            .devtools("Profiler.setSamplingInterval", json!({ "interval": 50 }))
            .await;
        browser.devtools("Profiler.start", json!({})).await;
        searches.push(
            number(
                &browser,
                &format!("return __gpBench.search({PHRASE:?}, {COMPARE_PAGE_SIZE})"),
            )
            .await,
        );
        let profile = browser.devtools("Profiler.stop", json!({})).await;
        add_samples(&profile["profile"], &mut own, &mut total);
        browser.close().await;
    }
    let which = if warm { "second" } else { "first" };
    println!(
        "== {which} search, Enter -> {COMPARE_PAGE_SIZE} cards: {searches:.1?} ms; CPU profile summed over {runs} pages =="
    );
    for (what, profile) in [("own time", &own), ("with callees", &total)] {
        println!("-- {what} (ms, top 40) --");
        let mut rows: Vec<_> = profile.iter().collect();
        rows.sort_by(|a, b| b.1.total_cmp(a.1));
        for (name, micros) in rows.into_iter().take(40) {
            // Leptos' view types make names of thousands of characters; the start says enough.
            let name: String = name.chars().take(160).collect();
            println!("{:>9.1}  {name}", micros / 1e3);
        }
    }
    ExitCode::SUCCESS
}

/// Microseconds by function name.
type Profile = HashMap<String, f64>;

/// Adds a `Profiler.stop` profile's samples to `own` (the function sampled) and `total` (every
/// function on its stack, once each).
fn add_samples(profile: &Value, own: &mut Profile, total: &mut Profile) {
    let empty = Vec::new();
    let list = |key: &str| profile[key].as_array().unwrap_or(&empty);
    let nodes = list("nodes");
    let id = |node: &Value| node["id"].as_u64().unwrap_or_default();
    let name = |node: &Value| {
        let frame = &node["callFrame"];
        let function = frame["functionName"].as_str().unwrap_or_default();
        let file = frame["url"].as_str().unwrap_or_default();
        let file = file.rsplit('/').next().unwrap_or_default();
        match (function, file) {
            ("", "") => "(anonymous)".to_owned(),
            ("", file) => format!("(anonymous) {file}"),
            (function, "") => function.to_owned(),
            (function, file) => format!("{function}  {file}"),
        }
    };
    let by_id: HashMap<u64, &Value> = nodes.iter().map(|node| (id(node), node)).collect();
    let mut parent = HashMap::new();
    for node in nodes {
        for child in node["children"].as_array().into_iter().flatten() {
            parent.insert(child.as_u64().unwrap_or_default(), id(node));
        }
    }
    let (samples, deltas) = (list("samples"), list("timeDeltas"));
    // A sample's delta is the time before it; the time it stands for is the next one's.
    for (at, sample) in samples.iter().enumerate() {
        let micros = deltas
            .get(at + 1)
            .and_then(Value::as_f64)
            .unwrap_or_default();
        let mut node = sample.as_u64().unwrap_or_default();
        let Some(first) = by_id.get(&node) else {
            continue;
        };
        *own.entry(name(first)).or_default() += micros;
        let mut seen = HashSet::new();
        while let Some(current) = by_id.get(&node) {
            let function = name(current);
            if seen.insert(function.clone()) {
                *total.entry(function).or_default() += micros;
            }
            match parent.get(&node) {
                Some(&up) => node = up,
                None => break,
            }
        }
    }
}

/// Part 1: each build and the floor, side by side, `runs` runs alternating after one warm-up
/// each; prints each page's figures and the ratios to the floor.
async fn compare_with_floor(sandbox: &Sandbox, builds: &[(&str, &str)], runs: usize) {
    sandbox.write("search-driver.js", support::SEARCH_DRIVER_JS);
    let mut pages: Vec<(&str, String)> = builds
        .iter()
        .map(|(name, prefix)| (*name, write_compare_page(sandbox, prefix)))
        .collect();
    pages.push(("floor", write_floor_page(sandbox)));
    println!(
        "== widget and plain-JS floor: headless Chromium, {COMPARE_PAGE_SIZE} images a page, median of {runs} runs (after 1 warm-up) =="
    );
    for (_, url) in &pages {
        measure_side(url).await;
    }
    let mut results: Vec<Vec<Side>> = pages.iter().map(|_| Vec::with_capacity(runs)).collect();
    for run in 1..=runs {
        for ((name, url), results) in pages.iter().zip(&mut results) {
            let side = measure_side(url).await;
            eprintln!("{name}, run {run}: {side:?}");
            results.push(side);
        }
    }
    // The floor must do the widget's job: the very same search request.
    let floor_url = &results[pages.len() - 1][0].search_url;
    for ((name, _), results) in pages.iter().zip(&results) {
        if results.iter().any(|side| &side.search_url != floor_url) {
            println!("!! {name} searched another URL than the floor: {results:?}");
        }
    }
    // Memory over many searches, each page in the same loop: unpaged, as the floor cannot page.
    let mut growth = Vec::with_capacity(pages.len());
    for (name, url) in &pages {
        let [(js_50, wasm_50), (js, wasm)] = memory_over_searches(url, MEMORY_LOOP.1, false).await;
        eprintln!("{name}: JS heap {js_50} -> {js} B, wasm {wasm_50} -> {wasm} B");
        growth.push((js_50, js, wasm_50, wasm));
    }
    println!("{:<44} {:>22}", "metric", "median (min-max)");
    for (name, unit, get) in SIDE_METRICS {
        println!("{name}");
        for ((page, _), results) in pages.iter().zip(&results) {
            let values = sorted_by(results, get);
            println!(
                "  {page:<42} {:>9} ({}-{})",
                show(median(&values), unit),
                show(values[0], unit),
                show(values[values.len() - 1], unit)
            );
        }
        let floor = median(&sorted_by(&results[pages.len() - 1], get));
        for ((page, _), results) in pages.iter().zip(&results).take(pages.len() - 1) {
            let value = median(&sorted_by(results, get));
            let (what, figure) = if unit == "MB" {
                ("minus floor", show(value - floor, unit))
            } else {
                ("/ floor", show(value / floor, "x"))
            };
            println!("  {:<42} {figure:>9}", format!("{page} {what}"));
        }
    }
    let (from, to) = MEMORY_LOOP;
    println!("JS heap, search {from} -> {to} in one page, after gc() (one run)");
    for ((page, _), (before, after, _, _)) in pages.iter().zip(&growth) {
        println!(
            "  {page:<42} {:>6.2} MB -> {:.2} MB ({:+.2} MB)",
            before / 1e6,
            after / 1e6,
            (after - before) / 1e6
        );
    }
    let floor = growth[pages.len() - 1];
    for ((page, _), (before, after, _, _)) in pages.iter().zip(&growth).take(pages.len() - 1) {
        println!(
            "  {:<42} {:>+9.2} MB",
            format!("{page} growth minus floor's"),
            ((after - before) - (floor.1 - floor.0)) / 1e6
        );
    }
    println!("wasm memory, search {from} -> {to} (one run)");
    for ((page, _), (_, _, before, after)) in pages.iter().zip(&growth).take(pages.len() - 1) {
        println!(
            "  {page:<42} {:>6.2} MB -> {:.2} MB ({:+.2} MB)",
            before / 1e6,
            after / 1e6,
            (after - before) / 1e6
        );
    }
}

/// The searches between which the comparison's memory is measured: after the first, and after
/// the second (as in `tests/browser/memory.rs`).
const MEMORY_LOOP: (u32, u32) = (50, 300);

/// (JS heap bytes, wasm linear memory bytes) after `MEMORY_LOOP.0` searches and after `to`,
/// on the page at `url` (with the search driver), each search paged once if `paged`, each
/// measurement once the page is quiet.
async fn memory_over_searches(url: &str, to: u32, paged: bool) -> [(f64, f64); 2] {
    let browser = Browser::open_url_with(url, &MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;
    let first = MEMORY_LOOP.0;
    let mut after_first = (f64::NAN, f64::NAN);
    for from in (0..to).step_by(first as usize) {
        browser
            .searches_paged(from, (from + first).min(to), paged)
            .await;
        // Thumbnails of earlier searches must not pile up (see `Browser::settle`).
        browser.settle().await;
        if from == 0 {
            after_first = browser.memory().await;
        }
    }
    let after = browser.memory().await;
    browser.close().await;
    [after_first, after]
}

/// A comparison figure's name, unit and value in a run.
type SideMetric = (&'static str, &'static str, fn(&Side) -> f64);

/// A comparison page's metrics, in the order printed.
const SIDE_METRICS: [SideMetric; 8] = [
    ("navigation start -> search box ready", "ms", |s| s.ready_ms),
    ("navigation start -> picker mounted", "ms", |s| s.mounted_ms),
    ("Enter -> 30 cards (page quiet)", "ms", |s| {
        s.enter_to_cards_ms
    }),
    ("  Enter -> search request sent (token first)", "ms", |s| {
        s.to_request_ms
    }),
    ("  the search request (network)", "ms", |s| s.request_ms),
    ("  its answer -> 30 cards", "ms", |s| s.to_cards_ms),
    ("Enter at search box ready -> 30 cards", "ms", |s| {
        s.typed_at_ready_ms
    }),
    ("JS heap after one search", "MB", |s| s.js_heap_bytes / 1e6),
];

/// The widget page of the comparison for the build under `/{prefix}`: one picker as a CMS
/// embeds it (default page size), the probes before the widget's module.
fn write_compare_page(sandbox: &Sandbox, prefix: &str) -> String {
    let api = sandbox.api_base();
    let name = format!("{prefix}compare.html");
    sandbox.write(
        &name,
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>widget</title>
<script src="/memory-probe.js"></script><script src="/bench-probe.js"></script>
<script src="/search-driver.js"></script>
<script type="module" src="/{prefix}getty-picker.js"></script></head>
<body><main><h1>Picker</h1><div data-getty-picker data-token-url="{api}/token"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-open-tab="false"></div></main></body></html>"#
        ),
    );
    format!("{}{name}", sandbox.page_url())
}

/// The floor page: the same markup and probes, with `examples/bench_floor.js` for a picker.
fn write_floor_page(sandbox: &Sandbox) -> String {
    let styles = serde_json::to_string(include_str!("../style/picker.css")).expect("a JS string");
    let script = FLOOR_JS
        .replace("__FIELDS__", getty_picker::getty::query::FIELDS)
        .replace("__STYLES__", &styles);
    sandbox.write("floor.js", &script);
    let api = sandbox.api_base();
    sandbox.write(
        "floor.html",
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title>
<script src="/memory-probe.js"></script><script src="/bench-probe.js"></script>
<script src="/search-driver.js"></script>
<script type="module" src="/floor.js"></script></head>
<body><main><h1>Picker</h1><div data-getty-picker data-token-url="{api}/token"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-open-tab="false"></div></main></body></html>"#
        ),
    );
    format!("{}floor.html", sandbox.page_url())
}

/// One run of a comparison page: a fresh browser loads it, waits until it is mounted and quiet,
/// searches, and measures memory once the thumbnails are in; then another fresh browser loads it
/// and presses Enter the moment the box is ready.
async fn measure_side(url: &str) -> Side {
    let browser = Browser::start_with(&MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    goto(&browser, url).await;
    let mut side = Side {
        ready_ms: number(&browser, "return __gpBench.readyAt()").await,
        mounted_ms: number(&browser, "return __gpBench.mountedAt()").await,
        ..Side::default()
    };
    browser
        .eval("return __gpBench.settle().then(() => true)")
        .await;
    side.enter_to_cards_ms = number(
        &browser,
        &format!("return __gpBench.search({PHRASE:?}, {COMPARE_PAGE_SIZE})"),
    )
    .await;
    let parts = browser.eval("return __gpBench.lastSearch").await;
    (side.to_request_ms, side.request_ms, side.to_cards_ms) = (
        field(&parts, "to_request"),
        field(&parts, "request"),
        field(&parts, "to_cards"),
    );
    browser
        .eval("return __gpBench.settle().then(() => true)")
        .await;
    side.search_url = browser
        .eval(
            "const searches = performance.getEntriesByType('resource')
               .map((e) => new URL(e.name)).filter((u) => u.pathname.startsWith('/v3/search/'));
             // gloo-net ends the widget's URLs with the '&' of an empty extra query.
             return searches.map((u) => (u.pathname + u.search).replace(/&$/, '')).join(' ')",
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (side.js_heap_bytes, side.wasm_memory_bytes) = browser.memory().await;
    browser.close().await;

    let browser = Browser::start_with(&[]).await;
    browser.allow_long_scripts().await;
    goto(
        &browser,
        &format!("{url}#type-at-ready:{COMPARE_PAGE_SIZE}"),
    )
    .await;
    side.typed_at_ready_ms = number(&browser, "return __gpBench.typedAtReady()").await;
    browser.close().await;
    side
}

async fn goto(browser: &Browser, url: &str) {
    browser
        .client
        .goto(url)
        .await
        .unwrap_or_else(|error| panic!("{url} loads: {error}"));
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
<script src="/search-driver.js"></script>
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
    memory_over_searches(url, SEARCHES_FOR_MEMORY, true).await
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
    sorted_by(runs, get)
}

/// One figure's values across runs of any kind, sorted.
fn sorted_by<T>(runs: &[T], get: fn(&T) -> f64) -> Vec<f64> {
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
        "MB" => format!("{value:.2} MB"),
        _ => format!("{value:.1} ms"),
    }
}
