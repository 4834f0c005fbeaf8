//! The widget's own corner of the host page: an open shadow root on the mount element, styled
//! by one constructed stylesheet.
//!
//! Why a shadow root: scoped class names cannot win against host rules that use `!important`
//! or ID selectors, and a CMS has plenty of both. Selectors do not cross a shadow boundary in
//! either direction, so host rules never reach the widget's nodes and the widget's rules never
//! reach the page; only inherited properties and custom properties cross, and `:host
//! { all: initial }` in the stylesheet resets the former, leaving custom properties as the one
//! documented theming channel. The root is open so hosts' devtools and tests can look inside.
//!
//! Why a constructed stylesheet (`new CSSStyleSheet()` + `adoptedStyleSheets`) rather than a
//! `<link>` to a hashed CSS file: stylesheets created by script are not subject to CSP
//! `style-src` (the script that makes them is already vetted by `script-src`), whereas an inline
//! `<style>` would be blocked by `style-src 'self'`; the styles are in place before the first
//! render (no flash of unstyled widget, no request, no URL to hand from the entry module to the
//! wasm); and every picker on the page shares the one sheet object.

use js_sys::{Array, WeakMap};
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use super::MountError;

/// The widget's styles, compiled in so that they travel with the wasm.
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/picker.min.css"));

thread_local! {
    /// The stylesheet every picker's shadow root adopts; `None` if the browser has no
    /// constructable stylesheets (the widget then works unstyled rather than not at all).
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new()
        .ok()
        .filter(|sheet| sheet.replace_sync(STYLES).is_ok());
    /// Shadow roots this instance attached, by host element. A shadow root cannot be detached,
    /// so a later mount on the same element must reuse it; weak, so hosts can drop elements.
    static OURS: WeakMap = WeakMap::new();
}

/// The element's shadow root for a picker: the one attached by an earlier mount, or a new one.
pub fn root_for(element: &HtmlElement) -> Result<ShadowRoot, MountError> {
    if let Some(root) = OURS.with(|ours| ours.get(element).dyn_into::<ShadowRoot>().ok()) {
        return Ok(root);
    }
    // The shared stylesheet belongs to this window's document and cannot be adopted elsewhere.
    let this_document = web_sys::window().and_then(|window| window.document());
    if element.owner_document() != this_document {
        return Err(MountError::OtherDocument);
    }
    if element.shadow_root().is_some() {
        // Someone else's component (or another copy of the picker): never write over it.
        return Err(MountError::ForeignShadowRoot);
    }
    let root = element
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|_| MountError::NoShadowRoot)?;
    OURS.with(|ours| ours.set(element, &root));
    Ok(root)
}

/// Empties `root`, adopts the widget's stylesheet and returns a fresh element to render into
/// (Leptos mounts into an element, and a shadow root is not one).
pub fn prepare(root: &ShadowRoot) -> Result<HtmlElement, MountError> {
    empty(root);
    let sheets = SHEET.with(|sheet| sheet.iter().cloned().collect::<Array>());
    root.set_adopted_style_sheets(&sheets);
    let container = root
        .owner_document()
        .and_then(|document| document.create_element("div").ok())
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
        .ok_or(MountError::NoShadowRoot)?;
    container.set_class_name("gp-mount");
    root.append_child(&container)
        .map_err(|_| MountError::NoShadowRoot)?;
    Ok(container)
}

/// Shows the element's own content (e.g. "Loading the image picker…") in `container` until the
/// picker replaces it: a `<slot>` for the element's children.
pub fn show_own_content(container: &HtmlElement) {
    if let Some(slot) = container
        .owner_document()
        .and_then(|document| document.create_element("slot").ok())
    {
        let _ = container.append_child(&slot);
    }
}

/// Takes everything the widget put in `root` out again. What stays is a bare `<slot>`, so the
/// element shows its own children as it did before the picker was mounted.
pub fn release(root: &ShadowRoot) {
    empty(root);
    root.set_adopted_style_sheets(&Array::new());
    if let Some(slot) = root
        .owner_document()
        .and_then(|document| document.create_element("slot").ok())
    {
        let _ = root.append_child(&slot);
    }
}

/// Replaces the widget in `root` with a notice: a configuration error or a crash.
pub fn show_notice(root: &ShadowRoot, message: &str) {
    empty(root);
    let sheets = SHEET.with(|sheet| sheet.iter().cloned().collect::<Array>());
    root.set_adopted_style_sheets(&sheets);
    if let Some(notice) = root
        .owner_document()
        .and_then(|document| document.create_element("p").ok())
    {
        notice.set_class_name("gp-notice");
        let _ = notice.set_attribute("role", "alert");
        notice.set_text_content(Some(message));
        let _ = root.append_child(&notice);
    }
}

fn empty(root: &ShadowRoot) {
    while let Some(child) = root.first_child() {
        if root.remove_child(&child).is_err() {
            break;
        }
    }
}
