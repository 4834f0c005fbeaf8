//! Which product a download spends, and what is left of each.

use leptos::prelude::*;

use crate::components::context;

use super::Control;
use crate::components::I18n;
use crate::getty::Offer;

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

/// The products to spend a download on, as radio buttons, when more than one has downloads
/// left; nothing otherwise.
#[component]
pub fn ProductChoice(
    /// The control it belongs to.
    control: Control,
) -> impl IntoView {
    let i18n = context::<I18n>();
    // Radio buttons rather than a select: a product's name wraps in a narrow card instead of
    // being cut off ("Editorial Subscri…"). One group name per control (card or preview).
    let group = format!("gp-product-{}", next_group());
    let busy = move || control.busy();
    move || {
        if !control.has_choice() {
            return None;
        }
        let available = control.available();
        let selected = control.chosen().map(|offer| offer.index);
        let group = group.clone();
        Some({
            let options = available
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
                                on:change=move |_| control.choice.set(Some(index))
                            />
                            <span>{offer.label()}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="gp-product-choice" disabled=busy>
                    <legend>{i18n.text(|s| &s.product_label)}</legend>
                    {options}
                </fieldset>
            }
        })
    }
}

/// The chosen product and what is left of it ("12 of 50 left, resets 1 Dec"), and why the
/// products with no downloads left are not offered.
#[component]
pub fn Allowance(
    /// The control it belongs to.
    control: Control,
    /// Whether the image has any download at all (else it says so).
    has_download: bool,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let summary = move || {
        let (label, allowance) = match control.chosen() {
            Some(offer) => {
                let allowance = offer
                    .product
                    .as_ref()
                    .and_then(|product| i18n.with(|s| s.allowance(product)));
                // With a choice, its radio buttons already name the product.
                let chooser = control.has_choice();
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
    let spent_products = move || {
        control.offers.with(|offers| {
            offers
                .iter()
                .filter(|offer| !offer.available())
                .filter_map(|offer: &Offer| {
                    let product = offer.product.as_ref()?;
                    let reason = i18n.with(|s| s.none_left(&offer.label(), product));
                    Some(view! { <p class="gp-unavailable">{reason}</p> })
                })
                .collect_view()
        })
    };
    view! {
        {summary}
        {spent_products}
    }
}
