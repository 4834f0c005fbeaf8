//! Harness for the browser tests: the real backend with its sandbox, the widget's release
//! build, and headless Chromium driven over WebDriver. Everything listens on loopback only.

#![allow(dead_code)] // Each test file uses its own subset.

use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use getty_picker_server::sandbox::{Endpoint, Fault};
use getty_picker_server::{Config, RunningServer, SandboxCounts};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tokio::process::{Child, Command};

/// JavaScript for the node that holds the (first) picker's DOM, for `querySelector` in scripts.
pub const PICKER_ROOT: &str = "document";

/// How long a condition may take before a test fails; generous for a loaded 2-core CI box.
pub const PATIENCE: Duration = Duration::from_secs(20);

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// The placeholder origin in `index.html`, replaced by the test server's.
const DEV_BACKEND: &str = "http://127.0.0.1:8787";

/// The backend in sandbox mode, serving a copy of the release build whose index.html points at it.
pub struct Sandbox {
    server: RunningServer,
    _site: TempDir,
}

impl Sandbox {
    /// Starts the backend and prepares the widget's release build (`dist/`) for it.
    pub async fn start() -> Self {
        let site = TempDir::new("site");
        let mut config = Config::sandbox();
        config.static_dir = Some(site.path().to_owned());
        let server = getty_picker_server::start(config)
            .await
            .expect("the backend starts");
        copy_release_build(
            site.path(),
            &format!("http://127.0.0.1:{}", server.addr().port()),
        );
        Self {
            server,
            _site: site,
        }
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

    /// Drops every fault still queued.
    pub fn clear_faults(&self) {
        self.sandbox().clear_faults();
    }

    fn sandbox(&self) -> &getty_picker_server::Sandbox {
        self.server.sandbox().expect("started in sandbox mode")
    }
}

/// Copies `dist/` into `site`, pointing its index.html at `backend`.
fn copy_release_build(site: &Path, backend: &str) {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    let entries = std::fs::read_dir(&dist).unwrap_or_else(|error| {
        panic!(
            "{} is missing ({error}): run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        )
    });
    for entry in entries {
        let entry = entry.expect("a readable dist/ entry");
        let target = site.join(entry.file_name());
        if entry.file_name() == "index.html" {
            let html = std::fs::read_to_string(entry.path()).expect("index.html is readable");
            assert!(
                html.contains(DEV_BACKEND),
                "index.html points at {DEV_BACKEND}"
            );
            std::fs::write(target, html.replace(DEV_BACKEND, backend)).expect("index.html written");
        } else if entry.file_type().expect("a file type").is_file() {
            std::fs::copy(entry.path(), target).expect("a dist/ file copied");
        }
    }
}

/// Headless Chromium under its own chromedriver, closed when dropped.
pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// Starts chromedriver on a free loopback port and opens a fresh headless Chromium session.
    pub async fn start() -> Self {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|error| {
                panic!("{CHROMEDRIVER} starts ({error}); scripts/setup.sh installs it")
            });
        let profile = TempDir::new("chromium-profile");
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                    "--no-first-run",
                    "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }
        });
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("built as an object above"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let client = eventually("chromedriver accepts a session", || async {
            ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
                .ok()
        })
        .await;
        Self {
            client,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Waits for an element matching `css` and returns it.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("an element matching {css:?} appears: {error}"))
    }

    /// The texts of all elements matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("find_all")
        {
            texts.push(element.text().await.expect("element text"));
        }
        texts
    }

    /// Opens the dev page and waits for the picker.
    pub async fn open(sandbox: &Sandbox) -> Self {
        let browser = Self::start().await;
        browser
            .client
            .goto(&sandbox.page_url())
            .await
            .expect("the dev page loads");
        browser.find(".gp-search-input").await;
        // requests_to counts Resource Timing entries; the default buffer holds only 250.
        browser
            .eval("performance.setResourceTimingBufferSize(100000); return true")
            .await;
        browser
    }

    /// Types `phrase` into the search box and presses Enter.
    pub async fn search(&self, phrase: &str) {
        let input = self.find(".gp-search-input").await;
        input.clear().await.expect("clearing the search box");
        input
            .send_keys(&format!("{phrase}{}", char::from(Key::Enter)))
            .await
            .expect("typing into the search box");
    }

    /// Waits until the grid shows exactly `titles`, in order.
    pub async fn wait_for_titles(&self, titles: &[String]) {
        let mut last = Vec::new();
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            last = self.texts(".gp-card .gp-title").await;
            if last == titles {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the grid shows {last:?}, not {titles:?}");
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

    /// Runs `script` in the page and returns its value.
    pub async fn eval(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|error| panic!("running {script:?}: {error}"))
    }

    /// How many requests the page made to URLs containing `fragment` (Resource Timing).
    pub async fn requests_to(&self, fragment: &str) -> usize {
        let script = format!(
            "return performance.getEntriesByType('resource')\
             .filter(e => e.name.includes({fragment:?})).length"
        );
        self.eval(&script).await.as_u64().unwrap_or(0) as usize
    }

    /// Closes the session (Chromium exits; chromedriver is killed on drop).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }
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

/// A free loopback port, for chromedriver, which cannot report the port it bound.
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
