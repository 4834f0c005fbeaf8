//! The locale files of the release folder (`locales/<tag>-<hash>.json`, beside the widget's
//! bindings): each fetched when a picker first needs it, at most once per page, and kept for the
//! page's other pickers. A file that fails (missing, malformed, slower than [`TIMEOUT`]) leaves
//! the page's pickers in English and says why on the console, once.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

use super::{Locale, Overrides};
use crate::getty::Service;
use crate::transport;

/// How long pickers wait for their locale file before they speak English instead: long enough
/// for a few kilobytes on a slow line, short enough that a broken server costs little.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// A locale file's entries, in the file's order.
pub type Entries = Rc<Vec<(String, String)>>;

#[wasm_bindgen]
extern "C" {
    /// The URL of the widget's bindings module, which the locale folder sits beside.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MODULE_URL: String;
}

/// A locale file asked for on this page.
struct File {
    tag: &'static str,
    /// Settles once the file is loaded or has failed (a promise, so that any number of pickers
    /// can wait for the one request).
    done: Promise,
    /// What came of it, once settled: the entries, or none if it failed.
    outcome: Option<Option<Entries>>,
}

thread_local! {
    static FILES: RefCell<Vec<File>> = const { RefCell::new(Vec::new()) };
}

/// What came of `locale`'s file if it has settled, without waiting: `Some(None)` if it failed.
pub fn settled(locale: Locale) -> Option<Option<Entries>> {
    FILES.with_borrow(|files| {
        files
            .iter()
            .find(|file| file.tag == locale.tag())
            .and_then(|file| file.outcome.clone())
    })
}

/// Waits for `locale`'s entries, asking for its file if no picker on the page has yet; none for
/// the built-in English or if the file failed.
pub async fn load(locale: Locale) -> Option<Entries> {
    let name = locale.file()?;
    if let Some(outcome) = settled(locale) {
        return outcome;
    }
    let done = FILES.with_borrow_mut(|files| {
        if let Some(file) = files.iter().find(|file| file.tag == locale.tag()) {
            return file.done.clone();
        }
        let done = start(locale.tag(), name);
        files.push(File {
            tag: locale.tag(),
            done: done.clone(),
            outcome: None,
        });
        done
    });
    // It never rejects: failures are an outcome like success.
    let _ = js_sys::futures::JsFuture::from(done).await;
    settled(locale).flatten()
}

/// Fetches the file `name` of `tag` and records what came of it.
fn start(tag: &'static str, name: &'static str) -> Promise {
    js_sys::futures::future_to_promise(async move {
        let url = url_of(name);
        let outcome = match fetch(&url).await {
            Ok(entries) => Some(Rc::new(entries)),
            Err(problem) => {
                warn(&format!(
                    "getty-picker: the {tag} texts ({url}) could not be loaded: {problem}; \
                     the picker speaks English"
                ));
                None
            }
        };
        FILES.with_borrow_mut(|files| {
            if let Some(file) = files.iter_mut().find(|file| file.tag == tag) {
                file.outcome = Some(outcome);
            }
        });
        Ok(JsValue::UNDEFINED)
    })
}

/// The URL of `name` in the `locales/` folder beside the bindings module (whose URL has no
/// query: the entry module imports it by its plain name).
fn url_of(name: &str) -> String {
    let module = MODULE_URL.with(String::clone);
    let folder = module
        .bytes()
        .rposition(|byte| byte == b'/')
        .map_or("", |slash| &module[..=slash]);
    format!("{folder}locales/{name}")
}

/// The entries of the file at `url`, cancelled after [`TIMEOUT`].
async fn fetch(url: &str) -> Result<Vec<(String, String)>, String> {
    let controller = AbortController::new().map_err(|_| "no AbortController".to_owned())?;
    let signal = controller.signal();
    let timer = leptos::prelude::set_timeout_with_handle(move || controller.abort(), TIMEOUT).ok();
    let answer = transport::get_file(url, &signal).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    let json = answer.map_err(|error| {
        if signal.aborted() {
            format!("it took longer than {} s", TIMEOUT.as_secs())
        } else {
            error.to_string()
        }
    })?;
    let Overrides(entries) = transport::decode::<Overrides>(json, Service::LocaleFile)
        .map_err(|error| error.to_string())?;
    Ok(entries)
}

fn warn(message: &str) {
    web_sys::console::warn_1(&JsValue::from_str(message));
}
