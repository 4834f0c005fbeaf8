use std::time::Duration;

use leptos::either::EitherOf4;
use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{use_ctx, Ctx, SharedImage};
use crate::embed::{self, ErrorKind};

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
/// Its signals belong to the card: once the card is gone they read as idle.
#[derive(Debug, Clone)]
pub struct DownloadState {
    /// The image to download.
    pub image: SharedImage,
    /// Where the download stands.
    pub delivery: RwSignal<Delivery>,
    /// Index of the chosen entry of the image's `largest_downloads`.
    pub choice: RwSignal<usize>,
}

impl DownloadState {
    /// A fresh state for `image`, with its first product chosen.
    pub fn new(image: SharedImage) -> Self {
        Self {
            image,
            delivery: RwSignal::new(Delivery::Idle),
            choice: RwSignal::new(0),
        }
    }

    /// The main button: spends a download unless one is under way or done. Once done it does
    /// nothing, so a late or repeated click where "Download" was costs nothing and opens
    /// nothing; re-opening and spending again are separate controls beside it.
    fn click(&self, ctx: Ctx) {
        if let Some(Delivery::Idle | Delivery::Failed(_)) = self.delivery.try_get_untracked() {
            self.spend(ctx);
        }
    }

    /// Spends one download: opens the tab now, while the click still counts as a user gesture,
    /// and points it at the delivery URI once Getty answers.
    fn spend(&self, ctx: Ctx) {
        let Ctx {
            client, i18n, host, ..
        } = ctx;
        let choice = self.choice.try_get_untracked().unwrap_or_default();
        let (Some(download), Some(client)) = (
            self.image.downloads().get(choice).cloned(),
            client.try_get_value(),
        ) else {
            return;
        };
        if self.delivery.try_get_untracked() == Some(Delivery::Busy) {
            return;
        }
        let tab = host.open_download_tab();
        self.delivery.set(Delivery::Busy);
        let (delivery, image) = (self.delivery, self.image.clone());
        spawn_local(async move {
            let outcome = client.download(&download).await;
            match &outcome {
                Ok(uri) => host.downloaded(&image, &download.product_type, uri),
                Err(error) => host.failed(ErrorKind::Download, error),
            }
            // try_: the picker may have been destroyed while the POST was in flight.
            delivery.try_set(match outcome {
                Ok(uri) => {
                    let tab_opened = tab.is_some_and(|tab| embed::navigate_tab(&tab, &uri));
                    Delivery::Ready { uri, tab_opened }
                }
                Err(error) => {
                    if let Some(tab) = tab {
                        embed::close_tab(&tab);
                    }
                    Delivery::Failed(i18n.with(|strings| strings.error(&error)))
                }
            });
        });
    }
}

/// The product choice (when there are several), the download button and what came of it.
#[component]
pub fn DownloadControls(
    /// The download, shared by the card and its preview.
    state: DownloadState,
) -> impl IntoView {
    let ctx = use_ctx();
    let i18n = ctx.i18n;
    let products: Vec<String> = state
        .image
        .downloads()
        .iter()
        .map(|download| download.product_type.clone())
        .collect();
    let has_download = !products.is_empty();
    // Where the download stands; idle once the card that owns it is gone (the preview can
    // outlive it by a tick). Copy, like the two closures made from it.
    let delivery = {
        let delivery = state.delivery;
        move || delivery.try_get().unwrap_or(Delivery::Idle)
    };
    let busy = move || delivery() == Delivery::Busy;
    let done = move || matches!(delivery(), Delivery::Ready { .. });
    let choice = state.choice;
    let chooser = (products.len() > 1).then(|| {
        view! {
            <label class="gp-product">
                <span>{i18n.text(|s| &s.product_label)}</span>
                <select
                    class="gp-product-select"
                    disabled=busy
                    on:change=move |event| {
                        if let Ok(index) = event_target_value(&event).parse() {
                            choice.set(index);
                        }
                    }
                >
                    {products
                        .into_iter()
                        .enumerate()
                        .map(|(index, product)| view! { <option value=index>{product}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    });
    let label = move || match delivery() {
        Delivery::Busy => i18n.text(|s| &s.downloading),
        Delivery::Ready { .. } => i18n.text(|s| &s.downloaded),
        Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
    };
    // Per control (card or preview), so that focus moves only where the editor is.
    let confirming = RwSignal::new(false);
    let main = NodeRef::<Button>::new();
    let again = NodeRef::<Button>::new();
    let cancel = NodeRef::<Button>::new();
    // Focus follows the confirmation once it is rendered: onto "Cancel" (the safe answer)
    // when it opens, back to "Download again…" when it is cancelled.
    let ask = move |open: bool| {
        confirming.set(open);
        let target = if open { cancel } else { again };
        set_timeout(
            move || {
                if let Some(button) = target.get_untracked() {
                    let _ = button.focus();
                }
            },
            Duration::ZERO,
        );
    };
    let outcome = {
        let state = state.clone();
        move || match delivery() {
            Delivery::Ready { .. } if confirming.get() => {
                let spend = state.clone();
                EitherOf4::A(view! {
                    <span class="gp-confirm">{i18n.text(|s| &s.confirm_again)}</span>
                    " "
                    <button
                        class="gp-confirm-cancel"
                        type="button"
                        node_ref=cancel
                        on:click=move |_| ask(false)
                    >
                        {i18n.text(|s| &s.cancel)}
                    </button>
                    " "
                    <button
                        class="gp-confirm-spend"
                        type="button"
                        on:click=move |_| {
                            confirming.set(false);
                            spend.spend(ctx);
                            // The confirmation goes; the keyboard stays with this download.
                            if let Some(button) = main.get_untracked() {
                                let _ = button.focus();
                            }
                        }
                    >
                        {i18n.text(|s| &s.confirm_spend)}
                    </button>
                })
            }
            Delivery::Ready { uri, tab_opened } => {
                let note = if tab_opened {
                    i18n.text(|s| &s.tab_opened)
                } else if ctx.host.opens_tabs() {
                    i18n.text(|s| &s.tab_blocked)
                } else {
                    String::new()
                };
                EitherOf4::B(view! {
                    {note}
                    " "
                    <a class="gp-delivery-link" href=uri target="_blank" rel="noopener noreferrer">
                        {i18n.text(|s| &s.open_image)}
                    </a>
                    " "
                    <button
                        class="gp-download-again"
                        type="button"
                        node_ref=again
                        on:click=move |_| ask(true)
                    >
                        {i18n.text(|s| &s.download_again)}
                    </button>
                })
            }
            Delivery::Failed(message) => EitherOf4::C(view! {
                <span class="gp-card-error" role="alert">{message}</span>
            }),
            Delivery::Idle | Delivery::Busy => EitherOf4::D(()),
        }
    };
    view! {
        <div class="gp-download-controls">
            {chooser}
            <button
                class="gp-download"
                type="button"
                node_ref=main
                disabled=move || !has_download || busy()
                aria-busy=move || busy().to_string()
                // Not `disabled`: it keeps keyboard focus, and says it has nothing more to do.
                aria-disabled=move || done().then_some("true")
                on:click=move |_| state.click(ctx)
            >
                {label}
            </button>
            // Below the button, whose place does not depend on it (style/picker.css): what a
            // download shows here never moves the button from under a late click.
            <p class="gp-delivery">{outcome}</p>
        </div>
    }
}
