//! The picker's components, one per file. They stay thin: logic lives in `state`, `getty`,
//! `http`, `i18n` and `grid`.

mod card;
mod download;
mod filters;
mod picker;
mod preview;
mod result_grid;
mod search_bar;
mod status;

pub use card::Card;
pub use download::{Delivery, DownloadControls, DownloadState};
pub use filters::FilterBar;
pub use picker::Picker;
pub use preview::Preview;
pub use result_grid::ResultGrid;
pub use search_bar::SearchBar;
pub use status::Status;

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::http::GettyClient;
use crate::i18n::{Strings, Text};

/// The picker's Getty client, shared with every component through context.
pub type ClientHandle = StoredValue<GettyClient, LocalStorage>;

/// The picker's UI texts, shared with every component through context.
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
    first: Signal<Option<String>>,
}

impl GridFocus {
    /// Focus bookkeeping for a grid whose first card is `first`.
    pub fn new(first: Signal<Option<String>>) -> Self {
        Self {
            active: RwSignal::new(None),
            first,
        }
    }

    /// Whether the card `id` is the grid's tab stop: the last focused card, else the first.
    pub fn is_target(&self, id: &str) -> bool {
        match self.active.get() {
            Some(active) => active == id,
            None => self.first.with(|first| first.as_deref() == Some(id)),
        }
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
    root: NodeRef<Div>,
}

impl PreviewRequest {
    /// A closed preview inside the picker whose root element is `root`.
    pub fn new(root: NodeRef<Div>) -> Self {
        Self {
            current: RwSignal::new(None),
            root,
        }
    }

    /// Opens the preview of the card whose download state is `download`.
    pub fn open(&self, download: DownloadState) {
        self.current.set(Some(download));
    }

    /// Closes the preview and puts focus back on its card.
    pub fn close(&self) {
        let Some(download) = self.current.get_untracked() else {
            return;
        };
        self.current.set(None);
        let id = download.image.with_value(|image| image.id.clone());
        let card = self.root.get_untracked().and_then(|root| {
            root.query_selector(&format!(".gp-card[data-id=\"{}\"]", css_escape(&id)))
                .ok()
                .flatten()
        });
        if let Some(card) = card.and_then(|card| card.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = card.focus();
        }
    }
}

/// Escapes `"` and `\` for use inside a quoted CSS attribute selector.
fn css_escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}
