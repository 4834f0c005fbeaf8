use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::I18n;

/// The phrase box and its search button.
#[component]
pub fn SearchBar(
    /// The phrase as typed.
    phrase: RwSignal<String>,
    /// Called on every edit (the picker debounces it).
    on_input: Callback<()>,
    /// Called when the editor presses Enter or the button: search now.
    on_submit: Callback<()>,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let label = i18n.text(|s| &s.search_label);
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Enter" {
            // Keeps Enter from submitting a host page's form around the picker.
            event.prevent_default();
            on_submit.run(());
        }
    };
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
                    on_input.run(());
                }
                on:keydown=on_keydown
            />
            <button class="gp-search-button" type="button" on:click=move |_| on_submit.run(())>
                {i18n.text(|s| &s.search_button)}
            </button>
        </div>
    }
}
