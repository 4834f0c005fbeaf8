//! The picker end to end: its release build in headless Chromium, against the real backend
//! and its Getty sandbox over loopback.

mod support;

use fantoccini::key::Key;
use fantoccini::Locator;
use getty_picker_server::sandbox::data;
use support::{eventually, Browser, Sandbox};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_then_download_opens_the_delivery_uri_in_a_new_tab() {
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

    let first = &expected.images[0];
    let card = browser
        .find(&format!(".gp-card[data-id=\"{}\"]", first.asset.id))
        .await;
    let products = browser
        .texts(&format!(
            ".gp-card[data-id=\"{}\"] .gp-products",
            first.asset.id
        ))
        .await
        .join(" ");
    assert!(
        products.contains(first.asset.downloads[0].product_type.as_str()),
        "card offers {products:?}"
    );

    let picker_window = client.window().await.expect("current window");
    card.find(Locator::Css(".gp-download"))
        .await
        .expect("a download button")
        .click()
        .await
        .expect("clicking download");

    let delivery_prefix = format!(
        "{}/sandbox/delivery/{}.",
        sandbox.api_base(),
        first.asset.id
    );
    // Chromium may give the tab a new handle when it leaves about:blank for another origin,
    // so look through every window other than the picker's each time.
    let delivered = eventually("a new tab shows the delivery URI", || async {
        for window in client.windows().await.ok()? {
            if window == picker_window {
                continue;
            }
            client.switch_to_window(window).await.ok()?;
            let url = client.current_url().await.ok()?.to_string();
            if url.starts_with(&delivery_prefix) {
                return Some(url);
            }
        }
        None
    })
    .await;
    let content_type = client
        .execute("return document.contentType", vec![])
        .await
        .expect("reading the tab's content type");
    assert_eq!(content_type, "image/png", "the tab shows an image");

    let response = reqwest::get(&delivered)
        .await
        .expect("the delivery URI answers");
    assert!(response.status().is_success());
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    let bytes = response.bytes().await.expect("the image's bytes");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a real PNG");

    client
        .switch_to_window(picker_window)
        .await
        .expect("back to the picker");
    let link = browser.find(".gp-delivery-link").await;
    assert_eq!(
        link.attr("href").await.expect("href").as_deref(),
        Some(delivered.as_str())
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
    assert_eq!(
        sandbox.counts().search,
        1,
        "only the ticket holder searched"
    );
    browser.close().await;
}
