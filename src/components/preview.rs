use leptos::either::Either;
use leptos::ev::KeyboardEvent;
use leptos::html::Button;
use leptos::prelude::*;

use super::{
    ChooseButton, Client, DownloadControls, DownloadState, HeldNote, I18n, PreviewRequest,
    Previewed, RoleOnly, SearchBox, SharedImage, UseHeld,
};
use crate::account::Account;
use crate::embed::{ErrorKind, Host};
use crate::getty::url::is_http_url;
use crate::i18n::fill;
use crate::library::Library;

/// The preview panel of the image the editor opened (backdrop and dialog), with its details,
/// its download controls and "Use this image"; nothing while no preview is open.
#[component]
pub fn Preview() -> impl IntoView {
    let current = expect_context::<PreviewRequest>().current;
    let i18n = expect_context::<I18n>();
    move || {
        current.get().map(|previewed| {
            let (text, alert) = match previewed {
                Previewed::Shown(download) => {
                    return Either::Left(view! { <PreviewPanel download /> })
                }
                Previewed::Loading(id) => {
                    (i18n.with(|s| fill(&s.opening_image, &[("id", &id)])), false)
                }
                Previewed::Failed(text) => (text, true),
            };
            Either::Right(view! { <PreviewNotice text alert /> })
        })
    }
}

/// Opens image `id`'s details as the picker mounts (`data-open-image`): asks Getty for the image
/// (and the host's library whether it holds it) and shows it with its licensing controls, as if
/// the editor had opened its card; closing it leaves the empty picker.
pub fn open_at_mount(id: String) {
    let (preview, client) = (
        expect_context::<PreviewRequest>(),
        expect_context::<Client>(),
    );
    let (account, library) = (expect_context::<Account>(), expect_context::<Library>());
    let (i18n, host) = (expect_context::<I18n>(), expect_context::<Host>());
    let fetch = Action::new_local(move |id: &String| {
        let (client, id) = (client.get_value(), id.clone());
        async move { client.image(&id).await }
    });
    preview.current.set(Some(Previewed::Loading(id.clone())));
    library.ask(vec![id.clone()]);
    fetch.dispatch_local(id.clone());
    Effect::new(move |_| {
        let Some(outcome) = fetch.value().get() else {
            return;
        };
        // Only while the editor still waits for it: a search started meanwhile closed it.
        let waiting = preview
            .current
            .with_untracked(|current| matches!(current, Some(Previewed::Loading(_))));
        if !waiting {
            return;
        }
        let previewed = match outcome {
            Ok(image) => {
                let licences = Signal::derive(move || account.licences());
                let state = DownloadState::new(image.into(), NodeRef::new(), licences);
                Previewed::Shown(state)
            }
            Err(error) => {
                host.failed(ErrorKind::Image, &error);
                let message = i18n.with(|s| s.error(&error));
                Previewed::Failed(
                    i18n.with(|s| fill(&s.image_failed, &[("id", &id), ("message", &message)])),
                )
            }
        };
        preview.current.set(Some(previewed));
    });
}

/// The preview while an image opened at mount is on its way, or why it could not be shown.
#[component]
fn PreviewNotice(
    /// What to say.
    text: String,
    /// Whether it says what went wrong.
    alert: bool,
) -> impl IntoView {
    let (request, i18n) = (expect_context::<PreviewRequest>(), expect_context::<I18n>());
    let search_box = expect_context::<SearchBox>();
    let close = NodeRef::<Button>::new();
    focus_on_open(close);
    let label = text.clone();
    view! {
        <div class="gp-preview-backdrop" on:click=move |_| request.close(search_box)></div>
        <div
            class="gp-preview gp-preview-notice"
            role="dialog"
            aria-modal="true"
            aria-label=label
            on:keydown=escape_closes(request, search_box)
        >
            <button
                class="gp-preview-close"
                type="button"
                node_ref=close
                on:click=move |_| request.close(search_box)
            >
                {i18n.text(|s| &s.preview_close)}
            </button>
            <p class="gp-preview-status" class:gp-error=alert role=alert.then_some("alert")>
                {text}
            </p>
        </div>
    }
}

/// Focus moves into the dialog when it opens, so Esc and Tab work from the start; an effect
/// runs once this render is in the page.
fn focus_on_open(close: NodeRef<Button>) {
    Effect::new(move |_| {
        if let Some(button) = close.get() {
            let _ = button.focus();
        }
    });
}

/// Esc closes the dialog.
fn escape_closes(request: PreviewRequest, search_box: SearchBox) -> impl Fn(KeyboardEvent) {
    move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            // Only the topmost layer closes: the host's own dialogs must not see this Esc.
            event.stop_propagation();
            event.prevent_default();
            request.close(search_box);
        }
    }
}

/// The open panel for one image, given its download state (shared with its card).
#[component]
fn PreviewPanel(
    /// The image's download state, shared with its card.
    download: DownloadState,
) -> impl IntoView {
    let (request, i18n) = (expect_context::<PreviewRequest>(), expect_context::<I18n>());
    let RoleOnly(role_only) = expect_context();
    let image = download.image.clone();
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = ["comp", "preview", "thumb"]
        .into_iter()
        .find_map(|size| image.display_uri(size).filter(|uri| is_http_url(uri)))
        .map(|uri| view! { <img class="gp-preview-image" src=uri.to_owned() alt=title.clone() /> });

    let controls = (!role_only.get_untracked()).then(|| {
        let state = download.clone();
        view! { <DownloadControls state /> }
    });
    let search_box = expect_context::<SearchBox>();
    let close = NodeRef::<Button>::new();
    focus_on_open(close);
    let label = title.clone();
    let on_chosen = Callback::new(move |()| request.close(search_box));
    view! {
        <div class="gp-preview-backdrop" on:click=move |_| request.close(search_box)></div>
        <div
            class="gp-preview"
            role="dialog"
            aria-modal="true"
            aria-label=label
            on:keydown=escape_closes(request, search_box)
        >
            <button
                class="gp-preview-close"
                type="button"
                node_ref=close
                on:click=move |_| request.close(search_box)
            >
                {i18n.text(|s| &s.preview_close)}
            </button>
            <div class="gp-preview-picture">{picture}</div>
            <div class="gp-preview-details">
                <h2 class="gp-preview-title">{title}</h2>
                <ImageDetails image=image.clone() />
                <HeldNote id=image.id.clone() />
                <UseHeld image=image.clone() on_chosen />
                {controls}
                <ChooseButton image on_chosen />
            </div>
        </div>
    }
}

/// The image's details as a description list: caption, artist, collection, usage,
/// restrictions, release, credit, copyright, largest size and id, each where Getty says.
#[component]
fn ImageDetails(
    /// The image.
    image: SharedImage,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let size = image.dimensions().map(|(width, height)| {
        i18n.with(|s| {
            fill(
                &s.size_value,
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                ],
            )
        })
    });
    let allowed = &image.allowed_use;
    let details = [
        (i18n.text(|s| &s.caption), image.caption.clone()),
        (i18n.text(|s| &s.artist), image.artist.clone()),
        (i18n.text(|s| &s.collection), image.collection_name.clone()),
        (i18n.text(|s| &s.usage), allowed.how_can_i_use_it.clone()),
        (i18n.text(|s| &s.restrictions), allowed.restrictions()),
        (i18n.text(|s| &s.release), allowed.release()),
        (i18n.text(|s| &s.credit), Some(image.credit_line())),
        (i18n.text(|s| &s.copyright), image.copyright.clone()),
        (i18n.text(|s| &s.max_size), size),
        ("ID".to_owned(), Some(image.id.clone())),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some(view! { <dt>{label}</dt><dd>{value?}</dd> }))
    .collect_view();
    view! { <dl>{details}</dl> }
}
