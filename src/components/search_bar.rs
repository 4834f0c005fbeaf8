use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// The phrase box and its search button.
#[component]
pub fn SearchBar(
    /// Called with the phrase on every edit (the picker debounces it).
    on_input: Callback<String>,
    /// Called with the phrase when the editor presses Enter or the button: search now.
    on_submit: Callback<String>,
) -> impl IntoView {
    let phrase = RwSignal::new(String::new());
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Enter" {
            // Keeps Enter from submitting a host page's form around the picker.
            event.prevent_default();
            on_submit.run(phrase.get_untracked());
        }
    };
    view! {
        <div class="gp-search" role="search">
            <input
                class="gp-search-input"
                type="search"
                aria-label="Search Getty Images"
                placeholder="Search Getty Images"
                autocomplete="off"
                prop:value=phrase
                on:input=move |event| {
                    let value = event_target_value(&event);
                    phrase.set(value.clone());
                    on_input.run(value);
                }
                on:keydown=on_keydown
            />
            <button
                class="gp-search-button"
                type="button"
                on:click=move |_| on_submit.run(phrase.get_untracked())
            >
                "Search"
            </button>
        </div>
    }
}
