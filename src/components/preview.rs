use leptos::ev::KeyboardEvent;
use leptos::html::Button;
use leptos::prelude::*;

use super::{
    ChooseButton, DownloadControls, DownloadState, HeldNote, I18n, PreviewRequest, RoleOnly,
    SharedImage,
};
use crate::getty::url::is_http_url;
use crate::i18n::fill;

/// The preview panel of the image the editor opened (backdrop and dialog), with its details,
/// its download controls and "Use this image"; nothing while no preview is open.
#[component]
pub fn Preview() -> impl IntoView {
    let current = expect_context::<PreviewRequest>().current;
    move || {
        current
            .get()
            .map(|download| view! { <PreviewPanel download /> })
    }
}

/// The open panel for one image, given its download state (shared with its card).
#[component]
fn PreviewPanel(
    /// The image's download state, shared with its card.
    download: DownloadState,
) -> impl IntoView {
    let (request, i18n) = (expect_context::<PreviewRequest>(), expect_context::<I18n>());
    let RoleOnly(role_only) = expect_context();
    let image = download.image.clone();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = ["comp", "preview", "thumb"]
        .into_iter()
        .find_map(|size| image.display_uri(size).filter(|uri| is_http_url(uri)))
        .map(|uri| view! { <img class="gp-preview-image" src=uri.to_owned() alt=title.clone() /> });

    let controls = (!role_only.get_untracked()).then(|| {
        let state = download.clone();
        view! { <DownloadControls state /> }
    });
    // Focus moves into the dialog when it opens, so Esc and Tab work from the start; an
    // effect runs once this render is in the page.
    let close = NodeRef::<Button>::new();
    Effect::new(move |_| {
        if let Some(button) = close.get() {
            let _ = button.focus();
        }
    });
    let on_keydown = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            // Only the topmost layer closes: the host's own dialogs must not see this Esc.
            event.stop_propagation();
            event.prevent_default();
            request.close();
        }
    };
    let label = title.clone();
    view! {
        <div class="gp-preview-backdrop" on:click=move |_| request.close()></div>
        <div
            class="gp-preview"
            role="dialog"
            aria-modal="true"
            aria-label=label
            on:keydown=on_keydown
        >
            <button
                class="gp-preview-close"
                type="button"
                node_ref=close
                on:click=move |_| request.close()
            >
                {i18n.text(|s| &s.preview_close)}
            </button>
            <div class="gp-preview-picture">{picture}</div>
            <div class="gp-preview-details">
                <h2 class="gp-preview-title">{title}</h2>
                <ImageDetails image=image.clone() />
                <HeldNote id=image.id.clone() />
                {controls}
                <ChooseButton image on_chosen=Callback::new(move |()| request.close()) />
            </div>
        </div>
    }
}

/// The image's details as a description list: caption, artist, collection, usage,
/// restrictions, release, credit, copyright, largest size and id, each where Getty says.
#[component]
fn ImageDetails(
    /// The image.
    image: SharedImage,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let size = image.dimensions().map(|(width, height)| {
        i18n.with(|s| {
            fill(
                &s.size_value,
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                ],
            )
        })
    });
    let allowed = &image.allowed_use;
    let details = [
        (i18n.text(|s| &s.caption), image.caption.clone()),
        (i18n.text(|s| &s.artist), image.artist.clone()),
        (i18n.text(|s| &s.collection), image.collection_name.clone()),
        (i18n.text(|s| &s.usage), allowed.how_can_i_use_it.clone()),
        (i18n.text(|s| &s.restrictions), allowed.restrictions()),
        (i18n.text(|s| &s.release), allowed.release()),
        (i18n.text(|s| &s.credit), Some(image.credit_line())),
        (i18n.text(|s| &s.copyright), image.copyright.clone()),
        (i18n.text(|s| &s.max_size), size),
        ("ID".to_owned(), Some(image.id.clone())),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some(view! { <dt>{label}</dt><dd>{value?}</dd> }))
    .collect_view();
    view! { <dl>{details}</dl> }
}
