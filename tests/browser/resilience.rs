//! The picker under real-world conditions: fast typing, slow and failing answers, retries,
//! double clicks and hostile data. Headless Chromium against the backend and its sandbox,
//! with faults injected at the sandbox.

use crate::support;

use std::time::Duration;

use fantoccini::key::Key;
use getty_sandbox::{data, Endpoint, Fault};
use serde_json::json;
use support::{eventually, settle, titles, Browser, Sandbox, PICKER_ROOT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_word_costs_one_search() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    let input = browser.find(".gp-search-input").await;
    input.send_keys("kitties").await.expect("typing");
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    // Enter on the phrase already shown must not search again.
    input
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("pressing Enter");
    settle().await;
    assert_eq!(sandbox.counts().search, 1, "{:?}", sandbox.counts());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_searches_at_once_and_a_newer_search_wins() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    // The first search's answer arrives long after the second's.
    sandbox.inject(
        Endpoint::Search,
        Fault::Delay(Duration::from_millis(2500)),
        1,
    );
    browser.search("cats").await;
    browser.wait_for_status("Searching for “cats”").await;
    // The widget's status comes before the request reaches the sandbox (Firefox may still be
    // asking the CORS preflight): "dogs" must follow a "cats" that is really under way.
    eventually("the sandbox receives the first search", || async {
        (sandbox.counts().search == 1).then_some(())
    })
    .await;
    browser.search("dogs").await;
    browser.wait_for_titles(&titles("dogs", None, 1, 30)).await;
    tokio::time::sleep(Duration::from_millis(3000)).await;
    browser.wait_for_titles(&titles("dogs", None, 1, 30)).await;
    browser.wait_for_status("results for “dogs”").await;
    assert_eq!(sandbox.counts().search, 2, "{:?}", sandbox.counts());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_gets_a_fresh_token_and_retries_once() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    sandbox.inject(Endpoint::Search, Fault::Status(401), 1);
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    assert_eq!(sandbox.counts().search, 2);
    assert_eq!(browser.requests_to("/token?refresh=1").await, 1);

    // Two 401s in a row are an error, not a loop.
    sandbox.inject(Endpoint::Search, Fault::Status(401), 2);
    browser.search("puppies").await;
    browser
        .wait_for_status("Search failed: Unauthorized (HTTP 401)")
        .await;
    settle().await;
    assert_eq!(sandbox.counts().search, 4, "{:?}", sandbox.counts());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_searches_back_off_then_give_up_with_a_message() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    sandbox.inject(Endpoint::Search, Fault::Status(429), 2);
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    assert_eq!(sandbox.counts().search, 3);

    sandbox.inject(Endpoint::Search, Fault::Status(429), 10);
    browser.search("puppies").await;
    browser.wait_for_status("(HTTP 429)").await;
    settle().await;
    // One try and three retries.
    assert_eq!(sandbox.counts().search, 3 + 4, "{:?}", sandbox.counts());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_bad_answers_and_dropped_connections_offer_a_retry() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    for (fault, message) in [
        (Fault::Status(500), "Search failed:"),
        (
            Fault::MalformedJson,
            "sent an answer the picker cannot read",
        ),
        (Fault::DropConnection, "could not reach Getty Images"),
    ] {
        // Browsers retry a GET on their own when a reused connection drops (Chromium once,
        // Firefox several times), hence more faults than any of them retries; cleared below.
        sandbox.inject(Endpoint::Search, fault, 20);
        browser.search("kitties").await;
        browser.wait_for_status(message).await;
        sandbox.clear_faults();
        browser
            .find(".gp-retry")
            .await
            .click()
            .await
            .expect("retry");
        browser
            .wait_for_titles(&titles("kitties", None, 1, 30))
            .await;
        // Leave the phrase so that the next round searches again.
        browser.search("x").await;
        browser.wait_for_titles(&titles("x", None, 1, 30)).await;
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_token_service_is_reported_with_a_retry() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    // Getty's token endpoint fails, so the backend answers 502.
    sandbox.inject(Endpoint::Token, Fault::Status(503), 1);
    browser.search("kitties").await;
    browser.wait_for_status("Search failed:").await;
    assert_eq!(sandbox.counts().search, 0, "no search without a token");
    browser
        .find(".gp-retry")
        .await
        .click()
        .await
        .expect("retry");
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    browser.close().await;
}

/// Opens the details of the card for `id` and clicks their download button.
async fn click_download(browser: &Browser, id: &str) {
    browser.open_details(id).await;
    browser
        .find(".gp-panel .gp-download")
        .await
        .click()
        .await
        .expect("clicking download");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_clicks_spend_one_download_and_reopening_is_free() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let id = data::search("kitties", 1, 30).images[0].asset.id.clone();
    // Slow answer, so every click lands while the POST is in flight.
    sandbox.inject(
        Endpoint::Download,
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    browser.open_details(&id).await;
    let button = browser.find(".gp-panel .gp-download").await;
    let selector = ".gp-panel .gp-download";
    browser
        .eval(&format!(
            "const b = {PICKER_ROOT}.querySelector('{selector}');
             for (let i = 0; i < 5; i++) b.click();
             return true"
        ))
        .await;
    let busy = browser
        .eval(&format!(
            "return {PICKER_ROOT}.querySelector('{selector}').disabled"
        ))
        .await;
    assert_eq!(busy, json!(true), "the button is busy during the POST");
    browser.find(".gp-panel .gp-delivery-link").await;
    settle().await;
    assert_eq!(sandbox.counts().download, 1, "{:?}", sandbox.counts());

    // Done: the button says so and another click on it spends nothing.
    assert_eq!(button.text().await.expect("its label"), "Downloaded");
    button.click().await.expect("clicking the done button");
    settle().await;
    assert_eq!(
        sandbox.counts().download,
        1,
        "a click on a done download spends nothing"
    );

    // Closed and opened again, the details still say "Downloaded": nothing is spent twice.
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("closing the details");
    browser.open_details(&id).await;
    let button = browser.find(".gp-panel .gp-download").await;
    assert_eq!(button.text().await.expect("its label"), "Downloaded");
    button.click().await.expect("clicking the done button");
    settle().await;
    assert_eq!(sandbox.counts().download, 1);

    // Spending again is deliberate: "Download again…" asks first, naming the cost.
    let card = ".gp-panel";
    let again = format!("{card} .gp-download-again");
    browser
        .find(&again)
        .await
        .click()
        .await
        .expect("download again");
    let question = browser
        .find(&format!("{card} .gp-confirm"))
        .await
        .text()
        .await
        .expect("the question");
    assert!(question.contains("one more download"), "{question:?}");
    browser
        .find(&format!("{card} .gp-confirm-cancel"))
        .await
        .click()
        .await
        .expect("cancel");
    settle().await;
    assert_eq!(sandbox.counts().download, 1, "cancelling spends nothing");
    browser
        .find(&again)
        .await
        .click()
        .await
        .expect("download again");
    browser
        .find(&format!("{card} .gp-confirm-spend"))
        .await
        .click()
        .await
        .expect("confirming");
    eventually("a second download is spent", || async {
        (sandbox.counts().download == 2).then_some(())
    })
    .await;
    browser.close().await;
}

support::every_engine!(refused_downloads_show_gettys_message_and_open_no_tab);
async fn refused_downloads_show_gettys_message_and_open_no_tab() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let images = data::search("kitties", 1, 30).images;
    let refusals = [
        (
            Fault::Raw {
                status: 404,
                body: r#"{"code":"ImageNotFound","message":"Image was not found"}"#.into(),
                content_type: "application/json",
            },
            "Image was not found (HTTP 404)",
        ),
        (
            Fault::Raw {
                status: 403,
                body: String::new(),
                content_type: "text/plain",
            },
            "(HTTP 403)",
        ),
        // Last: it marks the product spent, and the harness account has only that one.
        (
            Fault::Raw {
                status: 403,
                body: r#"{"ErrorCode":"OverageLimitReached","ErrorMessage":"Your download limit is reached"}"#.into(),
                content_type: "application/json",
            },
            "Your download limit is reached (HTTP 403)",
        ),
    ];
    for ((fault, message), image) in refusals.into_iter().zip(&images) {
        sandbox.inject(Endpoint::Download, fault, 1);
        click_download(&browser, &image.asset.id).await;
        let error = browser
            .find(".gp-panel .gp-card-error")
            .await
            .text()
            .await
            .expect("error text");
        assert!(error.contains(message), "{error:?} contains {message:?}");
        assert_eq!(
            browser.client.windows().await.expect("windows").len(),
            1,
            "a refused download opens no tab"
        );
    }
    // Getty said the product's downloads are used up: no image offers it any more.
    browser.open_details(&images[3].asset.id).await;
    eventually("the spent product is no longer offered", || async {
        let offer = browser.texts(".gp-panel .gp-products").await;
        (offer == ["None of your products has downloads left for this image."]).then_some(())
    })
    .await;
    let button = browser.find(".gp-panel .gp-download").await;
    assert!(!button.is_enabled().await.expect("enabled state"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_go_only_to_the_api_origin_and_only_http_links_open() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    let real = data::search("kitties", 1, 30).images[0].asset.id.clone();
    // Same server, other origin: if the picker sent it, the sandbox would count a download.
    let foreign = format!(
        "http://localhost:{}/v3/downloads/images/{real}",
        sandbox.addr().port()
    );
    sandbox.inject(
        Endpoint::Search,
        Fault::Json(json!({
            "result_count": 2,
            "images": [
                {"id": real, "title": "Foreign download",
                 "largest_downloads": [{"product_type": "easyaccess", "uri": foreign}]},
                {"id": "2", "title": "Script delivery",
                 "largest_downloads": [{"product_type": "easyaccess",
                   "uri": format!("{}/v3/downloads/images/{real}", sandbox.api_base())}]}
            ]
        })),
        1,
    );
    browser.search("kitties").await;
    browser
        .wait_for_titles(&["Foreign download".into(), "Script delivery".into()])
        .await;
    click_download(&browser, &real).await;
    let error = browser
        .find(".gp-panel .gp-card-error")
        .await
        .text()
        .await
        .expect("error text");
    assert!(error.contains("unsafe link"), "{error:?}");
    assert_eq!(
        sandbox.counts().download,
        0,
        "nothing sent to the foreign origin"
    );

    sandbox.inject(
        Endpoint::Download,
        Fault::Json(json!({"uri": "javascript:alert(document.domain)"})),
        1,
    );
    click_download(&browser, "2").await;
    let error = browser
        .find(".gp-panel .gp-card-error")
        .await
        .text()
        .await
        .expect("error text");
    assert!(error.contains("unsafe link"), "{error:?}");
    assert_eq!(
        browser.client.windows().await.expect("windows").len(),
        1,
        "an unsafe link opens no tab"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_and_missing_data_is_shown_as_text_and_nothing_breaks() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    let img_title = r#"<img src=x onerror="window.pwned='img'">"#;
    let script_title = r#"<script>window.pwned='script'</script>"#;
    sandbox.inject(
        Endpoint::Search,
        Fault::Json(json!({
            "result_count": 1e30,
            "images": [
                {"id": "1", "title": img_title, "caption": script_title,
                 "display_sizes": [{"name": "thumb", "uri": "javascript:window.pwned='thumb'"}],
                 "largest_downloads": []},
                {"id": "2", "title": script_title, "display_sizes": null, "largest_downloads": null},
                {"id": "3", "title": null},
                {"title": "no id"},
                "junk"
            ]
        })),
        1,
    );
    browser.search("kitties").await;
    browser
        .wait_for_titles(&[
            img_title.into(),
            script_title.into(),
            "Untitled image".into(),
        ])
        .await;
    let status = browser.wait_for_status("results").await;
    assert!(
        status.contains("18,446,744,073,709,551,615 results"),
        "{status:?}"
    );
    assert!(status.contains("2 could not be shown"), "{status:?}");
    assert_eq!(
        browser.eval("return window.pwned ?? null").await,
        json!(null)
    );
    assert_eq!(
        browser
            .eval(&format!(
                "return {PICKER_ROOT}.querySelectorAll('.gp-title img, .gp-title script').length"
            ))
            .await,
        json!(0)
    );
    browser.open_details("1").await;
    let products = browser.texts(".gp-panel .gp-products").await;
    assert_eq!(products, ["No download on offer"]);
    let button = browser.find(".gp-panel .gp-download").await;
    assert!(!button.is_enabled().await.expect("enabled state"));
    // The details show the hostile caption and title as text too.
    assert_eq!(
        browser.texts(".gp-panel .gp-panel-caption").await,
        [script_title]
    );
    assert_eq!(
        browser
            .eval(&format!(
                "return {PICKER_ROOT}.querySelectorAll('.gp-panel img:not(.gp-panel-image), .gp-panel script').length"
            ))
            .await,
        json!(0)
    );
    assert_eq!(
        browser
            .eval(&format!(
                "return {PICKER_ROOT}.querySelectorAll('.gp-thumb-missing').length"
            ))
            .await,
        json!(3)
    );

    // The picker still works afterwards.
    browser.search("dogs").await;
    browser.wait_for_titles(&titles("dogs", None, 1, 30)).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_request_serves_searches_and_downloads() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    browser.search("dogs").await;
    browser.wait_for_titles(&titles("dogs", None, 1, 30)).await;
    let id = data::search("dogs", 1, 30).images[0].asset.id.clone();
    click_download(&browser, &id).await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_eq!(browser.requests_to("/token").await, 1);
    assert_eq!(sandbox.counts().token, 1);
    browser.close().await;
}
