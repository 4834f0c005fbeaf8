//! Tests that run inside Chromium as wasm (wasm-bindgen-test-runner), for what the end-to-end
//! tests cannot provoke from outside: a release build has no switch to make it panic.

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
