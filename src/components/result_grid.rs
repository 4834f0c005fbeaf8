use leptos::ev::KeyboardEvent;
use leptos::html::{Div, Ul};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, IntersectionObserver, IntersectionObserverEntry};

use super::{Card, GridFocus, I18n};
use crate::account::Account;
use crate::grid::{next_index, Direction};
use crate::i18n::fill;
use crate::state::{More, SearchState};

/// The grid of result cards, keyed by image id so that a further page only adds cards and the
/// ones shown keep their nodes and state (a download under way, focus); with "Load more"
/// (also triggered by scrolling to the end) and arrow-key navigation.
#[component]
pub fn ResultGrid(
    /// The search whose images to show.
    state: RwSignal<SearchState>,
    /// Called to load the next page.
    on_more: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (i18n, focus) = (expect_context::<I18n>(), expect_context::<GridFocus>());
    let account = expect_context::<Account>();
    // Which search the cards belong to: a new search starts with no cards (its first card
    // changes), further pages keep the first card.
    let search = focus.first_card();
    let grid = focus.grid();
    let sentinel = NodeRef::<Div>::new();
    watch_sentinel(sentinel, state, on_more);

    // The images of the search shown, in a signal of that search's own: made by this memo when the
    // search changes and dropped when it makes the next (a memo's owner cleans up what it made
    // when it runs again). A Leptos effect that is dropped stays in the subscriber set of every
    // signal and memo it read until that is dropped: reactive_graph 0.2.16 copies the set when
    // notifying and removes a subscriber only when it runs again (signal/subscriber_traits.rs,
    // computed/inner.rs; no Drop in effect/render_effect.rs). So a list rebuilt for each search
    // must not read the long-lived `state` (48 bytes and a set entry a search, kept for the page's
    // life). This one effect lives as long as the grid and copies each change into the current
    // list.
    let shown = Memo::new(move |_| {
        search.track();
        RwSignal::new(state.with_untracked(|state| state.images().to_vec()))
    });
    Effect::new(move |_| {
        let images = state.with(|state| state.images().to_vec());
        if let Some(current) = shown.try_get_untracked() {
            current.try_set(images);
        }
    });

    // The account's products for the cards of the search shown, in a signal of that search's
    // own, made and dropped as `shown`'s are. The one effect keeps the current one up with the
    // account. (The library's answers are kept the same way, in `Library`.)
    let licences = Memo::new(move |_| {
        search.track();
        RwSignal::new(account.licences_untracked())
    });
    Effect::new(move |_| {
        let known = account.licences();
        licences.get_untracked().set(known);
    });

    move_tab_stop(focus);
    let on_keydown = arrow_keys(grid);

    view! {
        <ul
            class="gp-grid"
            aria-label=i18n.text(|s| &s.results_label)
            node_ref=grid
            on:keydown=on_keydown
        >
            // Rebuilt for each search, not each page: Leptos keeps a weak reference to every
            // card's owner in the owner the `<For/>` was made under until that owner is cleaned
            // up, so one long-lived `<For/>` would hold a little memory for every card ever shown.
            // The list reads this search's own signals, not `state` (see `shown`); it only reads.
            {move || {
                let (images, licences) = (shown.get(), licences.get());
                view! {
                    <For
                        each=move || images.get()
                        key=|image| image.id.clone()
                        children=move |image| view! { <Card image licences /> }
                    />
                }
            }}
        </ul>
        <LoadMore state on_more />
        <div class="gp-sentinel" node_ref=sentinel aria-hidden="true"></div>
    }
}

/// Moves the grid's roving tab stop to the card [`GridFocus`] names, by this one effect rather
/// than by every card: a card reading the grid's focus signals would stay subscribed to them
/// after it is gone (see `shown` in [`ResultGrid`]). Effects run after rendering, so the target
/// card is in the grid.
fn move_tab_stop(focus: GridFocus) {
    let grid = focus.grid();
    Effect::new(move |previous: Option<Option<HtmlElement>>| {
        // Tracks the grid too: its element arrives after the first run.
        grid.track();
        let card = focus.target().and_then(|id| focus.card(&id));
        if let Some(Some(previous)) = previous {
            let _ = previous.set_attribute("tabindex", "-1");
        }
        if let Some(card) = &card {
            let _ = card.set_attribute("tabindex", "0");
        }
        card
    });
}

/// The grid's arrow keys: focus moves from card to card (`grid::next_index`).
fn arrow_keys(grid: NodeRef<Ul>) -> impl Fn(KeyboardEvent) + Copy + 'static {
    move |event: KeyboardEvent| {
        let Some(grid) = grid.get_untracked() else {
            return;
        };
        // Keys typed into the card's own controls are theirs, not the grid's: only a card, a
        // child of the grid, moves.
        let Some(card) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlElement>().ok())
            .filter(|target| {
                target
                    .parent_element()
                    .is_some_and(|parent| parent == **grid)
            })
        else {
            return;
        };
        let cards = cards_of(&grid);
        let Some(index) = cards.iter().position(|other| *other == card) else {
            return;
        };
        let columns = cards
            .iter()
            .take_while(|other| other.offset_top() == cards[0].offset_top())
            .count();
        let direction = direction_of(&grid);
        if let Some(target) = next_index(index, &event.key(), cards.len(), columns, direction) {
            event.prevent_default();
            let _ = cards[target].focus();
        }
    }
}

/// "Load more", with what is left; a failed page says why and is retried from here.
#[component]
fn LoadMore(
    /// The search to page through.
    state: RwSignal<SearchState>,
    /// Called to load the next page.
    on_more: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = expect_context::<I18n>();
    let more = Memo::new(move |_| {
        state.with(|state| match state {
            SearchState::Loaded(results) if results.has_more() || results.more != More::Idle => {
                Some((results.more.clone(), results.remaining()))
            }
            _ => None,
        })
    });
    let is = move |which: fn(&More) -> bool| {
        move || more.with(|more| more.as_ref().is_some_and(|(more, _)| which(more)))
    };
    // Built once, hidden while there is nothing more, and updated in place, so focus stays on
    // the button; not a `<Show/>`, whose contents (rebuilt for every search) would stay
    // subscribed to `more` after they are gone (see `shown` in [`ResultGrid`]).
    view! {
        <div
            class="gp-more"
            class:gp-error=is(|more| matches!(more, More::Failed(_)))
            hidden=move || more.with(Option::is_none)
            aria-live="polite"
        >
            <button
                class="gp-load-more"
                type="button"
                disabled=is(|more| *more == More::Loading)
                on:click=move |_| on_more()
            >
                {move || more.with(|more| more_label(i18n, more))}
            </button>
        </div>
    }
}

/// What the "load more" button says.
fn more_label(i18n: I18n, more: &Option<(More, Option<u64>)>) -> String {
    match more {
        Some((More::Loading, _)) => i18n.text(|s| &s.loading_more),
        Some((More::Failed(message), _)) => {
            i18n.with(|s| fill(&s.more_failed, &[("message", message)]))
        }
        Some((More::Idle, remaining)) => i18n.with(|s| s.load_more_label(*remaining)),
        None => String::new(),
    }
}

/// Which way the grid's rows run: its computed `direction`, inherited from the host page (a
/// `dir="rtl"` page mirrors the picker).
fn direction_of(grid: &web_sys::HtmlUListElement) -> Direction {
    let rtl = web_sys::window()
        .and_then(|window| window.get_computed_style(grid).ok().flatten())
        .and_then(|style| style.get_property_value("direction").ok())
        .is_some_and(|direction| direction == "rtl");
    if rtl {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// The grid's cards: its children, each with the id of its image.
fn cards_of(grid: &web_sys::HtmlUListElement) -> Vec<HtmlElement> {
    let Ok(nodes) = grid.query_selector_all(":scope > [data-id]") else {
        return Vec::new();
    };
    (0..nodes.length())
        .filter_map(|index| nodes.item(index)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Loads the next page whenever the end of the grid scrolls into view. Observing again after
/// each page reports the sentinel's current position, so a screen that still shows the end
/// keeps loading until it is filled.
fn watch_sentinel(
    sentinel: NodeRef<Div>,
    state: RwSignal<SearchState>,
    on_more: impl Fn() + Copy + Send + Sync + 'static,
) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let visible = entries.iter().any(|entry| {
            entry
                .dyn_into::<IntersectionObserverEntry>()
                .is_ok_and(|entry| entry.is_intersecting())
        });
        // `try_`: an observation queued before the grid went may still be delivered.
        let ready = state.try_with_untracked(|state| match state {
            SearchState::Loaded(results) => results.has_more() && results.more == More::Idle,
            _ => false,
        });
        if visible && ready == Some(true) {
            on_more();
        }
    });
    let Ok(observer) = IntersectionObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let observer = StoredValue::new_local(observer);
    let callback = StoredValue::new_local(Some(callback));
    Effect::new(move |_| {
        // Again after every page (and every new search).
        let _ = state.with(|state| state.images().len());
        if let Some(element) = sentinel.get() {
            observer.with_value(|observer| {
                observer.unobserve(&element);
                observer.observe(&element);
            });
        }
    });
    on_cleanup(move || {
        observer.with_value(IntersectionObserver::disconnect);
        // Dropping the closure only after disconnecting: the observer may not call it any more.
        callback.update_value(|callback| drop(callback.take()));
    });
}
