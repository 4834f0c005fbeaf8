//! The picker's components, one per file: functions that build their elements with [`crate::dom`]
//! and bind them to Leptos signals. They stay thin: logic lives in `state`, `getty`, `http`,
//! `i18n` and `grid`.

mod card;
mod download;
mod filters;
mod picker;
mod preview;
mod result_grid;
mod search_bar;
mod status;

pub use card::card;
pub use download::{download_controls, Delivery, DownloadState};
pub use filters::filter_bar;
pub use picker::picker;
pub use preview::preview;
pub use result_grid::result_grid;
pub use search_bar::search_bar;
pub use status::status;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::embed::Host;
use crate::http::GettyClient;
use crate::i18n::{Strings, Text};
use crate::state::SearchState;

/// What every component of one picker shares, handed down explicitly; cheap to copy into
/// handlers. (Explicit rather than Leptos context: it is a handful of handles known when the
/// picker is built, and context lookups cost a type-keyed map in the bundle.)
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Talks to the token backend and Getty.
    pub client: ClientHandle,
    /// The UI texts.
    pub i18n: I18n,
    /// Which card is the grid's tab stop.
    pub focus: GridFocus,
    /// The preview's open/close requests.
    pub preview: PreviewRequest,
    /// The page around the picker.
    pub host: Host,
}

/// The picker's Getty client.
pub type ClientHandle = StoredValue<GettyClient, LocalStorage>;

/// The picker's UI texts.
#[derive(Debug, Clone, Copy)]
pub struct I18n(StoredValue<Strings>);

impl I18n {
    /// Shares `strings` with the components.
    pub fn new(strings: Strings) -> Self {
        Self(StoredValue::new(strings))
    }

    /// One text, e.g. `i18n.text(|s| &s.download)`.
    pub fn text(self, pick: fn(&Strings) -> &Text) -> String {
        self.0.with_value(|strings| pick(strings).to_string())
    }

    /// Runs `f` with the texts.
    pub fn with_value<R>(self, f: impl FnOnce(&Strings) -> R) -> R {
        self.0.with_value(f)
    }

    /// Runs `f` with the texts, unless the picker is gone.
    pub fn try_with_value<R>(self, f: impl FnOnce(&Strings) -> R) -> Option<R> {
        self.0.try_with_value(f)
    }
}

/// Which card holds the grid's single tab stop (roving tabindex).
#[derive(Debug, Clone, Copy)]
pub struct GridFocus {
    active: RwSignal<Option<String>>,
    /// The first card's id: a memo, so cards' bindings do not re-run on every page.
    first: Memo<Option<String>>,
}

impl GridFocus {
    /// Focus bookkeeping for the grid of `state`'s images.
    pub fn new(state: RwSignal<SearchState>) -> Self {
        Self {
            active: RwSignal::new(None),
            first: Memo::new(move |_| {
                state.with(|state| state.images().first().map(|image| image.id.clone()))
            }),
        }
    }

    /// Whether the card `id` is the grid's tab stop: the last focused card, else the first.
    pub fn is_target(&self, id: &str) -> bool {
        self.active.with(|active| match active {
            Some(active) => active == id,
            None => self.first.with(|first| first.as_deref() == Some(id)),
        })
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

/// Opens and closes the preview, returning focus to the card it was opened from.
#[derive(Debug, Clone, Copy)]
pub struct PreviewRequest {
    /// The image being previewed, with its shared download state.
    pub current: RwSignal<Option<DownloadState>>,
    root: StoredValue<Option<Element>, LocalStorage>,
}

impl Default for PreviewRequest {
    fn default() -> Self {
        Self::new()
    }
}

impl PreviewRequest {
    /// A closed preview; [`Self::set_root`] tells it where the cards are.
    pub fn new() -> Self {
        Self {
            current: RwSignal::new(None),
            root: StoredValue::new_local(None),
        }
    }

    /// The picker's root element, where the cards to return focus to are.
    pub fn set_root(&self, root: &Element) {
        self.root.set_value(Some(root.clone()));
    }

    /// Opens the preview of the card whose download state is `download`.
    pub fn open(&self, download: DownloadState) {
        self.current.set(Some(download));
    }

    /// Closes the preview because its card is gone (a new search replaced the results). Focus
    /// was in the dialog, so it goes to the search box, where the new search came from.
    pub fn dismiss(&self) {
        if self.current.with_untracked(Option::is_some) {
            self.current.set(None);
            self.focus(".gp-search-input");
        }
    }

    /// Closes the preview and puts focus back on its card.
    pub fn close(&self) {
        let Some(download) = self.current.get_untracked() else {
            return;
        };
        self.current.set(None);
        if let Some(id) = download.image.try_with_value(|image| image.id.clone()) {
            self.focus(&format!(".gp-card[data-id=\"{}\"]", css_escape(&id)));
        }
    }

    /// Focuses the picker's element that `selector` finds, if any.
    fn focus(&self, selector: &str) {
        let found = self
            .root
            .get_value()
            .and_then(|root| root.query_selector(selector).ok().flatten())
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = found {
            let _ = element.focus();
        }
    }
}

/// Escapes `"` and `\` for use inside a quoted CSS attribute selector.
fn css_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}
