use leptos::prelude::*;

use crate::components::context;

use super::{I18n, SharedImage};
use crate::embed::Host;
use crate::getty::Day;
use crate::library::Held;
use crate::library::Library;

/// "Use it" (`getty-picker:use`, spending nothing), the primary action for an image the host's
/// library holds; nothing while it does not hold it. Placed before the download controls, whose
/// button then says "Download again…" as the secondary action.
#[component]
pub fn UseHeld(
    /// The image to hand over.
    image: SharedImage,
    /// Called after the host was told (the details close).
    #[prop(optional)]
    on_chosen: Option<Callback<()>>,
) -> impl IntoView {
    let (i18n, host) = (context::<I18n>(), context::<Host>());
    let library = context::<Library>();
    move || {
        let held = library.held(&image.id)?;
        let image = image.clone();
        let label = format!("{}: {}", i18n.text(|s| &s.use_held), title(i18n, &image));
        Some(view! {
            <button
                class="gp-use"
                type="button"
                aria-label=label
                on:click=move |_| {
                    host.used(&image, &held.entry);
                    if let Some(callback) = on_chosen {
                        callback.run(());
                    }
                }
            >
                {i18n.text(|s| &s.use_held)}
            </button>
        })
    }
}

/// "Use this image" (`getty-picker:select`), handing the image to the host page without a
/// licence (a comp); nothing while the host's library holds it ([`UseHeld`] then).
#[component]
pub fn ChooseButton(
    /// The image to hand over.
    image: SharedImage,
    /// Called after the host was told (the details close).
    #[prop(optional)]
    on_chosen: Option<Callback<()>>,
) -> impl IntoView {
    let (i18n, host) = (context::<I18n>(), context::<Host>());
    let library = context::<Library>();
    move || {
        if library.held(&image.id).is_some() {
            return None;
        }
        let image = image.clone();
        let label = format!("{}: {}", i18n.text(|s| &s.use_image), title(i18n, &image));
        Some(view! {
            <button
                class="gp-select"
                type="button"
                aria-label=label
                on:click=move |_| {
                    host.selected(&image);
                    if let Some(callback) = on_chosen {
                        callback.run(());
                    }
                }
            >
                {i18n.text(|s| &s.use_image)}
            </button>
        })
    }
}

/// The image's title, or the "untitled" text.
fn title(i18n: I18n, image: &SharedImage) -> String {
    image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled))
}

/// "In your library", with the product and the day the host says it was licensed; nothing
/// while the host's library does not hold the image.
#[component]
pub fn HeldNote(
    /// The image's Getty id.
    id: String,
) -> impl IntoView {
    let (i18n, library) = (context::<I18n>(), context::<Library>());
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
