//! The search box the entry module draws before the wasm is ready (packaging/shell.js): it takes
//! typing and Enter at once, and the picker takes it over without losing anything. The test
//! server holds the wasm back until the editor has typed, so "before the wasm is ready" is not
//! left to timing. Headless Chromium against the backend's sandbox, pages on another origin
//! with a strict CSP header.

use crate::support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use fantoccini::key::Key;
use getty_picker::i18n::Locale;
use serde_json::{json, Value};
use support::{eventually, settle, titles, wait_for_results, Browser, Sandbox};
use tokio::sync::watch;

/// Holds every request for a `.wasm` file until opened, counting them.
struct Gate {
    open: watch::Sender<bool>,
    held: AtomicUsize,
}

async fn hold_wasm(State(gate): State<Arc<Gate>>, request: Request, next: Next) -> Response {
    if request.uri().path().ends_with(".wasm") {
        gate.held.fetch_add(1, Ordering::SeqCst);
        let mut open = gate.open.subscribe();
        let _ = open.wait_for(|open| *open).await;
    }
    next.run(request).await
}

/// The sandbox's site served from another origin with the sandbox's CSP, the wasm held back.
struct GatedSite {
    sandbox: Sandbox,
    addr: SocketAddr,
    gate: Arc<Gate>,
    task: tokio::task::JoinHandle<()>,
}

impl GatedSite {
    async fn start(page: &str) -> Self {
        use axum::http::{header, HeaderValue};
        use tower_http::services::ServeDir;
        use tower_http::set_header::SetResponseHeaderLayer;

        let sandbox = Sandbox::start().await;
        let api = sandbox.api_base();
        sandbox.write("early.html", &page.replace("{{API}}", &api));
        sandbox.write("fetch-spy.js", FETCH_SPY_JS);
        let gate = Arc::new(Gate {
            open: watch::Sender::new(false),
            held: AtomicUsize::new(0),
        });
        let app = axum::Router::new()
            .fallback_service(ServeDir::new(sandbox.site_path()))
            .layer(middleware::from_fn_with_state(gate.clone(), hold_wasm))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_str(&sandbox.csp()).expect("a valid CSP header"),
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the site's address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            sandbox,
            addr,
            gate,
            task,
        }
    }

    fn url(&self) -> String {
        format!("http://localhost:{}/early.html", self.addr.port())
    }

    /// Waits until the page asked for the wasm (and is kept waiting).
    async fn wasm_requested(&self) {
        eventually("the page asks for the wasm", || async {
            (self.gate.held.load(Ordering::SeqCst) > 0).then_some(())
        })
        .await;
    }

    fn release_wasm(&self) {
        self.gate.open.send_replace(true);
    }
}

impl Drop for GatedSite {
    fn drop(&mut self) {
        self.release_wasm();
        self.task.abort();
    }
}

/// Loaded before the entry module: counts the page's token requests as they are made (Resource
/// Timing lists a request only once its answer was read).
const FETCH_SPY_JS: &str = r#"window.__tokenRequests = 0;
const fetchAsPage = window.fetch;
window.fetch = (resource, init) => {
  if (String(resource?.url ?? resource).includes("/token")) window.__tokenRequests += 1;
  return fetchAsPage.call(window, resource, init);
};
"#;

/// A page with both forms of the picker: markup (`#markup`) and element (`#element`, German).
const PAGE: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>early</title>
<script src="/fetch-spy.js"></script>
<script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Early typing</h1>
<div id="markup" data-getty-picker data-token-url="{{API}}/token" data-api-key="sandbox-api-key"
 data-api-base="{{API}}" data-open-tab="false"></div>
<getty-picker id="element" token-url="{{API}}/token" api-key="sandbox-api-key"
 api-base="{{API}}" open-tab="false" locale="de"></getty-picker>
</main></body></html>"#;

/// Waits until the German picker (`#element`) shows the first page of `phrase`, whose titles
/// the sandbox marks as localised.
async fn german_results(browser: &Browser, phrase: &str) {
    let expected: Vec<String> = titles(phrase, None, 1, 30)
        .into_iter()
        .map(|title| format!("[de] {title}"))
        .collect();
    eventually(
        &format!("#element shows the results for {phrase:?}"),
        || async {
            let shown = browser.texts_in("#element", ".gp-card .gp-title").await;
            (shown == expected).then_some(())
        },
    )
    .await;
}

/// What the editor sees of a picker's search box: its nodes, texts, accessible name and look.
async fn search_box(browser: &Browser, host: &str) -> Value {
    browser
        .eval(&format!(
            "const root = document.querySelector({host:?}).shadowRoot;
             const input = root.querySelector('.gp-search-input');
             const button = root.querySelector('.gp-search-button');
             window.boxes ??= {{}};
             const same = window.boxes[{host:?}] === undefined
                 || (window.boxes[{host:?}][0] === input && window.boxes[{host:?}][1] === button);
             window.boxes[{host:?}] = [input, button];
             const look = (el) => {{
               const style = getComputedStyle(el);
               return [style.fontSize, style.fontFamily, style.backgroundColor, style.color,
                       style.borderTopLeftRadius, style.paddingLeft,
                       Math.round(el.getBoundingClientRect().height * 10) / 10];
             }};
             return {{ same, value: input.value, label: input.getAttribute('aria-label'),
                      placeholder: input.placeholder, button: button.textContent,
                      input_look: look(input), button_look: look(button),
                      mounted: root.querySelector('.gp-status') !== null }}"
        ))
        .await
}

support::every_engine!(typing_and_enter_before_the_wasm_is_ready_become_the_first_search_once);
async fn typing_and_enter_before_the_wasm_is_ready_become_the_first_search_once() {
    let site = GatedSite::start(PAGE).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page loads");
    // The searches are read from Resource Timing, whose default buffer (150 entries in WebKit)
    // the thumbnails of two pickers fill.
    browser
        .eval("performance.setResourceTimingBufferSize(100000); return true")
        .await;
    site.wasm_requested().await;
    let markup = browser.find_in("#markup", ".gp-search-input").await;
    let element = browser.find_in("#element", ".gp-search-input").await;
    let before = [
        search_box(&browser, "#markup").await,
        search_box(&browser, "#element").await,
    ];
    for early in &before {
        assert_eq!(
            early["mounted"],
            json!(false),
            "the wasm is held back: {early}"
        );
    }
    assert_eq!(
        browser.eval("return typeof window.GettyPicker").await,
        json!("undefined")
    );

    // Real key presses: a phrase and Enter in one, a phrase alone in the other.
    markup
        .send_keys(&format!("kitties{}", char::from(Key::Enter)))
        .await
        .expect("typing into the markup picker's box");
    element
        .send_keys("puppies")
        .await
        .expect("typing into the element's box");
    settle().await;
    assert_eq!(
        browser.requests_to("/v3/search/").await,
        0,
        "nothing can search before the wasm"
    );
    assert_eq!(site.sandbox.counts().search, 0);
    // Typing means a search is coming: the token it needs is asked for now, while the wasm is
    // held back, once for the two pickers on one token URL.
    assert_eq!(
        browser.eval("return window.__tokenRequests").await,
        json!(1),
        "the token, early"
    );

    site.release_wasm();
    wait_for_results(&browser, "#markup", "kitties", 30).await;
    german_results(&browser, "puppies").await;
    settle().await;
    assert_eq!(
        browser.eval("return window.__tokenRequests").await,
        json!(1),
        "the pickers searched with the token asked for early"
    );
    assert_eq!(browser.requests_to("/token").await, 1);

    let after = [
        search_box(&browser, "#markup").await,
        search_box(&browser, "#element").await,
    ];
    for ((early, late), (phrase, label, button)) in before.iter().zip(&after).zip([
        ("kitties", "Search Getty Images", "Search"),
        ("puppies", "Getty Images durchsuchen", "Suchen"),
    ]) {
        assert_eq!(late["mounted"], json!(true), "{late}");
        assert_eq!(
            late["same"],
            json!(true),
            "the picker keeps the very same nodes"
        );
        assert_eq!(late["value"], json!(phrase), "nothing typed is lost");
        for (key, expected) in [("label", label), ("placeholder", label), ("button", button)] {
            assert_eq!(early[key], json!(expected), "before the wasm: {early}");
            assert_eq!(late[key], json!(expected), "after the wasm: {late}");
        }
        for key in ["input_look", "button_look"] {
            assert_eq!(
                early[key], late[key],
                "{key} is the same before and after the wasm"
            );
        }
    }
    assert_eq!(
        browser
            .eval("return document.activeElement.id + ' ' + document.activeElement.shadowRoot.activeElement.className")
            .await,
        json!("element gp-search-input"),
        "focus stays where the editor typed"
    );

    let searches = browser.request_urls("/v3/search/").await;
    assert_eq!(searches.len(), 2, "one search per picker: {searches:?}");
    assert!(
        searches.iter().any(|url| url.contains("phrase=kitties&"))
            && searches.iter().any(|url| url.contains("phrase=puppies&")),
        "{searches:?}"
    );
    assert_eq!(
        site.sandbox.counts().search,
        2,
        "{:?}",
        site.sandbox.counts()
    );
    assert_eq!(
        browser
            .eval("return [...document.querySelectorAll('#markup, #element')].map((host) => host.shadowRoot.querySelector('.gp-mount').hasAttribute('data-gp-shell'))")
            .await,
        json!([false, false]),
        "the boxes are the pickers' now"
    );

    // The box the picker took over is its own: typing more searches what it says. (How many
    // searches typing costs is tests/budgets.rs's concern; a loaded machine may pause longer
    // than the debounce between WebDriver's key presses.)
    element
        .send_keys(&format!(" jumping{}", char::from(Key::Enter)))
        .await
        .expect("typing more");
    german_results(&browser, "puppies jumping").await;
    // Any of the searches, not the last entry: WebKit records a superseded (aborted) request
    // in Resource Timing when it ends, which may be after the search that replaced it.
    eventually("a search for the longer phrase", || async {
        let urls = browser.request_urls("/v3/search/images").await;
        urls.iter()
            .any(|url| url.contains("phrase=puppies%20jumping&"))
            .then_some(())
    })
    .await;
    browser.close().await;
}

support::every_engine!(the_search_button_before_the_wasm_is_ready_searches_once_it_is);
async fn the_search_button_before_the_wasm_is_ready_searches_once_it_is() {
    let site = GatedSite::start(PAGE).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page loads");
    site.wasm_requested().await;
    let input = browser.find_in("#markup", ".gp-search-input").await;
    input.send_keys("owls").await.expect("typing");
    browser
        .find_in("#markup", ".gp-search-button")
        .await
        .click()
        .await
        .expect("clicking the search button");
    site.release_wasm();
    wait_for_results(&browser, "#markup", "owls", 30).await;
    settle().await;
    assert_eq!(
        browser.request_urls("/v3/search/").await.len(),
        1,
        "one search"
    );
    assert_eq!(site.sandbox.counts().search, 1);
    browser.close().await;
}

support::every_engine!(the_early_search_box_speaks_every_locale_as_the_picker_does);
/// The box's texts before the wasm (packaging/shell.js, from the locale files) are the ones the
/// picker shows once it takes the box over, in every language and for tags the picker folds
/// into one of them (`pt`, `zh-TW`, `de-AT`) or does not speak (`cs`, `zh-CN`: English), so the
/// box does not change its words under the editor's eyes.
async fn the_early_search_box_speaks_every_locale_as_the_picker_does() {
    let tags: Vec<&str> = Locale::all()
        .map(|locale| locale.tag())
        .chain(["pt", "zh-TW", "de-AT", "cs", "zh-CN"])
        .collect();
    let pickers: String = tags
        .iter()
        .enumerate()
        .map(|(index, tag)| {
            format!(
                r#"<div id="p{index}" data-getty-picker data-token-url="{{{{API}}}}/token"
 data-api-key="sandbox-api-key" data-api-base="{{{{API}}}}" data-locale="{tag}"></div>"#
            )
        })
        .collect();
    let page = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>early</title>
<script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Every language</h1>{pickers}</main></body></html>"#
    );
    let site = GatedSite::start(&page).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.url())
        .await
        .expect("the page loads");
    site.wasm_requested().await;
    let expected: Vec<(String, String)> = tags.iter().map(|tag| search_texts(tag)).collect();
    for (index, (tag, (label, button))) in tags.iter().zip(&expected).enumerate() {
        let early = search_box(&browser, &format!("#p{index}")).await;
        assert_eq!(early["mounted"], json!(false), "{tag}: {early}");
        assert_eq!(early["placeholder"], json!(label), "{tag} before the wasm");
        assert_eq!(early["button"], json!(button), "{tag} before the wasm");
    }
    site.release_wasm();
    for (index, (tag, (label, button))) in tags.iter().zip(&expected).enumerate() {
        let host = format!("#p{index}");
        let late = eventually(&format!("the {tag} picker takes its box over"), || async {
            let late = search_box(&browser, &host).await;
            (late["mounted"] == json!(true)).then_some(late)
        })
        .await;
        assert_eq!(late["same"], json!(true), "{tag}: the same nodes");
        assert_eq!(late["placeholder"], json!(label), "{tag} after the wasm");
        assert_eq!(late["button"], json!(button), "{tag} after the wasm");
    }
    browser.close().await;
}

/// The search box's label and button in the language the picker speaks for `tag`: its locale
/// file's, or English.
fn search_texts(tag: &str) -> (String, String) {
    let english = ("Search Getty Images".to_owned(), "Search".to_owned());
    let Some(locale) = Locale::for_tag(tag).filter(|locale| locale.file().is_some()) else {
        return english;
    };
    let path = format!(
        "{}/locales/{}.json",
        env!("CARGO_MANIFEST_DIR"),
        locale.tag()
    );
    let text = std::fs::read_to_string(&path).expect("a locale file");
    let entries: Value = serde_json::from_str(&text).expect("a locale file of JSON");
    let entry = |name: &str| {
        entries[name]
            .as_str()
            .unwrap_or_else(|| panic!("{path} has {name}"))
            .to_owned()
    };
    (entry("search_label"), entry("search_button"))
}
