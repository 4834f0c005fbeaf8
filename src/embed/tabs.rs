//! Opening delivery URIs in new tabs without giving them a way back into the host page.

use wasm_bindgen::JsValue;
use web_sys::Window;

/// Opens an empty tab while the click's user activation lasts, so popup blockers allow it.
pub fn open_blank_tab() -> Option<Window> {
    web_sys::window()?
        .open_with_url_and_target("", "_blank")
        .ok()
        .flatten()
}

/// Points a tab from [`open_blank_tab`] at `uri`, cutting its link back to this page first.
pub fn navigate_tab(tab: &Window, uri: &str) -> bool {
    // A tab that could reach back into the editor's page is not worth opening.
    if tab.set_opener(&JsValue::NULL).is_err() || tab.location().set_href(uri).is_err() {
        close_tab(tab);
        return false;
    }
    true
}

/// Closes a tab from [`open_blank_tab`] that has nothing to show.
pub fn close_tab(tab: &Window) {
    // Closing can only fail if the tab is already gone, which is what we want anyway.
    let _ = tab.close();
}

/// Opens `uri` in a new tab with no link back to this page.
pub fn open_in_new_tab(uri: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.open_with_url_and_target_and_features(uri, "_blank", "noopener");
    }
}
