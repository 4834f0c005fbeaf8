//! Everything that touches the host page: mounting, reading configuration, opening tabs.

use std::any::Any;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, Window};

use crate::components::Picker;
use crate::config::{Config, ConfigError};
use crate::http::GettyClient;

/// A mounted picker; dropping it unmounts the picker.
pub struct PickerHandle {
    _mounted: Box<dyn Any>,
}

/// Mounts a picker into `element`, configured by its `data-*` attributes.
pub fn mount(element: HtmlElement) -> Result<PickerHandle, ConfigError> {
    let config = Config::from_attributes(|name| element.get_attribute(name))?;
    let client = GettyClient::new(config);
    let mounted = leptos::mount::mount_to(element, move || view! { <Picker client /> });
    Ok(PickerHandle {
        _mounted: Box::new(mounted),
    })
}

/// Mounts a picker on every `[data-getty-picker]` element of the page, for the page's lifetime.
pub fn mount_all() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(elements) = document.query_selector_all("[data-getty-picker]") else {
        return;
    };
    for index in 0..elements.length() {
        let Some(element) = elements
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlElement>().ok())
        else {
            continue;
        };
        match mount(element.clone()) {
            Ok(handle) => std::mem::forget(handle),
            Err(error) => {
                // Tell the page's author where the problem is rather than leaving an empty box.
                let message = format!("getty-picker: {error}");
                web_sys::console::error_1(&JsValue::from_str(&message));
                element.set_text_content(Some(&message));
            }
        }
    }
}

/// Replaces every picker on the page with a notice, for after a panic stopped the wasm instance.
pub fn show_crash() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let Ok(roots) = document.query_selector_all(".getty-picker") else {
        return;
    };
    for index in 0..roots.length() {
        if let Some(root) = roots.item(index) {
            root.set_text_content(Some(
                "The image picker stopped working. Reload the page to use it again.",
            ));
            if let Ok(root) = root.dyn_into::<web_sys::Element>() {
                let _ = root.set_attribute("role", "alert");
            }
        }
    }
}

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
