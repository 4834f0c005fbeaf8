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
//! wasm); and every picker on the page shares the one sheet object. The entry module makes that
//! sheet (the stylesheet travels in it, not in the wasm) and hands it over with [`use_sheet`].
//!
//! The entry module also draws each picker's search box before the wasm is ready
//! (`packaging/shell.js`): a shadow root holding `.gp-mount[data-gp-shell] > .getty-picker >
//! .gp-search`. [`root_for`] accepts that root as the picker's own and [`prepare`] keeps the box,
//! so the picker takes it over with what the editor typed, the caret and focus.

use std::cell::RefCell;

use js_sys::{Array, WeakMap};
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use super::MountError;

/// The attribute of the entry module's `.gp-mount` while the wasm has not taken it over;
/// "submit" once the editor pressed Enter or the search button.
const SHELL: &str = "data-gp-shell";

thread_local! {
    /// The stylesheet every picker's shadow root adopts, from the entry module; `None` without
    /// it (the widget then works unstyled rather than not at all).
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    /// Shadow roots this instance attached, by host element. A shadow root cannot be detached,
    /// so a later mount on the same element must reuse it; weak, so hosts can drop elements.
    static OURS: WeakMap = WeakMap::new();
}

/// Makes `sheet` the stylesheet of every picker mounted from now on.
pub fn use_sheet(sheet: CssStyleSheet) {
    SHEET.with_borrow_mut(|current| *current = Some(sheet));
}

/// The element's shadow root for a picker: the one attached by an earlier mount or by the entry
/// module's search box, or a new one.
pub fn root_for(element: &HtmlElement) -> Result<ShadowRoot, MountError> {
    if let Some(root) = OURS.with(|ours| ours.get(element).dyn_into::<ShadowRoot>().ok()) {
        return Ok(root);
    }
    // The shared stylesheet belongs to this window's document and cannot be adopted elsewhere.
    let this_document = web_sys::window().and_then(|window| window.document());
    if element.owner_document() != this_document {
        return Err(MountError::OtherDocument);
    }
    if let Some(root) = element.shadow_root() {
        if shell(&root).is_none() {
            // Someone else's component (or another copy of the picker): never write over it.
            return Err(MountError::ForeignShadowRoot);
        }
        OURS.with(|ours| ours.set(element, &root));
        return Ok(root);
    }
    let root = element
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|_| MountError::NoShadowRoot)?;
    OURS.with(|ours| ours.set(element, &root));
    Ok(root)
}

/// Where a picker renders: `.gp-mount > .getty-picker` in its shadow root (Leptos mounts into an
/// element, and a shadow root is not one).
pub struct Stage {
    /// The `.getty-picker` element the picker's parts go into.
    pub container: HtmlElement,
    /// The entry module's search box (`.gp-search`, first in `container`), if it drew one.
    pub shell: Option<Shell>,
}

/// The search box the entry module drew before the wasm was ready, the picker's once it
/// renders (it may first wait for its locale file, and the box takes typing meanwhile).
pub struct Shell {
    /// The entry module's `.gp-mount`, whose attribute says whether a search was asked for.
    mount: Element,
    /// The `.gp-search` element with its input and button.
    bar: HtmlElement,
}

impl Shell {
    /// Takes the box over: its `.gp-search` element, and whether the editor pressed Enter or the
    /// button before now. From here on the entry module's listeners stand down.
    pub fn take(self) -> (HtmlElement, bool) {
        let submitted = self.mount.get_attribute(SHELL).as_deref() == Some("submit");
        let _ = self.mount.remove_attribute(SHELL);
        (self.bar, submitted)
    }
}

/// Adopts the widget's stylesheet in `root` and returns where to render: the entry module's
/// stage with its search box, or a fresh one in the emptied root.
pub fn prepare(root: &ShadowRoot) -> Result<Stage, MountError> {
    let sheets = SHEET.with_borrow(|sheet| sheet.iter().cloned().collect::<Array>());
    root.set_adopted_style_sheets(&sheets);
    let taken = shell(root).and_then(|mount| {
        let container = mount
            .first_element_child()?
            .dyn_into::<HtmlElement>()
            .ok()?;
        let bar = container
            .first_element_child()?
            .dyn_into::<HtmlElement>()
            .ok()?;
        Some(Stage {
            container,
            shell: Some(Shell { mount, bar }),
        })
    });
    if let Some(stage) = taken {
        return Ok(stage);
    }
    empty(root);
    let mount = element(root, "div", "gp-mount").ok_or(MountError::NoShadowRoot)?;
    let container = element(root, "div", "getty-picker").ok_or(MountError::NoShadowRoot)?;
    root.append_child(&mount)
        .and_then(|_| mount.append_child(&container))
        .map_err(|_| MountError::NoShadowRoot)?;
    Ok(Stage {
        container,
        shell: None,
    })
}

/// The entry module's `.gp-mount` in `root`, if it is still waiting for the wasm.
fn shell(root: &ShadowRoot) -> Option<Element> {
    root.first_element_child()
        .filter(|mount| mount.has_attribute(SHELL))
}

/// A new `<tag class="class_name">` in `root`'s document.
fn element(root: &ShadowRoot, tag: &str, class_name: &str) -> Option<HtmlElement> {
    let element = root
        .owner_document()?
        .create_element(tag)
        .ok()?
        .dyn_into::<HtmlElement>()
        .ok()?;
    element.set_class_name(class_name);
    Some(element)
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
    let sheets = SHEET.with_borrow(|sheet| sheet.iter().cloned().collect::<Array>());
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
