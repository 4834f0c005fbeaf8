//! The search as one thing: [`SearchId`] says which search the picker shows, and what belongs to
//! one search (the grid's images, the library's answers, the marks, the focus) reacts to it
//! instead of being told by the searches; [`PerSearch`] is a signal of one search's own.

use leptos::prelude::*;

/// Which search the picker shows: a new number each time a search starts from page 1 (a
/// further page is the same search). Focus, the details panel, the host's library and the
/// marks of the cards react to it.
#[derive(Clone, Copy)]
pub struct SearchId {
    id: RwSignal<u64>,
    /// What to do when a new search starts, in the order registered.
    reactions: StoredValue<Vec<Box<dyn Fn()>>, LocalStorage>,
}

impl SearchId {
    /// The search of the picker being built, with one effect that runs every reaction
    /// registered with [`Self::on_change`] when a new search starts.
    pub fn new() -> Self {
        let search = Self {
            id: RwSignal::new(0),
            reactions: StoredValue::new_local(Vec::new()),
        };
        Effect::new(move |previous: Option<u64>| {
            let current = search.id.get();
            if previous.is_some_and(|previous| previous != current) {
                let reactions = search.reactions;
                untrack(|| {
                    reactions.with_value(|reactions| reactions.iter().for_each(|react| react()))
                });
            }
            current
        });
        search
    }

    /// A new search starts: everything of the one before is dropped.
    pub fn next(&self) {
        self.id.update(|id| *id += 1);
    }

    /// The current search (tracked).
    pub fn get(&self) -> u64 {
        self.id.get()
    }

    /// The current search (untracked).
    pub fn get_untracked(&self) -> u64 {
        self.id.get_untracked()
    }

    /// [`Self::get_untracked`]; none once the picker is gone (for work that may outlive it).
    pub fn try_get_untracked(&self) -> Option<u64> {
        self.id.try_get_untracked()
    }

    /// Runs `react` each time a new search starts (not for the search under way when it is
    /// called), for the picker's life.
    pub fn on_change(&self, react: impl Fn() + 'static) {
        self.reactions
            .update_value(|reactions| reactions.push(Box::new(react)));
    }
}

impl Default for SearchId {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for SearchId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchId")
    }
}

/// A signal of one search's own, made when that search starts and dropped when the next one
/// makes its own.
///
/// Why not one signal for the picker's life: whatever the cards read must go with them. A
/// Leptos effect that is dropped (a card's, when its search is replaced) stays in the
/// subscriber set of every signal and memo it read until that source is dropped itself:
/// reactive_graph 0.2 copies the set when it notifies and removes a subscriber only when the
/// subscriber runs again (`signal/subscriber_traits.rs`, `computed/inner.rs`; an effect has no
/// `Drop` that unsubscribes, `effect/render_effect.rs`), and a dropped one never runs again. A
/// long-lived signal read by every card would so keep an entry (and the effect's allocation)
/// for every card ever shown. A signal made for each search is dropped with its search, and
/// with it every subscriber its cards left behind.
///
/// How: a memo keyed on the [`SearchId`] makes the signal; a memo's owner cleans up what it
/// made when it runs again, so the previous search's signal is disposed then. Cards read the
/// memo untracked ([`PerSearch::current`]) and the signal tracked.
pub struct PerSearch<T: Send + Sync + 'static>(Memo<RwSignal<T>>);

impl<T: Send + Sync + 'static> Clone for PerSearch<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for PerSearch<T> {}

impl<T: Send + Sync + 'static> PerSearch<T> {
    /// A signal for each search of `search`, starting from what `start` gives (untracked).
    pub fn new(search: SearchId, start: impl Fn() -> T + Send + Sync + 'static) -> Self {
        Self(Memo::new(move |_| {
            search.get();
            RwSignal::new(untrack(&start))
        }))
    }

    /// The current search's signal; reading the memo untracked, so that a card subscribes to
    /// its search's signal only. `None` once the picker is gone.
    pub fn current(&self) -> Option<RwSignal<T>> {
        self.0.try_get_untracked()
    }

    /// The current search's signal, tracked: for the few long-lived readers (the grid's list),
    /// which must follow the search.
    pub fn track(&self) -> Option<RwSignal<T>> {
        self.0.try_get()
    }
}
