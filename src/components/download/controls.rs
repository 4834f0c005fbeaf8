//! The download controls of one card or preview, put together from their pieces.

use leptos::prelude::*;

use super::Services;
use super::{
    Allowance, Control, Delivery, DownloadState, Outcome, ProductChoice, RequirementFields,
};

/// The product choice (when there are several), what is left of it, what it requires, the
/// download button and what came of it.
#[component]
pub fn DownloadControls(
    /// The download, shared by the card and its preview.
    state: DownloadState,
) -> impl IntoView {
    let services = Services::of_picker();
    services.account.ensure(services.client);
    let control = Control::new(&state);
    let has_download = !state.image.downloads().is_empty();
    view! {
        <div class="gp-download-controls">
            <ProductChoice control />
            <Allowance control has_download />
            <RequirementFields control project_code=state.project_code notes=state.notes />
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
    let progress = control.progress;
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
    let label = move || match progress.get() {
        Delivery::Checking => i18n.text(|s| &s.checking),
        Delivery::Busy => i18n.text(|s| &s.downloading),
        Delivery::Ready { .. } => i18n.text(|s| &s.downloaded),
        Delivery::Idle | Delivery::Failed(_) if held() => i18n.text(|s| &s.download_again),
        Delivery::Idle | Delivery::Failed(_) => i18n.text(|s| &s.download),
    };
    let done = move || matches!(progress.get(), Delivery::Ready { .. });
    view! {
        <button
            class="gp-download"
            type="button"
            node_ref=control.main
            // "Use it" is the primary action for an image the host holds.
            class:gp-secondary=held
            disabled=move || !can_spend() || progress.busy()
            aria-busy=move || progress.busy().to_string()
            // Not `disabled`: it keeps keyboard focus, and says it has nothing more to do.
            aria-disabled=move || done().then_some("true")
            on:click=move |_| state.click(services, control)
        >
            {label}
        </button>
    }
}
