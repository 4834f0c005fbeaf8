use leptos::prelude::*;

use super::Ctx;
use crate::dom::El;

/// The phrase box and its search button. `phrase` is the phrase as typed; `on_input` is called
/// on every edit (the picker debounces it), `on_submit` on Enter or the button: search now.
pub fn search_bar(
    ctx: Ctx,
    phrase: RwSignal<String>,
    on_input: impl Fn() + Copy + 'static,
    on_submit: impl Fn() + Copy + 'static,
) -> El {
    let i18n = ctx.i18n;
    let label = i18n.text(|s| &s.search_label);
    let input = El::new("input")
        .class("gp-search-input")
        .attr("type", "search")
        .attr("aria-label", &label)
        .attr("placeholder", &label)
        .attr("autocomplete", "off")
        .bind_prop("value", move || phrase.get().into())
        .on("input", move |event| {
            phrase.set(event_target_value(&event));
            on_input();
        })
        .on_key("keydown", move |event| {
            if event.key() == "Enter" {
                // Keeps Enter from submitting a host page's form around the picker.
                event.prevent_default();
                on_submit();
            }
        });
    El::new("div")
        .class("gp-search")
        .attr("role", "search")
        .child(input)
        .child(
            El::new("button")
                .class("gp-search-button")
                .attr("type", "button")
                .text(&i18n.text(|s| &s.search_button))
                .on("click", move |_| on_submit()),
        )
}
