use leptos::prelude::*;

use super::Ctx;
use crate::dom::El;
use crate::state::SearchState;

/// The status line describing `state` (idle hint, progress, result count or error), announced
/// politely, with a retry button that calls `on_retry` after a failed search.
pub fn status(ctx: Ctx, state: RwSignal<SearchState>, on_retry: impl Fn() + Copy + 'static) -> El {
    let i18n = ctx.i18n;
    // A memo, so the retry button is rebuilt (losing focus) only when failure starts or ends.
    let failed =
        Memo::new(move |_| state.with(|state| matches!(state, SearchState::Failed { .. })));
    let line = El::new("p")
        .class("gp-status")
        .attr("role", "status")
        .attr("aria-live", "polite")
        .bind_class("gp-error", move || failed.get())
        .bind_text(move || state.with(|state| i18n.with_value(|strings| state.describe(strings))));
    El::new("div")
        .class("gp-status-bar")
        .child(line)
        .bind_child(move || {
            failed.get().then(|| {
                El::new("button")
                    .class("gp-retry")
                    .attr("type", "button")
                    .text(&i18n.text(|s| &s.retry))
                    .on("click", move |_| on_retry())
            })
        })
}
