//! Opening one image's details as the picker mounts (`data-open-image`, the element's
//! `open-image`, the script option `openImage`): the picker asks Getty for that image and shows
//! its details with the licensing controls, as if the editor had opened its card; closing them
//! leaves the empty picker. A CMS uses it to license in place an image it holds as a comp.

use crate::support;

use getty_sandbox::data;
use serde_json::{json, Value};
use support::{eventually, host_event, settle, Browser, Sandbox};

/// An image the sandbox knows (the first of "kitties").
fn kitty() -> data::Image {
    data::search_family("kitties", None, 1, 30)
        .images
        .into_iter()
        .next()
        .expect("the sandbox has kitties")
}

/// Writes a page `name` whose `body` holds the pickers, with `tests/pages/spy.js` recording the
/// host events, and returns its URL.
fn page(sandbox: &Sandbox, name: &str, body: &str) -> String {
    sandbox.write("spy.js", include_str!("../pages/spy.js"));
    sandbox.write(
        name,
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<script src="/spy.js"></script><script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Article</h1>{body}</main></body></html>"#
        ),
    );
    format!("{}{name}", sandbox.page_url())
}

/// The attributes every picker of these pages has, as `data-*` attributes (`prefix` "data-") or
/// as the element's (`prefix` "").
fn attributes(sandbox: &Sandbox, prefix: &str) -> String {
    let api = sandbox.api_base();
    format!(
        r#"{prefix}token-url="{api}/token" {prefix}api-key="sandbox-api-key" {prefix}api-base="{api}" {prefix}open-tab="false""#
    )
}

/// The texts of the details' description list, as (term, definition) pairs.
async fn details(browser: &Browser, host: &str) -> Vec<(String, String)> {
    let terms = browser.texts_in(host, ".gp-panel-facts dt").await;
    let values = browser.texts_in(host, ".gp-panel-facts dd").await;
    terms.into_iter().zip(values).collect()
}

/// Which element of the picker on `host` has the keyboard focus, by its class.
async fn focused(browser: &Browser, host: &str) -> Value {
    browser
        .eval(&format!(
            "return document.querySelector({host:?}).shadowRoot.activeElement?.className ?? null"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_opened_at_mount_shows_its_details_and_licenses_it() {
    let sandbox = Sandbox::start().await;
    let kitty = kitty();
    let id = kitty.asset.id.clone();
    let url = page(
        &sandbox,
        "open.html",
        &format!(
            r#"<div id="picker" data-getty-picker {} data-open-image="{id}"></div>"#,
            attributes(&sandbox, "data-")
        ),
    );
    let browser = Browser::open_url(&url).await;
    browser.find(".gp-panel .gp-panel-title").await;
    let shown = details(&browser, "#picker").await;
    assert!(
        shown.contains(&("ID".to_owned(), id.clone())),
        "the details name the image: {shown:?}"
    );
    assert!(
        shown.contains(&("Credit".to_owned(), kitty.asset.credit_line.clone())),
        "Getty's own credit line: {shown:?}"
    );
    let asked = browser.request_urls(&format!("/v3/images/{id}?")).await;
    assert_eq!(asked.len(), 1, "one question for the image: {asked:?}");
    for field in ["largest_downloads", "credit_line", "allowed_use", "thumb"] {
        assert!(asked[0].contains(field), "{field} in {}", asked[0]);
    }
    let counts = sandbox.counts();
    assert_eq!((counts.image, counts.search), (1, 0), "no search was made");
    assert_eq!(focused(&browser, "#picker").await, json!("gp-panel-close"));

    // The licensing controls are the card's: one download, told to the host.
    browser
        .find(".gp-panel .gp-download")
        .await
        .click()
        .await
        .expect("clicking Download");
    let downloaded = host_event(&browser, "download").await["detail"].clone();
    assert_eq!(downloaded["id"], json!(id));
    assert_eq!(downloaded["credit_line"], json!(kitty.asset.credit_line));
    browser.find(".gp-panel .gp-delivery-link").await;
    settle().await;
    assert_eq!(sandbox.counts().download, 1);

    // Closing leaves the ordinary empty picker, the search box focused.
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("closing the details");
    eventually("the details close", || async {
        browser.texts(".gp-panel").await.is_empty().then_some(())
    })
    .await;
    assert!(browser.texts(".gp-card").await.is_empty());
    browser.wait_for_status("Type a phrase").await;
    assert_eq!(focused(&browser, "#picker").await, json!("gp-search-input"));
    assert_eq!(sandbox.counts().search, 0);
    browser.close().await;
}

support::every_engine!(the_element_and_the_script_api_open_an_image_as_the_attribute_does);
/// The script API's page imports the entry module from an inline module beside the `<script
/// type="module" src>` that loads it: WebKit evaluates such a second importer before the entry
/// module's top-level await has finished (`scripts/write-entry.sh`).
async fn the_element_and_the_script_api_open_an_image_as_the_attribute_does() {
    let sandbox = Sandbox::start().await;
    let id = kitty().asset.id;
    let url = page(
        &sandbox,
        "open-element.html",
        &format!(
            r#"<getty-picker id="element" {} open-image="{id}"></getty-picker>"#,
            attributes(&sandbox, "")
        ),
    );
    let browser = Browser::start().await;
    browser.client.goto(&url).await.expect("the page loads");
    browser.find_in("#element", ".gp-panel-facts dd").await;
    let found = details(&browser, "#element").await;
    assert!(found.contains(&("ID".to_owned(), id.clone())), "{found:?}");

    let api = sandbox.api_base();
    let url = page(
        &sandbox,
        "open-script.html",
        &format!(
            r#"<div id="target"></div><script type="module">
import {{ GettyPicker }} from "/getty-picker.js";
GettyPicker.mount(document.getElementById("target"), {{
  tokenUrl: "{api}/token", apiKey: "sandbox-api-key", apiBase: "{api}", openTab: false,
  openImage: "{id}",
}});
</script>"#
        ),
    );
    browser.client.goto(&url).await.expect("the page loads");
    browser.find_in("#target", ".gp-panel-facts dd").await;
    let found = details(&browser, "#target").await;
    assert!(found.contains(&("ID".to_owned(), id.clone())), "{found:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_getty_does_not_know_says_so_and_closing_leaves_the_empty_picker() {
    let sandbox = Sandbox::start().await;
    let url = page(
        &sandbox,
        "open-unknown.html",
        &format!(
            r#"<div id="picker" data-getty-picker {} data-open-image="999000999"></div>"#,
            attributes(&sandbox, "data-")
        ),
    );
    let browser = Browser::open_url(&url).await;
    let notice = browser.find(".gp-panel-status[role=alert]").await;
    let text = notice.text().await.expect("the notice's text");
    assert!(
        text.contains("999000999") && text.contains("404"),
        "says which image and why: {text:?}"
    );
    let error = host_event(&browser, "error").await["detail"].clone();
    assert_eq!(error["kind"], json!("image"));
    assert_eq!(error["status"], json!(404));
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("closing the notice");
    eventually("the notice closes", || async {
        browser.texts(".gp-panel").await.is_empty().then_some(())
    })
    .await;
    // The picker works as ever.
    browser.search("kitties").await;
    browser
        .wait_for_titles(&support::titles("kitties", None, 1, 30))
        .await;
    browser.close().await;
}
