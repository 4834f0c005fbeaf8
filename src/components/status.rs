use leptos::prelude::*;

use super::I18n;
use crate::state::SearchState;

/// The status line: idle hint, progress, result count or error, announced politely.
#[component]
pub fn Status(
    /// The search to describe.
    state: RwSignal<SearchState>,
    /// Called when the editor retries a failed search.
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let failed = move || matches!(state.get(), SearchState::Failed { .. });
    view! {
        <div class="gp-status-bar">
            <p class="gp-status" class:gp-error=failed role="status" aria-live="polite">
                {move || state.with(|state| i18n.with_value(|strings| state.describe(strings)))}
            </p>
            <Show when=failed>
                <button class="gp-retry" type="button" on:click=move |_| on_retry.run(())>
                    {i18n.text(|s| &s.retry)}
                </button>
            </Show>
        </div>
    }
}
