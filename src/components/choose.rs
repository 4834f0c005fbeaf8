use leptos::either::Either;
use leptos::prelude::*;

use super::{I18n, SharedImage};
use crate::embed::Host;
use crate::getty::Day;
use crate::library::Held;
use crate::library::Library;

/// Hands the image to the host page: "Use this image" (`getty-picker:select`), or "Use it"
/// (`getty-picker:use`, spending nothing) when the host's library holds it.
#[component]
pub fn ChooseButton(
    /// The image to hand over.
    image: SharedImage,
    /// Called after the host was told (the preview closes).
    #[prop(optional)]
    on_chosen: Option<Callback<()>>,
) -> impl IntoView {
    let (i18n, host) = (expect_context::<I18n>(), expect_context::<Host>());
    let library = expect_context::<Library>();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let done = move || {
        if let Some(callback) = on_chosen {
            callback.run(());
        }
    };
    move || {
        let image = image.clone();
        match library.held(&image.id) {
            Some(held) => {
                let label = format!("{}: {title}", i18n.text(|s| &s.use_held));
                Either::Left(view! {
                    <button
                        class="gp-use"
                        type="button"
                        aria-label=label
                        on:click=move |_| {
                            host.used(&image, &held.entry);
                            done();
                        }
                    >
                        {i18n.text(|s| &s.use_held)}
                    </button>
                })
            }
            None => {
                let label = format!("{}: {title}", i18n.text(|s| &s.use_image));
                Either::Right(view! {
                    <button
                        class="gp-select"
                        type="button"
                        aria-label=label
                        on:click=move |_| {
                            host.selected(&image);
                            done();
                        }
                    >
                        {i18n.text(|s| &s.use_image)}
                    </button>
                })
            }
        }
    }
}

/// "In your library", with the product and the day the host says it was licensed; nothing
/// while the host's library does not hold the image.
#[component]
pub fn HeldNote(
    /// The image's Getty id.
    id: String,
) -> impl IntoView {
    let (i18n, library) = (expect_context::<I18n>(), expect_context::<Library>());
    move || {
        library.held(&id).map(|held| {
            view! { <p class="gp-held">{held_line(i18n, &held, i18n.text(|s| &s.in_library))}</p> }
        })
    }
}

/// "In your library · Editorial Subscription · 3 Nov 2026": the host's product and date are
/// shown as text, and only when they are text.
fn held_line(i18n: super::I18n, held: &Held, in_library: String) -> String {
    let date = held
        .licensed_at
        .as_deref()
        .and_then(Day::parse)
        .map(|date| i18n.with(|s| s.date(date)));
    [Some(in_library), held.product.clone(), date]
        .into_iter()
        .flatten()
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}
