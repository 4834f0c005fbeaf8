//! The customer's licences as one picker knows them: asked for once, on first use, and counted
//! down after each download without asking again.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::getty::{offers, Image, Offer, Product};
use crate::http::GettyClient;

/// What the picker knows of the account's products.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Licences {
    /// Not asked yet.
    #[default]
    NotAsked,
    /// `GET /v3/products` is under way.
    Asking,
    /// The account's products, as Getty listed them and as downloads since spent them.
    Known(Vec<Product>),
    /// Getty would not say (a search-only backend, a refusal, a network failure): downloads
    /// are offered as the search answer describes them.
    Unknown,
}

/// One picker's view of the account; cheap to copy into event handlers.
///
/// What cards read lives in a signal made anew for each search ([`Account::renew`]) and
/// dropped with that search's cards: a Leptos signal keeps an entry for every memo that ever
/// read it until the signal itself goes, so one signal for the picker's life would keep one for
/// every card ever shown.
#[derive(Debug, Clone, Copy)]
pub struct Account {
    /// What the picker knows, for its whole life.
    known: StoredValue<Licences>,
    /// The same, for the cards of the search shown (see [`Account::renew`]).
    shown: StoredValue<RwSignal<Licences>>,
}

impl Default for Account {
    fn default() -> Self {
        Self {
            known: StoredValue::new(Licences::NotAsked),
            shown: StoredValue::new(RwSignal::new(Licences::NotAsked)),
        }
    }
}

impl Account {
    /// Gives the cards a fresh signal, owned by the caller's owner (the grid's rendering of one
    /// search) and so dropped with that search.
    pub fn renew(&self) {
        let known = self.known.try_get_value().unwrap_or_default();
        self.shown.try_set_value(RwSignal::new(known));
    }

    /// Asks Getty for the products the first time anything needs them.
    pub fn ensure(&self, client: StoredValue<GettyClient, LocalStorage>) {
        if self.untracked(|known| *known != Licences::NotAsked) != Some(false) {
            return;
        }
        let Some(client) = client.try_get_value() else {
            return;
        };
        self.set(Licences::Asking);
        let account = *self;
        spawn_local(async move {
            let known = match client.products().await {
                Ok(products) => Licences::Known(products),
                Err(_) => Licences::Unknown,
            };
            // Into whichever search is shown by now; nothing if the picker is gone.
            account.set(known);
        });
    }

    /// `image`'s downloads joined to the products (tracked: re-runs when the counts change).
    pub fn offers(&self, image: &Image) -> Vec<Offer> {
        self.signal()
            .and_then(|licences| {
                licences.try_with(|licences| offers(image.downloads(), products(licences)))
            })
            .unwrap_or_default()
    }

    /// [`Self::offers`], untracked (for event handlers).
    pub fn offers_untracked(&self, image: &Image) -> Vec<Offer> {
        self.untracked(|licences| offers(image.downloads(), products(licences)))
            .unwrap_or_default()
    }

    /// The account's products as known now (none before Getty said, or if it would not).
    pub fn products_untracked(&self) -> Vec<Product> {
        self.untracked(|licences| products(licences).to_vec())
            .unwrap_or_default()
    }

    /// Counts one download spent on `product_id`.
    pub fn spent(&self, product_id: &str) {
        self.update_product(product_id, |product| {
            if let Some(left) = &mut product.downloads_remaining {
                *left = left.saturating_sub(1);
            }
        });
    }

    /// Records that Getty refused `product_id` for having no downloads left.
    pub fn exhausted(&self, product_id: &str) {
        self.update_product(product_id, |product| product.downloads_remaining = Some(0));
    }

    fn update_product(&self, product_id: &str, change: impl FnOnce(&mut Product)) {
        let mut known = self.known.try_get_value().unwrap_or_default();
        if let Licences::Known(products) = &mut known {
            if let Some(product) = products.iter_mut().find(|p| p.id == product_id) {
                change(product);
                self.set(known);
            }
        }
    }

    /// The signal the cards of the search shown read; none once the picker is gone.
    fn signal(&self) -> Option<RwSignal<Licences>> {
        self.shown.try_get_value()
    }

    fn set(&self, licences: Licences) {
        self.known.try_set_value(licences.clone());
        if let Some(signal) = self.signal() {
            signal.try_set(licences);
        }
    }

    fn untracked<R>(&self, read: impl FnOnce(&Licences) -> R) -> Option<R> {
        self.known.try_with_value(read)
    }
}

fn products(licences: &Licences) -> &[Product] {
    match licences {
        Licences::Known(products) => products,
        _ => &[],
    }
}
