//! The browsers the tests drive: Chromium, Firefox ESR and WebKitGTK, each under its own
//! WebDriver server (WebKit also under its own Xvfb display), with a fresh profile, popups
//! blocked as an editor's browser blocks them, downloads saved to a folder of the test's, on
//! loopback only and kept off the network. `GETTY_PICKER_ENGINE` (chromium, firefox, webkit)
//! picks the engine; Chromium when unset.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Map, Value};

use super::{free_port, TempDir};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's `firefox-esr`.
const FIREFOX: &str = "/usr/bin/firefox-esr";
/// Debian's `webkit2gtk-driver`.
const WEBKITWEBDRIVER: &str = "/usr/bin/WebKitWebDriver";

/// The window every engine gets, so that layouts (and what is scrolled into view) match.
pub const WINDOW: (u32, u32) = (1280, 900);

/// A browser engine the tests can run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Chromium (Blink, V8) under chromedriver, headless.
    Chromium,
    /// Firefox ESR (Gecko, SpiderMonkey) under geckodriver, headless.
    Firefox,
    /// WebKitGTK's MiniBrowser (WebKit, JavaScriptCore: Safari's engine) under
    /// WebKitWebDriver, on an Xvfb display (it has no headless mode).
    WebKit,
}

impl Engine {
    /// Every engine, in the order `scripts/test-browsers.sh all` runs them.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine `GETTY_PICKER_ENGINE` names; Chromium when it is unset or empty.
    pub fn current() -> Self {
        match std::env::var("GETTY_PICKER_ENGINE") {
            Ok(name) if !name.is_empty() => Self::ALL
                .into_iter()
                .find(|engine| engine.name() == name)
                .unwrap_or_else(|| {
                    panic!("GETTY_PICKER_ENGINE={name:?}: expected chromium, firefox or webkit")
                }),
            _ => Engine::Chromium,
        }
    }

    /// The engine's name as `GETTY_PICKER_ENGINE` spells it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }
}

/// How a browser is started, beyond what every test gets.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    /// The browser prefers a dark colour scheme (`prefers-color-scheme: dark`).
    pub dark: bool,
    /// The browser's preferred languages (`navigator.languages`, `Accept-Language`), first
    /// preferred first; `["en-US", "en"]` when empty.
    pub languages: Vec<String>,
    /// Extra Chromium switches, for Chromium-only facilities (the memory probe's `gc()`).
    pub chromium_args: Vec<String>,
}

impl Launch {
    /// The preferred languages, defaulted.
    fn languages(&self) -> Vec<String> {
        if self.languages.is_empty() {
            vec!["en-US".into(), "en".into()]
        } else {
            self.languages.clone()
        }
    }
}

/// A process group (a driver and the browser it starts, or Xvfb), killed whole when dropped:
/// a test that fails mid-way leaves no browser behind.
pub struct Group(Child);

impl Group {
    /// Spawns `command` as the leader of a new process group.
    fn spawn(mut command: Command, what: &str) -> Self {
        command.process_group(0);
        Self(command.spawn().unwrap_or_else(|error| {
            panic!("{what} starts ({error}); scripts/setup.sh installs it")
        }))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        // SAFETY: kill(2) with a negative pid signals the process group this harness created
        // (its leader is our child and not yet reaped, so the id cannot have been reused).
        unsafe {
            libc::kill(-(self.0.id() as libc::pid_t), libc::SIGKILL);
        }
        let _ = self.0.wait();
    }
}

/// A WebDriver server ready for a session: its URL, the capabilities the session asks for,
/// and what must live as long as the session.
pub struct Driver {
    /// The server's base URL.
    pub url: String,
    /// The new session's capabilities.
    pub capabilities: Map<String, Value>,
    /// The driver's process group, then Xvfb's (dropped in that order).
    pub processes: Vec<Group>,
    /// The profile (or home) folder.
    pub profile: TempDir,
}

/// Starts `engine`'s WebDriver server for a browser that saves downloads into `downloads`.
pub fn start(engine: Engine, launch: &Launch, downloads: &Path) -> Driver {
    assert!(
        launch.chromium_args.is_empty() || engine == Engine::Chromium,
        "Chromium switches {:?} in {engine:?}: a Chromium-only facility",
        launch.chromium_args
    );
    match engine {
        Engine::Chromium => chromium(launch, downloads),
        Engine::Firefox => firefox(launch, downloads),
        Engine::WebKit => webkit(launch, downloads),
    }
}

fn chromium(launch: &Launch, downloads: &Path) -> Driver {
    let port = free_port();
    let mut command = Command::new(CHROMEDRIVER);
    command
        .arg(format!("--port={port}"))
        .arg("--allowed-ips=127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = Group::spawn(command, CHROMEDRIVER);
    let profile = TempDir::new("chromium-profile");
    let languages = launch.languages();
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-quic".into(),
        "--no-first-run".into(),
        format!("--window-size={},{}", WINDOW.0, WINDOW.1),
        format!("--user-data-dir={}", profile.path().display()),
        format!("--lang={}", languages[0]),
        format!("--accept-lang={}", languages.join(",")),
    ];
    if launch.dark {
        // Blink's preferred colour scheme 0 is dark.
        args.push("--blink-settings=preferredColorScheme=0".into());
    }
    args.extend(launch.chromium_args.iter().cloned());
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            // chromedriver turns the popup blocker off by default; editors have it on.
            "excludeSwitches": ["disable-popup-blocking"],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
                "intl.accept_languages": languages.join(","),
            },
            "args": args,
        }
    });
    Driver {
        url: format!("http://127.0.0.1:{port}"),
        capabilities: object(capabilities),
        processes: vec![driver],
        profile,
    }
}

/// geckodriver from `GECKODRIVER`, else cargo's bin folder (scripts/setup.sh installs it
/// there), else `PATH`.
fn geckodriver() -> PathBuf {
    if let Some(path) = std::env::var_os("GECKODRIVER") {
        return path.into();
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    cargo_home
        .map(|home| home.join("bin/geckodriver"))
        .filter(|path| path.is_file())
        .unwrap_or_else(|| "geckodriver".into())
}

fn firefox(launch: &Launch, downloads: &Path) -> Driver {
    let port = free_port();
    let profile = TempDir::new("firefox-profile");
    let gecko = geckodriver();
    let mut command = Command::new(&gecko);
    command
        .arg(format!("--port={port}"))
        .arg("--host=127.0.0.1")
        // Its own BiDi port, so that parallel sessions never share the default 9222.
        .arg(format!("--websocket-port={}", free_port()))
        // The profile geckodriver makes goes in the test's folder, removed with it.
        .arg("--profile-root")
        .arg(profile.path())
        .arg("--log=fatal")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = Group::spawn(command, &gecko.display().to_string());
    let capabilities = json!({
        "browserName": "firefox",
        "moz:firefoxOptions": {
            "binary": FIREFOX,
            "args": ["-headless"],
            "prefs": firefox_prefs(launch, downloads),
        }
    });
    Driver {
        url: format!("http://127.0.0.1:{port}"),
        capabilities: object(capabilities),
        processes: vec![driver],
        profile,
    }
}

/// Firefox's preferences: downloads saved without asking, popups blocked, and nothing that
/// phones home (updates, telemetry, safe browsing, remote settings, captive portal checks).
fn firefox_prefs(launch: &Launch, downloads: &Path) -> Value {
    json!({
        // Downloads: into the test's folder, without a dialog or the downloads panel.
        "browser.download.dir": downloads,
        "browser.download.folderList": 2,
        "browser.download.useDownloadDir": true,
        "browser.download.always_ask_before_handling_new_types": false,
        "browser.download.alwaysOpenPanel": false,
        "browser.download.manager.addToRecentDocs": false,
        // Marionette's recommended preferences let every popup through; editors' Firefox
        // blocks those not opened by a click.
        "dom.disable_open_during_load": true,
        "intl.accept_languages": launch.languages().join(", "),
        // 0 dark, 1 light: what `prefers-color-scheme` reports to pages.
        "layout.css.prefers-color-scheme.content-override": if launch.dark { 0 } else { 1 },
        // Off the network.
        "app.update.disabledForTesting": true,
        "app.update.auto": false,
        "app.normandy.enabled": false,
        "browser.safebrowsing.malware.enabled": false,
        "browser.safebrowsing.phishing.enabled": false,
        "browser.safebrowsing.downloads.enabled": false,
        "browser.safebrowsing.downloads.remote.enabled": false,
        "browser.safebrowsing.blockedURIs.enabled": false,
        "browser.safebrowsing.provider.mozilla.updateURL": "",
        "datareporting.policy.dataSubmissionEnabled": false,
        "datareporting.healthreport.uploadEnabled": false,
        "toolkit.telemetry.enabled": false,
        "toolkit.telemetry.unified": false,
        "toolkit.telemetry.archive.enabled": false,
        "toolkit.telemetry.server": "",
        "services.settings.server": "",
        "network.captive-portal-service.enabled": false,
        "network.connectivity-service.enabled": false,
        "network.dns.disablePrefetch": true,
        "network.prefetch-next": false,
        "network.http.speculative-parallel-limit": 0,
        "extensions.update.enabled": false,
        "extensions.getAddons.cache.enabled": false,
        "extensions.blocklist.enabled": false,
        "media.gmp-manager.updateEnabled": false,
        "browser.region.update.enabled": false,
        "browser.region.network.url": "",
        "browser.search.update": false,
        "browser.newtabpage.enabled": false,
        "browser.startup.page": 0,
        "browser.shell.checkDefaultBrowser": false,
    })
}

/// WebKitGTK's MiniBrowser (in `libwebkit2gtk-4.1-0`, outside `PATH`).
fn minibrowser() -> String {
    std::env::var("GETTY_PICKER_MINIBROWSER").unwrap_or_else(|_| {
        format!(
            "/usr/lib/{}-linux-gnu/webkit2gtk-4.1/MiniBrowser",
            std::env::consts::ARCH
        )
    })
}

/// Starts Xvfb on a free display (it picks the number and reports it) and returns it with the
/// display's name.
fn xvfb() -> (Group, String) {
    let mut command = Command::new("Xvfb");
    command
        .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0"])
        .arg(format!("{}x{}x24", WINDOW.0, WINDOW.1 + 124))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut xvfb = Group::spawn(command, "Xvfb");
    let stdout = xvfb.0.stdout.take().expect("Xvfb's stdout is piped");
    let mut number = String::new();
    let _ = BufReader::new(stdout).read_line(&mut number);
    let number = number.trim();
    assert!(
        !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()),
        "Xvfb reports its display number (got {number:?})"
    );
    let display = format!(":{number}");
    (xvfb, display)
}

fn webkit(launch: &Launch, downloads: &Path) -> Driver {
    let (display, display_name) = xvfb();
    // A home of its own: MiniBrowser's data and caches start empty and go with the test, and
    // its downloads folder (XDG's, which WebKitGTK saves into) is the test's.
    let home = TempDir::new("webkit-home");
    let config = home.path().join(".config");
    let runtime = home.path().join("runtime");
    for dir in [&config, &runtime] {
        std::fs::create_dir_all(dir).expect("a folder in the WebKit home");
    }
    std::fs::set_permissions(
        &runtime,
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .expect("XDG_RUNTIME_DIR is private");
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
    )
    .expect("user-dirs.dirs written");
    let languages = launch.languages();
    // WebKitGTK takes navigator.languages from LANGUAGE and Intl's default from LANG.
    let posix = |tag: &str| tag.replace('-', "_");
    let port = free_port();
    let mut command = Command::new(WEBKITWEBDRIVER);
    command
        .arg(format!("--port={port}"))
        .env("DISPLAY", &display_name)
        .env("GDK_BACKEND", "x11")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_DATA_HOME", home.path().join(".local/share"))
        .env("XDG_CACHE_HOME", home.path().join(".cache"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .env(
            "LANGUAGE",
            languages
                .iter()
                .map(|l| posix(l))
                .collect::<Vec<_>>()
                .join(":"),
        )
        .env("LANG", format!("{}.UTF-8", posix(&languages[0])))
        // No accessibility bus to look for (there is no session D-Bus).
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let driver = Group::spawn(command, WEBKITWEBDRIVER);
    // MiniBrowser takes no URL (it would load its home page from the network) and runs under
    // automation; WebKitWebDriver adds nothing to these arguments.
    let mut args = vec!["--automation"];
    if launch.dark {
        args.push("--dark-mode");
    }
    let capabilities = json!({
        "webkitgtk:browserOptions": {
            "binary": minibrowser(),
            "args": args,
        }
    });
    Driver {
        url: format!("http://127.0.0.1:{port}"),
        capabilities: object(capabilities),
        processes: vec![driver, display],
        profile: home,
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => unreachable!("capabilities are built as objects"),
    }
}
