use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ClientHandle;
use crate::embed;
use crate::getty::url::is_http_url;
use crate::getty::Image;

/// Where a card's download stands.
#[derive(Debug, Clone, PartialEq)]
enum Delivery {
    Idle,
    /// The POST is in flight; further clicks must not spend another download.
    Busy,
    /// Getty gave a delivery URI (valid about a day); `tab_opened` is false if a blocker won.
    Ready {
        uri: String,
        tab_opened: bool,
    },
    Failed(String),
}

/// One search result: thumbnail, title, id, products on offer and a download button.
#[component]
pub fn Card(
    /// The image to show.
    image: Image,
) -> impl IntoView {
    let client = expect_context::<ClientHandle>();
    let delivery = RwSignal::new(Delivery::Idle);
    let download = StoredValue::new(image.downloads().first().cloned());
    let products = image
        .downloads()
        .iter()
        .map(|download| download.product_type.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let title = image.title_or_untitled().to_owned();

    // Spends one download: opens the tab now, while the click still counts as a user gesture,
    // and points it at the delivery URI once Getty answers.
    let spend = move || {
        let (Some(Some(download)), Some(client)) =
            (download.try_get_value(), client.try_get_value())
        else {
            return;
        };
        let tab = embed::open_blank_tab();
        delivery.set(Delivery::Busy);
        spawn_local(async move {
            let outcome = client.download(&download).await;
            delivery.try_set(match outcome {
                Ok(uri) => {
                    let tab_opened = tab.is_some_and(|tab| embed::navigate_tab(&tab, &uri));
                    Delivery::Ready { uri, tab_opened }
                }
                Err(error) => {
                    if let Some(tab) = tab {
                        embed::close_tab(&tab);
                    }
                    Delivery::Failed(error.to_string())
                }
            });
        });
    };
    let on_download = move |_| match delivery.get_untracked() {
        Delivery::Busy => {}
        // Opening the link again is free; spending another download needs "Download again".
        Delivery::Ready { uri, .. } => embed::open_in_new_tab(&uri),
        Delivery::Idle | Delivery::Failed(_) => spend(),
    };

    let thumbnail = match image.display_uri("thumb").filter(|uri| is_http_url(uri)) {
        Some(uri) => view! {
            <img class="gp-thumb-image" src=uri.to_owned() alt=title.clone() loading="lazy" />
        }
        .into_any(),
        None => view! { <span class="gp-thumb-missing">"No preview"</span> }.into_any(),
    };
    let has_download = download.with_value(Option::is_some);

    view! {
        <li class="gp-card" data-id=image.id.clone()>
            <div class="gp-thumb">{thumbnail}</div>
            <h3 class="gp-title">{title}</h3>
            <p class="gp-id">{image.id.clone()}</p>
            <p class="gp-products">
                {if products.is_empty() { "No download on offer".to_owned() } else { products }}
            </p>
            <button
                class="gp-download"
                type="button"
                disabled=move || !has_download || delivery.get() == Delivery::Busy
                aria-busy=move || (delivery.get() == Delivery::Busy).to_string()
                on:click=on_download
            >
                {move || match delivery.get() {
                    Delivery::Busy => "Downloading…",
                    Delivery::Ready { .. } => "Open again",
                    Delivery::Idle | Delivery::Failed(_) => "Download",
                }}
            </button>
            {move || match delivery.get() {
                Delivery::Ready { uri, tab_opened } => {
                    Some(
                        view! {
                            <p class="gp-delivery">
                                {if tab_opened {
                                    "Opened in a new tab. "
                                } else {
                                    "The browser blocked the new tab. "
                                }}
                                <a
                                    class="gp-delivery-link"
                                    href=uri
                                    target="_blank"
                                    rel="noopener noreferrer"
                                >
                                    "Open the image"
                                </a>
                                " "
                                <button class="gp-download-again" type="button" on:click=move |_| spend()>
                                    "Download again"
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
        </li>
    }
}
