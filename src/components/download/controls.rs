//! The download controls of the details panel, put together from their pieces.

use leptos::prelude::*;

use super::Services;
use super::{
    Allowance, Control, Delivery, DownloadState, Outcome, ProductChoice, RequirementFields,
};

/// The product choice (when there are several), what is left of it, what it requires, the
/// download button and what came of it.
#[component]
pub fn DownloadControls(
    /// The download of the image the details show.
    state: DownloadState,
) -> impl IntoView {
    let services = Services::of_picker();
    services.account.ensure(services.client);
    let control = Control::new(&state);
    let has_download = !state.image.downloads().is_empty();
    // Busy until Getty has said which products the account has: the choice and the fields a
    // product requires may change once it has.
    let licences = state.licences;
    let waiting = move || licences.with(|licences| !licences.answered()).to_string();
    view! {
        <div class="gp-download-controls" aria-busy=waiting>
            <ProductChoice control />
            <Allowance control has_download />
            <RequirementFields
                control
                project_code=services.downloads.project_code
                notes=services.downloads.notes
            />
            <DownloadButton state=state.clone() control />
            <Outcome state control />
        </div>
    }
}

/// The main button: "Download", what is under way, "Downloaded".
#[component]
pub fn DownloadButton(
    /// The download it starts.
    state: DownloadState,
    /// The control it belongs to.
    control: Control,
) -> impl IntoView {
    let services = Services::of_picker();
    let i18n = services.i18n;
    let can_spend = move || {
        control
            .offers
            .with(|offers| offers.iter().any(|o| o.available()))
    };
    // Whether the host's library holds the image: the button then says "Download again…" and
    // asks first.
    let held = {
        let (library, id) = (services.library, StoredValue::new(state.image.id.clone()));
        move || id.with_value(|id| library.held(id).is_some())
    };
    let label = move || match control.delivery() {
        Delivery::Checking => i18n.text(|s| &s.checking),
        Delivery::Busy => i18n.text(|s| &s.downloading),
        Delivery::Ready { .. } => i18n.text(|s| &s.downloaded),
        Delivery::Idle | Delivery::Failed(_) if held() => i18n.text(|s| &s.download_again),
        Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
    };
    let done = move || matches!(control.delivery(), Delivery::Ready { .. });
    view! {
        <button
            class="gp-download"
            type="button"
            node_ref=control.main
            // "Use it" is the primary action for an image the host holds.
            class:gp-secondary=held
            disabled=move || !can_spend() || control.busy()
            aria-busy=move || control.busy().to_string()
            // Not `disabled`: it keeps keyboard focus, and says it has nothing more to do.
            aria-disabled=move || done().then_some("true")
            on:click=move |_| state.click(services, control)
        >
            {label}
        </button>
    }
}
