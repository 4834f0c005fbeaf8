//! What the picker knows of the images of the search shown beyond Getty's answer: which the
//! host's library holds ("In your library") and which were licensed before ("Licensed before":
//! Getty's download history said so, or they were downloaded here). Cards show it as their
//! second mark; the details panel and the download controls read what the host holds.

use leptos::prelude::*;

use crate::components::{PerSearch, SearchId};
use crate::library::Held;

/// One image's mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    /// The host's library holds it, as it says.
    Held(Held),
    /// Licensed before (Getty's download history) or here.
    Licensed,
}

/// The marks of the search shown, in a signal of that search's own ([`PerSearch`]: the cards
/// read it), and the images licensed so far, which every later search starts with. Cheap to
/// copy.
#[derive(Clone, Copy)]
pub struct Marks {
    shown: PerSearch<Vec<(String, Mark)>>,
    licensed: StoredValue<Vec<String>>,
}

impl Marks {
    /// The marks of the picker being built, for the searches of `search`.
    pub fn new(search: SearchId) -> Self {
        let licensed = StoredValue::new(Vec::<String>::new());
        let start = move || {
            let ids = licensed.try_get_value().unwrap_or_default();
            ids.into_iter().map(|id| (id, Mark::Licensed)).collect()
        };
        Self {
            shown: PerSearch::new(search, start),
            licensed,
        }
    }

    /// The mark of image `id`, if any (tracked, on the search's own signal): what the host
    /// holds wins over a licence seen here.
    pub fn of(&self, id: &str) -> Option<Mark> {
        self.shown
            .current()?
            .try_with(|marks| find(marks, id))
            .flatten()
    }

    /// What the host holds of image `id`, if anything (tracked).
    pub fn held(&self, id: &str) -> Option<Held> {
        match self.of(id)? {
            Mark::Held(held) => Some(held),
            Mark::Licensed => None,
        }
    }

    /// [`Self::held`], untracked (for event handlers).
    pub fn held_untracked(&self, id: &str) -> Option<Held> {
        untrack(|| self.held(id))
    }

    /// Marks what the host's library holds of the search shown.
    pub fn add_held(&self, held: Vec<(String, Held)>) {
        if let Some(shown) = self.shown.current() {
            shown.try_update(|marks| {
                marks.extend(held.into_iter().map(|(id, held)| (id, Mark::Held(held))));
            });
        }
    }

    /// Marks image `id` as licensed, in the search shown and every later one.
    pub fn add_licensed(&self, id: &str) {
        self.licensed.try_update_value(|licensed| {
            if !licensed.iter().any(|known| known == id) {
                licensed.push(id.to_owned());
            }
        });
        if let Some(shown) = self.shown.current() {
            shown.try_update(|marks| {
                if find(marks, id).is_none() {
                    marks.push((id.to_owned(), Mark::Licensed));
                }
            });
        }
    }
}

/// The mark of `id` among `marks`: what the host holds first.
fn find(marks: &[(String, Mark)], id: &str) -> Option<Mark> {
    let of = |wanted: fn(&Mark) -> bool| {
        marks
            .iter()
            .find(|(known, mark)| known == id && wanted(mark))
            .map(|(_, mark)| mark.clone())
    };
    of(|mark| matches!(mark, Mark::Held(_))).or_else(|| of(|mark| *mark == Mark::Licensed))
}
