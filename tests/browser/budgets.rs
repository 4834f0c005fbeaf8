//! Request budgets: the customer's Getty quota and the backend are never spent twice for one
//! intent. Scripted scenarios in headless Chromium against the backend and its sandbox, counted
//! at the sandbox (upstream calls) and in the page (Resource Timing).

use crate::support;

use std::time::Duration;

use fantoccini::actions::{
    InputSource, KeyAction, KeyActions, MouseActions, PointerAction, MOUSE_BUTTON_LEFT,
};
use fantoccini::elements::Element;
use getty_sandbox::{data, Endpoint, Fault};
use serde_json::json;
use support::{eventually, settle, titles, Browser, CmsStandIn, Sandbox, PICKER_ROOT};

/// Opens `url`, whose pickers are `#a`, `#b` and `#c`, searches in all three at once and waits
/// until each shows its results and the network is quiet.
async fn search_three_pickers(url: &str) -> Browser {
    let browser = Browser::open_url(url).await;
    for id in ["#a", "#b", "#c"] {
        browser.find_in(id, ".gp-status").await;
    }
    let searches = [("a", "kitties"), ("b", "dogs"), ("c", "sunsets")];
    search_all_at_once(&browser, &searches).await;
    for (id, phrase) in searches {
        browser
            .wait_for_titles_in(&format!("#{id}"), &titles(phrase, None, 1, 30))
            .await;
    }
    settle().await;
    browser
}

/// Searches `phrase` in each picker `#id` in one script, so all searches start together and
/// their token requests overlap (as when an editor screen restores several pickers at once).
async fn search_all_at_once(browser: &Browser, searches: &[(&str, &str)]) {
    let searches = json!(searches
        .iter()
        .map(|(id, phrase)| json!([id, phrase]))
        .collect::<Vec<_>>());
    let script = format!(
        "for (const [id, phrase] of {searches}) {{
           const input = document.getElementById(id).shadowRoot.querySelector('.gp-search-input');
           input.value = phrase;
           input.dispatchEvent(new Event('input', {{bubbles: true, composed: true}}));
           input.dispatchEvent(new KeyboardEvent('keydown',
             {{key: 'Enter', code: 'Enter', bubbles: true, composed: true, cancelable: true}}));
         }}
         return true"
    );
    browser.eval(&script).await;
}

/// The `page` parameter of a search URL.
fn page_of(url: &str) -> Option<u32> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_kitties_one_key_at_a_time_costs_one_search() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    browser
        .find(".gp-search-input")
        .await
        .click()
        .await
        .expect("focusing the search box");
    // When each edit reached the page: the pauses the picker saw, whatever the driver meant.
    browser
        .eval(
            "window.edits = [];
             document.addEventListener('input', () => edits.push(performance.now()), true);
             return true",
        )
        .await;
    // Real key presses, 80 ms apart (a quick typist, well inside the 300 ms debounce), timed
    // by chromedriver in one command so the test's own latency cannot stretch the pauses.
    let mut keys = KeyActions::new("keyboard".to_owned());
    for key in "kitties".chars() {
        keys = keys
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .pause(Duration::from_millis(80));
    }
    browser
        .client
        .perform_actions(keys)
        .await
        .expect("typing kitties");
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    settle().await;
    let edits: Vec<f64> =
        serde_json::from_value(browser.eval("return edits").await).expect("the edits' times");
    assert_eq!(edits.len(), "kitties".len(), "one edit per key: {edits:?}");
    let pauses: Vec<f64> = edits.windows(2).map(|pair| pair[1] - pair[0]).collect();
    // A machine starved of processor time can deliver two keys further apart than the debounce
    // however the driver timed them; each such pause is a pause in typing and searches what was
    // typed so far. A pause within 50 ms of the debounce may go either way (timers are late too).
    let debounce = 300.0;
    let surely = pauses.iter().filter(|&&p| p > debounce + 50.0).count();
    let maybe = pauses.iter().filter(|&&p| p > debounce - 50.0).count();
    let urls = browser.request_urls("/v3/search/images").await;
    let first_pages: Vec<&String> = urls.iter().filter(|url| url.contains("&page=1&")).collect();
    let pauses_seen = first_pages.len() - 1;
    assert!(
        (surely..=maybe).contains(&pauses_seen),
        "one search, and one more per pause in typing (pauses between edits {pauses:?} ms):          {urls:?}"
    );
    assert!(
        first_pages
            .last()
            .is_some_and(|url| url.contains("phrase=kitties&")),
        "{urls:?}"
    );
    if maybe > 0 {
        // The typist paused: the rest counts a quick typist's searches.
        browser.close().await;
        return;
    }
    // One search, whatever further pages a screen the cards do not fill yet loads.
    assert!(
        urls.iter().all(|url| url.contains("phrase=kitties&")),
        "{urls:?}"
    );
    assert_eq!(
        sandbox.counts().search,
        urls.len() as u64,
        "{:?}",
        sandbox.counts()
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_pickers_on_one_token_url_make_one_token_request() {
    let sandbox = Sandbox::start().await;
    let token_url = format!("{}/token", sandbox.api_base());
    let url = sandbox.page_with_pickers(
        "three.html",
        &[
            ("a", &token_url, ""),
            ("b", &token_url, ""),
            ("c", &token_url, ""),
        ],
    );
    let browser = search_three_pickers(&url).await;
    assert_eq!(browser.requests_to("/token").await, 1);
    assert_eq!(sandbox.counts().token, 1, "{:?}", sandbox.counts());
    assert_eq!(sandbox.counts().search, 3, "{:?}", sandbox.counts());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pickers_with_two_token_urls_make_one_token_request_each() {
    let sandbox = Sandbox::start().await;
    let first = format!("{}/token", sandbox.api_base());
    // Another URL for the same endpoint (the backend ignores unknown query parameters).
    let second = format!("{}/token?picker=c", sandbox.api_base());
    let url = sandbox.page_with_pickers(
        "two-urls.html",
        &[("a", &first, ""), ("b", &first, ""), ("c", &second, "")],
    );
    let browser = search_three_pickers(&url).await;
    assert_eq!(browser.requests_to("/token?picker=c").await, 1);
    assert_eq!(browser.requests_to("/token").await, 2);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_quick_clicks_on_download_spend_one_download() {
    let sandbox = Sandbox::start().await;
    let url = sandbox.page_with_pickers(
        "download.html",
        &[(
            "a",
            &format!("{}/token", sandbox.api_base()),
            r#"data-open-tab="false""#,
        )],
    );
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    let id = data::search("kitties", 1, 30).images[0].asset.id.clone();
    browser.open_details(&id).await;
    // A slow answer, so every click lands while the POST is in flight.
    sandbox.inject(
        Endpoint::Download,
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    let clicked = browser
        .eval(&format!(
            "const button = {PICKER_ROOT}.querySelector('.gp-panel .gp-download');
             for (let i = 0; i < 5; i++) button.click();
             return true"
        ))
        .await;
    assert_eq!(clicked, json!(true));
    browser.find(".gp-panel .gp-delivery-link").await;
    settle().await;
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());
    assert_eq!(browser.requests_to("/v3/downloads/images/").await, 1);
    browser.close().await;
}

/// Clicks where `target` is, as a hurried editor does, whatever the page shows there meanwhile:
/// a triple click, then a single click every 300 ms for 3 s (real pointer input, so each click
/// is a user gesture that may open a tab).
async fn click_burst_at(browser: &Browser, target: &Element) {
    let click = |mouse: MouseActions| {
        mouse
            .then(PointerAction::Down {
                button: MOUSE_BUTTON_LEFT,
            })
            .then(PointerAction::Up {
                button: MOUSE_BUTTON_LEFT,
            })
    };
    let mut mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: target.clone(),
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    for _ in 0..3 {
        mouse = click(mouse);
    }
    for _ in 0..10 {
        mouse = click(mouse.then(PointerAction::Pause {
            duration: Duration::from_millis(300),
        }));
    }
    browser
        .client
        .perform_actions(mouse)
        .await
        .expect("the clicks are performed");
}

/// Bursts of clicks at the download button's spot, with Getty answering after `delay`, spend
/// one download and save one file; the button does not move when the download completes.
async fn a_click_burst_spends_one_download(delay: Option<Duration>) {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let id = data::search("kitties", 1, 30).images[0].asset.id.clone();
    if let Some(delay) = delay {
        sandbox.inject(Endpoint::Download, Fault::Delay(delay), 1);
    }
    browser.open_details(&id).await;
    let button = browser.find(".gp-panel .gp-download").await;
    let before = button.rectangle().await.expect("the button's place");
    click_burst_at(&browser, &button).await;
    browser.find(".gp-panel .gp-delivery-link").await;
    settle().await;
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());
    assert_eq!(browser.requests_to("/v3/downloads/images/").await, 1);
    // Getty's file comes as an attachment: saved once, and its tab closed by the browser.
    eventually("the one delivered file is saved", || async {
        (browser.downloaded_files() == [format!("GettyImages-{id}.png")]).then_some(())
    })
    .await;
    eventually("no tab is left open", || async {
        (browser.client.windows().await.ok()?.len() == 1).then_some(())
    })
    .await;
    let after = button.rectangle().await.expect("the button's place");
    assert_eq!(
        after, before,
        "the download button stays where it was clicked"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_burst_spends_one_download_when_getty_answers_at_once() {
    a_click_burst_spends_one_download(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_burst_spends_one_download_when_getty_is_slow() {
    a_click_burst_spends_one_download(Some(Duration::from_millis(1500))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_through_five_pages_costs_five_searches() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    let mut expected = titles("kitties", None, 1, 30);
    for page in 2..=5 {
        browser
            .eval(&format!(
                "{PICKER_ROOT}.querySelector('.gp-sentinel').scrollIntoView(); return true"
            ))
            .await;
        expected.extend(titles("kitties", None, page, 30));
        browser.wait_for_titles(&expected).await;
    }
    settle().await;
    assert_eq!(sandbox.counts().search, 5, "{:?}", sandbox.counts());
    let urls = browser.request_urls("/v3/search/images").await;
    let pages: Vec<Option<u32>> = urls.iter().map(|url| page_of(url)).collect();
    assert_eq!(
        pages,
        [Some(1), Some(2), Some(3), Some(4), Some(5)],
        "{urls:?}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_library_question_per_page_of_results() {
    let sandbox = Sandbox::start().await;
    let cms = CmsStandIn::start(&sandbox).await;
    sandbox.page_with(
        "library.html",
        r#"data-library-url="/getty-picker/library/""#,
    );
    let browser = Browser::open_url(&cms.url("library.html")).await;
    let ids = |page| -> Vec<String> {
        data::search("kitties", page, 30)
            .images
            .into_iter()
            .map(|image| image.asset.id)
            .collect()
    };
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    settle().await;
    let questions = cms.questions();
    assert_eq!(questions.len(), 1, "{questions:?}");
    assert_eq!(questions[0].ids, ids(1));

    // A further page: one question, about the cards it added only.
    browser
        .eval(&format!(
            "{PICKER_ROOT}.querySelector('.gp-sentinel').scrollIntoView(); return true"
        ))
        .await;
    let mut shown = titles("kitties", None, 1, 30);
    shown.extend(titles("kitties", None, 2, 30));
    browser.wait_for_titles(&shown).await;
    settle().await;
    let questions = cms.questions();
    assert_eq!(questions.len(), 2, "{questions:?}");
    let first = ids(1);
    let added: Vec<String> = ids(2)
        .into_iter()
        .filter(|id| !first.contains(id))
        .collect();
    assert_eq!(questions[1].ids, added);

    // The same search again asks nothing; a new one asks once.
    browser.search("kitties").await;
    settle().await;
    assert_eq!(cms.questions().len(), 2);
    browser.search("puppies").await;
    browser
        .wait_for_titles(&titles("puppies", None, 1, 30))
        .await;
    settle().await;
    assert_eq!(cms.questions().len(), 3);
    assert_eq!(
        sandbox.counts().history,
        0,
        "the library costs Getty nothing"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_history_question_per_download_intent() {
    let sandbox = Sandbox::start().await;
    let kitties = data::search("kitties", 1, 30).images;
    let (fresh, before) = (kitties[0].asset.id.clone(), kitties[1].asset.id.clone());
    sandbox.seed_download(&before, sandbox.products()[0].id, "ann", 1_793_700_000);
    let browser = Browser::open_with_results(&sandbox, "kitties").await;

    // A burst of clicks on an image nobody licensed: one question, one download.
    browser.open_details(&fresh).await;
    let button = browser.find(".gp-panel .gp-download").await;
    click_burst_at(&browser, &button).await;
    browser.find(".gp-panel .gp-delivery-link").await;
    settle().await;
    assert_eq!(sandbox.counts().history, 1, "{:?}", sandbox.counts());
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());

    // Five quick clicks on one licensed before: one question, nothing spent until confirmed.
    browser.open_details(&before).await;
    let clicked = browser
        .eval(&format!(
            "const button = {PICKER_ROOT}.querySelector('.gp-panel .gp-download');
             for (let i = 0; i < 5; i++) button.click();
             return true"
        ))
        .await;
    assert_eq!(clicked, json!(true));
    browser.find(".gp-panel .gp-confirm").await;
    settle().await;
    assert_eq!(sandbox.counts().history, 2, "{:?}", sandbox.counts());
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());
    assert_eq!(browser.requests_to("/downloadhistory").await, 2);
    browser.close().await;
}
