//! The picker's Leptos components, one per file (`#[component]` + `view!`). They stay thin:
//! logic lives in `state`, `getty`, `http`, `i18n` and `grid`. [`Picker`] provides one context
//! per concern (the texts [`I18n`], the [`Client`], the [`SearchId`], the [`Results`], the
//! [`GridFocus`], the [`Details`], the [`Host`](crate::embed::Host), the
//! [`Account`](crate::account::Account), the [`Library`](crate::library::Library), the
//! [`Downloads`], the [`Marks`](crate::marks::Marks), the [`RoleOnly`] flag and the [`SearchBox`]); each component
//! reads only those it needs.

mod card;
mod choose;
mod details;
pub mod download;
mod filters;
mod neighbours;
mod per_search;
mod picker;
mod result_grid;
mod search_bar;
mod searches;
mod status;

pub use card::Card;
pub use choose::{ChooseButton, HeldNote, UseHeld};
pub use details::{Details, DetailsPanel, Shown};
pub use download::{
    Confirm, Delivery, DownloadControls, DownloadState, Downloads, History, Intent,
};
pub use filters::FilterBar;
pub use neighbours::Strip;
pub use per_search::{PerSearch, SearchId};
pub use picker::Picker;
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

/// The context of type `T`, which `Picker` provides before it builds any component.
///
/// Not Leptos' `expect_context`: its panic message formats the caller's location and the type's
/// name with `{:?}`, one copy per type, which brings `str`'s escaping for `Debug` and its
/// Unicode tables into the bundle (about 10 KB of the wasm for the picker's contexts). A missing
/// context is a mistake in the picker itself, which the crash notice reports either way.
pub fn context<T: Clone + 'static>() -> T {
    use_context::<T>().unwrap_or_else(|| missing_context())
}

#[cold]
#[inline(never)]
fn missing_context() -> ! {
    panic!("getty-picker: a context the picker provides is missing")
}

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

/// The search shown, as a context: its state, for the components that page through it (the
/// details panel's previous and next image).
#[derive(Debug, Clone, Copy)]
pub struct Results(pub RwSignal<SearchState>);

impl Results {
    /// The images shown, in grid order (untracked).
    pub fn images(&self) -> Vec<SharedImage> {
        self.0
            .try_with_untracked(|state| state.images().to_vec())
            .unwrap_or_default()
    }
}

/// Which card holds the grid's single tab stop (roving tabindex).
#[derive(Debug, Clone, Copy)]
pub struct GridFocus {
    /// The grid whose children are the cards.
    grid: NodeRef<Ul>,
    active: RwSignal<Option<String>>,
    /// The first card's id: a memo, so the tab stop moves only when it changes.
    first: Memo<Option<String>>,
}

impl GridFocus {
    /// Focus bookkeeping for the grid of `state`'s images, forgotten with each new search.
    pub fn new(state: RwSignal<SearchState>, search: SearchId) -> Self {
        let focus = Self {
            grid: NodeRef::new(),
            active: RwSignal::new(None),
            first: Memo::new(move |_| {
                state.with(|state| state.images().first().map(|image| image.id.clone()))
            }),
        };
        search.on_change(move || focus.active.set(None));
        focus
    }

    /// The id of the card that is the grid's tab stop: the last focused card, else the first.
    pub fn target(&self) -> Option<String> {
        self.active.get().or_else(|| self.first.get())
    }

    /// Whether the card of image `id` is the grid's tab stop now (untracked): what a card
    /// starts with, before the effect that moves the tab stop has seen it.
    pub fn is_target(&self, id: &str) -> bool {
        untrack(|| self.target()).as_deref() == Some(id)
    }

    /// The grid's element, for the grid to bind (`node_ref`).
    pub fn grid(&self) -> NodeRef<Ul> {
        self.grid
    }

    /// The focusable part of the grid's card showing the image `id` (its button).
    pub fn card(&self, id: &str) -> Option<HtmlElement> {
        let selector = format!(":scope > [data-id=\"{}\"] > button", css_escape(id));
        self.grid
            .get_untracked()?
            .query_selector(&selector)
            .ok()
            .flatten()?
            .dyn_into::<HtmlElement>()
            .ok()
    }

    /// Records that the card `id` has focus (or, for the details panel, is the one shown).
    pub fn set(&self, id: &str) {
        if self
            .active
            .with_untracked(|active| active.as_deref() != Some(id))
        {
            self.active.set(Some(id.to_owned()));
        }
    }
}

/// An image shared by its card, its preview and the result list without copying it.
pub type SharedImage = Arc<Image>;

/// Escapes `"` and `\` for use inside a quoted CSS attribute selector.
pub(crate) fn css_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}
