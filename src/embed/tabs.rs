//! The new tab a delivery link opens in, without a way back into the host page.
//!
//! Browsers let a page open a tab only in answer to the user's click, and differ in how long
//! the click's permission lasts (measured, see docs/embedding.md): Blink and Gecko keep it for
//! 5 s, across the network answer the download waits for; WebKit only while the click's own
//! task runs (and in timers it sets for up to 1 s), never across an answer.
//!
//! Where allowed, the tab is opened at the delivery itself once Getty answered: Getty serves
//! its files as `attachment`, and Blink and Gecko close a new tab whose first page turns into a
//! download (but leave behind, empty, a blank tab that was pointed there later). Otherwise the
//! tab is opened blank while it still can be: inside the click in WebKit, and in Blink and
//! Gecko when Getty has not answered 4 s after the click. A blank tab says what it waits for,
//! is pointed at the delivery when Getty answers, and is closed once the download has had time
//! to start (WebKit leaves even a tab opened at the delivery behind, empty).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::JsValue;
use web_sys::Window;

/// When, after the click, a tab Blink or Gecko would open at the delivery is opened blank
/// instead because Getty has not answered: 1 s before their 5 s of permission run out.
const PERMISSION_LEFT: Duration = Duration::from_secs(4);

/// How long a tab opened blank is given to hand its delivery to the browser's downloads
/// before it is closed (if it still shows nothing: a page that opened in it is left open).
/// Closing it earlier, before the delivery host has answered, cancels the download.
const BLANK_TAB_LINGER: Duration = Duration::from_secs(10);

/// The tab one delivery will be shown in, claimed in the click that spends.
#[derive(Debug, Clone)]
pub struct DeliveryTab(Rc<RefCell<Claim>>);

#[derive(Debug)]
enum Claim {
    /// The host wants no tab.
    Unwanted,
    /// To be opened at the delivery when Getty answers.
    Later,
    /// Opened blank, waiting for the delivery.
    Blank(Window),
    /// The browser refused the tab.
    Refused,
    /// Delivered or abandoned.
    Done,
}

impl DeliveryTab {
    /// Claims the tab, inside the click handler that starts the spending request: only a click
    /// lets every engine open a tab (see `refuses_tabs_after_the_click`). `wanted` is the host's
    /// `data-open-tab`; `title` and `waiting` are what a blank tab shows until the delivery.
    pub fn claim(wanted: bool, title: &str, waiting: &str) -> Self {
        if !wanted {
            return Self::with(Claim::Unwanted);
        }
        if refuses_tabs_after_the_click() {
            return Self::with(open_blank(title, waiting));
        }
        let tab = Self::with(Claim::Later);
        let (late, title, waiting) = (tab.clone(), title.to_owned(), waiting.to_owned());
        set_timeout(
            move || {
                if !matches!(*late.0.borrow(), Claim::Later) {
                    return;
                }
                // No borrow across `open`: Gecko may run the download's future inside it,
                // which may abandon the claim.
                let blank = open_blank(&title, &waiting);
                let mut claim = late.0.borrow_mut();
                if matches!(*claim, Claim::Later) {
                    *claim = blank;
                } else if let Claim::Blank(tab) = blank {
                    let _ = tab.close();
                }
            },
            PERMISSION_LEFT,
        );
        tab
    }

    fn with(claim: Claim) -> Self {
        Self(Rc::new(RefCell::new(claim)))
    }

    /// Shows the delivery `uri` (an http(s) URL) in the claimed tab, or in one opened now, then
    /// calls `done` with whether a tab shows it (false: the host wants none, or the browser
    /// refused it). Runs as a task of its own, never inside the future that received `uri`:
    /// Gecko runs pending promise callbacks inside `window.open`, which would re-enter the
    /// futures queue ("closure invoked recursively").
    pub fn deliver(self, uri: String, done: impl FnOnce(bool) + 'static) {
        set_timeout(
            move || {
                let claim = self.0.replace(Claim::Done);
                let opened = match claim {
                    Claim::Later => open(&uri).is_some(),
                    Claim::Blank(tab) => point_blank_tab(tab, &uri),
                    Claim::Unwanted | Claim::Refused | Claim::Done => false,
                };
                done(opened);
            },
            Duration::ZERO,
        );
    }

    /// Nothing will be delivered (the download failed): closes a tab opened blank.
    pub fn abandon(self) {
        if let Claim::Blank(tab) = self.0.replace(Claim::Done) {
            let _ = tab.close();
        }
    }
}

/// Whether this engine refuses a tab once the click's task has ended: WebKit (Safari, every
/// browser on iOS, GNOME Web). No feature tells its policy apart (`navigator.userActivation`
/// still says "active" after an answer while `window.open` is refused), so the vendor the
/// engine reports decides: WebKit's is Apple, Blink's Google, Gecko's empty.
fn refuses_tabs_after_the_click() -> bool {
    // `vendor` is not in web-sys: all three engines have it, the standard does not.
    web_sys::window()
        .and_then(|window| js_sys::Reflect::get(&window.navigator(), &"vendor".into()).ok())
        .and_then(|vendor| vendor.as_string())
        .is_some_and(|vendor| vendor.starts_with("Apple"))
}

/// Opens `url` (blank when empty) in a new tab with no link back to this page; `None` when the
/// browser refused it (a popup blocker).
fn open(url: &str) -> Option<Window> {
    let tab = web_sys::window()?
        .open_with_url_and_target(url, "_blank")
        .ok()
        .flatten()?;
    // Not the `noopener` feature: with it `open` returns null, and a blocked tab looks like an
    // opened one. Cut here instead, before the tab's first page can run.
    if tab.set_opener(&JsValue::NULL).is_err() {
        let _ = tab.close();
        return None;
    }
    Some(tab)
}

/// Opens a blank tab that says, as text, what it waits for.
fn open_blank(title: &str, waiting: &str) -> Claim {
    let Some(tab) = open("") else {
        return Claim::Refused;
    };
    if let Some(document) = tab.document() {
        document.set_title(title);
        if let (Some(body), Ok(line)) = (document.body(), document.create_element("p")) {
            line.set_text_content(Some(waiting));
            let _ = body.append_child(&line);
        }
    }
    Claim::Blank(tab)
}

/// Points the blank `tab` at `uri` and closes it once it has had time to hand an attachment
/// to the browser's downloads, if it still shows the blank page then. False if the tab is gone.
fn point_blank_tab(tab: Window, uri: &str) -> bool {
    if tab.closed().unwrap_or(true) || tab.location().set_href(uri).is_err() {
        let _ = tab.close();
        return false;
    }
    set_timeout(
        move || {
            // A page that opened in it (another origin) cannot be read: that one stays.
            let blank = tab
                .location()
                .href()
                .is_ok_and(|href| href == "about:blank");
            if blank && !tab.closed().unwrap_or(true) {
                let _ = tab.close();
            }
        },
        BLANK_TAB_LINGER,
    );
    true
}
