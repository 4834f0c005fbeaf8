//! getty-picker: a Getty Images picker for CMS pages, as a Leptos client-side component.
//!
//! The editor searches Getty, picks a result and downloads it; the delivery URI opens in a new
//! tab and the host page hears of it through DOM events. A token-issuing backend (the `server/`
//! crate) keeps the Getty secret off the browser.
//!
//! In a page: the entry module `getty-picker.js` (written by `scripts/write-entry.sh`) loads the
//! wasm, whose start ([`start`]) mounts every `[data-getty-picker]` element; hosts that build
//! their UI in script call `GettyPicker.mount(element, options)` ([`embed::mount_from_script`]).

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
pub mod retry;
pub mod state;

pub use config::Config;
pub use embed::{mount, mount_all, MountError, PickerHandle};

/// Starts the picker on a page (the wasm's start function): reports panics in the pickers
/// themselves, then mounts every picker element.
pub fn start() {
    // A panic kills the whole wasm instance: say so where the editor looks, not only in the console.
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&wasm_bindgen::JsValue::from_str(&format!(
            "getty-picker crashed: {info}"
        )));
        embed::show_crash();
    }));
    mount_all();
}
