use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ClientHandle, I18n};
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
    /// A fresh state for `image`, with its first product chosen.
    pub fn new(image: Image) -> Self {
        Self {
            image: StoredValue::new(image),
            delivery: RwSignal::new(Delivery::Idle),
            choice: RwSignal::new(0),
            host: Host::current(),
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

/// The product choice (when there are several), the download button and what came of it.
#[component]
pub fn DownloadControls(
    /// The download these controls drive.
    state: DownloadState,
) -> impl IntoView {
    let client = expect_context::<ClientHandle>();
    let i18n = expect_context::<I18n>();
    let products: Vec<String> = state.image.with_value(|image| {
        image
            .downloads()
            .iter()
            .map(|download| download.product_type.clone())
            .collect()
    });
    let has_download = !products.is_empty();
    let busy = move || state.delivery.get() == Delivery::Busy;
    let chooser = (products.len() > 1).then(|| {
        let options = products
            .iter()
            .enumerate()
            .map(|(index, product)| view! { <option value=index.to_string()>{product.clone()}</option> })
            .collect_view();
        view! {
            <label class="gp-product">
                <span>{i18n.text(|s| &s.product_label)}</span>
                <select
                    class="gp-product-select"
                    disabled=busy
                    on:change=move |event| {
                        if let Ok(index) = event_target_value(&event).parse() {
                            state.choice.set(index);
                        }
                    }
                >
                    {options}
                </select>
            </label>
        }
    });
    view! {
        <div class="gp-download-controls">
            {chooser}
            <button
                class="gp-download"
                type="button"
                disabled=move || !has_download || busy()
                aria-busy=move || busy().to_string()
                on:click=move |_| state.click(client, i18n)
            >
                {move || match state.delivery.get() {
                    Delivery::Busy => i18n.text(|s| &s.downloading),
                    Delivery::Ready { .. } => i18n.text(|s| &s.open_again),
                    Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
                }}
            </button>
            {move || match state.delivery.get() {
                Delivery::Ready { uri, tab_opened } => {
                    Some(
                        view! {
                            <p class="gp-delivery">
                                {if tab_opened {
                                    i18n.text(|s| &s.tab_opened)
                                } else if state.host.opens_tabs() {
                                    i18n.text(|s| &s.tab_blocked)
                                } else {
                                    String::new()
                                }}
                                " "
                                <a
                                    class="gp-delivery-link"
                                    href=uri
                                    target="_blank"
                                    rel="noopener noreferrer"
                                >
                                    {i18n.text(|s| &s.open_image)}
                                </a>
                                " "
                                <button
                                    class="gp-download-again"
                                    type="button"
                                    on:click=move |_| state.spend(client, i18n)
                                >
                                    {i18n.text(|s| &s.download_again)}
                                </button>
                            </p>
                        }
                            .into_any(),
                    )
                }
                Delivery::Failed(message) => {
                    Some(view! { <p class="gp-card-error" role="alert">{message}</p> }.into_any())
                }
                Delivery::Idle | Delivery::Busy => None,
            }}
        </div>
    }
}
