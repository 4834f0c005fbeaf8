//! The picker end to end: its release build in headless Chromium, against the real backend
//! and its Getty sandbox over loopback.

use crate::support;

use std::time::Duration;

use fantoccini::key::Key;
use getty_sandbox::{data, Endpoint, Fault};
use support::{eventually, Browser, Sandbox};

/// What the details say once a delivery is shown in a new tab.
const TAB_OPENED: &str = "Handed to your browser in a new tab";

support::every_engine!(search_then_download_saves_the_delivered_file);
async fn search_then_download_saves_the_delivered_file() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    client
        .goto(&sandbox.page_url())
        .await
        .expect("the dev page loads");

    let input = browser.find(".gp-search-input").await;
    input
        .send_keys(&format!("kitties{}", char::from(Key::Enter)))
        .await
        .expect("typing into the search box");

    let expected = data::search("kitties", 1, 30);
    let expected_titles: Vec<String> = expected.images.iter().map(|i| i.title.clone()).collect();
    let titles = eventually("the sandbox's results are shown", || async {
        let titles = browser.texts(".gp-card .gp-title").await;
        (titles.len() == expected_titles.len()).then_some(titles)
    })
    .await;
    assert_eq!(titles, expected_titles);
    let status = browser
        .find(".gp-status")
        .await
        .text()
        .await
        .expect("status text");
    let total = expected.result_count;
    assert!(total >= 1000, "the sandbox reports thousands of results");
    assert!(
        status.contains(&format!("{},{:03} results", total / 1000, total % 1000)),
        "status {status:?} shows the result count {total}"
    );

    // The card is the picture and its title; licensing is in the details it opens.
    let first = &expected.images[0];
    browser.open_details(&first.asset.id).await;
    let offer = eventually("the details name the product it downloads with", || async {
        let offer = browser.texts(".gp-panel .gp-products").await.join(" ");
        (offer == "Easy Access · Everyone").then_some(offer)
    })
    .await;
    assert_eq!(offer, "Easy Access · Everyone");

    browser
        .find(".gp-panel .gp-download")
        .await
        .click()
        .await
        .expect("clicking download");

    // A tab was opened for the delivery (the click's permission to open one held), not refused.
    let note = eventually("the details say where the delivery went", || async {
        let note = browser.texts(".gp-panel .gp-delivery").await.join(" ");
        (!note.trim().is_empty()).then_some(note)
    })
    .await;
    assert!(note.contains(TAB_OPENED), "{note}");
    // Getty serves the file as an attachment: the new tab turns into a download, and the tab
    // is closed (by the browser, or in WebKit by the picker), so the editor is left with the
    // file and no blank tab.
    let file = format!("GettyImages-{}.png", first.asset.id);
    eventually("the browser saves the delivered file", || async {
        browser.downloaded_files().contains(&file).then_some(())
    })
    .await;
    assert!(
        browser.downloaded(&file).starts_with(b"\x89PNG\r\n\x1a\n"),
        "a real PNG"
    );
    eventually("no tab is left behind", || async {
        (client.windows().await.ok()?.len() == 1).then_some(())
    })
    .await;

    let link = browser.find(".gp-delivery-link").await;
    let delivered = link.attr("href").await.expect("href").unwrap_or_default();
    let delivery_prefix = format!(
        "{}/sandbox/delivery/downloads/{}?",
        sandbox.api_base(),
        first.asset.id
    );
    assert!(delivered.starts_with(&delivery_prefix), "{delivered}");
    let response = reqwest::get(&delivered)
        .await
        .expect("the delivery URI answers");
    assert!(response.status().is_success());
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(header("content-type").as_deref(), Some("image/png"));
    assert!(
        header("content-disposition").is_some_and(|value| value.starts_with("attachment")),
        "served as Getty serves it: {:?}",
        header("content-disposition")
    );

    let counts = sandbox.counts();
    assert_eq!(counts.download, 1, "exactly one download POST: {counts:?}");
    assert_eq!(counts.search, 1, "one search: {counts:?}");
    assert_eq!(
        counts.token, 1,
        "the token was fetched once and reused: {counts:?}"
    );
    browser.close().await;
}

/// A backend that takes tickets signed by the CMS (`PICKER_TICKET_SECRET`) instead of anyone's
/// request: a picker carrying a valid `data-ticket` searches; one with an expired ticket, or
/// none, gets no token and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_signed_by_the_cms_decide_who_gets_a_token() {
    const SECRET: &str = "0123456789abcdef0123456789abcdef-test";
    let sandbox = Sandbox::start_configured(|config| {
        config.ticket_secret = Some(getty_picker_server::config::Secret::new(SECRET));
    })
    .await;
    let token_url = format!("{}/token", sandbox.api_base());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("a clock after 1970")
        .as_secs();
    let valid = getty_picker_server::ticket::sign(SECRET, "editor@example.com", now + 600);
    let expired = getty_picker_server::ticket::sign(SECRET, "editor@example.com", now - 60);
    let url = sandbox.page_with_pickers(
        "tickets.html",
        &[
            ("valid", &token_url, &format!(r#"data-ticket="{valid}""#)),
            (
                "expired",
                &token_url,
                &format!(r#"data-ticket="{expired}""#),
            ),
            ("none", &token_url, ""),
        ],
    );
    let browser = Browser::open_url(&url).await;
    let kitties: Vec<String> = data::search("kitties", 1, 30)
        .images
        .iter()
        .map(|image| image.title.clone())
        .collect();
    browser.search_in("#valid", "kitties").await;
    browser.wait_for_titles_in("#valid", &kitties).await;
    for refused in ["#expired", "#none"] {
        browser.search_in(refused, "kitties").await;
        let status = eventually("the refusal is shown", || async {
            let status = browser.texts_in(refused, ".gp-status").await.join(" ");
            status.contains("Search failed").then_some(status)
        })
        .await;
        assert!(status.contains("401"), "{refused}: {status}");
        assert!(browser.texts_in(refused, ".gp-card").await.is_empty());
    }
    // Scrolling to the other pickers may page the first one; a first page is a new search.
    let first_pages: Vec<String> = browser
        .request_urls("/v3/search/images")
        .await
        .into_iter()
        .filter(|url| url.contains("&page=1&"))
        .collect();
    assert_eq!(
        first_pages.len(),
        1,
        "only the ticket holder searched: {first_pages:?}"
    );
    browser.close().await;
}

support::every_engine!(a_late_answer_from_getty_still_gets_its_tab_and_leaves_none);
/// Getty answering a download 6 s after the click, when Blink and Gecko no longer let the click
/// open a tab (5 s) and WebKit long since not: the tab was opened blank while it still could be
/// (in WebKit inside the click, elsewhere 4 s after it), says what it waits for, is pointed at
/// the delivery, and goes once the file is saved; the details never fall back to the link.
async fn a_late_answer_from_getty_still_gets_its_tab_and_leaves_none() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let client = &browser.client;
    let id = data::search("kitties", 1, 30).images[0].asset.id.clone();
    browser.open_details(&id).await;
    let card = ".gp-panel";
    sandbox.inject(Endpoint::Download, Fault::Delay(Duration::from_secs(6)), 1);
    browser
        .find(&format!("{card} .gp-download"))
        .await
        .click()
        .await
        .expect("clicking download");

    let main = client.window().await.expect("the picker's window");
    let waiting = eventually("a tab waits for the delivery", || async {
        let windows = client.windows().await.ok()?;
        windows.into_iter().find(|window| *window != main)
    })
    .await;
    assert!(
        browser
            .texts(&format!("{card} .gp-delivery-link"))
            .await
            .is_empty(),
        "the tab opened before Getty answered"
    );
    // Read in the tab itself (it keeps its page when the delivery turns into a download).
    client
        .switch_to_window(waiting)
        .await
        .expect("switching to the waiting tab");
    let title = client.title().await.expect("the waiting tab's title");
    client
        .switch_to_window(main)
        .await
        .expect("switching back to the picker");
    assert_eq!(title, "Downloading from Getty Images…");

    let note = eventually("the details say where the delivery went", || async {
        let note = browser
            .texts(&format!("{card} .gp-delivery"))
            .await
            .join(" ");
        (!note.trim().is_empty()).then_some(note)
    })
    .await;
    assert!(note.contains(TAB_OPENED), "{note}");
    let file = format!("GettyImages-{id}.png");
    eventually("the browser saves the delivered file", || async {
        (browser.downloaded_files() == [file.clone()]).then_some(())
    })
    .await;
    eventually("no tab is left behind", || async {
        (client.windows().await.ok()?.len() == 1).then_some(())
    })
    .await;
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());
    browser.close().await;
}
