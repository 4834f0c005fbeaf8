use std::time::Duration;

use leptos::either::{Either, EitherOf4};
use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{use_ctx, Ctx, SharedImage};
use crate::embed::{self, ErrorKind};
use crate::getty::{choose, ApiError, DownloadForm, Missing, Offer};

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
    /// Index of the chosen entry of the image's `largest_downloads`; none means the first one
    /// with downloads left.
    pub choice: RwSignal<Option<usize>>,
    /// The project code entered or chosen, for products that require one.
    pub project_code: RwSignal<String>,
    /// The note entered, for products that require one.
    pub notes: RwSignal<String>,
}

impl DownloadState {
    /// A fresh state for `image`, with its first available product chosen.
    pub fn new(image: SharedImage) -> Self {
        Self {
            image,
            delivery: RwSignal::new(Delivery::Idle),
            choice: RwSignal::new(None),
            project_code: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
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

    /// Spends one download on the chosen offer, once what its product requires is filled in,
    /// and opens the delivery URI in a new tab.
    fn spend(&self, ctx: Ctx) {
        let Ctx {
            client,
            i18n,
            host,
            account,
            ..
        } = ctx;
        if self.delivery.try_get_untracked() == Some(Delivery::Busy) {
            return;
        }
        let offers = account.offers_untracked(&self.image);
        let choice = self.choice.try_get_untracked().flatten();
        let (Some(offer), Some(client)) =
            (choose(&offers, choice).cloned(), client.try_get_value())
        else {
            return;
        };
        let requirements = offer.requirements();
        let form = DownloadForm::new(
            &requirements,
            &self.project_code.try_get_untracked().unwrap_or_default(),
            &self.notes.try_get_untracked().unwrap_or_default(),
        );
        if let Some(missing) = form.missing(&requirements) {
            let message = match missing {
                Missing::ProjectCode => i18n.text(|s| &s.need_code),
                Missing::Note => i18n.text(|s| &s.need_note),
            };
            self.delivery.set(Delivery::Failed(message));
            return;
        }
        // Here, in the click: WebKit opens no tab once the click's task has ended.
        let tab = embed::DeliveryTab::claim(
            host.opens_tabs(),
            &i18n.text(|s| &s.tab_waiting_title),
            &i18n.text(|s| &s.tab_waiting),
        );
        self.delivery.set(Delivery::Busy);
        let (delivery, image) = (self.delivery, self.image.clone());
        spawn_local(async move {
            let outcome = client.download(&offer, &form).await;
            let product_id = offer.product_id();
            match &outcome {
                Ok(uri) => {
                    host.downloaded(&image, &offer, uri);
                    if let Some(id) = product_id {
                        account.spent(id);
                    }
                }
                Err(error) => {
                    if let (Some(id), true) = (product_id, is_overage(error)) {
                        account.exhausted(id);
                    }
                    host.failed(ErrorKind::Download, error);
                }
            }
            match outcome {
                Ok(uri) => tab.deliver(uri.clone(), move |tab_opened| {
                    // try_: the picker may have been destroyed while the POST was in flight.
                    delivery.try_set(Delivery::Ready { uri, tab_opened });
                }),
                Err(error) => {
                    tab.abandon();
                    delivery.try_set(Delivery::Failed(i18n.with(|strings| strings.error(&error))));
                }
            }
        });
    }
}

/// Whether Getty refused a download because the product's downloads are used up.
fn is_overage(error: &ApiError) -> bool {
    matches!(error, ApiError::Status { code: Some(code), .. } if code == "OverageLimitReached")
}

/// The product choice (when there are several), the download button and what came of it.
#[component]
pub fn DownloadControls(
    /// The download, shared by the card and its preview.
    state: DownloadState,
) -> impl IntoView {
    let ctx = use_ctx();
    let Ctx { i18n, account, .. } = ctx;
    account.ensure(ctx.client);
    let has_download = !state.image.downloads().is_empty();
    // The image's downloads joined to the account's products; re-read when a download spends one.
    let offers = {
        let image = state.image.clone();
        Memo::new(move |_| account.offers(&image))
    };
    // Where the download stands; idle once the card that owns it is gone (the preview can
    // outlive it by a tick). Copy, like the two closures made from it.
    let delivery = {
        let delivery = state.delivery;
        move || delivery.try_get().unwrap_or(Delivery::Idle)
    };
    let busy = move || delivery() == Delivery::Busy;
    let done = move || matches!(delivery(), Delivery::Ready { .. });
    let (choice, project_code, notes) = (state.choice, state.project_code, state.notes);
    let chosen = move || offers.with(|offers| choose(offers, choice.get()).cloned());
    let can_spend = move || offers.with(|offers| offers.iter().any(Offer::available));
    let chooser = move || {
        let available: Vec<Offer> =
            offers.with(|offers| offers.iter().filter(|o| o.available()).cloned().collect());
        let selected = chosen().map(|offer| offer.index);
        (available.len() > 1).then(|| {
            view! {
                <label class="gp-product">
                    <span>{i18n.text(|s| &s.product_label)}</span>
                    <select
                        class="gp-product-select"
                        disabled=busy
                        on:change=move |event| {
                            if let Ok(index) = event_target_value(&event).parse() {
                                choice.set(Some(index));
                            }
                        }
                    >
                        {available
                            .into_iter()
                            .map(|offer| {
                                let selected = Some(offer.index) == selected;
                                view! {
                                    <option value=offer.index selected=selected>
                                        {offer.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            }
        })
    };
    // The chosen product and what is left of it ("12 of 50 left, resets 1 Dec").
    let summary = move || {
        let (label, allowance) = match chosen() {
            Some(offer) => {
                let allowance = offer
                    .product
                    .as_ref()
                    .and_then(|product| i18n.with(|s| s.allowance(product)));
                // With a choice, its select already names the product.
                let chooser =
                    offers.with(|offers| offers.iter().filter(|o| o.available()).count() > 1);
                (if chooser { None } else { Some(offer.label()) }, allowance)
            }
            None if has_download => (Some(i18n.text(|s| &s.no_offer)), None),
            None => (Some(i18n.text(|s| &s.no_download)), None),
        };
        view! {
            <p class="gp-offer">
                {label.map(|label| view! { <span class="gp-products">{label}</span> " " })}
                <span class="gp-allowance">{allowance}</span>
            </p>
        }
    };
    // Products with no downloads left are not offered; the editor sees why.
    let spent_products = move || {
        offers.with(|offers| {
            offers
                .iter()
                .filter(|offer| !offer.available())
                .filter_map(|offer| {
                    let product = offer.product.as_ref()?;
                    let reason = i18n.with(|s| s.none_left(&offer.label(), product));
                    Some(view! { <p class="gp-unavailable">{reason}</p> })
                })
                .collect_view()
        })
    };
    // What the chosen product wants sent with a download, asked before anything is spent.
    // A memo, so the fields are rebuilt only when what is required changes (not when a
    // download counts the product down, which would drop a half-typed note's focus).
    let required = Memo::new(move |_| {
        chosen()
            .map(|offer| offer.requirements())
            .unwrap_or_default()
    });
    let requirements = move || {
        let requirements = required.get();
        let code = requirements.is_project_code_required.then(|| {
            let field = if requirements.project_codes.is_empty() {
                Either::Left(view! {
                    <input
                        class="gp-project-code"
                        type="text"
                        prop:value=move || project_code.get()
                        on:input=move |event| project_code.set(event_target_value(&event))
                    />
                })
            } else {
                let current = project_code.get_untracked();
                Either::Right(view! {
                    <select
                        class="gp-project-code"
                        on:change=move |event| project_code.set(event_target_value(&event))
                    >
                        <option value="">{i18n.text(|s| &s.choose_code)}</option>
                        {requirements
                            .project_codes
                            .into_iter()
                            .map(|code| {
                                let (selected, value) = (code == current, code.clone());
                                view! { <option value=value selected=selected>{code}</option> }
                            })
                            .collect_view()}
                    </select>
                })
            };
            view! {
                <label class="gp-requirement">
                    <span>{i18n.text(|s| &s.project_code)}</span>
                    {field}
                </label>
            }
        });
        let note = requirements.is_note_required.then(|| {
            view! {
                <label class="gp-requirement">
                    <span>{i18n.text(|s| &s.notes)}</span>
                    <input
                        class="gp-notes"
                        type="text"
                        prop:value=move || notes.get()
                        on:input=move |event| notes.set(event_target_value(&event))
                    />
                </label>
            }
        });
        (code, note)
    };
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
            {summary}
            {spent_products}
            {requirements}
            <button
                class="gp-download"
                type="button"
                node_ref=main
                disabled=move || !can_spend() || busy()
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
