//! getty-picker: a Getty Images picker for CMS pages, as a Leptos client-side component.
//!
//! The editor searches Getty, picks a result and downloads it; the delivery URI opens in a new
//! tab and the host page hears of it through DOM events. A token-issuing backend (the `server/`
//! crate) keeps the Getty secret off the browser.
//!
//! In a page: the entry module `getty-picker.js` (written by `scripts/write-entry.sh`) draws each
//! `[data-getty-picker]` element's search box at once, loads the wasm and calls [`start`], which
//! mounts every such element, taking the boxes over; hosts that build their UI in script call
//! `GettyPicker.mount(element, options)` ([`embed::mount_from_script`]).

pub mod account;
pub mod auth;
pub mod components;
pub mod config;
pub mod embed;
pub mod format;
pub mod getty;
pub mod grid;
pub mod http;
pub mod i18n;
pub mod library;
pub mod marks;
pub mod retry;
pub mod state;
pub mod transport;

pub use config::Config;
pub use embed::{mount, mount_all, MountError, PickerHandle};

/// Reports a panic in the pickers themselves (the wasm's start function): a panic kills the
/// whole wasm instance, so the editor must see it where they look, not only in the console.
pub fn report_panics() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(&format!(
            "getty-picker crashed: {info}"
        )));
        embed::show_crash();
    }));
}

/// Starts the picker on a page, called by the entry module once the wasm is ready with the
/// widget's stylesheet (its own, shared with the search boxes it drew meanwhile) and the token
/// requests the editor's typing made meanwhile (`take_early_token(url, ticket)`, see
/// [`auth::use_early`]): mounts every picker element.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn start(sheet: web_sys::CssStyleSheet, take_early_token: Option<js_sys::Function>) {
    embed::use_sheet(sheet);
    if let Some(take) = take_early_token {
        auth::use_early(take);
    }
    mount_all();
}
