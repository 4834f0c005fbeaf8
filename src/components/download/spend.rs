//! What a download intent does: checks what the product requires, asks Getty's download
//! history or the editor first where it must, and spends one download ([`Order`]).

use futures::channel::oneshot;
use leptos::prelude::*;

use super::{Confirm, Control, Delivered, Delivery, DownloadState, History, Services};
use crate::components::SharedImage;
use crate::embed::{DeliveryTab, ErrorKind};
use crate::getty::{choose, licensed_before, ApiError, DownloadForm, Missing, Offer};
use crate::http::GettyClient;

/// One download intent whose history check is under way: the state it is for, and the
/// control (card or preview) whose confirmation opens if Getty lists earlier downloads.
#[derive(Clone)]
pub struct Intent {
    services: Services,
    client: GettyClient,
    state: DownloadState,
    control: Control,
    /// The delivery tab, claimed in the click that started the intent.
    tab: DeliveryTab,
}

impl Intent {
    /// Asks Getty's download history, then asks the editor first if the company licensed the
    /// image before, else spends. Any failure of the question (refused, unreachable, a
    /// search-only backend) skips it quietly: the download goes ahead as without it.
    pub async fn run(self) {
        let answer = self.client.history(&self.state.image.id).await;
        // Only while this intent still stands: the card may be gone, or its search replaced.
        if self.state.history.is_disposed() {
            self.tab.abandon();
            return;
        }
        let history = answer.ok().and_then(|downloads| {
            self.state
                .licences
                .with_untracked(|licences| licensed_before(&downloads, licences.products()))
        });
        let history = history.map_or(History::Clear, History::Before);
        self.state.history.set(history.clone());
        match history {
            History::Before(before) => {
                // The editor decides first; the confirmation's click claims a tab of its own.
                self.tab.abandon();
                self.control.ask(Some(Confirm::Before(before)));
            }
            _ => self.state.spend(self.services, Some(self.tab)),
        }
    }
}

/// One spending request: the offer, the form its product requires and the claimed tab.
#[derive(Clone)]
pub struct Order {
    services: Services,
    client: GettyClient,
    image: SharedImage,
    offer: Offer,
    form: DownloadForm,
    tab: DeliveryTab,
}

impl Order {
    /// Spends one download, tells the host and the account, and shows the delivery URI in the
    /// claimed tab: the URI and whether a tab shows it, or the message to show.
    pub async fn send(self) -> Delivered {
        let Services {
            i18n,
            host,
            account,
            ..
        } = self.services;
        let outcome = self.client.download(&self.offer, &self.form).await;
        let product_id = self.offer.product_id();
        match outcome {
            Ok(uri) => {
                host.downloaded(&self.image, &self.offer, &self.form, &uri);
                if let Some(id) = product_id {
                    account.spent(id);
                }
                let (opened, shown) = oneshot::channel();
                self.tab.deliver(uri.clone(), move |tab_opened| {
                    let _ = opened.send(tab_opened);
                });
                Ok((uri, shown.await.unwrap_or(false)))
            }
            Err(error) => {
                if let (Some(id), true) = (product_id, is_overage(&error)) {
                    account.exhausted(id);
                }
                host.failed(ErrorKind::Download, &error);
                self.tab.abandon();
                Err(i18n.with(|strings| strings.error(&error)))
            }
        }
    }
}

impl DownloadState {
    /// The main button: one download intent. Nothing is asked or spent until what the product
    /// requires is filled in; an image the host holds, or that Getty's history says the
    /// company licensed, asks first (in `control`'s confirmation); otherwise it spends. Once
    /// done it does nothing, so a late or repeated click where "Download" was costs nothing
    /// and opens nothing; re-opening and spending again are separate controls beside it.
    pub fn click(&self, services: Services, control: Control) {
        if !matches!(
            self.progress.get_untracked(),
            Delivery::Idle | Delivery::Failed(_)
        ) {
            return;
        }
        if let Err(message) = self.prepared(services) {
            if let Some(message) = message {
                self.progress.fail(message);
            }
            return;
        }
        if services.library.held_untracked(&self.image.id).is_some() {
            control.ask(Some(Confirm::Held));
            return;
        }
        match self.history.get_untracked() {
            History::NotAsked => {
                // What failed before is no longer the news while the history is asked.
                self.progress.clear();
                self.progress.check(Intent {
                    services,
                    client: services.client.get_value(),
                    state: self.clone(),
                    control,
                    // Claimed now, inside the click: the spending request may follow the answer.
                    tab: claim_tab(services),
                });
            }
            History::Before(before) => control.ask(Some(Confirm::Before(before))),
            History::Clear => self.spend(services, None),
        }
    }

    /// The chosen offer with the form its product requires, or what is missing, in words
    /// (none: nothing to say, as for no offer, which the controls already say).
    fn prepared(&self, services: Services) -> Result<(Offer, DownloadForm), Option<String>> {
        let offers = untrack(|| self.offers());
        let offer = choose(&offers, self.choice.get_untracked())
            .cloned()
            .ok_or(None)?;
        let requirements = offer.requirements();
        let form = DownloadForm::new(
            &requirements,
            &self.project_code.get_untracked(),
            &self.notes.get_untracked(),
        );
        match form.missing(&requirements) {
            Some(Missing::ProjectCode) => Err(Some(services.i18n.text(|s| &s.need_code))),
            Some(Missing::Note) => Err(Some(services.i18n.text(|s| &s.need_note))),
            None => Ok((offer, form)),
        }
    }

    /// Spends one download on the chosen offer, once what its product requires is filled in,
    /// and opens the delivery URI in a new tab.
    // Called from three places (a click, a confirmation, the history check): compiled once.
    #[inline(never)]
    pub fn spend(&self, services: Services, tab: Option<DeliveryTab>) {
        let ready = match self.progress.get_untracked() {
            Delivery::Busy => Err(None),
            _ => self.prepared(services),
        };
        let (offer, form) = match ready {
            Ok(ready) => ready,
            Err(message) => {
                if let Some(tab) = tab {
                    tab.abandon();
                }
                if let Some(message) = message {
                    self.progress.fail(message);
                }
                return;
            }
        };
        // Claimed here when this is the click that spends (WebKit opens no tab once the
        // click's task has ended); a download whose history was asked first brings the one
        // claimed in its first click.
        let tab = tab.unwrap_or_else(|| claim_tab(services));
        self.progress.order(Order {
            services,
            client: services.client.get_value(),
            image: self.image.clone(),
            offer,
            form,
            tab,
        });
    }
}

/// The delivery tab for a download, claimed inside the editor's click (contract C3).
fn claim_tab(services: Services) -> DeliveryTab {
    let i18n = services.i18n;
    DeliveryTab::claim(
        services.host.opens_tabs(),
        &i18n.text(|s| &s.tab_waiting_title),
        &i18n.text(|s| &s.tab_waiting),
    )
}

/// Whether Getty refused a download because the product's downloads are used up. The one
/// place the download path reads what an error says of its source.
fn is_overage(error: &ApiError) -> bool {
    matches!(error, ApiError::Status { code: Some(code), .. } if code == "OverageLimitReached")
}
