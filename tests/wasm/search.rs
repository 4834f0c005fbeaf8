//! The search path's components mounted alone with `mount_to`, each given only the texts (as
//! Leptos' `examples/counter/tests/web.rs` mounts its counter): the search box, the status line
//! and the filter bar, driven through their DOM as an editor would.

use std::rc::Rc;

use getty_picker::components::{FilterBar, I18n, SearchBar, SearchBox, Status};
use getty_picker::getty::query::Toggle;
use getty_picker::getty::{AssetFamily, FilterKind, Filters};
use getty_picker::i18n::intl::Intl;
use getty_picker::i18n::{Locale, Strings};
use getty_picker::state::SearchState;
use leptos::html::Input;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlSelectElement, KeyboardEvent,
    KeyboardEventInit,
};

/// An empty element in the document to mount into.
fn stage() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a document");
    let stage: HtmlElement = document
        .create_element("section")
        .expect("a section")
        .dyn_into()
        .expect("an HTML element");
    document
        .body()
        .expect("a body")
        .append_child(&stage)
        .expect("appended");
    stage
}

/// The English texts, as the picker provides them.
fn provide_texts() {
    let strings = Strings::english(Locale::ENGLISH, Rc::new(Intl::new("en")));
    provide_context(I18n::new(strings));
}

fn find(stage: &HtmlElement, selector: &str) -> Option<Element> {
    stage.query_selector(selector).expect("a valid selector")
}

fn element<T: JsCast>(stage: &HtmlElement, selector: &str) -> T {
    find(stage, selector)
        .unwrap_or_else(|| panic!("{selector} is there"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} has the expected type"))
}

fn text(stage: &HtmlElement, selector: &str) -> String {
    find(stage, selector)
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

/// Dispatches a bubbling `kind` event on `target`, as the browser does for an edit.
fn fire(target: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&event).expect("dispatched");
}

/// A counter for a callback, and the callback.
fn counted() -> (RwSignal<u32>, impl Fn() + Copy + Send + Sync + 'static) {
    let count = RwSignal::new(0);
    (count, move || count.update(|count| *count += 1))
}

#[wasm_bindgen_test]
async fn the_search_box_follows_typing_and_searches_on_enter_or_its_button() {
    let stage = stage();
    let phrase = RwSignal::new(String::new());
    let (inputs, on_input) = counted();
    let (submits, on_submit) = counted();
    let input = NodeRef::<Input>::new();
    let _mounted = mount_to(stage.clone(), move || {
        provide_texts();
        view! { <SearchBar phrase on_input on_submit input /> }
    });

    let field: HtmlInputElement = element(&stage, ".gp-search-input");
    assert_eq!(
        field.get_attribute("aria-label").as_deref(),
        Some("Search Getty Images")
    );
    assert_eq!(text(&stage, ".gp-search-button"), "Search");

    field.set_value("cats");
    fire(&field, "input");
    assert_eq!(phrase.get_untracked(), "cats");
    assert_eq!((inputs.get_untracked(), submits.get_untracked()), (1, 0));

    // Enter searches now, and is kept from submitting a form around the picker.
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    init.set_cancelable(true);
    let enter = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("a key");
    field.dispatch_event(&enter).expect("dispatched");
    assert!(enter.default_prevented());
    assert_eq!(submits.get_untracked(), 1);

    element::<HtmlElement>(&stage, ".gp-search-button").click();
    assert_eq!((inputs.get_untracked(), submits.get_untracked()), (1, 2));

    // The box's handle focuses it (where focus goes when a new search dismisses the preview).
    tick().await;
    SearchBox(input).focus();
    let active = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element());
    assert_eq!(active, Some(field.into()));
}

#[wasm_bindgen_test]
async fn the_status_line_describes_the_search_and_offers_a_retry_after_a_failure() {
    let stage = stage();
    let state = RwSignal::new(SearchState::Idle);
    let (retries, on_retry) = counted();
    let _mounted = mount_to(stage.clone(), move || {
        provide_texts();
        view! { <Status state on_retry /> }
    });

    assert!(text(&stage, ".gp-status").contains("search Getty Images"));
    assert!(find(&stage, ".gp-retry").is_none());

    state.set(SearchState::Loading {
        phrase: "cats".into(),
    });
    tick().await;
    assert_eq!(text(&stage, ".gp-status"), "Searching for “cats”…");
    assert!(find(&stage, ".gp-retry").is_none());

    state.set(SearchState::Failed {
        phrase: "cats".into(),
        message: "Forbidden (HTTP 403)".into(),
    });
    tick().await;
    assert_eq!(
        text(&stage, ".gp-status"),
        "Search failed: Forbidden (HTTP 403)"
    );
    let status: HtmlElement = element(&stage, ".gp-status");
    assert!(status.class_list().contains("gp-error"));
    let retry: HtmlElement = element(&stage, ".gp-retry");
    assert_eq!(retry.text_content().as_deref(), Some("Try again"));
    retry.click();
    assert_eq!(retries.get_untracked(), 1);

    state.set(SearchState::Loading {
        phrase: "cats".into(),
    });
    tick().await;
    assert!(find(&stage, ".gp-retry").is_none());
    assert!(!status.class_list().contains("gp-error"));
}

#[wasm_bindgen_test]
async fn the_filter_bar_offers_the_familys_filters_as_controls_and_chips() {
    let stage = stage();
    let filters = RwSignal::new(Filters::default());
    let (changes, on_change) = counted();
    let _mounted = mount_to(stage.clone(), move || {
        provide_texts();
        view! { <FilterBar filters on_change /> }
    });

    // One select a kind of filter, "any" chosen; no chips.
    for kind in FilterKind::ALL {
        let select: HtmlSelectElement = element(&stage, &format!(".gp-filter-{}", kind.param()));
        assert_eq!(select.value(), "");
    }
    assert!(find(&stage, ".gp-chip").is_none());

    // A choice: the filters take it, a search starts, a chip shows it.
    let orientation: HtmlSelectElement = element(&stage, ".gp-filter-orientations");
    orientation.set_value("horizontal");
    fire(&orientation, "change");
    assert_eq!(
        filters.with_untracked(|f| f.active_value(FilterKind::Orientation)),
        Some("horizontal")
    );
    assert_eq!(changes.get_untracked(), 1);
    tick().await;
    assert_eq!(text(&stage, ".gp-chip span"), "Orientation: Horizontal");
    let remove: HtmlElement = element(&stage, ".gp-chip-remove");
    assert_eq!(
        remove.get_attribute("aria-label").as_deref(),
        Some("Remove filter Orientation: Horizontal")
    );

    // Safe search is the creative family's only: offered once that family is chosen.
    assert!(find(&stage, ".gp-filter-safe").is_none());
    assert!(find(&stage, ".gp-filter-nudity").is_some());
    let family: HtmlSelectElement = element(&stage, ".gp-filter-family");
    family.set_value("creative");
    fire(&family, "change");
    assert_eq!(filters.with_untracked(|f| f.family), AssetFamily::Creative);
    tick().await;
    element::<HtmlElement>(&stage, ".gp-filter-safe").click();
    assert!(filters.with_untracked(|f| f.is_on(Toggle::SafeSearch)));
    assert_eq!(changes.get_untracked(), 3);
    tick().await;
    let chips: Vec<String> = (0..2)
        .map(|place| text(&stage, &format!(".gp-chip:nth-child({}) span", place + 1)))
        .collect();
    assert_eq!(chips, ["Orientation: Horizontal", "Safe search"]);

    // Removing a chip removes its filter.
    element::<HtmlElement>(&stage, ".gp-chip-remove").click();
    assert_eq!(
        filters.with_untracked(|f| f.active_value(FilterKind::Orientation)),
        None
    );
    assert_eq!(changes.get_untracked(), 4);
    tick().await;
    assert_eq!(text(&stage, ".gp-chips"), "Safe search×");
    assert_eq!(orientation.value(), "");
}
