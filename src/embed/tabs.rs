//! Opening delivery URIs in new tabs without giving them a way back into the host page.

use wasm_bindgen::JsValue;

/// Opens `uri` (a delivery link) in a new tab with no link back to this page; false when the
/// browser refused the tab (a popup blocker).
///
/// The tab is opened at the URI itself rather than blank beforehand and pointed there later:
/// Getty serves its files as `attachment`, and browsers close a new tab whose first page
/// becomes a download, but leave a blank tab that was navigated afterwards behind, empty.
pub fn open_delivery_tab(uri: &str) -> bool {
    let Some(tab) = web_sys::window()
        .and_then(|window| window.open_with_url_and_target(uri, "_blank").ok())
        .flatten()
    else {
        return false;
    };
    // Not the `noopener` feature: with it `open` returns null, and a blocked tab looks like an
    // opened one. Cut here instead, before the tab's first page can run.
    if tab.set_opener(&JsValue::NULL).is_err() {
        let _ = tab.close();
        return false;
    }
    true
}
