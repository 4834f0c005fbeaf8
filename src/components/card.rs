use leptos::either::Either;
use leptos::ev::KeyboardEvent;
use leptos::html::Li;
use leptos::prelude::*;

use super::{
    ChooseButton, DownloadControls, DownloadState, GridFocus, HeldNote, I18n, PreviewRequest,
    RoleOnly, SharedImage, UseHeld,
};
use crate::account::Licences;
use crate::getty::url::is_http_url;

/// One search result: thumbnail, title, id, usage restrictions, release status, whether the
/// host's library holds it, its download controls (none for an editor whose role is to choose
/// only) and the button that hands it to the host.
/// Clicking the thumbnail (or Enter on the focused card) opens the preview.
#[component]
pub fn Card(
    /// The image to show.
    image: SharedImage,
    /// The account's products as the search shown knows them.
    #[prop(into)]
    licences: Signal<Licences>,
) -> impl IntoView {
    let (i18n, preview) = (expect_context::<I18n>(), expect_context::<PreviewRequest>());
    let (focus, RoleOnly(role_only)) =
        (expect_context::<GridFocus>(), expect_context::<RoleOnly>());
    let id = image.id.clone();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let card = NodeRef::<Li>::new();
    let download = DownloadState::new(image.clone(), card, licences);
    // Read once: the token that searched already said whether this editor may license.
    let controls = (!role_only.get_untracked()).then(|| {
        let state = download.clone();
        view! { <DownloadControls state /> }
    });
    let on_focus = {
        let id = id.clone();
        move |_| focus.set(&id)
    };
    let on_keydown = {
        let download = download.clone();
        move |event: KeyboardEvent| {
            // Enter on the card itself, not on one of its buttons.
            if event.key() == "Enter" && event.target() == event.current_target() {
                event.prevent_default();
                preview.show(download.clone());
            }
        }
    };
    let (card_id, card_label) = (id.clone(), title.clone());

    view! {
        <li
            class="gp-card"
            node_ref=card
            data-id=card_id
            // The grid moves its one tab stop (`ResultGrid`).
            tabindex="-1"
            aria-label=card_label
            on:focusin=on_focus
            on:keydown=on_keydown
        >
            <Thumbnail download title=title.clone() />
            <h2 class="gp-title">{title}</h2>
            <p class="gp-id">{id}</p>
            <LicenceNotes image=image.clone() />
            <HeldNote id=image.id.clone() />
            <UseHeld image=image.clone() />
            {controls}
            // Hands the image to the host page (e.g. to insert it into an article).
            <ChooseButton image />
        </li>
    }
}

/// The card's thumbnail (or a placeholder), a button that opens the preview.
#[component]
fn Thumbnail(
    /// The card's download state, handed to the preview.
    download: DownloadState,
    /// The image's title.
    title: String,
) -> impl IntoView {
    let (i18n, preview) = (expect_context::<I18n>(), expect_context::<PreviewRequest>());
    let preview_label = format!("{}: {title}", i18n.text(|s| &s.preview_label));
    let thumbnail = match download
        .image
        .display_uri("thumb")
        .filter(|uri| is_http_url(uri))
    {
        Some(uri) => Either::Left(view! {
            <img class="gp-thumb-image" src=uri.to_owned() alt=title loading="lazy" />
        }),
        None => Either::Right(view! {
            <span class="gp-thumb-missing">{i18n.text(|s| &s.no_preview)}</span>
        }),
    };
    // An accessible name starts with the visible text (WCAG 2.5.3), here the placeholder's.
    let preview_label = match &thumbnail {
        Either::Left(_) => preview_label,
        Either::Right(_) => format!("{}. {preview_label}", i18n.text(|s| &s.no_preview)),
    };
    view! {
        <button
            class="gp-thumb"
            type="button"
            tabindex="-1"
            aria-label=preview_label
            on:click=move |_| preview.show(download.clone())
        >
            {thumbnail}
        </button>
    }
}

/// What the licence forbids and the release status, where Getty says: an editor must see them
/// before using the image.
#[component]
fn LicenceNotes(
    /// The image.
    image: SharedImage,
) -> impl IntoView {
    let allowed = &image.allowed_use;
    let restrictions = allowed
        .restrictions()
        .map(|restrictions| view! { <p class="gp-restrictions">{restrictions}</p> });
    let release = allowed
        .release()
        .map(|release| view! { <p class="gp-release">{release}</p> });
    (restrictions, release)
}
