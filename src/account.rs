//! The customer's licences as one picker knows them: asked for once, on first use, and counted
//! down after each download without asking again.

use leptos::prelude::*;

use crate::getty::{offers, Image, Offer, Product};
use crate::http::GettyClient;

/// What the picker knows of the account's products.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Licences {
    /// Not asked yet, or the answer is under way.
    #[default]
    NotKnown,
    /// The account's products, as Getty listed them and as downloads since spent them.
    Known(Vec<Product>),
    /// Getty would not say (a search-only backend, a refusal, a network failure): downloads
    /// are offered as the search answer describes them.
    Unknown,
}

impl Licences {
    /// The products known (none before Getty said, or if it would not).
    pub fn products(&self) -> &[Product] {
        match self {
            Self::Known(products) => products,
            _ => &[],
        }
    }

    /// Whether Getty has answered (or would not): until then, which product a download spends
    /// and what it requires are not known.
    pub fn answered(&self) -> bool {
        !matches!(self, Self::NotKnown)
    }

    /// `image`'s downloads joined to these products.
    pub fn offers(&self, image: &Image) -> Vec<Offer> {
        offers(image.downloads(), self.products())
    }
}

/// One picker's view of the account; cheap to copy into event handlers.
///
/// The products are asked for by an `Action::new_local`, dispatched the first time anything
/// needs them ([`Account::ensure`]), so a picker whose editor only chooses images never asks;
/// its answer goes into a signal that downloads count down.
///
/// Cards do not read it: a Leptos signal keeps an entry for every effect that ever read it
/// until the signal itself goes (see [`crate::components::PerSearch`]); only the details
/// panel, one at a time, does.
#[derive(Clone, Copy)]
pub struct Account {
    /// `GET /v3/products`, asked once.
    ask: Action<StoredValue<GettyClient, LocalStorage>, ()>,
    /// Whether it was asked.
    asked: StoredValue<bool>,
    /// What is known, counted down by downloads.
    products: RwSignal<Licences>,
}

impl Default for Account {
    fn default() -> Self {
        let products = RwSignal::new(Licences::NotKnown);
        let ask = Action::new_local(move |client: &StoredValue<GettyClient, LocalStorage>| {
            let client = client.try_get_value();
            async move {
                let Some(client) = client else {
                    return;
                };
                let known = match client.products().await {
                    Ok(known) => Licences::Known(known),
                    Err(_) => Licences::Unknown,
                };
                // try_: the picker may be gone by the time Getty answers.
                products.try_set(known);
            }
        });
        Self {
            ask,
            asked: StoredValue::new(false),
            products,
        }
    }
}

impl Account {
    /// Asks Getty for the products the first time anything needs them (later calls do
    /// nothing).
    pub fn ensure(&self, client: StoredValue<GettyClient, LocalStorage>) {
        if !self.asked.get_value() {
            self.asked.set_value(true);
            self.ask.dispatch_local(client);
        }
    }

    /// What is known now (tracked: re-runs when the products arrive or a download counts them
    /// down).
    pub fn licences(&self) -> Licences {
        self.products.try_get().unwrap_or_default()
    }

    /// [`Self::licences`], untracked (for event handlers).
    pub fn licences_untracked(&self) -> Licences {
        self.products.try_get_untracked().unwrap_or_default()
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
        // try_: a download may end after its picker was unmounted.
        self.products.try_update(|known| {
            if let Licences::Known(products) = known {
                if let Some(product) = products.iter_mut().find(|p| p.id == product_id) {
                    change(product);
                }
            }
        });
    }
}
