//! The host's library (`data-library-url`): which images on screen the CMS already holds, asked
//! once per page of results, so that their cards say "In your library" and offer "Use it"
//! (spending nothing) rather than a new download.
//!
//! The question is `GET <library-url>?ids=<id>,<id>,…` with the page's cookies; the answer is
//! `{"held": {"<id>": {…}}}`, whose entries are the host's own objects, handed back to it in the
//! `getty-picker:use` event. Anything else is one console warning and no marks: the search
//! never depends on the library.

use js_sys::{Array, Object, Reflect, JSON};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal};

use crate::components::SearchId;
use crate::getty::url::encode_component;
use crate::getty::Service;
use crate::marks::Marks;
use crate::transport::ask_library;

/// The most ids one question names (the host may cap its query; a page holds at most 100).
pub const MAX_IDS: usize = 100;

/// `url` with `ids=<id1>,<id2>,…` added to its query (each id encoded, the commas not).
pub fn library_url(url: &str, ids: &[String]) -> String {
    let (base, fragment) = url.split_once('#').unwrap_or((url, ""));
    let separator = match base.chars().last() {
        _ if !base.contains('?') => "?",
        Some('?' | '&') => "",
        _ => "&",
    };
    let ids: Vec<String> = ids.iter().map(|id| encode_component(id)).collect();
    let mut out = format!("{base}{separator}ids={}", ids.join(","));
    if !fragment.is_empty() {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// What the host says about one image it holds: the two keys the card may show, and the
/// whole entry (JSON text) for the host's own event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// When it was licensed (ISO 8601), if the host says.
    pub licensed_at: Option<String>,
    /// Under which product, if the host says.
    pub product: Option<String>,
    /// The host's entry as JSON text.
    pub entry: String,
}

/// One question to the library: the URL with its ids, the search it belongs to and that
/// search's abort signal.
#[derive(Clone)]
struct Question {
    url: String,
    ids: Vec<String>,
    search: u64,
    abort: Option<AbortSignal>,
}

/// One picker's library: what the host holds of the search shown. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Library {
    /// The `data-library-url`; none turns the feature off.
    url: StoredValue<Option<String>>,
    /// Where what the host holds goes: the marks of the search shown.
    marks: Marks,
    /// The search shown: an answer for another one is dropped.
    search: SearchId,
    /// Cancels the current search's questions when a new search starts.
    abort: StoredValue<Option<AbortController>, LocalStorage>,
    /// Asks the library; its answer goes into `marks`.
    ask: Action<Question, ()>,
}

impl Library {
    /// The library at `url` (none: the host has none), for the searches of `search`, marking
    /// what it holds in `marks`: a new search cancels the questions of the one before.
    pub fn new(url: Option<String>, search: SearchId, marks: Marks) -> Self {
        let ask = Action::new_local(move |question: &Question| {
            let question = question.clone();
            async move {
                let outcome = ask_library(&question.url, question.abort.as_ref())
                    .await
                    .map_err(|error| error.to_string())
                    .and_then(|json| read_answer(json, &question.ids));
                // Dropped once a newer search started, or the picker is gone.
                let current = search.try_get_untracked();
                if question.abort.as_ref().is_some_and(AbortSignal::aborted)
                    || current != Some(question.search)
                {
                    return;
                }
                match outcome {
                    Ok(held) => marks.add_held(held),
                    Err(problem) => web_sys::console::warn_1(&JsValue::from_str(&format!(
                        "getty-picker: {} ({}) could not be read, so no card is \
                         marked as held: {problem}",
                        Service::HostLibrary,
                        question.url
                    ))),
                }
            }
        });
        let library = Self {
            url: StoredValue::new(url),
            marks,
            search,
            abort: StoredValue::new_local(AbortController::new().ok()),
            ask,
        };
        search.on_change(move || library.new_search());
        library
    }

    /// A new search started: the questions of the one before are cancelled.
    fn new_search(&self) {
        self.cancel();
        self.abort.set_value(AbortController::new().ok());
    }

    /// Asks which of `ids` (new to the picker, from one page of results or the image opened at
    /// mount) the host holds; nothing if the host has no library or there is nothing new.
    pub fn ask(&self, ids: Vec<String>) {
        let Some(url) = self.url.get_value() else {
            return;
        };
        let search = self.search.get_untracked();
        let abort = self
            .abort
            .with_value(|abort| abort.as_ref().map(AbortController::signal));
        for chunk in ids.chunks(MAX_IDS) {
            self.ask.dispatch_local(Question {
                url: library_url(&url, chunk),
                ids: chunk.to_vec(),
                search,
                abort: abort.clone(),
            });
        }
    }

    /// What the host holds of image `id`, if anything (tracked: the card updates when the
    /// answer comes; see [`Marks`]).
    pub fn held(&self, id: &str) -> Option<Held> {
        self.marks.held(id)
    }

    /// [`Self::held`], untracked (for event handlers).
    pub fn held_untracked(&self, id: &str) -> Option<Held> {
        self.marks.held_untracked(id)
    }

    /// Cancels the questions under way, for a new search or unmounting.
    pub fn cancel(&self) {
        // try_: also called as the picker is cleaned up.
        if let Some(Some(controller)) = self.abort.try_update_value(Option::take) {
            controller.abort();
        }
    }
}

/// Reads the library's parsed answer, `{"held": {"<id>": {…}}}`: the entries for the `asked`
/// ids, each with its JSON. Read straight off the browser's objects (they are handed back to
/// the host as they are, and this shape needs no serde code in the bundle); any other shape,
/// an entry that is not an object included, is refused whole.
fn read_answer(json: JsValue, asked: &[String]) -> Result<Vec<(String, Held)>, String> {
    let is_object = |value: &JsValue| value.is_object() && !Array::is_array(value);
    let held = Reflect::get(&json, &JsValue::from_str("held"))
        .ok()
        .filter(|held| is_object(&json) && is_object(held))
        .ok_or("expected {\"held\": {\"<id>\": {…}}}")?;
    let mut found = Vec::new();
    for key in Object::keys(held.unchecked_ref::<Object>()).iter() {
        let entry = Reflect::get(&held, &key).unwrap_or_default();
        if !is_object(&entry) {
            return Err("each entry of \"held\" must be an object".to_owned());
        }
        let Some(id) = key.as_string().filter(|id| asked.contains(id)) else {
            continue;
        };
        // Only text is shown, and only text that says something.
        let text = |name: &str| {
            Reflect::get(&entry, &JsValue::from_str(name))
                .ok()
                .and_then(|value| value.as_string())
                .filter(|text| !text.trim().is_empty())
        };
        let held = Held {
            licensed_at: text("licensed_at"),
            product: text("product"),
            entry: JSON::stringify(&entry)
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_else(|| "{}".to_owned()),
        };
        found.push((id, held));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_comma_separated_after_any_query() {
        let ids = ["83454804".to_owned(), "a b".to_owned()];
        assert_eq!(
            library_url("/getty-picker/library/", &ids),
            "/getty-picker/library/?ids=83454804,a%20b"
        );
        assert_eq!(
            library_url("https://cms.example.com/lib?site=2#x", &ids[..1]),
            "https://cms.example.com/lib?site=2&ids=83454804#x"
        );
        assert_eq!(library_url("/lib?", &ids[..1]), "/lib?ids=83454804");
    }
}
