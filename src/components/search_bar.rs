use leptos::ev::{self, on, KeyboardEvent};
use leptos::html::Input;
use leptos::prelude::*;

use crate::components::context;
use leptos::tachys::html::node_ref::NodeRefContainer;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};

use super::I18n;

/// The phrase box and its search button. The box holds the phrase; `phrase` follows it (nothing
/// else writes it, so the box needs no binding back from it).
#[component]
pub fn SearchBar(
    /// The phrase as typed.
    phrase: RwSignal<String>,
    /// Called on every edit (the picker debounces it).
    on_input: impl Fn() + Copy + Send + Sync + 'static,
    /// Called on Enter or the button: search now.
    on_submit: impl Fn() + Copy + Send + Sync + 'static,
    /// The box's element, for whoever must focus it.
    #[prop(optional)]
    input: NodeRef<Input>,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let label = i18n.text(|s| &s.search_label);
    view! {
        <div class="gp-search" role="search">
            <input
                class="gp-search-input"
                node_ref=input
                type="search"
                aria-label=label.clone()
                placeholder=label
                autocomplete="off"
                on:input=typed(phrase, on_input)
                on:keydown=entered(on_submit)
            />
            <button class="gp-search-button" type="button" on:click=clicked(on_submit)>
                {i18n.text(|s| &s.search_button)}
            </button>
        </div>
    }
}

/// Takes over the search box the entry module drew before the wasm was ready (`bar`, a
/// `.gp-search` with its input and button; `packaging/shell.js`): the same nodes, so the text,
/// the caret and focus stay, with [`SearchBar`]'s texts and handlers (Leptos' own event
/// listeners, removed when the picker is cleaned up). What was typed so far goes into `phrase`;
/// the box's element into `handle`.
pub fn take_over(
    bar: &HtmlElement,
    handle: NodeRef<Input>,
    phrase: RwSignal<String>,
    on_input: impl Fn() + Copy + Send + Sync + 'static,
    on_submit: impl Fn() + Copy + Send + Sync + 'static,
) {
    let i18n = context::<I18n>();
    let find = |selector| bar.query_selector(selector).ok().flatten();
    let mut listeners = Vec::new();
    if let Some(input) = find(".gp-search-input") {
        handle.load(&input);
        let label = i18n.text(|s| &s.search_label);
        let _ = input.set_attribute("aria-label", &label);
        let _ = input.set_attribute("placeholder", &label);
        if let Some(typed) = input.dyn_ref::<HtmlInputElement>() {
            phrase.set(typed.value());
        }
        listeners.push(on(ev::input, typed(phrase, on_input)).attach(&input));
        listeners.push(on(ev::keydown, entered(on_submit)).attach(&input));
    }
    if let Some(button) = find(".gp-search-button") {
        button.set_text_content(Some(&i18n.text(|s| &s.search_button)));
        listeners.push(on(ev::click, clicked(on_submit)).attach(&button));
    }
    // Dropping a listener's handle removes it.
    on_cleanup(move || drop(listeners));
}

// The box's handlers, one function each for both ways of making the box, so the wasm holds one
// copy of each.

/// An edit: the phrase follows the box.
fn typed(
    phrase: RwSignal<String>,
    on_input: impl Fn() + Copy + Send + Sync + 'static,
) -> impl Fn(ev::Event) + Send + Sync + 'static {
    move |event| {
        phrase.set(event_target_value(&event));
        on_input();
    }
}

/// Enter searches now.
fn entered(
    on_submit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl Fn(KeyboardEvent) + Send + Sync + 'static {
    move |event| {
        if event.key() == "Enter" {
            // Keeps Enter from submitting a host page's form around the picker.
            event.prevent_default();
            on_submit();
        }
    }
}

/// The button searches now.
fn clicked(
    on_submit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl Fn(ev::MouseEvent) + Send + Sync + 'static {
    move |_| on_submit()
}
