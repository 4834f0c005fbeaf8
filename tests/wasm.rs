//! Tests that run inside Chromium as wasm (wasm-bindgen-test-runner), for what the end-to-end
//! tests cannot provoke from outside: a release build has no switch to make it panic; the
//! conversion of the browser's `JSON.parse` results, which needs a JavaScript engine; and the
//! lifetime of `dom`'s bindings and listeners, which the page cannot see.

#![cfg(target_arch = "wasm32")]

use getty_picker::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

fn picker_element() -> HtmlElement {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .expect("a document");
    let element: HtmlElement = document
        .create_element("div")
        .expect("a div")
        .dyn_into()
        .expect("an HTML element");
    document
        .body()
        .expect("a body")
        .append_child(&element)
        .expect("appended");
    element
}

#[wasm_bindgen_test]
fn a_crash_replaces_every_mounted_picker_with_a_notice() {
    let elements = [picker_element(), picker_element()];
    let config = Config::from_attributes(|name| match name {
        "data-token-url" => Some("/token".into()),
        "data-api-key" => Some("key".into()),
        _ => None,
    })
    .expect("a valid configuration");
    let handles: Vec<_> = elements
        .iter()
        .map(|element| getty_picker::mount(element.clone(), config.clone()).expect("mounted"))
        .collect();
    for element in &elements {
        let root = element.shadow_root().expect("a shadow root");
        assert!(root
            .query_selector(".gp-search-input")
            .ok()
            .flatten()
            .is_some());
    }

    // What the panic hook installed by `start` runs.
    getty_picker::embed::show_crash();

    for element in &elements {
        let root = element.shadow_root().expect("a shadow root");
        let text = root.text_content().unwrap_or_default();
        assert!(text.contains("stopped working"), "{text}");
        assert!(root
            .query_selector(".gp-search-input")
            .ok()
            .flatten()
            .is_none());
    }
    drop(handles);
}

#[wasm_bindgen_test]
fn browser_json_converts_faithfully() {
    use getty_picker::getty::Json;
    use getty_picker::http::parse_json;

    let json = parse_json(r#"{"id":42,"title":"Cat","ok":true,"none":null,"list":[1.5,"x"]}"#)
        .expect("valid JSON");
    assert_eq!(json.get("id"), &Json::Number(42.0));
    assert_eq!(json.get("title").as_str(), Some("Cat"));
    assert_eq!(json.get("ok"), &Json::Bool(true));
    assert_eq!(json.get("none"), &Json::Null);
    assert_eq!(
        json.get("list"),
        &Json::Array(vec![Json::Number(1.5), Json::String("x".into())])
    );
    assert_eq!(parse_json("{not json"), None);
    assert_eq!(parse_json(""), None);
}

#[wasm_bindgen_test]
fn hostile_nesting_is_cut_off_instead_of_exhausting_the_stack() {
    use getty_picker::getty::Json;
    use getty_picker::http::parse_json;

    // Far deeper than the wasm stack could recurse through.
    let depth = 200_000;
    let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let json = parse_json(&text).expect("valid JSON");
    let mut value = &json;
    let mut levels = 0;
    while let Json::Array(items) = value {
        value = &items[0];
        levels += 1;
    }
    assert!(levels < 100, "{levels} levels were converted");
    assert_eq!(value, &Json::Null);
}

#[wasm_bindgen_test]
async fn dom_bindings_follow_signals_and_stop_with_their_owner() {
    use std::cell::Cell;
    use std::rc::Rc;

    use getty_picker::dom::El;
    use leptos::prelude::*;

    let _ = any_spawner::Executor::init_wasm_bindgen();
    let clicks = Rc::new(Cell::new(0));
    // Outside the owner, so that it outlives what is built under it.
    let count = RwSignal::new(0);
    let owner = Owner::new();
    let button = owner.with(|| {
        let clicked = Rc::clone(&clicks);
        let button = El::new("button")
            .bind_text(move || format!("count {}", count.get()))
            .bind_flag("disabled", move || count.get() > 5)
            .bind_child(move || (count.get() % 2 == 1).then(|| El::new("span").text("odd")))
            .on("click", move |_| clicked.set(clicked.get() + 1));
        button.into_element()
    });
    let button: HtmlElement = button.dyn_into().expect("a button");
    let odd = |button: &HtmlElement| button.query_selector("span").ok().flatten().is_some();
    assert_eq!(button.text_content().as_deref(), Some("count 0"));
    assert!(!odd(&button));

    count.set(1);
    leptos::task::tick().await;
    assert_eq!(button.text_content().as_deref(), Some("count 1odd"));
    assert!(odd(&button));
    count.set(6);
    leptos::task::tick().await;
    assert!(!odd(&button), "the odd child is taken out again");
    assert!(button.has_attribute("disabled"));
    count.set(2);
    leptos::task::tick().await;
    assert!(!button.has_attribute("disabled"));

    button.click();
    assert_eq!(clicks.get(), 1);
    owner.cleanup();
    // The listener and the bindings went with their owner.
    button.click();
    assert_eq!(clicks.get(), 1);
    count.set(3);
    leptos::task::tick().await;
    assert_eq!(button.text_content().as_deref(), Some("count 2"));
    assert!(!odd(&button));
}
