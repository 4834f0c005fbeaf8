//! Downloads: one store of them for the picker ([`Downloads`]: the history question and the
//! spending POST, each one `Action::new_local`, and where each image's download stands), and the
//! controls the details panel shows for one image, one small component per concern (product
//! choice, allowance, requirement fields, the button, the outcome and the confirmation before
//! spending).

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

use leptos::html::Button;
use leptos::prelude::*;

use crate::components::context;
use leptos::reactive::owner::WeakOwner;

use super::{Client, I18n, SharedImage};
use crate::account::{Account, Licences};
use crate::embed::Host;
use crate::getty::{LicensedBefore, Offer};
use crate::library::Library;
use crate::marks::Marks;

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

impl Delivery {
    /// Whether a request is under way.
    pub fn busy(&self) -> bool {
        matches!(self, Self::Checking | Self::Busy)
    }
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
    /// The picker's downloads.
    pub downloads: Downloads,
}

impl Services {
    /// The download path's services of the picker being built.
    pub fn of_picker() -> Self {
        // All provided by `Picker` before any of its children is built.
        Self {
            client: context(),
            i18n: context(),
            host: context(),
            account: context(),
            library: context(),
            downloads: context(),
        }
    }
}

/// One image's download as the picker keeps it, from the first time its details are shown to
/// the picker's end: an image downloaded, closed and opened again still says "Downloaded", and
/// a second click costs nothing.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Where the download stands.
    pub delivery: RwSignal<Delivery>,
    /// What Getty's download history said of the image, asked at the first download intent.
    pub history: RwSignal<History>,
}

/// The picker's downloads: one set of requests for every image, not one per card (the history
/// question and the spending POST, each one `Action::new_local`, dispatched once per intent and
/// carrying all it needs, so a request finishes whatever the panel shows meanwhile), where each
/// image's download stands, and what the editor typed for the products that require it.
#[derive(Clone, Copy)]
pub struct Downloads {
    /// Asks Getty's download history before anything is spent.
    check: Action<Intent, ()>,
    /// Spends one download.
    order: Action<Order, ()>,
    /// Each image whose details were shown, by id (a list: tens at most).
    entries: StoredValue<Vec<(String, Entry)>>,
    /// The owner the entries are made under (the picker's; weak, as it holds this store).
    owner: StoredValue<Option<WeakOwner>>,
    /// The project code entered or chosen: one editor's session is usually one project.
    pub project_code: RwSignal<String>,
    /// The note entered, for products that require one.
    pub notes: RwSignal<String>,
    /// Where an image licensed before or here is marked.
    marks: Marks,
}

impl Downloads {
    /// The store of the picker being built, marking what is licensed in `marks`.
    pub fn new(marks: Marks) -> Self {
        Self {
            check: Action::new_local(|intent: &Intent| intent.clone().run()),
            order: Action::new_local(|order: &Order| order.clone().send()),
            entries: StoredValue::new(Vec::new()),
            owner: StoredValue::new(Owner::current().map(|owner| owner.downgrade())),
            project_code: RwSignal::new(String::new()),
            notes: RwSignal::new(String::new()),
            marks,
        }
    }

    /// Image `id`'s entry, made the first time it is asked for.
    pub fn entry(&self, id: &str) -> Entry {
        if let Some(entry) = self.find(id) {
            return entry;
        }
        let make = || Entry {
            delivery: RwSignal::new(Delivery::Idle),
            history: RwSignal::new(History::NotAsked),
        };
        let owner = self.owner.get_value().and_then(|owner| owner.upgrade());
        let entry = match owner {
            Some(owner) => owner.with(make),
            None => make(),
        };
        self.entries
            .update_value(|entries| entries.push((id.to_owned(), entry)));
        entry
    }

    /// Image `id`'s entry, if its details were ever shown.
    pub fn find(&self, id: &str) -> Option<Entry> {
        self.entries
            .try_with_value(|entries| {
                entries
                    .iter()
                    .find(|(known, _)| known == id)
                    .map(|(_, entry)| *entry)
            })
            .flatten()
    }

    /// Records that image `id` was licensed, before (Getty's history) or here.
    fn mark_licensed(&self, id: &str) {
        self.marks.add_licensed(id);
    }
}

/// What a spending request came to: the delivery, or why not (a message fit to show).
pub type Delivered = Result<(String, bool), String>;

fn delivery_of(outcome: Delivered) -> Delivery {
    match outcome {
        Ok((uri, tab_opened)) => Delivery::Ready { uri, tab_opened },
        Err(message) => Delivery::Failed(message),
    }
}

/// The download of the image the details panel shows: the image, its entry in the picker's
/// [`Downloads`], and the product chosen for it there.
#[derive(Clone)]
pub struct DownloadState {
    /// The image to download.
    pub image: SharedImage,
    /// Where its download stands, kept by the picker.
    pub entry: Entry,
    /// Index of the chosen entry of the image's `largest_downloads`; none means the first one
    /// with downloads left.
    pub choice: RwSignal<Option<usize>>,
    /// The account's products as the picker knows them.
    pub licences: Signal<Licences>,
}

impl DownloadState {
    /// The state of `image`, whose download stands at `entry`, its offers read from `licences`.
    pub fn new(image: SharedImage, entry: Entry, licences: Signal<Licences>) -> Self {
        Self {
            image,
            entry,
            choice: RwSignal::new(None),
            licences,
        }
    }

    /// The image's downloads joined to the account's products (tracked).
    pub fn offers(&self) -> Vec<Offer> {
        self.licences
            .try_with(|licences| licences.offers(&self.image))
            .unwrap_or_default()
    }
}

/// What the pieces of one control share: cheap to copy.
#[derive(Clone, Copy)]
pub struct Control {
    /// The image's offers, re-read when a download spends one.
    pub offers: Memo<Vec<Offer>>,
    /// The chosen entry (see [`DownloadState::choice`]).
    pub choice: RwSignal<Option<usize>>,
    /// Where the download stands.
    pub delivery: RwSignal<Delivery>,
    /// The confirmation this control shows, if any.
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
            delivery: state.entry.delivery,
            confirming: RwSignal::new(None),
            main: NodeRef::new(),
            again: NodeRef::new(),
            cancel: NodeRef::new(),
        }
    }

    /// Where the download stands (tracked); idle once the picker is gone.
    pub fn delivery(&self) -> Delivery {
        self.delivery.try_get().unwrap_or(Delivery::Idle)
    }

    /// Whether a request is under way (tracked).
    pub fn busy(&self) -> bool {
        self.delivery.try_with(Delivery::busy).unwrap_or(false)
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
    /// (tracked; counts without copying them).
    pub fn has_choice(&self) -> bool {
        self.offers
            .with(|offers| offers.iter().filter(|o| o.available()).nth(1).is_some())
    }

    /// Opens (or with `None` closes) the confirmation, then moves focus once it is rendered:
    /// onto "Cancel", the safe answer, when it opens; back to where it was opened from when
    /// it is cancelled.
    pub fn ask(&self, what: Option<Confirm>) {
        let ready = matches!(
            self.delivery.try_get_untracked(),
            Some(Delivery::Ready { .. })
        );
        let target = match (&what, ready) {
            (Some(_), _) => self.cancel,
            (None, true) => self.again,
            (None, false) => self.main,
        };
        // try_: a history check may answer after the panel that asked moved on.
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
