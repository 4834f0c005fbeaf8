use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::use_ctx;

/// The phrase box and its search button.
#[component]
pub fn SearchBar(
    /// The phrase as typed.
    phrase: RwSignal<String>,
    /// Called on every edit (the picker debounces it).
    on_input: impl Fn() + Copy + Send + Sync + 'static,
    /// Called on Enter or the button: search now.
    on_submit: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_ctx().i18n;
    let label = i18n.text(|s| &s.search_label);
    view! {
        <div class="gp-search" role="search">
            <input
                class="gp-search-input"
                type="search"
                aria-label=label.clone()
                placeholder=label
                autocomplete="off"
                prop:value=phrase
                on:input=move |event| {
                    phrase.set(event_target_value(&event));
                    on_input();
                }
                on:keydown=move |event: KeyboardEvent| {
                    if event.key() == "Enter" {
                        // Keeps Enter from submitting a host page's form around the picker.
                        event.prevent_default();
                        on_submit();
                    }
                }
            />
            <button class="gp-search-button" type="button" on:click=move |_| on_submit()>
                {i18n.text(|s| &s.search_button)}
            </button>
        </div>
    }
}
