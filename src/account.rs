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

    /// `image`'s downloads joined to these products.
    pub fn offers(&self, image: &Image) -> Vec<Offer> {
        offers(image.downloads(), self.products())
    }
}

/// One picker's view of the account; cheap to copy into event handlers.
///
/// The products are a [`LocalResource`] whose source is the client that asked for them: none
/// until the first download control needs them ([`Account::ensure`]), so a picker whose editor
/// only chooses images never asks. Downloads count them down by writing to the resource.
///
/// Cards do not read the resource itself: a Leptos signal keeps an entry for every memo that
/// ever read it until the signal itself goes, so a resource for the picker's life read by every
/// card would keep one entry for every card ever shown. The grid copies it into a signal of each
/// search's own instead ([`crate::components::ResultGrid`]).
#[derive(Clone, Copy)]
pub struct Account {
    /// The client that asked for the products; none until something needs them.
    asker: RwSignal<Option<StoredValue<GettyClient, LocalStorage>>>,
    /// `GET /v3/products`, once asked; then counted down by downloads.
    products: LocalResource<Licences>,
}

impl Default for Account {
    fn default() -> Self {
        let asker = RwSignal::new(None::<StoredValue<GettyClient, LocalStorage>>);
        let products = LocalResource::new(move || {
            let client = asker.get().and_then(|client| client.try_get_value());
            async move {
                let Some(client) = client else {
                    return Licences::NotKnown;
                };
                match client.products().await {
                    Ok(products) => Licences::Known(products),
                    Err(_) => Licences::Unknown,
                }
            }
        });
        Self { asker, products }
    }
}

impl Account {
    /// Asks Getty for the products the first time anything needs them (later calls do
    /// nothing).
    pub fn ensure(&self, client: StoredValue<GettyClient, LocalStorage>) {
        if self.asker.with_untracked(Option::is_none) {
            self.asker.set(Some(client));
        }
    }

    /// What is known now (tracked: re-runs when the products arrive or a download counts them
    /// down).
    pub fn licences(&self) -> Licences {
        self.products.get().unwrap_or_default()
    }

    /// [`Self::licences`], untracked (for event handlers).
    pub fn licences_untracked(&self) -> Licences {
        self.products.get_untracked().unwrap_or_default()
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
            if let Some(Licences::Known(products)) = known {
                if let Some(product) = products.iter_mut().find(|p| p.id == product_id) {
                    change(product);
                }
            }
        });
    }
}
