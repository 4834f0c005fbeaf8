use leptos::ev::{FocusEvent, KeyboardEvent, MouseEvent};
use leptos::html::{Div, Ul};
use leptos::prelude::*;

use crate::components::context;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry};

use super::{Card, Details, GridFocus, I18n, PerSearch, SearchId, SharedImage};
use crate::grid::{next_index, Direction, Place};
use crate::i18n::fill;
use crate::state::{More, SearchState};

/// The grid of result cards, keyed by image id so that a further page only adds cards and the
/// ones shown keep their nodes (and focus); with "Load more" (also triggered by scrolling to the
/// end) and arrow-key navigation. The grid listens for the cards: a click (or Enter or Space,
/// which a card's button turns into one) opens the details panel, the arrow keys move from card
/// to card (and the panel, if open, follows).
#[component]
pub fn ResultGrid(
    /// The search whose images to show.
    state: RwSignal<SearchState>,
    /// Called to load the next page.
    on_more: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (i18n, focus) = (context::<I18n>(), context::<GridFocus>());
    let (search, details) = (context::<SearchId>(), context::<Details>());
    let grid = focus.grid();
    let sentinel = NodeRef::<Div>::new();
    watch_sentinel(sentinel, state, on_more);

    // The images of the search shown, in a signal of that search's own (see `PerSearch`: the
    // list rebuilt for each search must not read the long-lived `state`). This one effect lives
    // as long as the grid and copies each change into the current search's list.
    let shown = PerSearch::new(search, move || {
        state.with_untracked(|state| state.images().to_vec())
    });
    Effect::new(move |_| {
        let images = state.with(|state| state.images().to_vec());
        if let Some(current) = shown.current() {
            current.try_set(images);
        }
    });
    // The image of a card of the search shown, by its id.
    let image = move |id: &str| -> Option<SharedImage> {
        shown
            .current()?
            .try_with_untracked(|images| images.iter().find(|image| image.id == id).cloned())?
    };

    move_tab_stop(focus);
    let on_click = move |event: MouseEvent| {
        if let Some((id, _)) = card_of(event.target(), grid) {
            if let Some(image) = image(&id) {
                details.open(image, Some(&id));
            }
        }
    };
    let on_focus = move |event: FocusEvent| {
        if let Some((id, _)) = card_of(event.target(), grid) {
            focus.set(&id);
        }
    };
    let on_keydown = move |event: KeyboardEvent| {
        let Some(target) = arrow_target(&event, grid) else {
            return;
        };
        event.prevent_default();
        let _ = target.focus();
        // With the details open beside the grid, they follow the keyboard.
        let id = target
            .parent_element()
            .and_then(|card| card.get_attribute("data-id"));
        if let Some(image) = id.as_deref().and_then(image) {
            details.follow(image);
        }
    };

    view! {
        <ul
            class="gp-grid"
            aria-label=i18n.text(|s| &s.results_label)
            node_ref=grid
            on:click=on_click
            on:focusin=on_focus
            on:keydown=on_keydown
        >
            // Rebuilt for each search, not each page: Leptos keeps a weak reference to every
            // card's owner in the owner the `<For/>` was made under until that owner is cleaned
            // up, so one long-lived `<For/>` would hold a little memory for every card ever shown.
            // The list reads this search's own signal, not `state`; it only reads.
            {move || {
                let images = shown.track()?;
                Some(view! {
                    <For
                        each=move || images.get()
                        key=|image| image.id.clone()
                        children=move |image| view! { <Card image /> }
                    />
                })
            }}
        </ul>
        <LoadMore state on_more />
        <div class="gp-sentinel" node_ref=sentinel aria-hidden="true"></div>
    }
}

/// Moves the grid's roving tab stop to the card [`GridFocus`] names, by this one effect rather
/// than by every card: a card reading the grid's focus signals would stay subscribed to them
/// after it is gone (see [`PerSearch`]). Effects run after rendering, so the target card is in
/// the grid.
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

/// The card an event happened in: its image's id and its element (the grid's child).
fn card_of(target: Option<web_sys::EventTarget>, grid: NodeRef<Ul>) -> Option<(String, Element)> {
    let grid = grid.get_untracked()?;
    let card = target?
        .dyn_into::<Element>()
        .ok()?
        .closest(".gp-card")
        .ok()
        .flatten()?;
    if card.parent_element().as_deref() != Some(&**grid) {
        return None;
    }
    Some((card.get_attribute("data-id")?, card))
}

/// The card button an arrow key (or Home, End) moves focus to from the card button it was
/// pressed on; none for other keys and for keys pressed elsewhere.
fn arrow_target(event: &KeyboardEvent, grid: NodeRef<Ul>) -> Option<HtmlElement> {
    let grid = grid.get_untracked()?;
    // Only a card's own button moves: keys typed elsewhere are not the grid's.
    let button = event.target()?.dyn_into::<HtmlElement>().ok()?;
    let card = button.parent_element()?;
    if card.parent_element().as_deref() != Some(&**grid) {
        return None;
    }
    let cards = cards_of(&grid);
    let index = cards.iter().position(|other| **other == card)?;
    let places: Vec<Place> = cards
        .iter()
        .map(|card| Place {
            top: card.offset_top(),
            left: card.offset_left(),
            width: card.offset_width(),
        })
        .collect();
    let target = next_index(index, &event.key(), &places, direction_of(&grid))?;
    cards[target]
        .first_element_child()?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// "Load more", with what is left; a failed page says why and is retried from here.
#[component]
fn LoadMore(
    /// The search to page through.
    state: RwSignal<SearchState>,
    /// Called to load the next page.
    on_more: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = context::<I18n>();
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

/// Which way `element`'s rows run: its computed `direction`, inherited from the host page (a
/// `dir="rtl"` page mirrors the picker).
pub(crate) fn direction_of(element: &Element) -> Direction {
    let rtl = web_sys::window()
        .and_then(|window| window.get_computed_style(element).ok().flatten())
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
