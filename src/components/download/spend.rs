//! What a download intent does: checks what the product requires, asks Getty's download
//! history or the editor first where it must, and spends one download ([`Order`]). Each request
//! carries what it needs (the image, its offer and form, its entry), so it finishes whatever the
//! details panel shows by the time Getty answers.

use futures::channel::oneshot;
use leptos::prelude::*;

use super::{delivery_of, Confirm, Control, Delivery, DownloadState, Entry, History, Services};
use crate::components::SharedImage;
use crate::embed::{DeliveryTab, ErrorKind};
use crate::getty::{choose, licensed_before, ApiError, DownloadForm, Missing, Offer};
use crate::http::GettyClient;

/// One download intent whose history check is under way: what it would spend, and the control
/// whose confirmation opens if Getty lists earlier downloads.
#[derive(Clone)]
pub struct Intent {
    services: Services,
    client: GettyClient,
    image: SharedImage,
    entry: Entry,
    offer: Offer,
    form: DownloadForm,
    control: Control,
    /// The delivery tab, claimed in the click that started the intent.
    tab: DeliveryTab,
}

impl Intent {
    /// Asks Getty's download history, then asks the editor first if the company licensed the
    /// image before, else spends. Any failure of the question (refused, unreachable, a
    /// search-only backend) skips it quietly: the download goes ahead as without it.
    pub async fn run(self) {
        let answer = self.client.history(&self.image.id).await;
        // Only while the picker is there.
        if self.entry.history.is_disposed() {
            self.tab.abandon();
            return;
        }
        let products = self.services.account.licences_untracked();
        let history = answer
            .ok()
            .and_then(|downloads| licensed_before(&downloads, products.products()));
        let history = history.map_or(History::Clear, History::Before);
        self.entry.history.set(history.clone());
        match history {
            History::Before(before) => {
                self.services.downloads.mark_licensed(&self.image.id);
                // The editor decides first; the confirmation's click claims a tab of its own.
                self.tab.abandon();
                self.entry.delivery.set(Delivery::Idle);
                self.control.ask(Some(Confirm::Before(before)));
            }
            _ => {
                let Self {
                    services,
                    image,
                    entry,
                    offer,
                    form,
                    tab,
                    ..
                } = self;
                spend(services, image, entry, offer, form, tab);
            }
        }
    }
}

/// One spending request: the offer, the form its product requires and the claimed tab.
#[derive(Clone)]
pub struct Order {
    services: Services,
    client: GettyClient,
    image: SharedImage,
    entry: Entry,
    offer: Offer,
    form: DownloadForm,
    tab: DeliveryTab,
}

impl Order {
    /// Spends one download, tells the host and the account, and shows the delivery URI in the
    /// claimed tab; the entry says how it ended.
    pub async fn send(self) {
        let entry = self.entry;
        let outcome = self.delivered().await;
        // try_: the picker may be gone by the time Getty answers.
        entry.delivery.try_set(delivery_of(outcome));
    }

    /// The delivery URI and whether a tab shows it, or the message to show.
    async fn delivered(self) -> Result<(String, bool), String> {
        let Services {
            i18n,
            host,
            account,
            downloads,
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
                downloads.mark_licensed(&self.image.id);
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
            self.entry.delivery.get_untracked(),
            Delivery::Idle | Delivery::Failed(_)
        ) {
            return;
        }
        let (offer, form) = match self.prepared(services) {
            Ok(ready) => ready,
            Err(message) => {
                if let Some(message) = message {
                    self.entry.delivery.set(Delivery::Failed(message));
                }
                return;
            }
        };
        if services.library.held_untracked(&self.image.id).is_some() {
            control.ask(Some(Confirm::Held));
            return;
        }
        match self.entry.history.get_untracked() {
            History::NotAsked => {
                self.entry.delivery.set(Delivery::Checking);
                services.downloads.check.dispatch_local(Intent {
                    services,
                    client: services.client.get_value(),
                    image: self.image.clone(),
                    entry: self.entry,
                    offer,
                    form,
                    control,
                    // Claimed now, inside the click: the spending request may follow the answer.
                    tab: claim_tab(services),
                });
            }
            History::Before(before) => control.ask(Some(Confirm::Before(before))),
            History::Clear => spend(
                services,
                self.image.clone(),
                self.entry,
                offer,
                form,
                claim_tab(services),
            ),
        }
    }

    /// Spends one download on the chosen offer once what its product requires is filled in
    /// (a confirmation's answer), claiming the delivery tab inside that click.
    pub fn spend(&self, services: Services) {
        if self.entry.delivery.get_untracked().busy() {
            return;
        }
        match self.prepared(services) {
            Ok((offer, form)) => spend(
                services,
                self.image.clone(),
                self.entry,
                offer,
                form,
                claim_tab(services),
            ),
            Err(Some(message)) => self.entry.delivery.set(Delivery::Failed(message)),
            Err(None) => {}
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
        let downloads = services.downloads;
        let form = DownloadForm::new(
            &requirements,
            &downloads.project_code.get_untracked(),
            &downloads.notes.get_untracked(),
        );
        match form.missing(&requirements) {
            Some(Missing::ProjectCode) => Err(Some(services.i18n.text(|s| &s.need_code))),
            Some(Missing::Note) => Err(Some(services.i18n.text(|s| &s.need_note))),
            None => Ok((offer, form)),
        }
    }
}

/// Sends the spending request for `image` (the picker's one [`Order`] action), its entry busy
/// meanwhile.
// Called from three places (a click, a confirmation, the history check): compiled once.
#[inline(never)]
fn spend(
    services: Services,
    image: SharedImage,
    entry: Entry,
    offer: Offer,
    form: DownloadForm,
    tab: DeliveryTab,
) {
    if entry.delivery.try_set(Delivery::Busy).is_some() {
        tab.abandon();
        return;
    }
    services.downloads.order.dispatch_local(Order {
        services,
        client: services.client.get_value(),
        image,
        entry,
        offer,
        form,
        tab,
    });
}

/// The delivery tab for a download, claimed inside the editor's click.
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
