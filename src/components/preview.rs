use leptos::ev::KeyboardEvent;
use leptos::html::Button;
use leptos::prelude::*;

use super::download::{DownloadControls, DownloadState};
use super::{I18n, PreviewRequest};
use crate::getty::url::is_http_url;
use crate::i18n::fill;

/// The preview panel: a larger rendition and the image's details, with its download controls.
#[component]
pub fn Preview() -> impl IntoView {
    let request = expect_context::<PreviewRequest>();
    move || {
        request
            .current
            .get()
            .map(|download| view! { <PreviewPanel download /> })
    }
}

/// The open panel for one image.
#[component]
fn PreviewPanel(
    /// The previewed image's shared download state.
    download: DownloadState,
) -> impl IntoView {
    let request = expect_context::<PreviewRequest>();
    let i18n = expect_context::<I18n>();
    let image = download.image.get_value();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = ["comp", "preview", "thumb"]
        .into_iter()
        .find_map(|size| image.display_uri(size).filter(|uri| is_http_url(uri)))
        .map(|uri| view! { <img class="gp-preview-image" src=uri.to_owned() alt=title.clone() /> });
    let mut details = Vec::new();
    let mut detail = |label: String, value: Option<String>| {
        if let Some(value) = value {
            details.push(view! {
                <dt>{label}</dt>
                <dd>{value}</dd>
            });
        }
    };
    detail(i18n.text(|s| &s.caption), image.caption.clone());
    detail(i18n.text(|s| &s.artist), image.artist.clone());
    detail(i18n.text(|s| &s.collection), image.collection_name.clone());
    detail(
        i18n.text(|s| &s.max_size),
        image.max_dimensions.map(|size| {
            fill(
                &i18n.text(|s| &s.size_value),
                &[
                    ("width", &size.width.to_string()),
                    ("height", &size.height.to_string()),
                ],
            )
        }),
    );
    let products: Vec<&str> = image
        .downloads()
        .iter()
        .map(|d| d.product_type.as_str())
        .collect();
    detail(
        i18n.text(|s| &s.products),
        (!products.is_empty()).then(|| products.join(", ")),
    );
    detail("ID".to_owned(), Some(image.id.clone()));

    let dialog_label = title.clone();
    let close_button = NodeRef::<Button>::new();
    // Focus moves into the dialog when it opens, so Esc and Tab work from the start.
    Effect::new(move |_| {
        if let Some(button) = close_button.get() {
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

    view! {
        <div class="gp-preview-backdrop" on:click=move |_| request.close()></div>
        <div
            class="gp-preview"
            role="dialog"
            aria-modal="true"
            aria-label=dialog_label
            on:keydown=on_keydown
        >
            <button
                class="gp-preview-close"
                type="button"
                node_ref=close_button
                on:click=move |_| request.close()
            >
                {i18n.text(|s| &s.preview_close)}
            </button>
            <div class="gp-preview-picture">{picture}</div>
            <div class="gp-preview-details">
                <h2 class="gp-preview-title">{title}</h2>
                <dl>{details}</dl>
                <DownloadControls state=download />
            </div>
        </div>
    }
}
