use leptos::either::Either;
use leptos::prelude::*;

use crate::components::context;

use super::{GridFocus, I18n, SharedImage};
use crate::getty::url::is_http_url;
use crate::grid::frame_ratio;
use crate::marks::{Mark, Marks};

/// One search result, as light as a card can be: the image (its frame sized by its aspect
/// ratio before the thumbnail arrives, so nothing moves when it does), its title and at most
/// two marks, a usage restriction and "In your library" or "Licensed before". Everything else,
/// licensing included, is in the details panel, which a click, Enter or Space opens: the grid
/// listens for those once, for every card (`ResultGrid`), so a card has no listener and one
/// reactive part, its mark.
#[component]
pub fn Card(
    /// The image to show.
    image: SharedImage,
) -> impl IntoView {
    let (i18n, marks) = (context::<I18n>(), context::<Marks>());
    // The grid's one tab stop (a new search's first card); the grid moves it (`ResultGrid`).
    let tab_stop = if context::<GridFocus>().is_target(&image.id) {
        "0"
    } else {
        "-1"
    };
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = match image.display_uri("thumb").filter(|uri| is_http_url(uri)) {
        // The title beside it names the card: the picture itself says nothing more.
        Some(uri) => Either::Left(view! {
            <img class="gp-thumb-image" src=uri.to_owned() alt="" loading="lazy" />
        }),
        None => Either::Right(view! {
            <span class="gp-thumb-missing">{i18n.text(|s| &s.no_preview)}</span>
        }),
    };
    let restriction = image.allowed_use.usage_restrictions.first().map(
        |restriction| view! { <span class="gp-mark gp-restrictions">{restriction.clone()}</span> },
    );
    let id = image.id.clone();
    let mark = move || {
        let text = match marks.of(&id)? {
            Mark::Held(_) => i18n.text(|s| &s.in_library),
            Mark::Licensed => i18n.text(|s| &s.licensed_mark),
        };
        Some(view! { <span class="gp-mark gp-held">{text}</span> })
    };
    view! {
        <li
            class="gp-card"
            data-id=image.id.clone()
            style=("--gp-ratio", frame_ratio(image.dimensions()))
        >
            <button class="gp-card-open" type="button" tabindex=tab_stop>
                {picture}
                <span class="gp-title">{title}</span>
                {restriction}
                {mark}
            </button>
        </li>
    }
}
