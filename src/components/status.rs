use leptos::prelude::*;

use crate::state::SearchState;

/// The status line: idle hint, progress, result count or error, announced politely.
#[component]
pub fn Status(
    /// The search to describe.
    state: RwSignal<SearchState>,
    /// Called with the failed phrase when the editor retries.
    on_retry: Callback<String>,
) -> impl IntoView {
    let failed_phrase = move || match state.get() {
        SearchState::Failed { phrase, .. } => Some(phrase),
        _ => None,
    };
    view! {
        <div class="gp-status-bar">
            <p
                class="gp-status"
                class:gp-error=move || failed_phrase().is_some()
                role="status"
                aria-live="polite"
            >
                {move || state.with(SearchState::describe)}
            </p>
            {move || {
                failed_phrase()
                    .map(|phrase| {
                        view! {
                            <button
                                class="gp-retry"
                                type="button"
                                on:click=move |_| on_retry.run(phrase.clone())
                            >
                                "Try again"
                            </button>
                        }
                    })
            }}
        </div>
    }
}
