use leptos::prelude::*;

use crate::components::context;

use super::I18n;
use crate::state::SearchState;

/// The status line describing the search (idle hint, progress, result count or error),
/// announced politely, with a retry button after a failed search.
#[component]
pub fn Status(
    /// The search to describe.
    state: RwSignal<SearchState>,
    /// Called by the retry button.
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = context::<I18n>();
    // Memos: the line is a live region, so unchanged text must not be written (and announced)
    // again, and the retry button is rebuilt (losing focus) only when failure starts or ends.
    let line = Memo::new(move |_| state.with(|state| i18n.with(|strings| state.describe(strings))));
    let failed =
        Memo::new(move |_| state.with(|state| matches!(state, SearchState::Failed { .. })));
    view! {
        <div class="gp-status-bar">
            <p class="gp-status" class:gp-error=failed role="status" aria-live="polite">
                {line}
            </p>
            <Show when=move || failed.get()>
                <button class="gp-retry" type="button" on:click=move |_| on_retry()>
                    {i18n.text(|s| &s.retry)}
                </button>
            </Show>
        </div>
    }
}
