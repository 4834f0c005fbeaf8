use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

use super::download::{DownloadControls, DownloadState};
use super::{GridFocus, I18n, PreviewRequest};
use crate::embed::Host;
use crate::getty::url::is_http_url;
use crate::getty::Image;

/// One search result: thumbnail, title, id, products on offer and its download controls.
/// Clicking the thumbnail (or Enter on the focused card) opens the preview.
#[component]
pub fn Card(
    /// The image to show.
    image: Image,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let preview = expect_context::<PreviewRequest>();
    let focus = expect_context::<GridFocus>();
    let download = DownloadState::new(image.clone());
    let host = Host::current();
    let id = image.id.clone();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let products = image
        .downloads()
        .iter()
        .map(|download| download.product_type.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let products = if products.is_empty() {
        i18n.text(|s| &s.no_download)
    } else {
        products
    };
    let thumbnail = match image.display_uri("thumb").filter(|uri| is_http_url(uri)) {
        Some(uri) => view! {
            <img class="gp-thumb-image" src=uri.to_owned() alt=title.clone() loading="lazy" />
        }
        .into_any(),
        None => view! {
            <span class="gp-thumb-missing">{i18n.text(|s| &s.no_preview)}</span>
        }
        .into_any(),
    };
    let is_focus_target = {
        let id = id.clone();
        move || focus.is_target(&id)
    };
    let on_focus = {
        let id = id.clone();
        move |_| focus.set(&id)
    };

    view! {
        <li
            class="gp-card"
            data-id=id.clone()
            tabindex=move || if is_focus_target() { "0" } else { "-1" }
            aria-label=title.clone()
            on:focusin=on_focus
            on:keydown=move |event: KeyboardEvent| {
                // Enter on the card itself, not on one of its buttons.
                if event.key() == "Enter" && event.target() == event.current_target() {
                    event.prevent_default();
                    preview.open(download);
                }
            }
        >
            <button
                class="gp-thumb"
                type="button"
                tabindex="-1"
                aria-label=format!("{}: {title}", i18n.text(|s| &s.preview_label))
                on:click=move |_| preview.open(download)
            >
                {thumbnail}
            </button>
            <h2 class="gp-title">{title.clone()}</h2>
            <p class="gp-id">{id.clone()}</p>
            <p class="gp-products">{products}</p>
            <DownloadControls state=download />
            // Hands the image to the host page (e.g. to insert it into an article).
            <button
                class="gp-select"
                type="button"
                aria-label=format!("{}: {title}", i18n.text(|s| &s.use_image))
                on:click=move |_| {
                    download.image.try_with_value(|image| host.selected(image));
                }
            >
                {i18n.text(|s| &s.use_image)}
            </button>
        </li>
    }
}
