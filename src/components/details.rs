//! The details panel: the one place that licenses. Opened from a card (click, Enter, Space), a
//! strip of neighbours, or at mount for one image (`data-open-image`); beside the grid on a
//! wide picker, over the page on a narrow one. It shows one image at a time: a large preview,
//! what Getty says of it, the licensing controls, "More like this" and "Same series".

use leptos::either::Either;
use leptos::ev::KeyboardEvent;
use leptos::html::{Button, Section};
use leptos::prelude::*;

use crate::components::context;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, ResizeObserver};

use super::download::focus_later;
use super::result_grid::direction_of;
use super::{
    ChooseButton, Client, DownloadControls, DownloadState, Downloads, GridFocus, HeldNote, I18n,
    Results, RoleOnly, SearchBox, SearchId, SharedImage, Strip, UseHeld,
};
use crate::account::Account;
use crate::embed::{ErrorKind, Host};
use crate::getty::url::is_http_url;
use crate::getty::{Day, Neighbours};
use crate::grid::{frame_ratio, Direction};
use crate::i18n::fill;
use crate::library::Library;

/// The narrowest picker (in CSS pixels) that shows the details beside the grid; a narrower one
/// shows them over the page.
const SIDE_BY_SIDE: i32 = 720;

/// What the details panel shows.
#[derive(Clone)]
pub enum Shown {
    /// An image opened at mount whose details are on their way from Getty; its id.
    Loading(String),
    /// An image opened at mount that could not be shown; the message says why.
    Failed(String),
    /// An image.
    Image(SharedImage),
}

/// Opens, moves and closes the details panel; cheap to copy.
#[derive(Clone, Copy)]
pub struct Details {
    shown: RwSignal<Option<Shown>>,
    /// The grid's card the panel belongs to: where Esc returns focus, from where the arrow keys
    /// step (an image opened from a strip keeps the card it was reached from).
    from: StoredValue<Option<String>>,
    /// Whether the picker is wide enough to show the panel beside the grid.
    wide: RwSignal<bool>,
    results: Results,
    focus: GridFocus,
    search_box: SearchBox,
}

impl Details {
    /// A closed panel for the picker being built, closed again whenever a new search starts.
    pub fn new(
        search: SearchId,
        results: Results,
        focus: GridFocus,
        search_box: SearchBox,
    ) -> Self {
        let details = Self {
            shown: RwSignal::new(None),
            from: StoredValue::new(None),
            wide: RwSignal::new(true),
            results,
            focus,
            search_box,
        };
        search.on_change(move || details.dismiss());
        details
    }

    /// What the panel shows, if it is open (untracked).
    pub fn shown(&self) -> Option<Shown> {
        self.shown.try_get_untracked().flatten()
    }

    /// Shows `image`, opened by the editor from the grid's card `from` (none: from a strip,
    /// keeping the card it was reached from).
    pub fn open(&self, image: SharedImage, from: Option<&str>) {
        if let Some(from) = from {
            self.from.set_value(Some(from.to_owned()));
        }
        self.shown.set(Some(Shown::Image(image)));
    }

    /// Shows `image`, whose card the keyboard moved to, if the panel is open.
    pub fn follow(&self, image: SharedImage) {
        if self.shown.with_untracked(Option::is_some) {
            self.from.set_value(Some(image.id.clone()));
            self.shown.set(Some(Shown::Image(image)));
        }
    }

    /// Shows the image `by` places after (or before) the card the panel belongs to; false if
    /// there is none. The grid's tab stop moves along, so Esc returns focus to its card.
    pub fn step(&self, by: isize) -> bool {
        let images = self.results.images();
        let Some(index) = self.from.with_value(|from| {
            images
                .iter()
                .position(|image| Some(&image.id) == from.as_ref())
        }) else {
            return false;
        };
        let Some(image) = index
            .checked_add_signed(by)
            .and_then(|index| images.get(index))
        else {
            return false;
        };
        self.focus.set(&image.id);
        self.from.set_value(Some(image.id.clone()));
        self.shown.set(Some(Shown::Image(image.clone())));
        true
    }

    /// Whether there is an image `by` places from the one the panel belongs to (tracked).
    fn can_step(&self, by: isize) -> bool {
        self.shown.track();
        let from = self.from.get_value();
        self.results.0.with(|state| {
            let images = state.images();
            images
                .iter()
                .position(|image| Some(&image.id) == from.as_ref())
                .and_then(|index| index.checked_add_signed(by))
                .is_some_and(|index| index < images.len())
        })
    }

    /// Closes the panel and puts focus back on the card it belongs to, or on the search box
    /// when it has none (an image opened at mount) or its search was replaced.
    pub fn close(&self) {
        if self.shown.try_set(None).is_some() {
            return;
        }
        let card = self
            .from
            .try_update_value(Option::take)
            .flatten()
            .and_then(|id| self.focus.card(&id));
        match card {
            Some(card) => {
                let _ = card.focus();
            }
            None => self.search_box.focus(),
        }
    }

    /// Closes the panel because a new search replaced the cards; focus goes to the search box,
    /// where the new search came from.
    fn dismiss(&self) {
        self.from.set_value(None);
        if self.shown.with_untracked(Option::is_some) {
            self.shown.set(None);
            self.search_box.focus();
        }
    }

    /// Whether the panel is open beside the grid (tracked).
    pub fn beside(&self) -> bool {
        self.wide.get() && self.shown.with(Option::is_some)
    }

    /// Follows the width of `stage` (the picker's root): beside the grid from
    /// [`SIDE_BY_SIDE`] pixels, over the page below.
    pub fn watch_width(&self, stage: &HtmlElement) {
        let wide = self.wide;
        let measured = stage.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            let now = measured.client_width() >= SIDE_BY_SIDE;
            if wide.try_get_untracked() != Some(now) {
                wide.try_set(now);
            }
        });
        let Ok(observer) = ResizeObserver::new(callback.as_ref().unchecked_ref()) else {
            return;
        };
        observer.observe(stage);
        let kept = StoredValue::new_local(Some((observer, callback)));
        on_cleanup(move || {
            if let Some((observer, callback)) = kept.try_update_value(Option::take).flatten() {
                observer.disconnect();
                // Dropped only after disconnecting: the observer may not call it any more.
                drop(callback);
            }
        });
    }
}

/// Opens image `id`'s details as the picker mounts (`data-open-image`): asks Getty for the image
/// (and the host's library whether it holds it) and shows it with its licensing controls, as if
/// the editor had opened its card; closing it leaves the empty picker.
pub fn open_at_mount(id: String) {
    let (details, client) = (context::<Details>(), context::<Client>());
    let (i18n, host) = (context::<I18n>(), context::<Host>());
    let fetch = Action::new_local(move |id: &String| {
        let (client, id) = (client.get_value(), id.clone());
        async move {
            let outcome = client.image(&id).await;
            // Only while the editor still waits for it: a search started meanwhile closed it.
            let waiting = details
                .shown
                .try_with_untracked(|shown| matches!(shown, Some(Shown::Loading(_))));
            if waiting != Some(true) {
                return;
            }
            let shown = match outcome {
                Ok(image) => Shown::Image(image.into()),
                Err(error) => {
                    host.failed(ErrorKind::Image, &error);
                    let message = i18n.with(|s| s.error(&error));
                    Shown::Failed(
                        i18n.with(|s| fill(&s.image_failed, &[("id", &id), ("message", &message)])),
                    )
                }
            };
            details.shown.set(Some(shown));
        }
    });
    details.shown.set(Some(Shown::Loading(id.clone())));
    context::<Library>().ask(vec![id.clone()]);
    fetch.dispatch_local(id);
}

/// The details panel while it is open; nothing while it is closed.
#[component]
pub fn DetailsPanel() -> impl IntoView {
    let details = context::<Details>();
    // The frame is built once per opening, so focus on its buttons stays while the image changes.
    let open = Memo::new(move |_| details.shown.with(Option::is_some));
    move || open.get().then(|| view! { <Panel details /> })
}

/// The open panel: its bar (previous, next, close) and what it shows.
#[component]
fn Panel(
    /// The panel's state.
    details: Details,
) -> impl IntoView {
    let i18n = context::<I18n>();
    let (panel, close) = (NodeRef::<Section>::new(), NodeRef::<Button>::new());
    // Focus moves into the panel when it opens, so Esc and Tab work from the start.
    focus_later(close);
    let label = Memo::new(move |_| {
        details.shown.with(|shown| match shown {
            Some(Shown::Image(image)) => image
                .title
                .clone()
                .unwrap_or_else(|| i18n.text(|s| &s.untitled)),
            Some(Shown::Loading(id)) => i18n.with(|s| fill(&s.opening_image, &[("id", id)])),
            Some(Shown::Failed(text)) => text.clone(),
            None => String::new(),
        })
    });
    let step = move |by: isize| {
        if details.step(by) {
            keep_focus_in(panel, close);
        }
    };
    let on_keydown = move |event: KeyboardEvent| match event.key().as_str() {
        "Escape" => {
            // Only the topmost layer closes: the host's own dialogs must not see this Esc.
            event.stop_propagation();
            event.prevent_default();
            details.close();
        }
        key @ ("ArrowLeft" | "ArrowRight") if !in_a_field(&event) => {
            let rtl = panel
                .get_untracked()
                .is_some_and(|panel| direction_of(&panel) == Direction::Rtl);
            event.prevent_default();
            step(if (key == "ArrowRight") != rtl { 1 } else { -1 });
        }
        _ => {}
    };
    let wide = details.wide;
    view! {
        <section
            class="gp-panel"
            class:gp-panel-side=move || wide.get()
            class:gp-panel-overlay=move || !wide.get()
            node_ref=panel
            role="dialog"
            // Beside the grid the rest of the picker stays usable; over the page it does not.
            aria-modal=move || (!wide.get()).to_string()
            aria-label=label
            on:keydown=on_keydown
        >
            <div class="gp-panel-bar">
                // `aria-disabled`, not `disabled`, at either end: the button keeps the keyboard
                // focus (Esc still reaches the panel) and says there is nothing that way.
                <button
                    class="gp-panel-step"
                    type="button"
                    aria-label=i18n.text(|s| &s.previous_image)
                    aria-disabled=move || (!details.can_step(-1)).then_some("true")
                    on:click=move |_| step(-1)
                >
                    <span class="gp-panel-arrow" aria-hidden="true">"‹"</span>
                </button>
                <button
                    class="gp-panel-step"
                    type="button"
                    aria-label=i18n.text(|s| &s.next_image)
                    aria-disabled=move || (!details.can_step(1)).then_some("true")
                    on:click=move |_| step(1)
                >
                    <span class="gp-panel-arrow" aria-hidden="true">"›"</span>
                </button>
                <button
                    class="gp-panel-close"
                    type="button"
                    node_ref=close
                    on:click=move |_| details.close()
                >
                    {i18n.text(|s| &s.preview_close)}
                </button>
            </div>
            {move || {
                details.shown.get().map(|shown| {
                    let (text, alert) = match shown {
                        Shown::Image(image) => {
                            return Either::Left(view! { <ImageDetails image details /> })
                        }
                        Shown::Loading(_) => (label.get_untracked(), false),
                        Shown::Failed(text) => (text, true),
                    };
                    Either::Right(view! {
                        <p
                            class="gp-panel-status"
                            class:gp-error=alert
                            role=alert.then_some("alert")
                        >
                            {text}
                        </p>
                    })
                })
            }}
        </section>
    }
}

/// Whether a key went to a form field, whose own arrow keys they are (a radio group, a text).
fn in_a_field(event: &KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
        })
}

/// After the panel moved to another image, focus stays in it: on the close button if the
/// element that had it went with the image before.
fn keep_focus_in(panel: NodeRef<Section>, close: NodeRef<Button>) {
    set_timeout(
        move || {
            let Some(Some(panel)) = panel.try_get_untracked() else {
                return;
            };
            let active = panel
                .get_root_node()
                .dyn_into::<web_sys::ShadowRoot>()
                .ok()
                .and_then(|root| root.active_element());
            let inside = active.is_some_and(|active| panel.contains(Some(&active)));
            if !inside {
                if let Some(Some(close)) = close.try_get_untracked() {
                    let _ = close.focus();
                }
            }
        },
        std::time::Duration::ZERO,
    );
}

/// One image's details: a large preview, what Getty says of it, the licensing controls (none
/// for an editor whose role is to choose), and its neighbours.
#[component]
fn ImageDetails(
    /// The image.
    image: SharedImage,
    /// The panel, closed once the image is handed to the host.
    details: Details,
) -> impl IntoView {
    let (i18n, account) = (context::<I18n>(), context::<Account>());
    let (downloads, RoleOnly(role_only)) = (context::<Downloads>(), context());
    let title = image
        .title
        .clone()
        .unwrap_or_else(|| i18n.text(|s| &s.untitled));
    let picture = ["comp", "preview", "thumb"]
        .into_iter()
        .find_map(|size| image.display_uri(size).filter(|uri| is_http_url(uri)))
        .map(|uri| {
            view! {
                <img
                    class="gp-panel-image"
                    src=uri.to_owned()
                    alt=title.clone()
                    // Sized before the picture arrives: nothing below it moves.
                    style=("--gp-ratio", frame_ratio(image.dimensions()))
                />
            }
        });
    let caption = image
        .caption
        .clone()
        .map(|caption| view! { <p class="gp-panel-caption">{caption}</p> });
    // Read once: the token that searched already said whether this editor may license.
    let controls = (!role_only.get_untracked()).then(|| {
        let licences = Signal::derive(move || account.licences());
        let state = DownloadState::new(image.clone(), downloads.entry(&image.id), licences);
        view! { <DownloadControls state /> }
    });
    let on_chosen = Callback::new(move |()| details.close());
    let strips = Neighbours::ALL
        .into_iter()
        .filter(|kind| kind.applies_to(image.asset_family.as_deref()))
        .map(|kind| view! { <Strip kind image=image.clone() /> })
        .collect_view();
    view! {
        <div class="gp-panel-picture">{picture}</div>
        <h2 class="gp-panel-title">{title}</h2>
        {caption}
        <Facts image=image.clone() />
        <HeldNote id=image.id.clone() />
        <UseHeld image=image.clone() on_chosen />
        {controls}
        <ChooseButton image on_chosen />
        {strips}
    }
}

/// What Getty says of the image, as a description list: credit, artist, collection, date, id,
/// use, restrictions, release, copyright and largest size, each where Getty says.
#[component]
fn Facts(
    /// The image.
    image: SharedImage,
) -> impl IntoView {
    let i18n = context::<I18n>();
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
    let date = image
        .date_created
        .as_deref()
        .and_then(Day::parse)
        .map(|day| i18n.with(|s| s.date(day)));
    let allowed = &image.allowed_use;
    let facts = [
        (i18n.text(|s| &s.credit), Some(image.credit_line())),
        (i18n.text(|s| &s.artist), image.artist.clone()),
        (i18n.text(|s| &s.collection), image.collection_name.clone()),
        (i18n.text(|s| &s.date), date),
        ("ID".to_owned(), Some(image.id.clone())),
        (i18n.text(|s| &s.usage), allowed.how_can_i_use_it.clone()),
        (i18n.text(|s| &s.restrictions), allowed.restrictions()),
        (i18n.text(|s| &s.release), allowed.release()),
        (i18n.text(|s| &s.copyright), image.copyright.clone()),
        (i18n.text(|s| &s.max_size), size),
    ]
    .into_iter()
    .filter_map(|(label, value)| Some(view! { <dt>{label}</dt><dd>{value?}</dd> }))
    .collect_view();
    view! { <dl class="gp-panel-facts">{facts}</dl> }
}
