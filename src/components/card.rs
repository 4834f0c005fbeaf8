use leptos::prelude::*;

use super::download::{download_controls, DownloadState};
use super::Ctx;
use crate::dom::El;
use crate::getty::url::is_http_url;
use crate::getty::Image;

/// One search result for `image`: thumbnail, title, id, products on offer and its download
/// controls. Clicking the thumbnail (or Enter on the focused card) opens the preview.
pub fn card(ctx: Ctx, image: Image) -> El {
    let Ctx {
        i18n,
        preview,
        focus,
        host,
        ..
    } = ctx;
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
        Some(uri) => El::new("img")
            .class("gp-thumb-image")
            .attr("src", uri)
            .attr("alt", &title)
            .attr("loading", "lazy"),
        None => El::new("span")
            .class("gp-thumb-missing")
            .text(&i18n.text(|s| &s.no_preview)),
    };
    let download = DownloadState::new(image, host);
    let preview_label = format!("{}: {title}", i18n.text(|s| &s.preview_label));
    let use_label = format!("{}: {title}", i18n.text(|s| &s.use_image));

    El::new("li")
        .class("gp-card")
        .attr("data-id", &id)
        .attr("aria-label", &title)
        .bind_attr("tabindex", {
            let id = id.clone();
            move || Some(if focus.is_target(&id) { "0" } else { "-1" }.to_owned())
        })
        .on("focusin", {
            let id = id.clone();
            move |_| focus.set(&id)
        })
        .on_key("keydown", move |event| {
            // Enter on the card itself, not on one of its buttons.
            if event.key() == "Enter" && event.target() == event.current_target() {
                event.prevent_default();
                preview.open(download);
            }
        })
        .child(
            El::new("button")
                .class("gp-thumb")
                .attr("type", "button")
                .attr("tabindex", "-1")
                .attr("aria-label", &preview_label)
                .child(thumbnail)
                .on("click", move |_| preview.open(download)),
        )
        .child(El::new("h2").class("gp-title").text(&title))
        .child(El::new("p").class("gp-id").text(&id))
        .child(El::new("p").class("gp-products").text(&products))
        .child(download_controls(ctx, download))
        // Hands the image to the host page (e.g. to insert it into an article).
        .child(
            El::new("button")
                .class("gp-select")
                .attr("type", "button")
                .attr("aria-label", &use_label)
                .text(&i18n.text(|s| &s.use_image))
                .on("click", move |_| {
                    download.image.try_with_value(|image| host.selected(image));
                }),
        )
}
