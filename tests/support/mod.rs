//! Harness for the browser tests: the real backend with its sandbox, the widget's release
//! build, and a browser (Chromium, Firefox or WebKit: `engine.rs`) driven over WebDriver.
//! Everything listens on loopback only.

#![allow(dead_code)] // Each test file uses its own subset.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::{Element, ShadowRoot};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use getty_picker_server::{Config, RunningServer};
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::SandboxCounts;
use getty_sandbox::{DownloadRecord, Endpoint, Fault, PastDownload, Product};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

mod engine;

pub use engine::{Engine, Launch};

/// Declares each `name` (an `async fn name()` of the calling module) a browser test whose
/// outcome depends on the engine, as the test `<module>::<name>::every_engine`:
/// `scripts/test-browsers.sh` runs it in Chromium, Firefox ESR and WebKit, and every other
/// test in Chromium only (the rule is in docs/testing.md). Written where `#[tokio::test]`
/// would be, before the function's doc comment.
#[allow(unused_macros)] // The examples that share this harness declare no tests.
macro_rules! every_engine {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn every_engine() {
                super::$name().await;
            }
        }
    )+};
}
#[allow(unused_imports)]
pub(crate) use every_engine;

/// CSS selector of the (first) picker's mount element, whose shadow root holds the widget.
pub const PICKER_HOST: &str = "[data-getty-picker]";

/// CSS selector of the details panel inside a picker: where an image's licensing controls are.
pub const PANEL: &str = ".gp-panel";

/// JavaScript for the node that holds the (first) picker's DOM, for `querySelector` in scripts.
pub const PICKER_ROOT: &str = "document.querySelector('[data-getty-picker]').shadowRoot";

/// Served as `/memory-probe.js` by [`Sandbox::start`]; a page loads it before the widget's
/// module. It keeps the wasm instance's memory as the module instantiates it, and
/// `__gpMemory()` reports, after forced garbage collections, the JS heap and the wasm memory in
/// bytes (Chromium started with [`MEMORY_FLAGS`]).
pub const MEMORY_PROBE_JS: &str = r#"// getty-picker memory probe (tests/support/mod.rs)
(() => {
  const memories = [];
  const keep = (result) => {
    const instance = result && (result.instance || result);
    const memory = instance && instance.exports && instance.exports.memory;
    if (memory instanceof WebAssembly.Memory) memories.push(memory);
    return result;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
  }
  const plain = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => plain.apply(WebAssembly, args).then(keep);
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

/// Served as `/search-driver.js` by [`Sandbox::memory_page`]: drives searches from inside the
/// page (no WebDriver round trip per step) for [`Browser::searches`] and [`Browser::settle`].
pub const SEARCH_DRIVER_JS: &str = r#"// getty-picker search driver (tests/support/mod.rs)
(() => {
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

  // Searches "memory <i>" for i in [from, to), each followed by its second page unless `paged`
  // is false (a picker without paging, such as the benchmark's floor).
  window.__gpSearches = async (from, to, paged = true) => {
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
      if (paged) {
        root().querySelector(".gp-sentinel").scrollIntoView();
        await until(() => cards() >= 60);
      }
      // Resource Timing entries are the test's, not the widget's: keep them from piling up.
      performance.clearResourceTimings();
    }
    return cards();
  };

  // Resolves once no request has finished for 2 s (thumbnails of earlier searches still
  // loading), so that memory held by work in flight is not counted as left behind.
  window.__gpSettle = async () => {
    const started = performance.now();
    let quietSince = performance.now();
    while (performance.now() - quietSince < 2000) {
      if (performance.now() - started > 150000) throw new Error("requests never settled");
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (performance.getEntriesByType("resource").length > 0) quietSince = performance.now();
      performance.clearResourceTimings();
    }
    return true;
  };
})();
"#;

/// Chromium flags that [`MEMORY_PROBE_JS`] needs: exact heap figures and `gc()`.
pub const MEMORY_FLAGS: [&str; 2] = ["--enable-precise-memory-info", "--js-flags=--expose-gc"];

/// How long a condition may take before a test fails; generous for a loaded 2-core CI box.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// The placeholder origin in `index.html`, replaced by the test server's.
const DEV_BACKEND: &str = "http://127.0.0.1:8787";

/// The backend in sandbox mode, serving a copy of the release build whose index.html points at it.
pub struct Sandbox {
    server: RunningServer,
    site: TempDir,
}

impl Sandbox {
    /// Starts the backend and prepares the widget's release build (`dist/`) for it.
    pub async fn start() -> Self {
        Self::start_configured(|_| {}).await
    }

    /// [`Sandbox::start`], with the sandbox configuration changed by `configure` first.
    pub async fn start_configured(configure: impl FnOnce(&mut Config)) -> Self {
        let site = TempDir::new("site");
        let mut config = Config::sandbox();
        configure(&mut config);
        config.static_dir = Some(site.path().to_owned());
        let server = getty_picker_server::start(config)
            .await
            .expect("the backend starts");
        copy_release_build(
            site.path(),
            &format!("http://127.0.0.1:{}", server.addr().port()),
        );
        let sandbox = Self { server, site };
        sandbox.write("memory-probe.js", MEMORY_PROBE_JS);
        // One product for every image, nothing required, no limit: tests that are not about
        // licences download without choosing. (The sandbox's own demo account asks for project
        // codes and has a spent product; tests/browser/licences.rs sets the accounts it is about.)
        sandbox.set_products(vec![product("easyaccess", "Easy Access", "Everyone")]);
        sandbox
    }

    /// Replaces the sandbox account's products.
    pub fn set_products(&self, products: Vec<Product>) {
        self.sandbox().set_products(products);
    }

    /// The sandbox account's products as they stand (downloads spent counted).
    pub fn products(&self) -> Vec<Product> {
        self.sandbox().products()
    }

    /// Every download the sandbox delivered, with what it was charged to and sent.
    pub fn downloads_log(&self) -> Vec<DownloadRecord> {
        self.sandbox().downloads_log()
    }

    /// Adds to the company's download history that `user` licensed image `id` with the
    /// product `product_id` at `at` (Unix seconds), spending nothing now.
    pub fn seed_download(&self, id: &str, product_id: u32, user: &str, at: u64) {
        self.sandbox()
            .seed_download(PastDownload {
                id: id.to_owned(),
                product_id,
                user: user.to_owned(),
                at,
                project_code: None,
                notes: None,
            })
            .expect("a past download is seeded");
    }

    /// Writes `contents` to `name` in the served site (for extra test pages and scripts).
    pub fn write(&self, name: &str, contents: &str) {
        std::fs::write(self.site.path().join(name), contents)
            .unwrap_or_else(|error| panic!("writing {name} into the site: {error}"));
    }

    /// Writes a page with one picker (30 images a page) that loads [`MEMORY_PROBE_JS`], then
    /// [`SEARCH_DRIVER_JS`], then the build served under `/{prefix}`, and returns its URL.
    pub fn memory_page(&self, prefix: &str) -> String {
        self.write("search-driver.js", SEARCH_DRIVER_JS);
        let api = self.api_base();
        let name = format!("{}memory.html", prefix.replace('/', "-"));
        self.write(
            &name,
            &format!(
                r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>memory</title>
<script src="/memory-probe.js"></script><script src="/search-driver.js"></script>
<script type="module" src="/{prefix}getty-picker.js"></script></head>
<body><main><h1>Picker</h1><div data-getty-picker data-token-url="{api}/token"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-open-tab="false"></div></main></body></html>"#
            ),
        );
        format!("{}{name}", self.page_url())
    }

    /// Serves another release build (`dist`) under `/{folder}/` of the site, e.g. to compare
    /// two builds in one run.
    pub fn add_build(&self, folder: &str, dist: &Path) {
        let target = self.site.path().join(folder);
        std::fs::create_dir_all(&target).expect("a site subdirectory");
        copy_dir(dist, &target, &self.api_base());
    }

    /// Writes a page `name` with one picker per `(id, token URL, extra attributes)`, loading the
    /// widget through its entry module, and returns the page's URL.
    pub fn page_with_pickers(&self, name: &str, pickers: &[(&str, &str, &str)]) -> String {
        let api = self.api_base();
        let divs: String = pickers
            .iter()
            .map(|(id, token_url, attributes)| {
                format!(
                    r#"<section><h2>{id}</h2><div id="{id}" data-getty-picker data-token-url="{token_url}"
 data-api-key="sandbox-api-key" data-api-base="{api}" {attributes}></div></section>"#
                )
            })
            .collect();
        self.write(
            name,
            &format!(
                r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Pickers</h1>{divs}</main></body></html>"#
            ),
        );
        format!("{}{name}", self.page_url())
    }

    /// Writes a page `name` with one picker on this backend's token URL, with the extra
    /// `attributes`, and returns the page's URL.
    pub fn page_with(&self, name: &str, attributes: &str) -> String {
        let token_url = format!("{}/token", self.api_base());
        self.page_with_pickers(name, &[("picker", &token_url, attributes)])
    }

    /// The CSP a CMS page needs for the widget (README): scripts and styles from its own origin,
    /// WebAssembly compilation, images and API calls to the API host only.
    pub fn csp(&self) -> String {
        let api = self.api_base();
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' {api}; connect-src 'self' {api}"
        )
    }

    /// Serves the site from a second origin, as a CMS would, with [`Sandbox::csp`] as a real
    /// `Content-Security-Policy` header on every answer.
    pub async fn cms(&self) -> CmsHost {
        CmsHost::start(self.site.path(), &self.csp()).await
    }

    /// The backend's address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Base URL of the API (and token endpoint) as the widget is configured with it.
    pub fn api_base(&self) -> String {
        format!("http://127.0.0.1:{}", self.addr().port())
    }

    /// URL of the dev page, on a different origin (localhost) than the API so CORS is exercised.
    pub fn page_url(&self) -> String {
        format!("http://localhost:{}/", self.addr().port())
    }

    /// Requests the sandbox received so far, per endpoint.
    pub fn counts(&self) -> SandboxCounts {
        self.sandbox().counts()
    }

    /// Makes the next `times` answers of `endpoint` suffer `fault`.
    pub fn inject(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        self.sandbox().inject(endpoint, fault, times);
    }

    /// From now on refuses searches asking for any of `sizes` (e.g. `["comp", "preview"]`)
    /// with 403 `UnauthorizedDisplaySize`, as Getty does for keys without them.
    pub fn restrict_display_sizes(&self, sizes: &[&str]) {
        self.sandbox().restrict_display_sizes(sizes);
    }

    /// Drops every fault still queued.
    pub fn clear_faults(&self) {
        self.sandbox().clear_faults();
    }

    /// Revokes every access token the sandbox issued, as Getty may at any moment.
    pub fn revoke_tokens(&self) -> usize {
        self.sandbox().revoke_access_tokens()
    }

    /// The folder the site is served from.
    pub fn site_path(&self) -> &Path {
        self.site.path()
    }

    fn sandbox(&self) -> &getty_sandbox::Sandbox {
        self.server.sandbox().expect("started in sandbox mode")
    }
}

/// Copies `dist/` into `site`, pointing its pages (index.html, examples/*.html) at `backend`.
fn copy_release_build(site: &Path, backend: &str) {
    // GETTY_PICKER_DIST lets a build in another folder be tested (default: ./dist).
    let dist = std::env::var_os("GETTY_PICKER_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dist.join("index.html").is_file(),
        "{} is missing: run scripts/build.sh first (scripts/test.sh does)",
        dist.display()
    );
    let index = std::fs::read_to_string(dist.join("index.html")).expect("index.html is readable");
    assert!(
        index.contains(DEV_BACKEND),
        "index.html points at {DEV_BACKEND}"
    );
    copy_dir(&dist, site, backend);
}

fn copy_dir(from: &Path, to: &Path, backend: &str) {
    let entries = std::fs::read_dir(from)
        .unwrap_or_else(|error| panic!("{} is readable: {error}", from.display()));
    for entry in entries {
        let entry = entry.expect("a readable dist/ entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("a file type");
        if kind.is_dir() {
            std::fs::create_dir_all(&target).expect("a site subdirectory");
            copy_dir(&entry.path(), &target, backend);
        } else if entry.path().extension().is_some_and(|ext| ext == "html") {
            let html = std::fs::read_to_string(entry.path()).expect("a readable page");
            std::fs::write(target, html.replace(DEV_BACKEND, backend)).expect("a page written");
        } else if kind.is_file() {
            std::fs::copy(entry.path(), target).expect("a dist/ file copied");
        }
    }
}

/// A stand-in CMS: a static server for the site directory that sends a CSP header.
pub struct CmsHost {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl CmsHost {
    /// Serves the files under `site` on a loopback port, with `csp` as the CSP header.
    pub async fn start(site: &Path, csp: &str) -> Self {
        use axum::http::{header, HeaderValue};
        use tower_http::services::ServeDir;
        use tower_http::set_header::SetResponseHeaderLayer;

        let csp = HeaderValue::from_str(csp).expect("a valid CSP header");
        let app = axum::Router::new()
            .fallback_service(ServeDir::new(site))
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                csp,
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the CMS");
        let addr = listener.local_addr().expect("the CMS's address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, task }
    }

    /// URL of `page` on the CMS's origin (localhost: another origin than the API's 127.0.0.1).
    pub fn url(&self, page: &str) -> String {
        format!("http://localhost:{}/{page}", self.addr.port())
    }
}

impl Drop for CmsHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What the stand-in CMS's library answers (see [`CmsStandIn`]).
#[derive(Debug, Clone)]
pub enum LibraryAnswer {
    /// `200 {"held": {...}}` with the entries of this map for the ids asked about.
    Held(serde_json::Map<String, serde_json::Value>),
    /// This exact answer.
    Raw {
        /// HTTP status.
        status: u16,
        /// Body, sent as is.
        body: String,
    },
}

/// One question the picker asked the stand-in CMS's library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryQuestion {
    /// The ids, in the order asked.
    pub ids: Vec<String>,
    /// The `Cookie` header (the page's credentials).
    pub cookie: Option<String>,
    /// The `Accept` header.
    pub accept: Option<String>,
    /// Whether any Getty credential came along (`Authorization` or `Api-Key`): never.
    pub getty_credentials: bool,
}

#[derive(Debug)]
struct CmsState {
    answer: LibraryAnswer,
    questions: Vec<LibraryQuestion>,
    backend: String,
}

/// A stand-in CMS on its own loopback origin: serves the site (so its pages are same-origin
/// with it), answers the host-library URL `GET /getty-picker/library/?ids=…` as the test tells
/// it, recording each question, and `POST /role-token`.
///
/// `/role-token` is a shim, named so that it is easy to replace: it stands in for the token
/// service's search-only scope (forward-auth answering `X-Getty-Picker-Scope: search`) until
/// that server side is merged. It forwards to the backend's `/token` (run with
/// `sandbox_search_only`, so the token really is a client-credentials one that cannot
/// download) and adds `"search_only_reason": "role"`, as the token service then answers.
pub struct CmsStandIn {
    addr: SocketAddr,
    state: std::sync::Arc<std::sync::Mutex<CmsState>>,
    task: tokio::task::JoinHandle<()>,
}

impl CmsStandIn {
    /// Serves `sandbox`'s site and the library (holding nothing yet) on a loopback port.
    pub async fn start(sandbox: &Sandbox) -> Self {
        use axum::extract::{Query, State};
        use axum::http::{header, HeaderMap, StatusCode};
        use axum::response::IntoResponse;
        use axum::routing::{get, post};
        use tower_http::services::ServeDir;

        type Shared = std::sync::Arc<std::sync::Mutex<CmsState>>;
        let state: Shared = std::sync::Arc::new(std::sync::Mutex::new(CmsState {
            answer: LibraryAnswer::Held(serde_json::Map::new()),
            questions: Vec::new(),
            backend: sandbox.api_base(),
        }));

        async fn library(
            State(state): State<Shared>,
            headers: HeaderMap,
            Query(query): Query<Vec<(String, String)>>,
        ) -> axum::response::Response {
            let ids: Vec<String> = query
                .iter()
                .filter(|(key, _)| key == "ids")
                .flat_map(|(_, value)| value.split(',').map(str::to_owned))
                .collect();
            let header = |name: header::HeaderName| {
                headers
                    .get(name)
                    .and_then(|value| value.to_str().ok())
                    .map(str::to_owned)
            };
            let mut state = state.lock().expect("the CMS state");
            state.questions.push(LibraryQuestion {
                ids: ids.clone(),
                cookie: header(header::COOKIE),
                accept: header(header::ACCEPT),
                getty_credentials: headers.contains_key(header::AUTHORIZATION)
                    || headers.contains_key("api-key"),
            });
            match &state.answer {
                LibraryAnswer::Held(held) => {
                    let held: serde_json::Map<String, serde_json::Value> = held
                        .iter()
                        .filter(|(id, _)| ids.contains(id))
                        .map(|(id, entry)| (id.clone(), entry.clone()))
                        .collect();
                    axum::Json(json!({ "held": held })).into_response()
                }
                LibraryAnswer::Raw { status, body } => (
                    StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    [(header::CONTENT_TYPE, "application/json")],
                    body.clone(),
                )
                    .into_response(),
            }
        }

        async fn role_token(
            State(state): State<Shared>,
            headers: HeaderMap,
        ) -> axum::response::Response {
            let backend = state.lock().expect("the CMS state").backend.clone();
            let mut request = reqwest::Client::new().post(format!("{backend}/token"));
            if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
                request = request.header("Origin", origin);
            }
            let Ok(answer) = request.send().await else {
                return StatusCode::BAD_GATEWAY.into_response();
            };
            let status = answer.status().as_u16();
            let mut body: serde_json::Value = answer.json().await.unwrap_or_default();
            if body["search_only"] == true {
                body["search_only_reason"] = json!("role");
            }
            (
                StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
                axum::Json(body),
            )
                .into_response()
        }

        let app = axum::Router::new()
            .route("/getty-picker/library/", get(library))
            .route("/role-token", post(role_token))
            .with_state(state.clone())
            .fallback_service(ServeDir::new(sandbox.site_path()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the CMS");
        let addr = listener.local_addr().expect("the CMS's address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, state, task }
    }

    /// URL of `page` on the CMS's origin (localhost: another origin than the API's 127.0.0.1).
    pub fn url(&self, page: &str) -> String {
        format!("http://localhost:{}/{page}", self.addr.port())
    }

    /// From now on the library answers `answer`.
    pub fn answer(&self, answer: LibraryAnswer) {
        self.state.lock().expect("the CMS state").answer = answer;
    }

    /// Every question the library was asked so far.
    pub fn questions(&self) -> Vec<LibraryQuestion> {
        self.state.lock().expect("the CMS state").questions.clone()
    }
}

impl Drop for CmsStandIn {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    method: String,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.method, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A browser (the engine [`Engine::current`] names) under its own WebDriver server, with a
/// fresh profile; everything it started is killed when it is dropped.
pub struct Browser {
    pub client: Client,
    engine: Engine,
    /// The driver's process group (and Xvfb's), killed on drop.
    _processes: Vec<engine::Group>,
    _profile: TempDir,
    /// Where the browser saves downloads (Getty's delivery files come as attachments).
    downloads: TempDir,
}

impl Browser {
    /// Starts a fresh session of the engine under test (`GETTY_PICKER_ENGINE`).
    pub async fn start() -> Self {
        Self::launch(Launch::default()).await
    }

    /// A fresh Chromium session with extra command-line switches: for Chromium-only
    /// facilities (the memory probe), whatever engine is under test.
    pub async fn start_with(extra_args: &[&str]) -> Self {
        let launch = Launch {
            chromium_args: extra_args.iter().map(|arg| arg.to_string()).collect(),
            ..Launch::default()
        };
        Self::launch_engine(Engine::Chromium, launch).await
    }

    /// Starts a fresh session of the engine under test, started as `launch` says.
    pub async fn launch(launch: Launch) -> Self {
        Self::launch_engine(Engine::current(), launch).await
    }

    /// Starts a fresh session of `engine`, started as `launch` says.
    pub async fn launch_engine(engine: Engine, launch: Launch) -> Self {
        let downloads = TempDir::new("downloads");
        let driver = engine::start(engine, &launch, downloads.path());
        let url = driver.url.clone();
        let capabilities = driver.capabilities.clone();
        let client = eventually(
            &format!("the {} WebDriver server accepts a session", engine.name()),
            || async {
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&url)
                    .await
                    .ok()
            },
        )
        .await;
        if engine != Engine::Chromium {
            // Chromium's comes from --window-size, before the first page is laid out.
            client
                .set_window_size(engine::WINDOW.0, engine::WINDOW.1)
                .await
                .expect("the window takes the test size");
        }
        Self {
            client,
            engine,
            _processes: driver.processes,
            _profile: driver.profile,
            downloads,
        }
    }

    /// The engine this browser runs.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The files the browser has finished downloading, by name. Partial downloads are left
    /// out: Chromium's `.crdownload`, Firefox's `.part` (and the empty file it puts in place
    /// of the finished one meanwhile), WebKit's `.wkdownload`.
    pub fn downloaded_files(&self) -> Vec<String> {
        let partial = [".crdownload", ".part", ".wkdownload", ".download"];
        let entries: Vec<(String, u64)> = std::fs::read_dir(self.downloads.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| {
                        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                        (entry.file_name().to_string_lossy().into_owned(), size)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let in_progress = |name: &str| {
            partial.iter().any(|suffix| {
                name.ends_with(suffix)
                    || entries
                        .iter()
                        .any(|(other, _)| *other == format!("{name}{suffix}"))
            })
        };
        let mut names: Vec<String> = entries
            .iter()
            .filter(|(name, size)| *size > 0 && !in_progress(name))
            .map(|(name, _)| name.clone())
            .collect();
        names.sort();
        names
    }

    /// The bytes of the downloaded file `name`.
    pub fn downloaded(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.downloads.path().join(name))
            .unwrap_or_else(|error| panic!("reading the download {name}: {error}"))
    }

    /// Waits for an element matching `css` inside the (first) picker and returns it.
    pub async fn find(&self, css: &str) -> Found {
        self.find_in(PICKER_HOST, css).await
    }

    /// Waits for an element matching `css` inside the picker mounted on the element `host`.
    pub async fn find_in(&self, host: &str, css: &str) -> Found {
        let what = format!("an element matching {css:?} appears in the picker on {host:?}");
        let element = eventually(&what, || async {
            self.shadow_root(host)
                .await?
                .find(Locator::Css(css))
                .await
                .ok()
        })
        .await;
        Found {
            element,
            client: self.client.clone(),
            engine: self.engine,
        }
    }

    /// Clicks `element` as a user would, in every engine (see [`Found::click`]).
    pub async fn click(&self, element: &Element) -> Result<(), fantoccini::error::CmdError> {
        click(&self.client, self.engine, element).await
    }

    /// Brings this session's window to the front where that matters: WebKit delivers typed
    /// keys only to the frontmost window, and a download's tab may have taken its place.
    pub async fn to_front(&self) {
        to_front(&self.client, self.engine).await;
    }

    /// The shadow root of the element matching `host`, if both exist yet.
    pub async fn shadow_root(&self, host: &str) -> Option<ShadowRoot> {
        let element = self.client.find(Locator::Css(host)).await.ok()?;
        element.shadow_root().await.ok()
    }

    /// The texts of all elements matching `css` inside the (first) picker.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        self.texts_in(PICKER_HOST, css).await
    }

    /// The texts of all elements matching `css` inside the picker on the element `host`. Read in
    /// one script, so a grid re-rendered between finding and reading cannot fail the read.
    pub async fn texts_in(&self, host: &str, css: &str) -> Vec<String> {
        let script = format!(
            "const root = document.querySelector({host})?.shadowRoot;
             return root ? [...root.querySelectorAll({css})].map(e => e.innerText) : []",
            host = serde_json::json!(host),
            css = serde_json::json!(css),
        );
        serde_json::from_value(self.eval(&script).await).unwrap_or_default()
    }

    /// Opens the dev page and waits for the picker.
    pub async fn open(sandbox: &Sandbox) -> Self {
        Self::open_url(&sandbox.page_url()).await
    }

    /// Opens `url` and waits for its (first) picker.
    pub async fn open_url(url: &str) -> Self {
        Self::open_url_launched(url, Launch::default()).await
    }

    /// Opens `url` in Chromium started with `extra_args` (Chromium-only facilities, whatever
    /// engine is under test) and waits for its (first) picker.
    pub async fn open_url_with(url: &str, extra_args: &[&str]) -> Self {
        let browser = Self::start_with(extra_args).await;
        browser.open_picker(url).await;
        browser
    }

    /// Opens `url` in the engine under test, started as `launch` says, and waits for its
    /// (first) picker.
    pub async fn open_url_launched(url: &str, launch: Launch) -> Self {
        let browser = Self::launch(launch).await;
        browser.open_picker(url).await;
        browser
    }

    /// Goes to `url` and waits for its (first) picker.
    async fn open_picker(&self, url: &str) {
        let browser = self;
        browser
            .client
            .goto(url)
            .await
            .unwrap_or_else(|error| panic!("{url} loads: {error}"));
        // The picker itself, not the search box the entry module draws before the wasm is ready.
        browser.find(".gp-status").await;
        // requests_to counts Resource Timing entries; the default buffer holds only 250.
        browser
            .eval("performance.setResourceTimingBufferSize(100000); return true")
            .await;
    }

    /// Opens the dev page, searches `phrase` and waits for the sandbox's first page of it.
    pub async fn open_with_results(sandbox: &Sandbox, phrase: &str) -> Self {
        let browser = Self::open(sandbox).await;
        browser.search(phrase).await;
        browser.wait_for_titles(&titles(phrase, None, 1, 30)).await;
        browser
    }

    /// Types `phrase` into the search box and presses Enter.
    pub async fn search(&self, phrase: &str) {
        self.search_in(PICKER_HOST, phrase).await;
    }

    /// Puts `phrase` into the search box of the picker on `host` as one edit, as pasting does,
    /// and presses Enter. Typed key by key, a driver that pauses longer than the picker's
    /// debounce between two keys (WebKit's, on a loaded machine) makes the picker search the
    /// phrase's beginnings too, and every count of searches would depend on the driver's speed.
    pub async fn search_in(&self, host: &str, phrase: &str) {
        let input = self.find_in(host, ".gp-search-input").await;
        self.to_front().await;
        self.client
            .execute(
                "const [input, phrase] = arguments;
                 input.focus();
                 input.value = phrase;
                 input.dispatchEvent(new InputEvent('input', {
                   bubbles: true, composed: true, inputType: 'insertFromPaste', data: phrase,
                 }));
                 return true",
                vec![
                    serde_json::to_value(&*input).expect("an element reference"),
                    serde_json::Value::from(phrase),
                ],
            )
            .await
            .expect("pasting into the search box");
        input
            .send_keys(&char::from(Key::Enter).to_string())
            .await
            .expect("pressing Enter in the search box");
    }

    /// Presses and releases `key` where the keyboard focus is, as a user would. Not
    /// `send_keys` on the active element: with focus inside a shadow root that is the host
    /// element, which geckodriver refuses to type into ("not reachable by keyboard").
    pub async fn press(&self, key: Key) {
        self.to_front().await;
        let key = char::from(key);
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client
            .perform_actions(keys)
            .await
            .unwrap_or_else(|error| panic!("pressing {key:?}: {error}"));
    }

    /// Opens the details of image `id` from its card in the (first) picker, as a user does (a
    /// click on the card), and waits until the panel shows that image.
    pub async fn open_details(&self, id: &str) {
        self.open_details_in(PICKER_HOST, id).await;
    }

    /// [`Browser::open_details`] in the picker on the element `host`.
    pub async fn open_details_in(&self, host: &str, id: &str) {
        self.card_opener_in(host, id)
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("clicking the card of {id}: {error}"));
        self.wait_for_details_in(host, id).await;
    }

    /// [`Browser::open_details_in`], clicking the card once it stands still (see
    /// [`Browser::click_when_still`]).
    pub async fn open_details_when_still_in(&self, host: &str, id: &str) {
        let card = self.card_opener_in(host, id).await;
        self.click_when_still(&card).await;
        self.wait_for_details_in(host, id).await;
    }

    /// The button that opens the card of image `id` in the picker on `host`.
    async fn card_opener_in(&self, host: &str, id: &str) -> Found {
        self.find_in(host, &format!(".gp-card[data-id=\"{id}\"] .gp-card-open"))
            .await
    }

    /// Waits until the details panel of the picker on `host` shows image `id`.
    pub async fn wait_for_details_in(&self, host: &str, id: &str) {
        eventually(&format!("the details panel shows {id}"), || async {
            let facts = self.texts_in(host, ".gp-panel .gp-panel-facts dd").await;
            facts.iter().any(|fact| fact == id).then_some(())
        })
        .await;
    }

    /// Waits until the grid shows exactly `titles`, in order.
    pub async fn wait_for_titles(&self, titles: &[String]) {
        self.wait_for_titles_in(PICKER_HOST, titles).await;
    }

    /// Waits until the grid of the picker on `host` shows exactly `titles`, in order.
    pub async fn wait_for_titles_in(&self, host: &str, titles: &[String]) {
        self.wait_for_grid(host, titles, "is not", |shown| shown == titles)
            .await;
    }

    /// Waits until the grid begins with `titles`, in order. A page smaller than the window
    /// lets the picker load further pages to fill it, so only the first page is certain.
    pub async fn wait_for_first_titles(&self, titles: &[String]) {
        self.wait_for_first_titles_in(PICKER_HOST, titles).await;
    }

    /// Waits until the grid of the picker on `host` begins with `titles`, in order.
    pub async fn wait_for_first_titles_in(&self, host: &str, titles: &[String]) {
        self.wait_for_grid(host, titles, "does not begin with", |shown| {
            shown.starts_with(titles)
        })
        .await;
    }

    /// Polls the card titles on `host` until `wanted` holds; the panic says how what the
    /// grid shows relates to `titles`.
    async fn wait_for_grid(
        &self,
        host: &str,
        titles: &[String],
        relation: &str,
        wanted: impl Fn(&[String]) -> bool,
    ) {
        let mut last = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            last = self.texts_in(host, ".gp-card .gp-title").await;
            if wanted(&last) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the grid shows {last:?}, which {relation} {titles:?}");
    }

    /// Waits until the status line contains `needle`, returning the whole line.
    pub async fn wait_for_status(&self, needle: &str) -> String {
        let mut last = String::new();
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            last = self
                .find(".gp-status")
                .await
                .text()
                .await
                .unwrap_or_default();
            if last.contains(needle) {
                return last;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the status line says {last:?}, not {needle:?}");
    }

    /// Clicks `element` once it stands still: scrolled into view first, since scrolling past
    /// another picker's end of grid may load that picker's next page above the element.
    pub async fn click_when_still(&self, element: &Element) {
        let last = std::sync::Mutex::new(None);
        eventually("the element stops moving", || async {
            self.client
                .execute(
                    "arguments[0].scrollIntoView({block: 'center'}); return true",
                    vec![serde_json::to_value(element).expect("an element reference")],
                )
                .await
                .ok()?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let now = element.rectangle().await.ok()?;
            let before = last.lock().ok()?.replace(now);
            (before == Some(now)).then_some(())
        })
        .await;
        self.click(element).await.expect("clicking a still element");
    }

    /// Lets scripts run (and pages load) for minutes rather than WebDriver's default 30 s, for
    /// drivers that work inside the page.
    pub async fn allow_long_scripts(&self) {
        self.client
            .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
                Some(Duration::from_secs(180)),
                Some(Duration::from_secs(60)),
                None,
            ))
            .await
            .expect("setting WebDriver timeouts");
    }

    /// (JS heap, wasm memory) in bytes after forced garbage collection, read by the page's
    /// [`MEMORY_PROBE_JS`]. DevTools' collection comes first: what survives the page's `gc()`
    /// but not that (V8's memory-reducing collection, which the browser runs under memory
    /// pressure) is not held by anyone, yet grew by about 1 KB a search in tests/browser/memory.rs.
    pub async fn memory(&self) -> (f64, f64) {
        self.devtools("HeapProfiler.collectGarbage", json!({}))
            .await;
        let memory = self.eval("return __gpMemory()").await;
        let read = |name: &str| {
            memory[name]
                .as_f64()
                .unwrap_or_else(|| panic!("{name} in {memory}"))
        };
        (read("js_heap"), read("wasm"))
    }

    /// Searches "memory <i>" for i in `from..to` on a [`Sandbox::memory_page`], each followed
    /// by its second page, in chunks the WebDriver script timeout allows.
    pub async fn searches(&self, from: u32, to: u32) {
        self.searches_paged(from, to, true).await;
    }

    /// [`Browser::searches`], each search followed by its second page only if `paged`.
    pub async fn searches_paged(&self, from: u32, to: u32, paged: bool) {
        let least = if paged { 60 } else { 30 };
        for start in (from..to).step_by(25) {
            let end = (start + 25).min(to);
            let cards = self
                .eval(&format!(
                    "return __gpSearches({start}, {end}, {paged}).catch(e => 'failed: ' + e)"
                ))
                .await;
            assert!(
                cards.as_u64().is_some_and(|n| n >= least),
                "searches {start}..{end}: {cards}"
            );
        }
    }

    /// Waits until no request of a [`Sandbox::memory_page`] has finished for 2 s: thumbnails of
    /// earlier searches still loading keep their removed cards alive until they are done.
    pub async fn settle(&self) {
        let settled = self
            .eval("return __gpSettle().catch(e => 'failed: ' + e)")
            .await;
        assert_eq!(settled, true, "{settled}");
    }

    /// Runs the Chrome DevTools Protocol command `method` with `params` through chromedriver
    /// and returns its result. Chromium-only: the other engines' drivers have no such command.
    pub async fn devtools(&self, method: &str, params: serde_json::Value) -> serde_json::Value {
        assert_eq!(self.engine, Engine::Chromium, "DevTools is Chromium's");
        self.client
            .issue_cmd(DevTools {
                method: method.to_owned(),
                params,
            })
            .await
            .unwrap_or_else(|error| panic!("DevTools {method}: {error}"))
    }

    /// How many objects whose prototype is `prototype` (a JavaScript expression, e.g.
    /// `HTMLLIElement.prototype`) the page's JS heap holds, after a garbage collection, whether
    /// or not anything still reaches them (DevTools' `Runtime.queryObjects`). Chromium-only.
    pub async fn live_objects(&self, prototype: &str) -> u64 {
        let found = self
            .devtools(
                "Runtime.evaluate",
                json!({ "expression": prototype, "objectGroup": "live-objects" }),
            )
            .await;
        let id = found["result"]["objectId"]
            .as_str()
            .unwrap_or_else(|| panic!("{prototype} is an object: {found}"))
            .to_owned();
        let objects = self
            .devtools(
                "Runtime.queryObjects",
                json!({ "prototypeObjectId": id, "objectGroup": "live-objects" }),
            )
            .await;
        let array = objects["objects"]["objectId"]
            .as_str()
            .unwrap_or_else(|| panic!("the objects of {prototype}: {objects}"))
            .to_owned();
        let length = self
            .devtools(
                "Runtime.callFunctionOn",
                json!({ "objectId": array, "functionDeclaration": "function () { return this.length; }",
                        "returnByValue": true }),
            )
            .await;
        self.devtools(
            "Runtime.releaseObjectGroup",
            json!({ "objectGroup": "live-objects" }),
        )
        .await;
        length["result"]["value"]
            .as_u64()
            .unwrap_or_else(|| panic!("a count: {length}"))
    }

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|error| panic!("running {script:?}: {error}"))
    }

    /// How many requests the page made to URLs containing `fragment` (Resource Timing).
    pub async fn requests_to(&self, fragment: &str) -> usize {
        self.request_urls(fragment).await.len()
    }

    /// The URLs, in order, of the page's requests whose URL contains `fragment` (Resource Timing).
    pub async fn request_urls(&self, fragment: &str) -> Vec<String> {
        let script = format!(
            "return performance.getEntriesByType('resource').map(e => e.name)\
             .filter(name => name.includes({fragment:?}))"
        );
        serde_json::from_value(self.eval(&script).await).unwrap_or_default()
    }

    /// Waits until the page's latest search request is one that `wanted` accepts, and returns
    /// its URL; `what` names it in the failure message.
    pub async fn wait_for_search(&self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        eventually(what, || async {
            let urls = self.request_urls("/v3/search/images").await;
            urls.last().filter(|url| wanted(url)).cloned()
        })
        .await
    }

    /// Ends the session: the browser, its driver (and Xvfb) are killed with their process
    /// group, as when a test fails. Nothing of a test's browser is kept, so it is not asked to
    /// shut down in order (which takes Firefox seconds).
    pub async fn close(self) {
        drop(self);
    }
}

/// An element found inside a picker: a fantoccini [`Element`] (which it dereferences to) whose
/// `click` works in every engine.
pub struct Found {
    element: Element,
    client: Client,
    engine: Engine,
}

impl std::ops::Deref for Found {
    type Target = Element;

    fn deref(&self) -> &Element {
        &self.element
    }
}

impl Found {
    /// Clicks the element as a user would. WebKitWebDriver refuses Element Click on many
    /// elements inside a shadow root ("element click intercepted": its hit test finds the
    /// host), so in WebKit the pointer is moved onto the element and pressed there instead.
    pub async fn click(&self) -> Result<(), fantoccini::error::CmdError> {
        click(&self.client, self.engine, &self.element).await
    }

    /// The fantoccini element.
    pub fn into_element(self) -> Element {
        self.element
    }
}

/// [`Found::click`] for any element.
async fn click(
    client: &Client,
    engine: Engine,
    element: &Element,
) -> Result<(), fantoccini::error::CmdError> {
    if engine != Engine::WebKit {
        return element.click().await;
    }
    to_front(client, engine).await;
    // Into view as Element Click would (pointer actions do not scroll), unless it is in view.
    client
        .execute(
            "const r = arguments[0].getBoundingClientRect();
             if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth)
               arguments[0].scrollIntoView({block: 'end', inline: 'nearest'});
             return true",
            vec![serde_json::to_value(element)?],
        )
        .await?;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveToElement {
            element: element.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    client.perform_actions(mouse).await
}

/// [`Browser::to_front`].
async fn to_front(client: &Client, engine: Engine) {
    if engine != Engine::WebKit {
        return;
    }
    if let Ok(window) = client.window().await {
        let _ = client.switch_to_window(window).await;
    }
}

/// A product licensing every image, with no limit and nothing required; ids are unique per
/// test process.
pub fn product(product_type: &str, name: &str, agreement: &str) -> Product {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(2001);
    Product {
        id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        name: name.into(),
        product_type: product_type.into(),
        agreement_name: agreement.into(),
        families: vec![AssetFamily::Creative, AssetFamily::Editorial],
        download_limit: None,
        downloads_remaining: None,
        reset_utc_date: None,
        note_required: false,
        project_code_required: false,
        project_codes: Vec::new(),
    }
}

/// The sandbox's titles for one page of `phrase` in `family` (`None`: both families).
pub fn titles(phrase: &str, family: Option<AssetFamily>, page: u32, page_size: u32) -> Vec<String> {
    data::search_family(phrase, family, page, page_size)
        .images
        .into_iter()
        .map(|image| image.title)
        .collect()
}

/// Lets anything the picker might still send arrive (a 300 ms debounce, plus margin), before
/// asserting what it did not do.
pub async fn settle() {
    tokio::time::sleep(Duration::from_millis(1000)).await;
}

/// Polls `check` until it returns `Some`, failing the test after [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A free loopback port, for WebDriver servers, which do not report the port they bound.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A directory removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a fresh, uniquely named directory under the system temp dir.
    pub fn new(label: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("getty-picker-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temp dir");
        Self(path)
    }

    /// The directory's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Waits until the picker on `host` shows the first page of `phrase` (`size` images a page).
pub async fn wait_for_results(browser: &Browser, host: &str, phrase: &str, size: u32) {
    browser
        .wait_for_first_titles_in(host, &titles(phrase, None, 1, size))
        .await;
}

/// Waits for the first host event of `kind` ("download", "select", "error") that the page's
/// `tests/pages/spy.js` recorded, and returns it.
pub async fn host_event(browser: &Browser, kind: &str) -> serde_json::Value {
    let script = format!("return spy.events.find(e => e.type === 'getty-picker:{kind}') ?? null");
    eventually(
        &format!("the host receives getty-picker:{kind}"),
        || async { Some(browser.eval(&script).await).filter(|event| !event.is_null()) },
    )
    .await
}

/// Runs `expression` on the element matching `css` in the shadow root of `host` (`null` if
/// either is missing).
pub async fn in_picker(
    browser: &Browser,
    host: &str,
    css: &str,
    expression: &str,
) -> serde_json::Value {
    browser
        .eval(&format!(
            "const el = document.querySelector({host:?})?.shadowRoot?.querySelector({css:?});
             return el ? ({expression}) : null"
        ))
        .await
}

/// Asserts that the host page's rules do not reach inside the pickers on `first` and `second`
/// (tests/pages/hostile.css): the search box and button keep the widget's look, and the
/// documented custom property the host sets on `second` themes it.
pub async fn assert_pickers_keep_their_look(browser: &Browser, first: &str, second: &str) {
    let input = in_picker(
        browser,
        first,
        ".gp-search-input",
        "[getComputedStyle(el).display, el.getBoundingClientRect().width > 150,
          getComputedStyle(el).fontSize, getComputedStyle(el).letterSpacing,
          getComputedStyle(el).textTransform, getComputedStyle(el).fontStyle]",
    )
    .await;
    assert_eq!(
        input,
        json!(["block", true, "16px", "normal", "none", "normal"]),
        "the search box is shown in the widget's font"
    );
    let button = in_picker(
        browser,
        first,
        ".gp-search-button",
        "[getComputedStyle(el).backgroundColor, getComputedStyle(el).paddingLeft,
          getComputedStyle(el).borderTopLeftRadius, getComputedStyle(el).color]",
    )
    .await;
    assert_eq!(
        button,
        json!(["rgb(11, 92, 173)", "12px", "6px", "rgb(255, 255, 255)"])
    );
    let themed = in_picker(
        browser,
        second,
        ".gp-search-button",
        "getComputedStyle(el).backgroundColor",
    )
    .await;
    assert_eq!(themed, json!("rgb(200, 0, 100)"));
}
