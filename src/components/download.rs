use std::time::Duration;

use leptos::either::{Either, EitherOf4};
use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{use_ctx, Ctx, SharedImage};
use crate::embed::{DeliveryTab, ErrorKind};
use crate::getty::{
    choose, licensed_before, ApiError, DownloadForm, LicensedBefore, Missing, Offer,
};
use crate::i18n::fill;

/// Where one image's download stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// Nothing spent yet.
    Idle,
    /// Getty's download history is being asked before anything is spent; further clicks
    /// neither ask again nor spend.
    Checking,
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
    /// What Getty's download history said of the image, asked at the first download intent
    /// and kept for the card's life.
    pub history: RwSignal<History>,
}

/// What the picker knows of the company's earlier downloads of one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum History {
    /// Not asked yet.
    NotAsked,
    /// Getty lists none, or could not or would not say (then the check is skipped quietly).
    Clear,
    /// The company licensed it before.
    Before(LicensedBefore),
}

/// Why a control asks before spending: the confirmation it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Downloaded here already.
    Again,
    /// The host's library holds the image.
    Held,
    /// The company licensed it before (Getty's download history).
    Before(LicensedBefore),
}

/// One download intent whose history check is under way: the state it is for, and the
/// control (card or preview) whose confirmation opens if Getty lists earlier downloads.
#[derive(Clone)]
pub struct Intent {
    ctx: Ctx,
    state: DownloadState,
    confirm: RwSignal<Option<Confirm>>,
    cancel: NodeRef<Button>,
    /// The delivery tab, claimed in the click that started the intent.
    tab: DeliveryTab,
}

impl Intent {
    /// Asks Getty's download history, then asks the editor first if the company licensed the
    /// image before, else spends. Any failure of the question (refused, unreachable, a
    /// search-only backend) skips it quietly: the download goes ahead as without it.
    pub async fn run(self) {
        let Some(client) = self.ctx.client.try_get_value() else {
            self.tab.abandon();
            return;
        };
        let history = match client.history(&self.state.image.id).await {
            Ok(downloads) => {
                let products = self.ctx.account.products_untracked();
                licensed_before(&downloads, &products).map_or(History::Clear, History::Before)
            }
            Err(_) => History::Clear,
        };
        self.state.history.try_set(history.clone());
        // Only while this intent still stands: the card may be gone, or its search replaced.
        if self.state.delivery.try_get_untracked() != Some(Delivery::Checking) {
            self.tab.abandon();
            return;
        }
        self.state.delivery.set(Delivery::Idle);
        match history {
            History::Before(before) => {
                // The editor decides first; the confirmation's click claims a tab of its own.
                self.tab.abandon();
                open_confirm(self.confirm, self.cancel, Some(Confirm::Before(before)));
            }
            _ => self.state.spend(self.ctx, Some(self.tab)),
        }
    }
}

/// Opens (or with `None` closes) a control's confirmation and moves focus once it is
/// rendered: onto "Cancel", the safe answer.
fn open_confirm(
    confirm: RwSignal<Option<Confirm>>,
    cancel: NodeRef<Button>,
    what: Option<Confirm>,
) {
    let opens = what.is_some();
    confirm.try_set(what);
    if opens {
        set_timeout(
            move || {
                if let Some(button) = cancel.get_untracked() {
                    let _ = button.focus();
                }
            },
            Duration::ZERO,
        );
    }
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
            history: RwSignal::new(History::NotAsked),
        }
    }

    /// The main button: one download intent. Nothing is asked or spent until what the product
    /// requires is filled in; an image the host holds, or that Getty's history says the
    /// company licensed, asks first (in `control`'s confirmation); otherwise it spends. Once
    /// done it does nothing, so a late or repeated click where "Download" was costs nothing
    /// and opens nothing; re-opening and spending again are separate controls beside it.
    fn click(&self, ctx: Ctx, confirm: RwSignal<Option<Confirm>>, cancel: NodeRef<Button>) {
        if !matches!(
            self.delivery.try_get_untracked(),
            Some(Delivery::Idle | Delivery::Failed(_))
        ) {
            return;
        }
        match self.prepared(ctx) {
            Ok(_) => {}
            Err(message) if message.is_empty() => return,
            Err(message) => {
                self.delivery.set(Delivery::Failed(message));
                return;
            }
        }
        if ctx.library.held_untracked(&self.image.id).is_some() {
            open_confirm(confirm, cancel, Some(Confirm::Held));
            return;
        }
        match self.history.try_get_untracked() {
            Some(History::NotAsked) => {
                self.delivery.set(Delivery::Checking);
                // Claimed now, inside the click: the spending request may follow the answer.
                ctx.history.dispatch_local(Intent {
                    ctx,
                    state: self.clone(),
                    confirm,
                    cancel,
                    tab: claim_tab(ctx),
                });
            }
            Some(History::Before(before)) => {
                open_confirm(confirm, cancel, Some(Confirm::Before(before)));
            }
            Some(History::Clear) => self.spend(ctx, None),
            None => {}
        }
    }

    /// The chosen offer with the form its product requires, or what is missing, in words.
    #[inline(never)]
    fn prepared(&self, ctx: Ctx) -> Result<(Offer, DownloadForm), String> {
        let offers = ctx.account.offers_untracked(&self.image);
        let choice = self.choice.try_get_untracked().flatten();
        // No offer: nothing to say (the controls already say why), nothing to do.
        let offer = choose(&offers, choice).cloned().ok_or_else(String::new)?;
        let requirements = offer.requirements();
        let form = DownloadForm::new(
            &requirements,
            &self.project_code.try_get_untracked().unwrap_or_default(),
            &self.notes.try_get_untracked().unwrap_or_default(),
        );
        match form.missing(&requirements) {
            Some(Missing::ProjectCode) => Err(ctx.i18n.text(|s| &s.need_code)),
            Some(Missing::Note) => Err(ctx.i18n.text(|s| &s.need_note)),
            None => Ok((offer, form)),
        }
    }

    /// Spends one download on the chosen offer, once what its product requires is filled in,
    /// and opens the delivery URI in a new tab.
    // Called from three places (a click, a confirmation, the history check): compiled once.
    #[inline(never)]
    fn spend(&self, ctx: Ctx, tab: Option<DeliveryTab>) {
        let Ctx {
            client,
            i18n,
            host,
            account,
            ..
        } = ctx;
        let idle = matches!(
            self.delivery.try_get_untracked(),
            Some(Delivery::Idle | Delivery::Ready { .. } | Delivery::Failed(_))
        );
        // An empty message: nothing to say (gone, busy, or no offer, which the controls show).
        let ready = client
            .try_get_value()
            .filter(|_| idle)
            .ok_or_else(String::new)
            .and_then(|client| Ok((client, self.prepared(ctx)?)));
        let (client, (offer, form)) = match ready {
            Ok(ready) => ready,
            Err(message) => {
                if let Some(tab) = tab {
                    tab.abandon();
                }
                if !message.is_empty() {
                    self.delivery.set(Delivery::Failed(message));
                }
                return;
            }
        };
        // Claimed here when this is the click that spends (WebKit opens no tab once the
        // click's task has ended); a download whose history was asked first brings the one
        // claimed in its first click.
        let tab = tab.unwrap_or_else(|| claim_tab(ctx));
        self.delivery.set(Delivery::Busy);
        let (delivery, image) = (self.delivery, self.image.clone());
        spawn_local(async move {
            let outcome = client.download(&offer, &form).await;
            let product_id = offer.product_id();
            match &outcome {
                Ok(uri) => {
                    host.downloaded(&image, &offer, &form, uri);
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

/// The delivery tab for a download, claimed inside the editor's click (contract C3).
fn claim_tab(ctx: Ctx) -> DeliveryTab {
    let i18n = ctx.i18n;
    DeliveryTab::claim(
        ctx.host.opens_tabs(),
        &i18n.text(|s| &s.tab_waiting_title),
        &i18n.text(|s| &s.tab_waiting),
    )
}

/// A number for a new radio group, unique in the page.
fn next_group() -> u32 {
    thread_local! {
        static NEXT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }
    NEXT.with(|next| {
        next.set(next.get().wrapping_add(1));
        next.get()
    })
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
    let busy = move || matches!(delivery(), Delivery::Busy | Delivery::Checking);
    let done = move || matches!(delivery(), Delivery::Ready { .. });
    let (choice, project_code, notes) = (state.choice, state.project_code, state.notes);
    let chosen = move || offers.with(|offers| choose(offers, choice.get()).cloned());
    let can_spend = move || offers.with(|offers| offers.iter().any(Offer::available));
    // Radio buttons rather than a select: a product's name wraps in a narrow card instead of
    // being cut off ("Editorial Subscri…"). One group name per control (card or preview).
    let group = format!("gp-product-{}", next_group());
    let chooser = move || {
        let available: Vec<Offer> =
            offers.with(|offers| offers.iter().filter(|o| o.available()).cloned().collect());
        let selected = chosen().map(|offer| offer.index);
        let group = group.clone();
        (available.len() > 1).then(|| {
            view! {
                <fieldset class="gp-product-choice" disabled=busy>
                    <legend>{i18n.text(|s| &s.product_label)}</legend>
                    {available
                        .into_iter()
                        .map(|offer| {
                            let index = offer.index;
                            view! {
                                <label class="gp-product-option">
                                    <input
                                        type="radio"
                                        name=group.clone()
                                        value=index
                                        prop:checked=Some(index) == selected
                                        on:change=move |_| choice.set(Some(index))
                                    />
                                    <span>{offer.label()}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
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
    // Whether the host's library holds the image: its main button then says "Download
    // again…" and asks first.
    let held = {
        let (library, id) = (ctx.library, state.image.id.clone());
        move || library.held(&id).is_some()
    };
    let label = move || match delivery() {
        Delivery::Checking => i18n.text(|s| &s.checking),
        Delivery::Busy => i18n.text(|s| &s.downloading),
        Delivery::Ready { .. } => i18n.text(|s| &s.downloaded),
        Delivery::Idle | Delivery::Failed(_) if held() => i18n.text(|s| &s.download_again),
        Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
    };
    // Per control (card or preview), so that focus moves only where the editor is.
    let confirming = RwSignal::new(None::<Confirm>);
    let main = NodeRef::<Button>::new();
    let again = NodeRef::<Button>::new();
    let cancel = NodeRef::<Button>::new();
    // Focus follows the confirmation once it is rendered: onto "Cancel" (the safe answer)
    // when it opens, back to where it was opened from when it is cancelled.
    let ask = move |what: Option<Confirm>| {
        let back = match (&what, delivery()) {
            (None, Delivery::Ready { .. }) => Some(again),
            (None, _) => Some(main),
            (Some(_), _) => None,
        };
        open_confirm(confirming, cancel, what);
        if let Some(target) = back {
            set_timeout(
                move || {
                    if let Some(button) = target.get_untracked() {
                        let _ = button.focus();
                    }
                },
                Duration::ZERO,
            );
        }
    };
    // What a confirmation says: why it asks, and what spending costs.
    let question = move |confirm: &Confirm| {
        let cost = chosen()
            .map(|offer| i18n.with(|s| fill(&s.confirm_cost, &[("product", &offer.label())])));
        let why = match confirm {
            Confirm::Again => return i18n.text(|s| &s.confirm_again),
            Confirm::Held => i18n.text(|s| &s.in_library) + ".",
            Confirm::Before(before) => i18n.with(|s| s.licensed_before(before)),
        };
        match cost {
            Some(cost) => format!("{why} {cost}"),
            None => why,
        }
    };
    let outcome = {
        let state = state.clone();
        move || match (delivery(), confirming.get()) {
            (Delivery::Idle | Delivery::Failed(_) | Delivery::Ready { .. }, Some(confirm)) => {
                let spend = state.clone();
                EitherOf4::A(view! {
                    <span class="gp-confirm">{question(&confirm)}</span>
                    " "
                    <button
                        class="gp-confirm-cancel"
                        type="button"
                        node_ref=cancel
                        on:click=move |_| ask(None)
                    >
                        {i18n.text(|s| &s.cancel)}
                    </button>
                    " "
                    <button
                        class="gp-confirm-spend"
                        type="button"
                        on:click=move |_| {
                            confirming.set(None);
                            // The spending POST starts here, inside the editor's click.
                            spend.spend(ctx, None);
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
            (Delivery::Ready { uri, tab_opened }, None) => {
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
                        on:click=move |_| ask(Some(Confirm::Again))
                    >
                        {i18n.text(|s| &s.download_again)}
                    </button>
                })
            }
            (Delivery::Failed(message), None) => EitherOf4::C(view! {
                <span class="gp-card-error" role="alert">{message}</span>
            }),
            _ => EitherOf4::D(()),
        }
    };
    // Nothing to say: the line takes no room (no gap above "Use this image").
    let quiet = move || {
        confirming.with(Option::is_none)
            && matches!(
                delivery(),
                Delivery::Idle | Delivery::Checking | Delivery::Busy
            )
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
                on:click=move |_| state.click(ctx, confirming, cancel)
            >
                {label}
            </button>
            // Below the button, whose place does not depend on it: what a download shows here
            // never moves the button from under a late click.
            <p class="gp-delivery" hidden=quiet>{outcome}</p>
        </div>
    }
}
