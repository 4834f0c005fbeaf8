//! The `<getty-picker>` custom element that the entry module defines: the hostile host pages of
//! tests/browser/embedding.rs with the element instead of the `data-getty-picker` form (real CSP header,
//! hostile CSS, a host form), events reaching the document, removal destroying the picker,
//! re-insertion, attribute changes and elements created from script. Headless Chromium against
//! the backend's sandbox; the pages are served by a stand-in CMS on another origin.

use crate::support;

use std::time::Duration;

use fantoccini::key::Key;
use getty_sandbox::{data, Endpoint, Fault};
use serde_json::json;
use support::{
    assert_pickers_keep_their_look, eventually, host_event, in_picker, settle, wait_for_results,
    Browser, CmsHost, Sandbox,
};

/// The attribute-form test pages, rewritten to use the element (see [`as_elements`]).
const ELEMENT_PAGES: [(&str, &str); 2] = [
    ("element-csp.html", include_str!("../pages/csp.html")),
    (
        "element-hostile.html",
        include_str!("../pages/hostile.html"),
    ),
];

/// What those pages load, as they are.
const FILES: [(&str, &str); 4] = [
    ("spy.js", include_str!("../pages/spy.js")),
    ("snapshot.js", include_str!("../pages/snapshot.js")),
    ("hostile.css", include_str!("../pages/hostile.css")),
    ("api.html", include_str!("../pages/api.html")),
];

/// Turns a page whose pickers are `<div data-getty-picker data-…>` into the same page with
/// `<getty-picker …>` elements carrying the same attributes without `data-`, so both forms are
/// tested in the very same hostile page.
fn as_elements(page: &str) -> String {
    let pickers = page.matches("data-getty-picker").count();
    assert!(
        pickers > 0 && page.matches("<div").count() == pickers,
        "every <div> of the page is a picker, so each becomes an element"
    );
    page.replace("<div", "<getty-picker")
        .replace("</div>", "</getty-picker>")
        .replace("data-getty-picker", "")
        .replace("data-", "")
}

/// The sandbox with the test pages, and the CMS that serves them with a strict CSP.
struct Site {
    sandbox: Sandbox,
    cms: CmsHost,
}

impl Site {
    async fn start() -> Self {
        let sandbox = Sandbox::start().await;
        let api = sandbox.api_base();
        for (name, contents) in ELEMENT_PAGES {
            sandbox.write(name, &as_elements(contents).replace("{{API}}", &api));
        }
        for (name, contents) in FILES {
            sandbox.write(name, &contents.replace("{{API}}", &api));
        }
        let cms = sandbox.cms().await;
        Self { sandbox, cms }
    }

    /// Opens `page` and waits for the picker in the element matching `host`.
    async fn open(&self, page: &str, host: &str) -> Browser {
        let browser = Browser::start().await;
        browser
            .client
            .goto(&self.cms.url(page))
            .await
            .unwrap_or_else(|error| panic!("{page} loads: {error}"));
        browser.find_in(host, ".gp-status").await;
        browser
            .eval("performance.setResourceTimingBufferSize(100000); return true")
            .await;
        browser
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_strict_csp_header_the_element_searches_downloads_and_tells_the_document() {
    let site = Site::start().await;
    let browser = site.open("element-csp.html", "#getty-first").await;
    assert_eq!(
        browser
            .eval("return document.querySelector('#getty-first').constructor.name")
            .await,
        json!("GettyPickerElement"),
        "the element is upgraded"
    );
    browser.search_in("#getty-first", "kitties").await;
    wait_for_results(&browser, "#getty-first", "kitties", 30).await;
    eventually("the first thumbnail is loaded", || async {
        let loaded = in_picker(
            &browser,
            "#getty-first",
            ".gp-thumb-image",
            "el.complete && el.naturalWidth > 0",
        )
        .await;
        (loaded == json!(true)).then_some(())
    })
    .await;

    let image = &data::search("kitties", 1, 30).images[0];
    let card = format!(".gp-card[data-id=\"{}\"]", image.asset.id);
    browser
        .find_in("#getty-first", &format!("{card} .gp-select"))
        .await
        .click()
        .await
        .expect("clicking use this image");
    let select = host_event(&browser, "select").await;
    assert_eq!(select["target"], "getty-first");
    assert_eq!(select["detail"]["id"], image.asset.id.as_str());

    browser
        .find_in("#getty-first", &format!("{card} .gp-download"))
        .await
        .click()
        .await
        .expect("clicking download");
    let event = host_event(&browser, "download").await;
    let href = browser
        .find_in("#getty-first", &format!("{card} .gp-delivery-link"))
        .await
        .attr("href")
        .await
        .expect("href")
        .expect("a link");
    assert_eq!(event["type"], "getty-picker:download");
    assert_eq!(event["target"], "getty-first");
    let detail = &event["detail"];
    assert_eq!(
        [
            &detail["id"],
            &detail["title"],
            &detail["product_type"],
            &detail["uri"]
        ],
        [
            &json!(image.asset.id),
            &json!(image.title),
            &json!("easyaccess"),
            &json!(href)
        ]
    );
    assert_eq!(browser.eval("return spy.violations").await, json!([]));

    // The misconfigured element says what is wrong, under the attribute's own name.
    let notice = eventually("the broken element shows a notice", || async {
        let text = browser
            .eval(
                "return document.querySelector('#getty-broken [role=alert]')?.textContent ?? null",
            )
            .await;
        text.as_str().map(str::to_owned)
    })
    .await;
    assert!(
        notice.contains("`api-key`") && !notice.contains("data-"),
        "{notice:?}"
    );

    // A failed search reaches the document too.
    site.sandbox.inject(Endpoint::Search, Fault::Status(500), 1);
    browser.search_in("#getty-first", "puppies").await;
    let error = host_event(&browser, "error").await;
    assert_eq!(error["target"], "getty-first");
    assert_eq!(error["detail"]["kind"], "search");
    assert_eq!(error["detail"]["status"], 500);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_css_and_a_host_form_do_not_reach_into_the_element_nor_it_out() {
    let site = Site::start().await;
    let browser = site.open("element-hostile.html", "#getty-first").await;
    browser.find_in("#getty-second", ".gp-status").await;

    let changed = browser
        .eval(
            "return Object.entries(spy.before).flatMap(([id, before]) => {
                 const now = getComputedStyle(document.getElementById(id));
                 return Object.keys(before).filter(p => now.getPropertyValue(p) !== before[p])
                     .map(p => `${id} ${p}: ${before[p]} -> ${now.getPropertyValue(p)}`);
             })",
        )
        .await;
    assert_eq!(changed, json!([]), "the host's elements kept their styles");
    assert!(
        browser
            .eval("return Object.keys(spy.before['host-input']).length")
            .await
            .as_u64()
            .unwrap_or(0)
            > 100,
        "the snapshot holds the computed styles"
    );
    let light_dom = browser
        .eval(
            "return [document.styleSheets.length, document.adoptedStyleSheets.length,
                     document.querySelectorAll('[class*=\"gp-\"], .getty-picker').length]",
        )
        .await;
    assert_eq!(
        light_dom,
        json!([1, 0, 0]),
        "nothing of the widget's in the page"
    );

    assert_pickers_keep_their_look(&browser, "#getty-first", "#getty-second").await;

    // Inside the host form, Enter searches and never submits.
    browser.search_in("#getty-first", "kitties").await;
    wait_for_results(&browser, "#getty-first", "kitties", 30).await;
    let input = browser.find_in("#getty-first", ".gp-search-input").await;
    input
        .send_keys(&format!(" cats{}", char::from(Key::Enter)))
        .await
        .expect("typing");
    wait_for_results(&browser, "#getty-first", "kitties cats", 30).await;
    // open-tab="false" on the second element: a download opens no window.
    browser.search_in("#getty-second", "dogs").await;
    wait_for_results(&browser, "#getty-second", "dogs", 30).await;
    let id = data::search("dogs", 1, 30).images[0].asset.id.clone();
    let download = browser
        .find_in(
            "#getty-second",
            &format!(".gp-card[data-id=\"{id}\"] .gp-download"),
        )
        .await;
    browser.click_when_still(&download).await;
    let event = host_event(&browser, "download").await;
    assert_eq!(event["target"], "getty-second");
    settle().await;
    assert_eq!(browser.eval("return spy.submits").await, json!(0));
    assert_eq!(browser.client.windows().await.expect("windows").len(), 1);
    let submits = browser
        .eval("document.getElementById('host-button').click(); return spy.submits")
        .await;
    assert_eq!(submits, json!(1), "the host's button submits");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removal_destroys_the_picker_a_move_keeps_it_and_reinsertion_mounts_it_again() {
    let site = Site::start().await;
    let browser = site.open("element-csp.html", "#getty-first").await;
    browser
        .eval(
            "window.element = document.getElementById('getty-first');
             window.home = element.parentNode;
             return true",
        )
        .await;

    // A move (out and back in one task) keeps the picker and what the editor typed.
    let kept = browser
        .eval(
            "const input = element.shadowRoot.querySelector('.gp-search-input');
             input.value = 'kept';
             home.append(element);
             return Promise.resolve().then(() =>
                 element.shadowRoot.querySelector('.gp-search-input') === input && input.value)",
        )
        .await;
    assert_eq!(kept, json!("kept"));

    // Removed while a search waits for its debounce: the search never goes out.
    let removed = browser
        .eval(
            "const driver = spy.driverTimers();
             const input = element.shadowRoot.querySelector('.gp-search-input');
             input.value = 'puppies';
             input.dispatchEvent(new Event('input', {bubbles: true}));
             const pending = spy.timersBesides(driver).length;
             element.remove();
             return Promise.resolve().then(() => [pending > 0, spy.timersBesides(driver),
                 [...element.shadowRoot.children].map(c => c.localName)])",
        )
        .await;
    assert_eq!(
        removed,
        json!([true, [], ["slot"]]),
        "no timer or node left once the element is out of the document"
    );
    settle().await;
    assert_eq!(browser.requests_to("phrase=puppies").await, 0);
    assert_eq!(site.sandbox.counts().search, 0);

    // Re-inserted: a fresh picker. Removed while its first search is in flight: the answer
    // changes nothing and says nothing, and nothing more is asked.
    browser.eval("home.append(element); return true").await;
    site.sandbox.inject(
        Endpoint::Search,
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    browser.search_in("#getty-first", "birds").await;
    eventually("the slow search reaches the sandbox", || async {
        (site.sandbox.counts().search == 1).then_some(())
    })
    .await;
    browser.eval("element.remove(); return true").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    settle().await;
    assert_eq!(
        browser
            .eval("return [[...element.shadowRoot.children].map(c => c.localName), spy.events]")
            .await,
        json!([["slot"], []]),
        "no cards, no event"
    );
    assert_eq!(site.sandbox.counts().search, 1, "no retry, no next page");

    // And back once more: it searches again.
    browser.eval("home.append(element); return true").await;
    browser.search_in("#getty-first", "kitties").await;
    wait_for_results(&browser, "#getty-first", "kitties", 30).await;
    assert_eq!(browser.eval("return spy.violations").await, json!([]));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_element_made_in_script_mounts_and_follows_its_attributes() {
    let site = Site::start().await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.cms.url("api.html"))
        .await
        .expect("the page loads");
    eventually("<getty-picker> is defined", || async {
        (browser
            .eval("return customElements.get('getty-picker')?.name ?? null")
            .await
            == json!("GettyPickerElement"))
        .then_some(())
    })
    .await;
    let api = site.sandbox.api_base();
    browser
        .eval(&format!(
            "window.element = document.createElement('getty-picker');
             element.id = 'made';
             element.setAttribute('token-url', '{api}/token');
             element.setAttribute('api-key', 'sandbox-api-key');
             element.setAttribute('api-base', '{api}');
             element.setAttribute('page-size', '10');
             document.body.append(element);
             return true"
        ))
        .await;
    browser.search_in("#made", "kitties").await;
    wait_for_results(&browser, "#made", "kitties", 10).await;
    assert_eq!(
        browser.texts_in("#made", ".gp-card .gp-title").await.len(),
        10,
        "page-size=\"10\" reached the picker"
    );

    // The events of a scripted element reach the document as well.
    let image = &data::search("kitties", 1, 10).images[0];
    browser
        .find_in(
            "#made",
            &format!(".gp-card[data-id=\"{}\"] .gp-select", image.asset.id),
        )
        .await
        .click()
        .await
        .expect("clicking use this image");
    let select = host_event(&browser, "select").await;
    assert_eq!(select["target"], "made");
    assert_eq!(select["detail"]["title"], image.title.as_str());

    // A changed attribute mounts the picker again with it: creative images only.
    browser
        .eval("element.setAttribute('asset-family', 'creative'); return true")
        .await;
    browser.search_in("#made", "dogs").await;
    let url = browser
        .wait_for_search("a creative search for dogs", |url| {
            url.contains("/v3/search/images/creative") && url.contains("phrase=dogs")
        })
        .await;
    assert!(url.contains("page_size=10"), "{url}");
    assert_eq!(
        browser
            .eval("return element.shadowRoot.querySelectorAll('.gp-search-input').length")
            .await,
        json!(1),
        "one picker, not one per mount"
    );

    // A bad value takes the picker away and says which attribute is wrong; fixing it brings
    // the picker back and the notice goes.
    let notice = browser
        .eval(
            "element.setAttribute('asset-family', 'photos');
             return Promise.resolve().then(() => [
                 element.querySelector('[role=alert]')?.textContent ?? null,
                 [...element.shadowRoot.children].map(c => c.localName)])",
        )
        .await;
    assert!(
        notice[0]
            .as_str()
            .is_some_and(|text| text.contains("`asset-family`") && text.contains("photos")),
        "{notice}"
    );
    assert_eq!(notice[1], json!(["slot"]));
    browser
        .eval("element.removeAttribute('asset-family'); return true")
        .await;
    browser.search_in("#made", "cats").await;
    wait_for_results(&browser, "#made", "cats", 10).await;
    assert_eq!(
        browser
            .eval("return element.querySelector('[role=alert]')")
            .await,
        json!(null)
    );
    browser.close().await;
}
