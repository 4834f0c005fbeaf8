//! Tests that run inside Chromium as wasm (wasm-bindgen-test-runner), for what the end-to-end
//! tests cannot provoke from outside: a release build has no switch to make it panic, and the
//! decoding of the browser's `JSON.parse` results with serde-wasm-bindgen, which needs a
//! JavaScript engine (hostile nesting included); and components mounted alone (`download`).

#![cfg(target_arch = "wasm32")]

use getty_picker::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/download.rs"]
mod download;
#[path = "wasm/search.rs"]
mod search;

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
fn answers_decode_from_the_browsers_parser_as_natively() {
    use getty_picker::getty::{SearchPage, TokenAnswer};
    use getty_picker::transport::{parse_json, JsonError};

    // serde-wasm-bindgen sees numbers, nulls and lists as the browser made them.
    let page: SearchPage = parse_json(
        r#"{"result_count":"12","images":[{"id":42,"title":"Cat","max_dimensions":{"width":4500,"height":3000},
            "display_sizes":[{"name":"thumb","uri":"https://t/1"}],"unknown":{"x":[1,2]},
            "largest_downloads":[{"product_id":7,"product_type":"easyaccess","uri":"https://a/1"},"junk"]},
            17, null, {"title":"no id"}, {"id":"083","title":null}]}"#,
    )
    .expect("a search answer");
    assert_eq!(page.result_count, Some(12));
    let ids: Vec<_> = page
        .images
        .items
        .iter()
        .map(|image| image.id.as_str())
        .collect();
    assert_eq!(ids, ["42", "083"]);
    assert_eq!(page.images.skipped, 3);
    let cat = &page.images.items[0];
    assert_eq!(cat.title.as_deref(), Some("Cat"));
    assert_eq!(cat.dimensions(), Some((4500, 3000)));
    assert_eq!(cat.display_uri("thumb"), Some("https://t/1"));
    assert_eq!(cat.downloads().len(), 1);
    assert_eq!(cat.downloads()[0].product_id.as_deref(), Some("7"));
    assert_eq!(cat.largest_downloads.skipped, 1);

    let token: TokenAnswer =
        parse_json(r#"{"access_token":"abc","expires_in":"1800","token_id":"f00"}"#)
            .expect("a token");
    assert_eq!(token.access_token.as_deref(), Some("abc"));
    assert_eq!(token.expires_in, Some(1800));
    assert_eq!(token.token_id.as_deref(), Some("f00"));
    assert_eq!(
        parse_json::<SearchPage>("{not json").err(),
        Some(JsonError::NotJson)
    );
    assert_eq!(
        parse_json::<SearchPage>("[1]").err(),
        Some(JsonError::NotAnObject)
    );
}

#[wasm_bindgen_test]
fn hostile_nesting_neither_exhausts_the_stack_nor_costs_the_page() {
    use getty_picker::getty::SearchPage;
    use getty_picker::transport::parse_json;

    // Far deeper than the wasm stack could recurse through, where the picker reads and where
    // it does not: serde-wasm-bindgen skips what it ignores without descending into it.
    let deep = format!("{}1{}", "[".repeat(200_000), "]".repeat(200_000));
    let text = format!(
        r#"{{"images":[{{"id":"1","junk":{deep},"title":{deep},"largest_downloads":{deep}}},{deep}]}}"#
    );
    let page: SearchPage = parse_json(&text).expect("still a search answer");
    assert_eq!(page.images.items.len(), 1);
    assert_eq!(page.images.items[0].title, None);
    assert!(page.images.items[0].downloads().is_empty());
    assert_eq!(page.images.skipped, 1);
}
