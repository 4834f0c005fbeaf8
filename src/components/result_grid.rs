use std::cell::RefCell;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry};

use super::{card, Ctx, I18n};
use crate::dom::{build_under, watch, El};
use crate::getty::Image;
use crate::grid::next_index;
use crate::i18n::fill;
use crate::state::{More, SearchState};

/// Appends to `parent` the grid of result cards for `state`, with "Load more" (also triggered
/// by scrolling to the end; both call `on_more`) and arrow-key navigation. Cards are kept as
/// pages arrive, so they keep their state (a download under way, focus).
pub fn result_grid(
    ctx: Ctx,
    parent: El,
    state: RwSignal<SearchState>,
    on_more: impl Fn() + Copy + 'static,
) -> El {
    let i18n = ctx.i18n;
    let grid = El::new("ul")
        .class("gp-grid")
        .attr("aria-label", &i18n.text(|s| &s.results_label));
    let list = grid.element().clone();
    let grid = grid.on_key("keydown", move |event| {
        // Keys typed into the card's own controls are theirs, not the grid's.
        let Some(card) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlElement>().ok())
            .filter(|target| target.class_list().contains("gp-card"))
        else {
            return;
        };
        let cards = cards_of(&list);
        let Some(index) = cards.iter().position(|other| *other == card) else {
            return;
        };
        let columns = cards
            .iter()
            .take_while(|other| other.offset_top() == cards[0].offset_top())
            .count();
        if let Some(target) = next_index(index, &event.key(), cards.len(), columns) {
            event.prevent_default();
            let _ = cards[target].focus();
        }
    });
    show_cards(ctx, grid.element().clone(), state);

    let more = Memo::new(move |_| {
        state.with(|state| match state {
            SearchState::Loaded(results) if results.has_more() || results.more != More::Idle => {
                Some((results.more.clone(), results.remaining()))
            }
            _ => None,
        })
    });
    // Built when it appears and updated in place while it stays, so focus stays on the button.
    let has_more = Memo::new(move |_| more.with(Option::is_some));
    let more_block = move || {
        let is = move |which: fn(&More) -> bool| {
            move || more.with(|more| more.as_ref().is_some_and(|(more, _)| which(more)))
        };
        El::new("div")
            .class("gp-more")
            .attr("aria-live", "polite")
            .bind_class("gp-error", is(|more| matches!(more, More::Failed(_))))
            .child(
                El::new("button")
                    .class("gp-load-more")
                    .attr("type", "button")
                    .bind_flag("disabled", is(|more| *more == More::Loading))
                    .bind_text(move || more.with(|more| more_label(&i18n, more)))
                    .on("click", move |_| on_more()),
            )
    };
    let sentinel = El::new("div")
        .class("gp-sentinel")
        .attr("aria-hidden", "true");
    watch_sentinel(sentinel.element().clone(), state, on_more);
    parent
        .child(grid)
        .bind_child(move || has_more.get().then(more_block))
        .child(sentinel)
}

/// What the "load more" button says.
fn more_label(i18n: &I18n, more: &Option<(More, Option<u64>)>) -> String {
    match more {
        Some((More::Loading, _)) => i18n.text(|s| &s.loading_more),
        Some((More::Failed(message), _)) => {
            i18n.with_value(|s| fill(&s.more_failed, &[("message", message)]))
        }
        Some((More::Idle, remaining)) => {
            let count = remaining
                .map(|n| i18n.with_value(|s| s.count(n)))
                .unwrap_or_else(|| "?".into());
            i18n.with_value(|s| fill(&s.load_more, &[("count", &count)]))
        }
        None => String::new(),
    }
}

/// Keeps `list`'s cards in step with `state`'s images: a page that extends the list appends
/// cards; anything else (a new search) replaces them all, disposing of the old cards' state.
fn show_cards(ctx: Ctx, list: Element, state: RwSignal<SearchState>) {
    // The cards' owner: their bindings and listeners live until the list is replaced.
    let owner = Owner::new();
    let shown: RefCell<Vec<String>> = RefCell::default();
    // A new search passes through `Loading` (no images) before its first page, so its cards
    // replace the old ones; a list that only grows is the same search's further pages. (Were a
    // new search's list to start with the same images, keeping those cards would still be
    // right: they show the same images, and a delivery is per image.)
    watch(move || {
        let mut shown = shown.borrow_mut();
        let (new, replace): (Vec<Image>, bool) = state.with(|state| {
            let images = state.images();
            let extends = shown.len() <= images.len()
                && shown.iter().zip(images).all(|(id, image)| *id == image.id);
            let from = if extends { shown.len() } else { 0 };
            (images[from..].to_vec(), !extends)
        });
        if replace {
            // The open preview shares the download state of a card about to go.
            ctx.preview.dismiss();
            owner.cleanup();
            list.set_text_content(None);
            shown.clear();
        }
        build_under(&owner, || {
            for image in new {
                shown.push(image.id.clone());
                let _ = list.append_child(card(ctx, image).element());
            }
        });
    });
}

fn cards_of(grid: &Element) -> Vec<HtmlElement> {
    let Ok(nodes) = grid.query_selector_all(":scope > .gp-card") else {
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
    sentinel: Element,
    state: RwSignal<SearchState>,
    on_more: impl Fn() + Copy + 'static,
) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        let visible = entries.iter().any(|entry| {
            entry
                .dyn_into::<IntersectionObserverEntry>()
                .is_ok_and(|entry| entry.is_intersecting())
        });
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
    watch(move || {
        // Again after every page (and every new search).
        let _ = state.with(|state| state.images().len());
        if let Some(observer) = observer.try_get_value() {
            observer.unobserve(&sentinel);
            observer.observe(&sentinel);
        }
    });
    on_cleanup(move || {
        if let Some(observer) = observer.try_get_value() {
            observer.disconnect();
        }
        // Dropping the closure only after disconnecting: the observer may not call it any more.
        callback.try_update_value(Option::take);
    });
}
