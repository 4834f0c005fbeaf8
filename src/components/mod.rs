//! The picker's Leptos components, one per file (`#[component]` + `view!`). They stay thin:
//! logic lives in `state`, `getty`, `http`, `i18n` and `grid`. [`Picker`] provides one context
//! per concern (the texts [`I18n`], the [`Client`], the [`GridFocus`], the [`PreviewRequest`],
//! the [`Host`](crate::embed::Host), the [`Account`](crate::account::Account), the
//! [`Library`](crate::library::Library), the [`RoleOnly`] flag and the [`SearchBox`]);
//! each component reads only those it needs.

mod card;
mod choose;
pub mod download;
mod filters;
mod picker;
mod preview;
mod result_grid;
mod search_bar;
mod searches;
mod status;

pub use card::Card;
pub use choose::{ChooseButton, HeldNote, UseHeld};
pub use download::{Confirm, Delivery, DownloadControls, DownloadState, History, Intent};
pub use filters::FilterBar;
pub use picker::Picker;
pub use preview::Preview;
pub use result_grid::ResultGrid;
pub use search_bar::SearchBar;
pub use status::Status;

use std::sync::Arc;

use leptos::html::{Input, Ul};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::getty::Image;
use crate::http::GettyClient;
use crate::i18n::{Strings, Text};
use crate::state::SearchState;

/// The picker's client of the token backend and Getty, as a context.
pub type Client = StoredValue<GettyClient, LocalStorage>;

/// Whether the editor may only choose images (their role), as a context: then no download
/// controls. Set from each search's token.
#[derive(Debug, Clone, Copy)]
pub struct RoleOnly(pub RwSignal<bool>);

/// The search box, as a context: where focus goes when the preview is dismissed by a new search.
/// Its element is the drawn [`SearchBar`]'s, or the entry module's box the picker took over.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchBox(pub NodeRef<Input>);

impl SearchBox {
    /// Focuses the search box, if it is there.
    pub fn focus(self) {
        if let Some(input) = self.0.get_untracked() {
            let _ = input.focus();
        }
    }
}

/// The picker's UI texts.
#[derive(Debug, Clone, Copy)]
pub struct I18n(StoredValue<Strings, LocalStorage>);

impl I18n {
    /// Shares `strings` with the components.
    pub fn new(strings: Strings) -> Self {
        Self(StoredValue::new_local(strings))
    }

    /// One text, e.g. `i18n.text(|s| &s.download)`.
    pub fn text(self, pick: fn(&Strings) -> &Text) -> String {
        self.0
            .try_with_value(|strings| pick(strings).to_string())
            .unwrap_or_default()
    }

    /// Runs `f` with the texts; `R::default()` once the picker is gone.
    pub fn with<R: Default>(self, f: impl FnOnce(&Strings) -> R) -> R {
        self.0.try_with_value(f).unwrap_or_default()
    }
}

/// Which card holds the grid's single tab stop (roving tabindex).
#[derive(Debug, Clone, Copy)]
pub struct GridFocus {
    /// The grid whose children are the cards.
    grid: NodeRef<Ul>,
    active: RwSignal<Option<String>>,
    /// The first card's id: a memo, so cards' bindings do not re-run on every page.
    first: Memo<Option<String>>,
}

impl GridFocus {
    /// Focus bookkeeping for the grid of `state`'s images.
    pub fn new(state: RwSignal<SearchState>) -> Self {
        Self {
            grid: NodeRef::new(),
            active: RwSignal::new(None),
            first: Memo::new(move |_| {
                state.with(|state| state.images().first().map(|image| image.id.clone()))
            }),
        }
    }

    /// The id of the card that is the grid's tab stop: the last focused card, else the first.
    pub fn target(&self) -> Option<String> {
        self.active.get().or_else(|| self.first.get())
    }

    /// The id of the grid's first card, if any.
    pub fn first_card(&self) -> Memo<Option<String>> {
        self.first
    }

    /// The grid's element, for the grid to bind (`node_ref`).
    pub fn grid(&self) -> NodeRef<Ul> {
        self.grid
    }

    /// The grid's card showing the image `id`: the grid's child with that `data-id`.
    pub fn card(&self, id: &str) -> Option<HtmlElement> {
        let selector = format!(":scope > [data-id=\"{}\"]", css_escape(id));
        self.grid
            .get_untracked()?
            .query_selector(&selector)
            .ok()
            .flatten()?
            .dyn_into::<HtmlElement>()
            .ok()
    }

    /// Records that the card `id` has focus.
    pub fn set(&self, id: &str) {
        if self
            .active
            .with_untracked(|active| active.as_deref() != Some(id))
        {
            self.active.set(Some(id.to_owned()));
        }
    }

    /// Forgets the focused card, for a new search.
    pub fn reset(&self) {
        self.active.set(None);
    }
}

/// What the preview shows.
#[derive(Clone)]
pub enum Previewed {
    /// An image opened at mount (`data-open-image`) whose details are on their way from Getty.
    Loading(String),
    /// An image opened at mount that could not be shown; the message says why.
    Failed(String),
    /// An image, with its shared download state.
    Shown(DownloadState),
}

/// Opens and closes the preview, returning focus to the card it was opened from.
#[derive(Debug, Clone, Copy)]
pub struct PreviewRequest {
    /// What is being previewed, if anything.
    pub current: RwSignal<Option<Previewed>>,
}

impl std::fmt::Debug for Previewed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Loading(_) => "Loading",
            Self::Failed(_) => "Failed",
            Self::Shown(_) => "Shown",
        })
    }
}

impl Default for PreviewRequest {
    fn default() -> Self {
        Self::new()
    }
}

impl PreviewRequest {
    /// A closed preview.
    pub fn new() -> Self {
        Self {
            current: RwSignal::new(None),
        }
    }

    /// Opens the preview of the image whose download state is `download`.
    pub fn show(&self, download: DownloadState) {
        self.current.set(Some(Previewed::Shown(download)));
    }

    /// Closes the preview because its card is gone (a new search replaced the results). Focus
    /// was in the dialog, so it goes to the search box, where the new search came from.
    pub fn dismiss(&self, search_box: SearchBox) {
        if self.current.with_untracked(Option::is_some) {
            self.current.set(None);
            search_box.focus();
        }
    }

    /// Closes the preview and puts focus back on its card, or on the search box for an image
    /// that has no card (one opened at mount).
    pub fn close(&self, search_box: SearchBox) {
        let Some(previewed) = self.current.get_untracked() else {
            return;
        };
        self.current.set(None);
        // The card may be gone by now (its search replaced).
        let card = match previewed {
            Previewed::Shown(download) => download.card.try_get_untracked().flatten(),
            _ => None,
        };
        match card {
            Some(card) => {
                let _ = card.focus();
            }
            None => search_box.focus(),
        }
    }
}

/// An image shared by its card, its preview and the result list without copying it.
pub type SharedImage = Arc<Image>;

/// Escapes `"` and `\` for use inside a quoted CSS attribute selector.
pub(crate) fn css_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}
