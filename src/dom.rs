//! A small DOM builder with reactive bindings: how the components make their elements.
//!
//! Why not `view!`: tachys gives every view its own nested generic type and compiles each one
//! separately, and the picker's views came to about 58 KB of a 145 KB (gzip) bundle against a
//! 100 KB budget (issue 7). These helpers are compiled once, so an element costs a few calls
//! rather than a type. Reactivity is still Leptos': every binding is a `RenderEffect`, and
//! bindings and listeners live exactly as long as the reactive owner they were made under, so
//! disposing of an owner (a closed preview, a replaced result list, a destroyed picker) stops
//! everything made under it.

use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, KeyboardEvent, Node};

/// An element being built; `El::new("li").class("gp-card").text("…")`.
#[derive(Debug, Clone)]
pub struct El(Element);

impl El {
    /// A new, detached `<tag>` element.
    pub fn new(tag: &str) -> Self {
        // Only the picker's own tag names come here, and the picker only runs in a page.
        // (`ok()` first: formatting the browser's error would bring a debug printer along.)
        let element = document().create_element(tag).ok();
        Self(element.expect("the picker's tag names are valid"))
    }

    /// Sets the class attribute.
    pub fn class(self, names: &str) -> Self {
        self.0.set_class_name(names);
        self
    }

    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Appends text (as a text node: never parsed as HTML).
    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    /// Appends a child element.
    pub fn child(self, child: impl Into<Option<El>>) -> Self {
        if let Some(child) = child.into() {
            let _ = self.0.append_child(&child.0);
        }
        self
    }

    /// Appends child elements.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        for child in children {
            let _ = self.0.append_child(&child.0);
        }
        self
    }

    /// Calls `handler` on every `event` until the current owner is disposed of.
    pub fn on(self, event: &str, handler: impl FnMut(Event) + 'static) -> Self {
        listen(&self.0, event, Box::new(handler));
        self
    }

    /// Calls `handler` on every keyboard `event` (e.g. "keydown").
    pub fn on_key(self, event: &str, mut handler: impl FnMut(KeyboardEvent) + 'static) -> Self {
        self.on(event, move |event| handler(event.unchecked_into()))
    }

    /// Appends a text node that always shows `text()`.
    pub fn bind_text(self, text: impl Fn() -> String + 'static) -> Self {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        let shown = RefCell::new(String::new());
        effect(Box::new(move || {
            // Unchanged text is not written again: a live region would announce it again.
            let text = text();
            if *shown.borrow() != text {
                node.set_data(&text);
                shown.replace(text);
            }
        }));
        self
    }

    /// Keeps attribute `name` at `value()`, absent while it is `None`.
    pub fn bind_attr(
        self,
        name: &'static str,
        value: impl Fn() -> Option<String> + 'static,
    ) -> Self {
        let element = self.0.clone();
        // `None` until the first run, which always writes.
        let shown: RefCell<Option<Option<String>>> = RefCell::new(None);
        effect(Box::new(move || {
            let value = value();
            if shown.borrow().as_ref() == Some(&value) {
                return;
            }
            let _ = match &value {
                Some(value) => element.set_attribute(name, value),
                None => element.remove_attribute(name),
            };
            shown.replace(Some(value));
        }));
        self
    }

    /// Keeps boolean attribute `name` (e.g. "disabled") present exactly while `on()`.
    pub fn bind_flag(self, name: &'static str, on: impl Fn() -> bool + 'static) -> Self {
        self.bind_attr(name, move || on().then(String::new))
    }

    /// Keeps class `name` on the element exactly while `on()`.
    pub fn bind_class(self, name: &'static str, on: impl Fn() -> bool + 'static) -> Self {
        let element = self.0.clone();
        effect(Box::new(move || {
            let _ = element.class_list().toggle_with_force(name, on());
        }));
        self
    }

    /// Keeps the DOM property `name` (e.g. "checked", "value") at `value()`: what the element
    /// shows now, which its attribute stops saying once the editor has used it. A `<select>`'s
    /// "value" is bound after its options are appended, or there is nothing to select yet.
    pub fn bind_prop(self, name: &'static str, value: impl Fn() -> JsValue + 'static) -> Self {
        let element = self.0.clone();
        effect(Box::new(move || {
            let _ = js_sys::Reflect::set(&element, &JsValue::from_str(name), &value());
        }));
        self
    }

    /// A child that `view()` rebuilds whenever what it reads changes; `None` shows nothing.
    pub fn bind_child(self, view: impl Fn() -> Option<El> + 'static) -> Self {
        self.bind_children(move || view().into_iter().collect())
    }

    /// Children that `view()` rebuilds whenever what it reads changes, after those appended so
    /// far. What the last build made under its owner (bindings, listeners) goes with it.
    pub fn bind_children(self, view: impl Fn() -> Vec<El> + 'static) -> Self {
        let marker: Node = document().create_comment("").into();
        let _ = self.0.append_child(&marker);
        let parent = self.0.clone();
        let mut shown: Vec<Element> = Vec::new();
        let view: Box<dyn Fn() -> Vec<El>> = Box::new(view);
        keep(RenderEffect::new(move |_| {
            for old in shown.drain(..) {
                old.remove();
            }
            for El(new) in view() {
                let _ = parent.insert_before(&new, Some(&marker));
                shown.push(new);
            }
        }));
        self
    }

    /// The element, e.g. to keep for focusing later.
    pub fn element(&self) -> &Element {
        &self.0
    }

    /// The finished element.
    pub fn into_element(self) -> Element {
        self.0
    }
}

/// Runs `update` now and again whenever a signal it read changes (later runs on the microtask
/// queue), until the current owner is disposed of: for DOM updates that are more than one
/// binding. What a run makes goes when the next run starts, unless made with [`build_under`].
pub fn watch(update: impl Fn() + 'static) {
    effect(Box::new(update));
}

fn effect(update: Box<dyn Fn()>) {
    keep(RenderEffect::new(move |_| update()));
}

/// A render effect stops when dropped; the current owner keeps it until disposed of.
fn keep(effect: RenderEffect<()>) {
    StoredValue::new_local(effect);
}

/// Adds a listener that the current owner keeps, and removes, when it is disposed of.
fn listen(element: &Element, event: &str, handler: Box<dyn FnMut(Event)>) {
    let closure = Closure::wrap(handler);
    if element
        .add_event_listener_with_callback(event, closure.as_ref().unchecked_ref())
        .is_err()
    {
        return;
    }
    StoredValue::new_local(Listener {
        element: element.clone(),
        event: event.to_owned(),
        closure,
    });
}

/// A listener on an element; removed before its closure is freed, so the browser never calls
/// a freed closure.
struct Listener {
    element: Element,
    event: String,
    closure: Closure<dyn FnMut(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.element.remove_event_listener_with_callback(
            &self.event,
            self.closure.as_ref().unchecked_ref(),
        );
    }
}

/// Runs `build` under `owner`, untracked, so that what it makes lives until that owner is
/// disposed of rather than until the surrounding effect runs again.
pub fn build_under<T>(owner: &Owner, build: impl FnOnce() -> T) -> T {
    owner.with(|| untrack(build))
}
