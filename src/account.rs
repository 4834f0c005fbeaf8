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
#[derive(Debug, Clone, Copy)]
pub struct Account(RwSignal<Licences>);

impl Default for Account {
    fn default() -> Self {
        Self(RwSignal::new(Licences::NotAsked))
    }
}

impl Account {
    /// Asks Getty for the products the first time anything needs them.
    pub fn ensure(&self, client: StoredValue<GettyClient, LocalStorage>) {
        let licences = self.0;
        if licences.try_with_untracked(|known| *known != Licences::NotAsked) != Some(false) {
            return;
        }
        let Some(client) = client.try_get_value() else {
            return;
        };
        licences.set(Licences::Asking);
        spawn_local(async move {
            let known = match client.products().await {
                Ok(products) => Licences::Known(products),
                Err(_) => Licences::Unknown,
            };
            // The picker may be gone by now.
            licences.try_set(known);
        });
    }

    /// `image`'s downloads joined to the products (tracked: re-runs when the counts change).
    pub fn offers(&self, image: &Image) -> Vec<Offer> {
        self.0
            .try_with(|licences| offers(image.downloads(), products(licences)))
            .unwrap_or_default()
    }

    /// [`Self::offers`], untracked (for event handlers).
    pub fn offers_untracked(&self, image: &Image) -> Vec<Offer> {
        self.0
            .try_with_untracked(|licences| offers(image.downloads(), products(licences)))
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
        self.0.try_update(|licences| {
            if let Licences::Known(products) = licences {
                if let Some(product) = products.iter_mut().find(|p| p.id == product_id) {
                    change(product);
                }
            }
        });
    }
}

fn products(licences: &Licences) -> &[Product] {
    match licences {
        Licences::Known(products) => products,
        _ => &[],
    }
}
