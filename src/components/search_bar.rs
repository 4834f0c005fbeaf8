use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// The phrase box and its search button. Enter searches; a blank phrase does nothing.
#[component]
pub fn SearchBar(
    /// Called with the phrase when the editor asks for a search.
    on_search: Callback<String>,
) -> impl IntoView {
    let phrase = RwSignal::new(String::new());
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Enter" {
            // Keeps Enter from submitting a host page's form around the picker.
            event.prevent_default();
            on_search.run(phrase.get_untracked());
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
                bind:value=phrase
                on:keydown=on_keydown
            />
            <button
                class="gp-search-button"
                type="button"
                on:click=move |_| on_search.run(phrase.get_untracked())
            >
                "Search"
            </button>
        </div>
    }
}
