use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use super::download::{download_controls, DownloadState};
use super::Ctx;
use crate::dom::El;
use crate::getty::url::is_http_url;
use crate::i18n::fill;

/// Appends to `parent` the preview panel: a larger rendition of the image the editor opened
/// and its details, with its download controls; nothing while no preview is open.
pub fn preview(ctx: Ctx, parent: El) -> El {
    parent.bind_children(move || {
        ctx.preview
            .current
            .get()
            .map(|download| preview_panel(ctx, download))
            .unwrap_or_default()
    })
}

/// The open panel (backdrop and dialog) for one image, given its shared download state.
fn preview_panel(ctx: Ctx, download: DownloadState) -> Vec<El> {
    let Ctx {
        preview: request,
        i18n,
        ..
    } = ctx;
    let Some(image) = download.image.try_get_value() else {
        return Vec::new();
    };
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = ["comp", "preview", "thumb"]
        .into_iter()
        .find_map(|size| image.display_uri(size).filter(|uri| is_http_url(uri)))
        .map(|uri| {
            El::new("img")
                .class("gp-preview-image")
                .attr("src", uri)
                .attr("alt", &title)
        });
    let mut details = El::new("dl");
    let mut detail = |label: String, value: Option<String>| {
        if let Some(value) = value {
            details = std::mem::replace(&mut details, El::new("dl"))
                .child(El::new("dt").text(&label))
                .child(El::new("dd").text(&value));
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

    let close = El::new("button")
        .class("gp-preview-close")
        .attr("type", "button")
        .text(&i18n.text(|s| &s.preview_close))
        .on("click", move |_| request.close());
    // Focus moves into the dialog when it opens, so Esc and Tab work from the start. An
    // effect runs after this render, once the dialog is in the page.
    if let Ok(button) = close.element().clone().dyn_into::<HtmlElement>() {
        Effect::new(move |_| {
            let _ = button.focus();
        });
    }
    let backdrop = El::new("div")
        .class("gp-preview-backdrop")
        .on("click", move |_| request.close());
    let dialog = El::new("div")
        .class("gp-preview")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-label", &title)
        .on_key("keydown", move |event| {
            if event.key() == "Escape" {
                // Only the topmost layer closes: the host's own dialogs must not see this Esc.
                event.stop_propagation();
                event.prevent_default();
                request.close();
            }
        })
        .child(close)
        .child(El::new("div").class("gp-preview-picture").child(picture))
        .child(
            El::new("div")
                .class("gp-preview-details")
                .child(El::new("h2").class("gp-preview-title").text(&title))
                .child(details)
                .child(download_controls(ctx, download)),
        );
    vec![backdrop, dialog]
}
