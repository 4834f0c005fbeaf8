//! One image's download: its state, shared by the card and the preview, and the controls that
//! show it, one small component per concern (product choice, allowance, requirement fields,
//! the button, the outcome and the confirmation before spending).

mod controls;
mod outcome;
mod product;
mod requirements;
mod spend;

pub use controls::{DownloadButton, DownloadControls};
pub use outcome::{Outcome, SpendConfirmation};
pub use product::{Allowance, ProductChoice};
pub use requirements::RequirementFields;
pub use spend::{Intent, Order};

use leptos::html::{Button, Li};
use leptos::prelude::*;
use leptos::reactive::owner::WeakOwner;

use super::{Client, I18n, SharedImage};
use crate::account::{Account, Licences};
use crate::embed::Host;
use crate::getty::{LicensedBefore, Offer};
use crate::library::Library;

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

/// What the download path needs of its picker, gathered from the contexts `Picker` provides
/// (one per concern): cheap handles, copied into the requests it starts.
#[derive(Clone, Copy)]
pub struct Services {
    /// Talks to the token backend and Getty.
    pub client: Client,
    /// The UI texts.
    pub i18n: I18n,
    /// The page around the picker, told what happens.
    pub host: Host,
    /// The customer's products and what is left of them.
    pub account: Account,
    /// What the host's library holds.
    pub library: Library,
}

impl Services {
    /// The download path's services of the picker being built.
    pub fn of_picker() -> Self {
        // All provided by `Picker` before any of its children is built.
        Self {
            client: expect_context(),
            i18n: expect_context(),
            host: expect_context(),
            account: expect_context(),
            library: expect_context(),
        }
    }
}

/// What a spending request came to: the delivery, or why not (a message fit to show).
pub type Delivered = Result<(String, bool), String>;

/// One download's two requests as Leptos actions: the history question and the spending POST.
/// Their `pending()` and `value()` are where the download stands ([`Progress::get`]).
#[derive(Clone, Copy)]
struct Requests {
    /// Asks Getty's download history before anything is spent.
    check: Action<Intent, ()>,
    /// Spends one download: the delivery URI and whether a tab shows it, or the message.
    order: Action<Order, Delivered>,
    checking: Memo<bool>,
    spending: Memo<bool>,
    outcome: MappedSignal<Option<Delivered>>,
}

impl Requests {
    fn new() -> Self {
        let check = Action::new_local(|intent: &Intent| intent.clone().run());
        let order = Action::new_local(|order: &Order| order.clone().send());
        Self {
            check,
            order,
            checking: check.pending(),
            spending: order.pending(),
            outcome: order.value(),
        }
    }

    fn get(&self) -> Delivery {
        if self.outcome.is_disposed() {
            return Delivery::Idle;
        }
        if self.spending.get() {
            return Delivery::Busy;
        }
        if self.checking.get() {
            return Delivery::Checking;
        }
        self.outcome.with(delivery_of)
    }
}

/// Where one download stands: idle until the editor first means to download, then its
/// [`Requests`]. They are made then, not with the card: most cards are never downloaded, and
/// making two actions with their signals for each of 30 cards took about a tenth of the time
/// from Getty's answer to the cards (docs/performance.md).
#[derive(Clone, Copy)]
pub struct Progress {
    requests: RwSignal<Option<Requests>>,
    /// The card's owner: the requests are made under it, so they go when the card goes (weak:
    /// a strong one stored among its own values would keep it alive).
    owner: StoredValue<Option<WeakOwner>>,
}

impl Progress {
    fn new() -> Self {
        Self {
            requests: RwSignal::new(None),
            owner: StoredValue::new(Owner::current().map(|owner| owner.downgrade())),
        }
    }

    /// The requests, made at the first call; none once the card that owns them is gone.
    fn requests(&self) -> Option<Requests> {
        if let Some(requests) = self.requests.try_get_untracked()? {
            return Some(requests);
        }
        let requests = match self.owner.try_get_value()? {
            Some(owner) => owner.upgrade()?.with(Requests::new),
            None => Requests::new(),
        };
        self.requests.try_set(Some(requests));
        Some(requests)
    }

    /// Where the download stands (tracked). Idle once the card that owns it is gone: the
    /// preview can outlive it by a tick.
    pub fn get(&self) -> Delivery {
        match self.requests.try_get().flatten() {
            Some(requests) => requests.get(),
            None => Delivery::Idle,
        }
    }

    /// [`Self::get`], untracked (for event handlers).
    pub fn get_untracked(&self) -> Delivery {
        untrack(|| self.get())
    }

    /// Whether a request is under way (tracked).
    pub fn busy(&self) -> bool {
        matches!(self.get(), Delivery::Busy | Delivery::Checking)
    }

    /// Shows `message` as the outcome, for a download that could not start.
    fn fail(&self, message: String) {
        if let Some(requests) = self.requests() {
            requests.outcome.set(Some(Err(message)));
        }
    }

    /// Clears what the last attempt said (a new attempt is under way).
    fn clear(&self) {
        if let Some(requests) = self.requests.try_get_untracked().flatten() {
            requests.outcome.set(None);
        }
    }

    /// Asks Getty's download history for `intent`.
    fn check(&self, intent: Intent) {
        if let Some(requests) = self.requests() {
            requests.check.dispatch_local(intent);
        }
    }

    /// Sends `order`, spending one download.
    fn order(&self, order: Order) {
        if let Some(requests) = self.requests() {
            requests.order.dispatch_local(order);
        }
    }
}

fn delivery_of(outcome: &Option<Delivered>) -> Delivery {
    match outcome {
        None => Delivery::Idle,
        Some(Ok((uri, tab_opened))) => Delivery::Ready {
            uri: uri.clone(),
            tab_opened: *tab_opened,
        },
        Some(Err(message)) => Delivery::Failed(message.clone()),
    }
}

/// One image's download, shared by its card and its preview so neither can spend it twice.
/// Its signals belong to the card: once the card is gone they read as idle.
#[derive(Clone)]
pub struct DownloadState {
    /// The image to download.
    pub image: SharedImage,
    /// The card, where focus returns when the preview closes.
    pub card: NodeRef<Li>,
    /// The account's products as the search shown knows them.
    pub licences: Signal<Licences>,
    /// Where the download stands.
    pub progress: Progress,
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

impl DownloadState {
    /// A fresh state for `image` (shown in `card`), its offers read from `licences`.
    pub fn new(image: SharedImage, card: NodeRef<Li>, licences: Signal<Licences>) -> Self {
        Self {
            image,
            card,
            licences,
            progress: Progress::new(),
            choice: RwSignal::new(None),
            project_code: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            history: RwSignal::new(History::NotAsked),
        }
    }

    /// The image's downloads joined to the account's products (tracked).
    pub fn offers(&self) -> Vec<Offer> {
        // try_: the preview may read a card's state in the tick its search is replaced.
        self.licences
            .try_with(|licences| licences.offers(&self.image))
            .unwrap_or_default()
    }
}

/// What the pieces of one control (the card's or the preview's) share: cheap to copy.
#[derive(Clone, Copy)]
pub struct Control {
    /// The image's offers, re-read when a download spends one.
    pub offers: Memo<Vec<Offer>>,
    /// The chosen entry (see [`DownloadState::choice`]).
    pub choice: RwSignal<Option<usize>>,
    /// Where the download stands.
    pub progress: Progress,
    /// The confirmation this control shows, if any (per control: focus moves only where the
    /// editor is).
    pub confirming: RwSignal<Option<Confirm>>,
    /// The main button.
    pub main: NodeRef<Button>,
    /// "Download again", once delivered.
    pub again: NodeRef<Button>,
    /// The confirmation's "Cancel".
    pub cancel: NodeRef<Button>,
}

impl Control {
    /// The control for `state`, with no confirmation open.
    pub fn new(state: &DownloadState) -> Self {
        let offers = {
            let state = state.clone();
            Memo::new(move |_| state.offers())
        };
        Self {
            offers,
            choice: state.choice,
            progress: state.progress,
            confirming: RwSignal::new(None),
            main: NodeRef::new(),
            again: NodeRef::new(),
            cancel: NodeRef::new(),
        }
    }

    /// The chosen offer (tracked).
    pub fn chosen(&self) -> Option<Offer> {
        let choice = self.choice.get();
        self.offers
            .with(|offers| crate::getty::choose(offers, choice).cloned())
    }

    /// The offers that still have downloads left (tracked).
    pub fn available(&self) -> Vec<Offer> {
        self.offers
            .with(|offers| offers.iter().filter(|o| o.available()).cloned().collect())
    }

    /// Whether the editor has a product to choose: more than one offer with downloads left
    /// (tracked; counts without copying them, as every card asks).
    pub fn has_choice(&self) -> bool {
        self.offers
            .with(|offers| offers.iter().filter(|o| o.available()).nth(1).is_some())
    }

    /// Opens (or with `None` closes) the confirmation, then moves focus once it is rendered:
    /// onto "Cancel", the safe answer, when it opens; back to where it was opened from when
    /// it is cancelled.
    pub fn ask(&self, what: Option<Confirm>) {
        let target = match (&what, self.progress.get_untracked()) {
            (Some(_), _) => self.cancel,
            (None, Delivery::Ready { .. }) => self.again,
            (None, _) => self.main,
        };
        // try_: a history check may answer after the preview that asked was closed.
        self.confirming.try_set(what);
        focus_later(target);
    }
}

/// Focuses `button` once what is being rendered now is in the page.
pub fn focus_later(button: NodeRef<Button>) {
    set_timeout(
        move || {
            if let Some(Some(button)) = button.try_get_untracked() {
                let _ = button.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}
