//! Chaos soak: many pickers in one headless Chromium, for minutes, against the sandbox with
//! random faults (5xx, 401, 429, slow answers, dropped connections, token revocations), typing,
//! paging and downloading at random, while an attacker loop beside them forces token refreshes
//! as fast as it can. Prints figures; asserts nothing (it is not a test).
//!
//! `cargo run --release --example soak -- [PICKERS] [MINUTES] [FAULT_RATE] [ATTACKERS]`
//! (defaults 10, 3, 0.1, 4; `scripts/soak.sh` runs it). Loopback only; it stops by itself.

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use getty_sandbox::{Endpoint, Fault};
use support::{Browser, Sandbox, MEMORY_FLAGS};

/// In-page driver: each picker acts at random (search, page, download) and the outcomes are
/// counted; also counts console errors and crash notices.
const DRIVER_JS: &str = r#"// getty-picker soak driver (examples/soak.rs)
(() => {

  const stats = {
    searches: 0, ok: 0, recovered: 0, failed: 0, messages: {},
    pages: 0, downloads_intended: 0, deliveries: 0, download_failures: 0,
    console_errors: 0, crashed: 0,
    token_requests: 0, token_stalled: 0, token_slowest_ms: 0, token_slowest_wait_ms: 0,
  };
  // Every token request the pickers make, timed by the browser: the whole request, and the
  // wait for the first byte of the answer (the token page is same-origin, so both are known).
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!new URL(entry.name).pathname.endsWith("/token")) continue;
      stats.token_requests++;
      if (entry.duration > 1000) stats.token_stalled++;
      stats.token_slowest_ms = Math.max(stats.token_slowest_ms, entry.duration);
      if (entry.responseStart > 0) {
        stats.token_slowest_wait_ms =
          Math.max(stats.token_slowest_wait_ms, entry.responseStart - entry.requestStart);
      }
    }
  }).observe({ type: "resource", buffered: true });
  const error = console.error;
  console.error = (...args) => {
    stats.console_errors++;
    if (String(args[0]).includes("crashed")) stats.crashed++;
    return error.apply(console, args);
  };
  let running = false;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const roots = () => [...document.querySelectorAll("[data-getty-picker]")].map((e) => e.shadowRoot);
  const statusOf = (root) => root.querySelector(".gp-status").textContent;

  // Waits until the status line no longer says the search is under way (max 30 s).
  const outcome = async (root) => {
    for (let waited = 0; waited < 30000; waited += 50) {
      const status = statusOf(root);
      if (!status.startsWith("Searching")) return status;
      await sleep(50);
    }
    return "stuck";
  };

  const search = async (root, n) => {
    const phrase = pick(["kitties", "dogs", "sunsets", "harbour", "city", "forest"]) + " " + n;
    const input = root.querySelector(".gp-search-input");
    // Typed key by key, as an editor does (the picker debounces), then Enter half the time.
    for (let i = 1; i <= phrase.length; i += 3) {
      input.value = phrase.slice(0, i);
      input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
      await sleep(20 + Math.random() * 60);
    }
    input.value = phrase;
    input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
    if (Math.random() < 0.5) {
      input.dispatchEvent(new KeyboardEvent("keydown",
        { key: "Enter", bubbles: true, composed: true, cancelable: true }));
    }
    stats.searches++;
    await sleep(400);
    let status = await outcome(root);
    if (status.includes(`“${phrase}”`) && !status.startsWith("Search failed")) {
      stats.ok++;
      return;
    }
    const retry = root.querySelector(".gp-retry");
    if (retry) {
      retry.click();
      await sleep(100);
      status = await outcome(root);
      if (!status.startsWith("Search failed") && status !== "stuck") {
        stats.recovered++;
        return;
      }
    }
    stats.failed++;
    const message = status.replace(/“.*”/, "“…”").slice(0, 120);
    stats.messages[message] = (stats.messages[message] || 0) + 1;
  };

  const page = async (root) => {
    const more = root.querySelector(".gp-load-more");
    if (!more || more.disabled) return;
    stats.pages++;
    more.click();
    await sleep(300);
  };

  // Opens a random card's details and downloads from them, unless that image was already.
  const download = async (root) => {
    const cards = [...root.querySelectorAll(".gp-card")];
    if (cards.length === 0) return;
    const card = pick(cards);
    card.querySelector(".gp-card-open").click();
    let button = null;
    for (let waited = 0; waited < 5000 && !button; waited += 50) {
      await sleep(50);
      const shown = [...root.querySelectorAll(".gp-panel-facts dd")]
        .some((fact) => fact.textContent === card.dataset.id);
      if (shown) button = root.querySelector(".gp-panel .gp-download");
    }
    if (!button || button.disabled || button.textContent !== "Download") return;
    // One intent, clicked one to three times in a hurry.
    stats.downloads_intended++;
    const clicks = 1 + Math.floor(Math.random() * 3);
    for (let i = 0; i < clicks; i++) button.click();
    const panel = button.closest(".gp-panel");
    for (let waited = 0; waited < 30000; waited += 50) {
      if (panel.querySelector(".gp-delivery-link")) { stats.deliveries++; return; }
      if (panel.querySelector(".gp-card-error")) { stats.download_failures++; return; }
      if (!button.isConnected) return;
      await sleep(50);
    }
  };

  const act = async (root, index) => {
    let n = 0;
    while (running) {
      const roll = Math.random();
      if (roll < 0.5 || root.querySelectorAll(".gp-card").length === 0) await search(root, `${index}-${n++}`);
      else if (roll < 0.8) await page(root);
      else await download(root);
      await sleep(100 + Math.random() * 400);
    }
  };

  window.__soak = {
    start: () => { running = true; roots().forEach((root, i) => act(root, i)); return true; },
    stop: () => { running = false; return true; },
    stats: () => stats,
    // Whatever still looks busy once everything had time to settle: must be none.
    stuck: () => roots().reduce((sum, root) => sum
      + root.querySelectorAll('.gp-download[aria-busy="true"]').length
      + (statusOf(root).startsWith("Searching") ? 1 : 0)
      + [...root.querySelectorAll(".gp-load-more")].filter((b) => b.disabled).length, 0),
    notices: () => roots().filter((root) => root.querySelector(".gp-notice")).length,
  };
})();
"#;

/// The faults drawn from, with their names in the summary.
fn random_fault(roll: f64) -> (&'static str, Option<Fault>) {
    match (roll * 7.0) as u32 {
        0 => ("500", Some(Fault::Status(500))),
        1 => ("503", Some(Fault::Status(503))),
        2 => ("401", Some(Fault::Status(401))),
        3 => ("429", Some(Fault::Status(429))),
        4 => ("slow (3 s)", Some(Fault::Delay(Duration::from_secs(3)))),
        5 => ("dropped connection", Some(Fault::DropConnection)),
        _ => ("revocation", None),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pickers: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10);
    let minutes: f64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3.0);
    let rate: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(0.1);
    let attackers: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(4);
    if pickers == 0
        || pickers > 50
        || !(0.0..=60.0).contains(&minutes)
        || !(0.0..=1.0).contains(&rate)
        || attackers > 64
    {
        eprintln!(
            "usage: soak [PICKERS 1-50] [MINUTES up to 60] [FAULT_RATE 0-1] [ATTACKERS 0-64]"
        );
        return ExitCode::from(2);
    }

    let sandbox = Sandbox::start().await;
    sandbox.write("soak-driver.js", DRIVER_JS);
    // The token URL on the page's own origin: its requests are timed in full by the browser and
    // do not queue behind the searches in the API origin's connection pool.
    let token_url = format!("{}token", sandbox.page_url());
    let ids: Vec<String> = (0..pickers).map(|i| format!("p{i}")).collect();
    let specs: Vec<(&str, &str, &str)> = ids
        .iter()
        .map(|id| (id.as_str(), token_url.as_str(), r#"data-open-tab="false""#))
        .collect();
    let page = sandbox.page_with_pickers("soak.html", &specs);
    // The driver must run before the widget's module: served as a page of its own that loads it.
    let html_path = "soak-page.html";
    let html = std::fs::read_to_string(page_file(&sandbox, "soak.html")).expect("the soak page");
    sandbox.write(
        html_path,
        &html.replace(
            "<head>",
            r#"<head><script src="/memory-probe.js"></script><script src="/soak-driver.js"></script>"#,
        ),
    );
    let url = page.replace("soak.html", html_path);
    let browser = Browser::open_url_with(&url, &MEMORY_FLAGS).await;
    browser.allow_long_scripts().await;
    browser
        .eval("performance.setResourceTimingBufferSize(250); return true")
        .await;

    let (start_js, start_wasm) = browser.memory().await;
    browser.eval("return __soak.start()").await;
    println!(
        "soak: {pickers} pickers, {minutes} min, fault rate {rate}, {attackers} attacker loops"
    );
    let attacking = Arc::new(AtomicBool::new(true));
    // Each attacker from a loopback address of its own (127.0.0.2, …): other people than the
    // editors, whose browser is 127.0.0.1.
    let attack: Vec<_> = (0..attackers)
        .map(|i| {
            let from = std::net::Ipv4Addr::new(127, 0, 0, 2 + i as u8);
            tokio::spawn(attacker(sandbox.api_base(), from, attacking.clone()))
        })
        .collect();

    // Faults follow the traffic: each tick, `rate` of the requests since the last tick are
    // answered with a random fault (queued for the next requests of the same endpoint).
    let until = Instant::now() + Duration::from_secs_f64(minutes * 60.0);
    let mut seen = sandbox.counts();
    let mut injected: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut debt = 0.0;
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move || {
        // xorshift64*: deterministic enough for a soak, no extra dependency.
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        (seed.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let now = sandbox.counts();
        let requests = (now.search - seen.search) + (now.download - seen.download);
        seen = now;
        debt += requests as f64 * rate;
        while debt >= 1.0 {
            debt -= 1.0;
            let endpoint = if random() < 0.75 {
                Endpoint::Search
            } else {
                Endpoint::Download
            };
            let (name, fault) = random_fault(random());
            match fault {
                Some(fault) => sandbox.inject(endpoint, fault, 1),
                None => {
                    sandbox.revoke_tokens();
                }
            }
            *injected.entry(name).or_default() += 1;
        }
    }
    browser.eval("return __soak.stop()").await;
    attacking.store(false, Ordering::SeqCst);
    let mut attacked = Attack::default();
    for loop_ in attack {
        if let Ok(done) = loop_.await {
            attacked.add(done);
        }
    }
    sandbox.clear_faults();
    // Time for everything under way to end (slow answers, backoffs, retries).
    tokio::time::sleep(Duration::from_secs(15)).await;

    let stats = browser.eval("return __soak.stats()").await;
    let stuck = browser.eval("return __soak.stuck()").await;
    let notices = browser.eval("return __soak.notices()").await;
    let (end_js, end_wasm) = browser.memory().await;
    let counts = sandbox.counts();
    browser.close().await;

    println!("faults injected:        {injected:?}");
    println!(
        "searches:               {} started, {} ok, {} recovered (after \"Try again\"), {} failed",
        stats["searches"], stats["ok"], stats["recovered"], stats["failed"]
    );
    if let Some(messages) = stats["messages"].as_object() {
        for (message, count) in messages {
            println!("  failed with:          {count} x {message}");
        }
    }
    println!("further pages asked:    {}", stats["pages"]);
    println!(
        "downloads:              {} intended, {} POSTs reached Getty, {} delivered, {} failed with a message",
        stats["downloads_intended"], counts.download, stats["deliveries"], stats["download_failures"]
    );
    println!(
        "editors' token requests: {} made, {} stalled over 1 s, slowest {:.0} ms (first byte after {:.0} ms)",
        stats["token_requests"],
        stats["token_stalled"],
        stats["token_slowest_ms"].as_f64().unwrap_or_default(),
        stats["token_slowest_wait_ms"].as_f64().unwrap_or_default()
    );
    println!(
        "attacker:               {} forced refreshes ({:.0}/s), answers {:?}, slowest {} ms; sandbox token calls {}, token checks {}",
        attacked.requests,
        attacked.requests as f64 / (minutes * 60.0).max(1.0),
        attacked.statuses,
        attacked.slowest.as_millis(),
        counts.token,
        counts.countries
    );
    println!("stuck busy states:      {stuck}");
    println!(
        "panics:                 {} (crash notices {notices}, console errors {})",
        stats["crashed"], stats["console_errors"]
    );
    println!(
        "JS heap:                {:.1} MB at start, {:.1} MB at end",
        start_js / 1e6,
        end_js / 1e6
    );
    println!(
        "wasm memory:            {:.1} MB at start, {:.1} MB at end",
        start_wasm / 1e6,
        end_wasm / 1e6
    );
    ExitCode::SUCCESS
}

/// What the attacker loops did.
#[derive(Default)]
struct Attack {
    requests: u64,
    statuses: BTreeMap<u16, u64>,
    slowest: Duration,
}

impl Attack {
    fn add(&mut self, other: Attack) {
        self.requests += other.requests;
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        self.slowest = self.slowest.max(other.slowest);
    }
}

/// Someone who may get a token and forces refreshes from the address `from`, chasing the
/// current token's id (and now and then the legacy `?refresh=1`), back to back until
/// `running` is cleared.
async fn attacker(api: String, from: std::net::Ipv4Addr, running: Arc<AtomicBool>) -> Attack {
    let client = reqwest::Client::builder()
        .local_address(std::net::IpAddr::V4(from))
        .build()
        .unwrap_or_default();
    let mut attack = Attack::default();
    let mut current = String::from("0000000000000000");
    while running.load(Ordering::SeqCst) {
        let query = if attack.requests % 10 == 9 {
            "refresh=1".to_owned()
        } else {
            format!("refresh=1&refused={current}")
        };
        let started = Instant::now();
        let answer = client.post(format!("{api}/token?{query}")).send().await;
        attack.slowest = attack.slowest.max(started.elapsed());
        attack.requests += 1;
        let Ok(answer) = answer else {
            *attack.statuses.entry(0).or_default() += 1;
            continue;
        };
        *attack.statuses.entry(answer.status().as_u16()).or_default() += 1;
        let body = answer.bytes().await.unwrap_or_default();
        if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&body) {
            if let Some(id) = body["token_id"].as_str() {
                current = id.to_owned();
            }
        }
    }
    attack
}

/// Where the site file `name` of `sandbox` is.
fn page_file(sandbox: &Sandbox, name: &str) -> std::path::PathBuf {
    sandbox.site_path().join(name)
}
