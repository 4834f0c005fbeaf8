//! The download path's components mounted alone (`leptos::mount::mount_to`), each with the
//! picker's context and a download state of its own: what they show for given products, what
//! the editor's input does to the state, and where focus goes.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use getty_picker::account::{Account, Licences};
use getty_picker::components::download::{
    Allowance, Confirm, Control, DownloadButton, DownloadControls, DownloadState, History, Outcome,
    ProductChoice, RequirementFields,
};
use getty_picker::components::{
    Client, Details, Downloads, GridFocus, I18n, Results, RoleOnly, SearchBox, SearchId,
    SharedImage,
};
use getty_picker::embed::Host;
use getty_picker::getty::{Image, Product};
use getty_picker::http::GettyClient;
use getty_picker::i18n::intl::Intl;
use getty_picker::i18n::{Locale, Strings};
use getty_picker::library::Library;
use getty_picker::marks::Marks;
use getty_picker::state::SearchState;
use getty_picker::transport::parse_json;
use getty_picker::Config;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

fn document() -> Document {
    web_sys::window()
        .and_then(|window| window.document())
        .expect("a document")
}

/// A fresh element in the page to mount one test's view into.
fn stage() -> HtmlElement {
    let element: HtmlElement = document()
        .create_element("div")
        .expect("a div")
        .dyn_into()
        .expect("an HTML element");
    document()
        .body()
        .expect("a body")
        .append_child(&element)
        .expect("appended");
    element
}

/// Waits for the browser's next tasks: effects, and the focus moves made in a timeout.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    leptos::task::tick().await;
}

/// One test's view, mounted into a fresh stage: the stage, and what the test keeps of what was
/// built (made inside the mount, whose owner holds it and which starts Leptos' executor).
struct Mounted<T> {
    stage: HtmlElement,
    kept: T,
    _view: Box<dyn Any>,
}

/// Mounts the view `build` makes in a picker's contexts (given their details panel and
/// downloads), keeping the rest.
fn mount<T: 'static, V: IntoView + 'static>(
    build: impl FnOnce(Picker) -> (T, V) + 'static,
) -> Mounted<T> {
    let stage = stage();
    let slot = Rc::new(RefCell::new(None));
    let (root, filled) = (stage.clone(), slot.clone());
    let view = mount_to(stage.clone(), move || {
        let (kept, view) = build(provide_picker(&root));
        *filled.borrow_mut() = Some(kept);
        view
    });
    let kept = slot.borrow_mut().take().expect("built");
    Mounted {
        stage,
        kept,
        _view: Box::new(view),
    }
}

fn english() -> Strings {
    Strings::english(Locale::ENGLISH, Rc::new(Intl::new("en")))
}

/// The contexts a test reaches for.
#[derive(Clone, Copy)]
struct Picker {
    details: Details,
    downloads: Downloads,
    focus: GridFocus,
}

/// A picker's contexts with no backend behind it (the token URL refuses connections).
fn provide_picker(stage: &HtmlElement) -> Picker {
    let config = Config::from_attributes(|name| match name {
        "data-token-url" => Some("http://127.0.0.1:9/token".into()),
        "data-api-key" => Some("key".into()),
        _ => None,
    })
    .expect("a valid configuration");
    provide_context::<Client>(StoredValue::new_local(GettyClient::new(config)));
    provide_context(I18n::new(english()));
    let search = SearchId::new();
    provide_context(search);
    let state = RwSignal::new(SearchState::Idle);
    let focus = GridFocus::new(state, search);
    provide_context(focus);
    provide_context(Host::new(stage.clone(), false));
    provide_context(Account::default());
    let marks = Marks::new(search);
    provide_context(marks);
    provide_context(Library::new(None, search, marks));
    let downloads = Downloads::new(marks);
    provide_context(downloads);
    provide_context(RoleOnly(RwSignal::new(false)));
    let details = Details::new(search, Results(state), focus, SearchBox::default());
    provide_context(details);
    Picker {
        details,
        downloads,
        focus,
    }
}

/// An image on offer under products `p1` and `p2`.
fn image() -> SharedImage {
    let image: Image = parse_json(
        r#"{"id":"42","title":"Cat","largest_downloads":[
            {"product_id":"p1","product_type":"editorialsubscription","uri":"https://a/1"},
            {"product_id":"p2","product_type":"easyaccess","uri":"https://a/2"}]}"#,
    )
    .expect("an image");
    Arc::new(image)
}

fn product(id: &str, name: &str, left: u64, requirements: &str) -> Product {
    parse_json(&format!(
        r#"{{"id":"{id}","name":"{name}","type":"editorialsubscription","download_limit":50,
            "downloads_remaining":{left},"download_requirements":{requirements}}}"#
    ))
    .expect("a product")
}

fn select(root: &Element, css: &str) -> Option<Element> {
    root.query_selector(css).ok().flatten()
}

fn text(root: &Element, css: &str) -> String {
    select(root, css)
        .and_then(|element| element.text_content())
        .unwrap_or_default()
}

fn active_class() -> String {
    document()
        .active_element()
        .map(|element| element.class_name())
        .unwrap_or_default()
}

fn set_left(licences: RwSignal<Licences>, id: &str, left: u64) {
    licences.update(|licences| {
        if let Licences::Known(products) = licences {
            for product in products.iter_mut().filter(|product| product.id == id) {
                product.downloads_remaining = Some(left);
            }
        }
    });
}

#[wasm_bindgen_test]
async fn the_allowance_counts_down_and_a_second_product_brings_a_choice() {
    let mounted = mount(|picker| {
        let licences = RwSignal::new(Licences::Known(vec![
            product("p1", "Editorial", 12, "{}"),
            product("p2", "Easy Access", 0, "{}"),
        ]));
        let state = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        let control = Control::new(&state);
        let view = view! {
            <ProductChoice control />
            <Allowance control has_download=true />
        };
        ((licences, state.choice), view)
    });
    let (licences, choice) = mounted.kept;
    let root: &Element = &mounted.stage;
    assert!(select(root, ".gp-product-choice").is_none());
    assert_eq!(text(root, ".gp-products"), "Editorial");
    assert_eq!(text(root, ".gp-allowance"), "12 of 50 left");
    assert!(text(root, ".gp-unavailable").contains("Easy Access"));

    set_left(licences, "p1", 11);
    settle().await;
    assert_eq!(text(root, ".gp-allowance"), "11 of 50 left");

    // A second product with downloads left: radio buttons name the products instead.
    set_left(licences, "p2", 5);
    settle().await;
    let radios = root
        .query_selector_all(".gp-product-choice input[type=radio]")
        .expect("radios");
    assert_eq!(radios.length(), 2);
    assert!(select(root, ".gp-products").is_none());
    assert!(select(root, ".gp-unavailable").is_none());
    let second: HtmlInputElement = radios.item(1).expect("a second radio").unchecked_into();
    second.click();
    settle().await;
    assert_eq!(choice.get_untracked(), Some(1));
    assert_eq!(text(root, ".gp-allowance"), "5 of 50 left");
}

#[wasm_bindgen_test]
async fn requirement_fields_follow_the_chosen_product_and_survive_a_count_down() {
    let mounted = mount(|picker| {
        let requires = r#"{"is_project_code_required":true,"project_codes":["A1","B2"],
            "is_note_required":true}"#;
        let licences = RwSignal::new(Licences::Known(vec![product(
            "p1",
            "Editorial",
            3,
            requires,
        )]));
        let state = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        let control = Control::new(&state);
        let (project_code, notes) = (picker.downloads.project_code, picker.downloads.notes);
        let view = view! { <RequirementFields control project_code notes /> };
        ((licences, project_code, notes), view)
    });
    let (licences, project_code, notes) = mounted.kept;
    let root: &Element = &mounted.stage;
    let codes: HtmlSelectElement = select(root, "select.gp-project-code")
        .expect("a list of project codes")
        .unchecked_into();
    assert_eq!(codes.length(), 3);
    codes.set_value("B2");
    codes
        .dispatch_event(&web_sys::Event::new("change").expect("an event"))
        .expect("dispatched");
    assert_eq!(project_code.get_untracked(), "B2");

    let note: HtmlInputElement = select(root, "input.gp-notes")
        .expect("a note field")
        .unchecked_into();
    note.set_value("For the front page");
    note.dispatch_event(&web_sys::Event::new("input").expect("an event"))
        .expect("dispatched");
    assert_eq!(notes.get_untracked(), "For the front page");

    // Counting the product down keeps the fields (and a half-typed note's focus).
    set_left(licences, "p1", 2);
    settle().await;
    let again = select(root, "input.gp-notes").expect("a note field");
    assert!(again.is_same_node(Some(&note)));
}

#[wasm_bindgen_test]
async fn a_missing_note_is_said_and_nothing_is_asked_or_spent() {
    let mounted = mount(|picker| {
        let requires = r#"{"is_note_required":true}"#;
        let licences = RwSignal::new(Licences::Known(vec![product(
            "p1",
            "Editorial",
            3,
            requires,
        )]));
        let state = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        let history = state.entry.history;
        (history, view! { <DownloadControls state /> })
    });
    let history = mounted.kept;
    let root: &Element = &mounted.stage;
    assert_eq!(text(root, ".gp-download"), "Download");
    assert!(select(root, ".gp-delivery")
        .expect("the outcome line")
        .has_attribute("hidden"));

    let button: HtmlElement = select(root, ".gp-download")
        .expect("a button")
        .unchecked_into();
    button.click();
    settle().await;
    assert_eq!(
        text(root, ".gp-card-error"),
        english().need_note.to_string()
    );
    assert!(!select(root, ".gp-delivery")
        .expect("the outcome line")
        .has_attribute("hidden"));
    assert_eq!(history.get_untracked(), History::NotAsked);
    assert_eq!(text(root, ".gp-download"), "Download");
}

#[wasm_bindgen_test]
async fn a_confirmation_takes_focus_and_cancelling_gives_it_back() {
    let mounted = mount(|picker| {
        let licences = RwSignal::new(Licences::Known(vec![product("p1", "Editorial", 3, "{}")]));
        let state = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        let control = Control::new(&state);
        let view = view! {
            <DownloadButton state=state.clone() control />
            <Outcome state control />
        };
        (control, view)
    });
    let control = mounted.kept;
    let root: &Element = &mounted.stage;
    control.ask(Some(Confirm::Held));
    settle().await;
    assert_eq!(
        text(root, ".gp-confirm"),
        "In your library. This uses one more download of Editorial."
    );
    assert_eq!(active_class(), "gp-confirm-cancel");

    let cancel: HtmlElement = select(root, ".gp-confirm-cancel")
        .expect("a cancel button")
        .unchecked_into();
    cancel.click();
    settle().await;
    assert!(select(root, ".gp-confirm").is_none());
    assert_eq!(active_class(), "gp-download");
    assert!(select(root, ".gp-delivery")
        .expect("the outcome line")
        .has_attribute("hidden"));
}

#[wasm_bindgen_test]
async fn closing_the_details_puts_focus_back_on_their_card() {
    let mounted = mount(|picker| {
        let view = view! {
            <ul node_ref=picker.focus.grid()>
                <li class="gp-card" data-id="42">
                    <button class="gp-card-open" type="button" tabindex="-1"></button>
                </li>
            </ul>
        };
        (picker.details, view)
    });
    let details = mounted.kept;
    let elsewhere: HtmlElement = document()
        .create_element("button")
        .expect("a button")
        .unchecked_into();
    mounted.stage.append_child(&elsewhere).expect("appended");
    elsewhere.focus().expect("focused");

    details.open(image(), Some("42"));
    assert!(details.shown().is_some());
    details.close();
    assert!(details.shown().is_none());
    assert_eq!(active_class(), "gp-card-open");
}

#[wasm_bindgen_test]
async fn a_download_stands_when_its_details_are_shown_again() {
    let mounted = mount(|picker| {
        let licences = RwSignal::new(Licences::Known(vec![product("p1", "Editorial", 3, "{}")]));
        let first = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        first
            .entry
            .delivery
            .set(getty_picker::components::Delivery::Ready {
                uri: "https://delivery.example/42".into(),
                tab_opened: true,
            });
        // The same image's details, made again: the picker's entry, not a new one.
        let again = DownloadState::new(image(), picker.downloads.entry("42"), licences.into());
        let view = view! { <DownloadControls state=again /> };
        ((), view)
    });
    let root: &Element = &mounted.stage;
    settle().await;
    assert_eq!(text(root, ".gp-download"), "Downloaded");
    assert!(select(root, ".gp-delivery-link").is_some());
}
