//! What came of a download, and the question asked before spending one again.

use leptos::either::EitherOf4;
use leptos::prelude::*;

use super::Services;
use super::{Confirm, Control, Delivery, DownloadState};
use crate::i18n::fill;

/// The line below the button: the confirmation while one is open, else the delivery (with
/// "Download again") or the failure. Below the button, whose place does not depend on it: what
/// a download shows here never moves the button from under a late click.
#[component]
pub fn Outcome(
    /// The download it tells of.
    state: DownloadState,
    /// The control it belongs to.
    control: Control,
) -> impl IntoView {
    let confirming = control.confirming;
    let outcome = move || match (control.delivery(), confirming.get()) {
        (Delivery::Idle | Delivery::Failed(_) | Delivery::Ready { .. }, Some(confirm)) => {
            let state = state.clone();
            EitherOf4::A(view! { <SpendConfirmation state control confirm /> })
        }
        (Delivery::Ready { uri, tab_opened }, None) => {
            EitherOf4::B(view! { <Delivered uri tab_opened control /> })
        }
        (Delivery::Failed(message), None) => EitherOf4::C(view! {
            <span class="gp-card-error" role="alert">{message}</span>
        }),
        _ => EitherOf4::D(()),
    };
    // Nothing to say: the line takes no room (no gap above "Use this image").
    let quiet = move || {
        confirming.with(Option::is_none)
            && matches!(
                control.delivery(),
                Delivery::Idle | Delivery::Checking | Delivery::Busy
            )
    };
    view! { <p class="gp-delivery" hidden=quiet>{outcome}</p> }
}

/// A delivery: whether its tab opened, the link to it and "Download again".
#[component]
fn Delivered(
    /// The delivery URI.
    uri: String,
    /// Whether a tab shows it.
    tab_opened: bool,
    /// The control it belongs to.
    control: Control,
) -> impl IntoView {
    let services = Services::of_picker();
    let i18n = services.i18n;
    let note = if tab_opened {
        i18n.text(|s| &s.tab_opened)
    } else if services.host.opens_tabs() {
        i18n.text(|s| &s.tab_blocked)
    } else {
        String::new()
    };
    view! {
        {note}
        " "
        <a class="gp-delivery-link" href=uri target="_blank" rel="noopener noreferrer">
            {i18n.text(|s| &s.open_image)}
        </a>
        " "
        <button
            class="gp-download-again"
            type="button"
            node_ref=control.again
            on:click=move |_| control.ask(Some(Confirm::Again))
        >
            {i18n.text(|s| &s.download_again)}
        </button>
    }
}

/// Asks before spending: why (downloaded here, held by the host, licensed before) and what it
/// costs, with "Cancel" (focused: the safe answer) and the button that spends.
#[component]
pub fn SpendConfirmation(
    /// The download it would spend.
    state: DownloadState,
    /// The control it belongs to.
    control: Control,
    /// Why it asks.
    confirm: Confirm,
) -> impl IntoView {
    let services = Services::of_picker();
    let i18n = services.i18n;
    // Re-read while open: a download elsewhere may count the product down.
    let question = move || {
        let cost = control
            .chosen()
            .map(|offer| i18n.with(|s| fill(&s.confirm_cost, &[("product", &offer.label())])));
        let why = match &confirm {
            Confirm::Again => return i18n.text(|s| &s.confirm_again),
            Confirm::Held => i18n.text(|s| &s.in_library) + ".",
            Confirm::Before(before) => i18n.with(|s| s.licensed_before(before)),
        };
        match cost {
            Some(cost) => format!("{why} {cost}"),
            None => why,
        }
    };
    let spend = move |_| {
        control.confirming.set(None);
        // The spending POST starts here, inside the editor's click.
        state.spend(services);
        // The confirmation goes; the keyboard stays with this download.
        if let Some(button) = control.main.get_untracked() {
            let _ = button.focus();
        }
    };
    view! {
        <span class="gp-confirm">{question}</span>
        " "
        <button
            class="gp-confirm-cancel"
            type="button"
            node_ref=control.cancel
            on:click=move |_| control.ask(None)
        >
            {i18n.text(|s| &s.cancel)}
        </button>
        " "
        <button class="gp-confirm-spend" type="button" on:click=spend>
            {i18n.text(|s| &s.confirm_spend)}
        </button>
    }
}
