use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ClientHandle, Ctx, I18n};
use crate::dom::El;
use crate::embed::{self, ErrorKind, Host};
use crate::getty::Image;

/// Where one image's download stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Nothing spent yet.
    Idle,
    /// The POST is in flight; further clicks must not spend another download.
    Busy,
    /// Getty gave a delivery URI (valid about a day); `tab_opened` is false if a blocker won.
    Ready {
        /// The delivery URI.
        uri: String,
        /// Whether the new tab shows it.
        tab_opened: bool,
    },
    /// The last attempt failed; the message is fit to show.
    Failed(String),
}

/// One image's download, shared by its card and its preview so neither can spend it twice.
#[derive(Debug, Clone, Copy)]
pub struct DownloadState {
    /// The image to download.
    pub image: StoredValue<Image>,
    /// Where the download stands.
    pub delivery: RwSignal<Delivery>,
    /// Index of the chosen entry of the image's `largest_downloads`.
    pub choice: RwSignal<usize>,
    /// The host page: whether to open a tab, where download and error events go.
    pub host: Host,
}

impl DownloadState {
    /// A fresh state for `image` in a picker on `host`, with its first product chosen.
    pub fn new(image: Image, host: Host) -> Self {
        Self {
            image: StoredValue::new(image),
            delivery: RwSignal::new(Delivery::Idle),
            choice: RwSignal::new(0),
            host,
        }
    }

    /// The main button: spends a download, or re-opens the one already delivered for free.
    fn click(self, client: ClientHandle, i18n: I18n) {
        match self.delivery.get_untracked() {
            Delivery::Busy => {}
            Delivery::Ready { uri, .. } => embed::open_in_new_tab(&uri),
            Delivery::Idle | Delivery::Failed(_) => self.spend(client, i18n),
        }
    }

    /// Spends one download: opens the tab now, while the click still counts as a user gesture,
    /// and points it at the delivery URI once Getty answers.
    fn spend(self, client: ClientHandle, i18n: I18n) {
        let choice = self.choice.get_untracked();
        let download = self
            .image
            .try_with_value(|image| image.downloads().get(choice).cloned());
        let (Some(Some(download)), Some(client)) = (download, client.try_get_value()) else {
            return;
        };
        let host = self.host;
        let tab = host.open_download_tab();
        self.delivery.set(Delivery::Busy);
        let (delivery, image) = (self.delivery, self.image);
        spawn_local(async move {
            let outcome = client.download(&download).await;
            // try_: the picker may have been destroyed while the POST was in flight.
            image.try_with_value(|image| match &outcome {
                Ok(uri) => host.downloaded(image, &download.product_type, uri),
                Err(error) => host.failed(ErrorKind::Download, error),
            });
            delivery.try_set(match outcome {
                Ok(uri) => {
                    let tab_opened = tab.is_some_and(|tab| embed::navigate_tab(&tab, &uri));
                    Delivery::Ready { uri, tab_opened }
                }
                Err(error) => {
                    if let Some(tab) = tab {
                        embed::close_tab(&tab);
                    }
                    let message = i18n
                        .try_with_value(|strings| strings.error(&error))
                        .unwrap_or_else(|| error.to_string());
                    Delivery::Failed(message)
                }
            });
        });
    }
}

/// The product choice (when there are several), the download button and what came of it,
/// for the download `state`.
pub fn download_controls(ctx: Ctx, state: DownloadState) -> El {
    let Ctx { client, i18n, .. } = ctx;
    let products: Vec<String> = state.image.with_value(|image| {
        image
            .downloads()
            .iter()
            .map(|download| download.product_type.clone())
            .collect()
    });
    let has_download = !products.is_empty();
    // try_: the preview may outlive the card's state by a tick when a new search replaces it.
    let delivery = move || state.delivery.try_get().unwrap_or(Delivery::Idle);
    let busy = move || delivery() == Delivery::Busy;
    let chooser = (products.len() > 1).then(|| {
        let options = products.iter().enumerate().map(|(index, product)| {
            El::new("option")
                .attr("value", &index.to_string())
                .text(product)
        });
        let select = El::new("select")
            .class("gp-product-select")
            .children(options)
            .bind_flag("disabled", busy)
            .on("change", move |event| {
                if let Ok(index) = event_target_value(&event).parse() {
                    state.choice.set(index);
                }
            });
        El::new("label")
            .class("gp-product")
            .child(El::new("span").text(&i18n.text(|s| &s.product_label)))
            .child(select)
    });
    let button = El::new("button")
        .class("gp-download")
        .attr("type", "button")
        .bind_flag("disabled", move || !has_download || busy())
        .bind_attr("aria-busy", move || Some(busy().to_string()))
        .bind_text(move || match delivery() {
            Delivery::Busy => i18n.text(|s| &s.downloading),
            Delivery::Ready { .. } => i18n.text(|s| &s.open_again),
            Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
        })
        .on("click", move |_| state.click(client, i18n));
    El::new("div")
        .class("gp-download-controls")
        .child(chooser)
        .child(button)
        .bind_child(move || match delivery() {
            Delivery::Ready { uri, tab_opened } => {
                let note = if tab_opened {
                    i18n.text(|s| &s.tab_opened)
                } else if state.host.opens_tabs() {
                    i18n.text(|s| &s.tab_blocked)
                } else {
                    String::new()
                };
                let link = El::new("a")
                    .class("gp-delivery-link")
                    .attr("href", &uri)
                    .attr("target", "_blank")
                    .attr("rel", "noopener noreferrer")
                    .text(&i18n.text(|s| &s.open_image));
                let again = El::new("button")
                    .class("gp-download-again")
                    .attr("type", "button")
                    .text(&i18n.text(|s| &s.download_again))
                    .on("click", move |_| state.spend(client, i18n));
                Some(
                    El::new("p")
                        .class("gp-delivery")
                        .text(&note)
                        .text(" ")
                        .child(link)
                        .text(" ")
                        .child(again),
                )
            }
            Delivery::Failed(message) => Some(
                El::new("p")
                    .class("gp-card-error")
                    .attr("role", "alert")
                    .text(&message),
            ),
            Delivery::Idle | Delivery::Busy => None,
        })
}
