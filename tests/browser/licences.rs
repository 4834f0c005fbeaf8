//! The customer's licences in the picker, against the sandbox's account (`/v3/products`):
//! products by name with what is left of them, counted down after a download; project codes and
//! notes asked before anything is spent; spent products not offered; usage restrictions on cards
//! and in the details, credit lines in host events; a search-only backend saying what to
//! configure. Licensing is in an image's details, which the tests open from its card.

use crate::support;

use getty_sandbox::{Endpoint, Fault};
use serde_json::{json, Value};
use support::{eventually, product, settle, Browser, Sandbox};

/// Records the picker's host events in `window.__events` (they bubble out of its shadow root).
const RECORD_EVENTS: &str = "window.__events = [];
    for (const type of ['getty-picker:select', 'getty-picker:download', 'getty-picker:error']) {
      document.addEventListener(type, (e) => window.__events.push({ type, detail: e.detail }));
    }
    return true";

/// Opens the dev page, records host events and searches `phrase`; returns the first card's id.
async fn open_and_search(sandbox: &Sandbox, phrase: &str) -> (Browser, String) {
    let browser = Browser::open(sandbox).await;
    browser.eval(RECORD_EVENTS).await;
    browser.search(phrase).await;
    let id = browser
        .find(".gp-card")
        .await
        .attr("data-id")
        .await
        .expect("data-id")
        .expect("a card id");
    (browser, id)
}

/// Shows the details of image `id`, opening them from its card unless they show it already.
async fn details_of(browser: &Browser, id: &str) {
    let facts = browser.texts(".gp-panel .gp-panel-facts dd").await;
    if !facts.iter().any(|fact| fact == id) {
        browser.open_details(id).await;
    }
}

/// The texts of `css` in the details of image `id`.
async fn card_texts(browser: &Browser, id: &str, css: &str) -> Vec<String> {
    details_of(browser, id).await;
    browser.texts(&format!(".gp-panel {css}")).await
}

/// Waits until the details of image `id` show `expected` as the texts of `css`.
async fn wait_for_card_texts(browser: &Browser, id: &str, css: &str, expected: &[&str]) {
    let what = format!("the details of {id} show {expected:?} in {css}");
    eventually(&what, || async {
        (card_texts(browser, id, css).await == expected).then_some(())
    })
    .await;
}

/// Clicks `css` in the details of image `id`.
async fn click(browser: &Browser, id: &str, css: &str) {
    details_of(browser, id).await;
    browser
        .find(&format!(".gp-panel {css}"))
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {css} in the details of {id}: {error}"));
}

/// The host events of `kind` recorded so far.
async fn events(browser: &Browser, kind: &str) -> Vec<Value> {
    let script = format!(
        "return window.__events.filter(e => e.type === 'getty-picker:{kind}').map(e => e.detail)"
    );
    serde_json::from_value(browser.eval(&script).await).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn products_show_what_is_left_and_count_down_after_a_download() {
    let sandbox = Sandbox::start().await;
    let mut monthly = product(
        "editorialsubscription",
        "Editorial Subscription",
        "Newsroom",
    );
    monthly.download_limit = Some(50);
    monthly.downloads_remaining = Some(12);
    monthly.reset_utc_date = Some("2026-12-01T00:00:00Z".into());
    sandbox.set_products(vec![monthly.clone()]);
    let (browser, id) = open_and_search(&sandbox, "kitties").await;

    wait_for_card_texts(
        &browser,
        &id,
        ".gp-products",
        &["Editorial Subscription · Newsroom"],
    )
    .await;
    wait_for_card_texts(
        &browser,
        &id,
        ".gp-allowance",
        &["12 of 50 left, resets Dec 1"],
    )
    .await;

    click(&browser, &id, ".gp-download").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    // Every image charged to the product shows the new count, without asking Getty again.
    wait_for_card_texts(
        &browser,
        &id,
        ".gp-allowance",
        &["11 of 50 left, resets Dec 1"],
    )
    .await;
    let ids: Vec<String> = serde_json::from_value(
        browser
            .eval(&format!(
                "return [...{}.querySelectorAll('.gp-card')].map(c => c.dataset.id)",
                support::PICKER_ROOT
            ))
            .await,
    )
    .expect("the cards' ids");
    for other in ids.iter().filter(|other| **other != id).take(2) {
        wait_for_card_texts(
            &browser,
            other,
            ".gp-allowance",
            &["11 of 50 left, resets Dec 1"],
        )
        .await;
    }
    let log = sandbox.downloads_log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].product_id, monthly.id, "the POST names the product");
    assert_eq!(sandbox.products()[0].downloads_remaining, Some(11));

    let posts = browser.request_urls("/v3/downloads/images/").await;
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(
        posts[0].contains(&format!("product_id={}", monthly.id))
            && posts[0].contains("product_type=editorialsubscription")
            && posts[0].contains("auto_download=false"),
        "{posts:?}"
    );

    // A second search reuses what the picker knows: the products were asked for once.
    browser.search("puppies").await;
    browser.wait_for_status("puppies").await;
    settle().await;
    assert_eq!(browser.requests_to("/v3/products").await, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn project_codes_and_notes_are_asked_for_before_anything_is_spent() {
    let sandbox = Sandbox::start().await;
    let mut premium = product("premiumaccess", "Premium Access", "Marketing");
    premium.project_code_required = true;
    premium.note_required = true;
    premium.project_codes = vec!["SPRING-26".into(), "WEB-HOME".into()];
    sandbox.set_products(vec![premium.clone()]);
    let (browser, id) = open_and_search(&sandbox, "kitties").await;
    wait_for_card_texts(
        &browser,
        &id,
        ".gp-products",
        &["Premium Access · Marketing"],
    )
    .await;
    let codes = card_texts(&browser, &id, ".gp-project-code option").await;
    assert_eq!(codes, ["Choose…", "SPRING-26", "WEB-HOME"]);

    click(&browser, &id, ".gp-download").await;
    wait_for_card_texts(
        &browser,
        &id,
        ".gp-card-error",
        &["Choose a project code first."],
    )
    .await;
    browser
        .find(".gp-panel .gp-project-code")
        .await
        .select_by_value("WEB-HOME")
        .await
        .expect("choosing a project code");
    click(&browser, &id, ".gp-download").await;
    wait_for_card_texts(&browser, &id, ".gp-card-error", &["Write a note first."]).await;
    settle().await;
    assert_eq!(
        sandbox.counts().download,
        0,
        "nothing spent while incomplete"
    );

    browser
        .find(".gp-panel .gp-notes")
        .await
        .send_keys("Front page, 28 Nov")
        .await
        .expect("typing a note");
    click(&browser, &id, ".gp-download").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    let log = sandbox.downloads_log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].project_code.as_deref(), Some("WEB-HOME"));
    assert_eq!(log[0].notes.as_deref(), Some("Front page, 28 Nov"));
    assert_eq!(sandbox.counts().download, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_product_with_no_downloads_left_is_not_offered() {
    let sandbox = Sandbox::start().await;
    let mut spent = product(
        "royaltyfreesubscription",
        "Royalty-Free Subscription",
        "Social",
    );
    spent.download_limit = Some(10);
    spent.downloads_remaining = Some(0);
    spent.reset_utc_date = Some("2026-12-01T00:00:00Z".into());
    let mut last = product("imagepack", "Image Pack", "Ten pack");
    last.download_limit = Some(10);
    last.downloads_remaining = Some(1);
    sandbox.set_products(vec![spent.clone(), last.clone()]);
    let (browser, id) = open_and_search(&sandbox, "kitties").await;

    wait_for_card_texts(
        &browser,
        &id,
        ".gp-unavailable",
        &["Royalty-Free Subscription · Social: no downloads left until Dec 1."],
    )
    .await;
    wait_for_card_texts(&browser, &id, ".gp-products", &["Image Pack · Ten pack"]).await;
    assert!(
        card_texts(&browser, &id, ".gp-product-choice")
            .await
            .is_empty(),
        "one product left: nothing to choose"
    );
    click(&browser, &id, ".gp-download").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_eq!(sandbox.downloads_log()[0].product_id, last.id);

    // That was the pack's last download: other images now offer nothing, and say why.
    let other = eventually("another card has nothing left to offer", || async {
        let ids: Vec<String> = serde_json::from_value(
            browser
                .eval(&format!(
                    "return [...{}.querySelectorAll('.gp-card')].map(c => c.dataset.id)",
                    support::PICKER_ROOT
                ))
                .await,
        )
        .ok()?;
        let other = ids.into_iter().find(|other| *other != id)?;
        let texts = card_texts(&browser, &other, ".gp-products").await;
        (texts == ["None of your products has downloads left for this image."]).then_some(other)
    })
    .await;
    let unavailable = card_texts(&browser, &other, ".gp-unavailable").await;
    assert_eq!(unavailable.len(), 2, "{unavailable:?}");
    let button = browser.find(".gp-panel .gp-download").await;
    assert!(!button.is_enabled().await.expect("enabled state"));
    assert_eq!(sandbox.counts().download, 1);
    browser.close().await;
}

/// What the sandbox's search answer says of the first image of `phrase`, read as a CMS would.
async fn api_image(sandbox: &Sandbox, phrase: &str, id: &str) -> Value {
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/token", sandbox.api_base()))
        .header("Origin", sandbox.page_url().trim_end_matches('/'))
        .send()
        .await
        .expect("a token")
        .json()
        .await
        .expect("a token answer");
    let page: Value = http
        .get(format!("{}/v3/search/images", sandbox.api_base()))
        .query(&[
            ("phrase", phrase),
            (
                "fields",
                "id,artist,collection_name,copyright,caption,asset_family,allowed_use",
            ),
        ])
        .header("Api-Key", "sandbox-api-key")
        .header(
            "Authorization",
            format!(
                "Bearer {}",
                token["access_token"].as_str().unwrap_or_default()
            ),
        )
        .send()
        .await
        .expect("a search")
        .json()
        .await
        .expect("a search answer");
    page["images"]
        .as_array()
        .and_then(|images| images.iter().find(|image| image["id"] == id))
        .cloned()
        .unwrap_or_else(|| panic!("image {id} in {page}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restrictions_are_shown_and_credit_lines_reach_the_host() {
    let sandbox = Sandbox::start().await;
    sandbox.set_products(vec![product("easyaccess", "Easy Access", "Everyone")]);
    let (browser, _) = open_and_search(&sandbox, "kitties").await;
    // A card whose licence restricts its use, as the API describes it.
    let restricted = eventually("a card with usage restrictions", || async {
        let id = browser
            .eval(&format!(
                "return {}.querySelector('.gp-card:has(.gp-restrictions)')?.dataset.id ?? null",
                support::PICKER_ROOT
            ))
            .await;
        id.as_str().map(str::to_owned)
    })
    .await;
    let image = api_image(&sandbox, "kitties", &restricted).await;
    let restrictions: Vec<String> =
        serde_json::from_value(image["allowed_use"]["usage_restrictions"].clone())
            .expect("the API lists the restrictions");
    assert!(!restrictions.is_empty());
    // The card marks the first; the details name them all.
    assert_eq!(
        browser
            .texts(&format!(
                ".gp-card[data-id=\"{restricted}\"] .gp-restrictions"
            ))
            .await,
        [restrictions[0].clone()]
    );
    // Getty's "Not released. More information" names a link its answer does not carry.
    let release = image["allowed_use"]["release_info"]
        .as_str()
        .map(|release| release.trim_end_matches("More information").trim_end());

    click(&browser, &restricted, ".gp-select").await;
    let selected = eventually("the host hears of the choice", || async {
        events(&browser, "select").await.into_iter().next()
    })
    .await;
    let credit = match image["artist"].as_str() {
        Some(artist) => format!("{artist} / Getty Images"),
        None => format!(
            "{} / Getty Images",
            image["collection_name"].as_str().expect("a collection")
        ),
    };
    assert_eq!(selected["id"], json!(restricted));
    assert_eq!(selected["credit_line"], json!(credit));
    assert_eq!(selected["usage_restrictions"], json!(restrictions));
    for field in [
        "artist",
        "collection_name",
        "copyright",
        "caption",
        "asset_family",
    ] {
        assert_eq!(selected[field], image[field], "{field}");
    }

    // The details say the same, with the release and how the image may be used.
    browser.open_details(&restricted).await;
    let details = browser
        .find(".gp-panel .gp-panel-facts")
        .await
        .text()
        .await
        .expect("details");
    assert!(details.contains(&credit), "{details}");
    assert!(details.contains(&restrictions.join(" · ")), "{details}");
    if let Some(release) = release {
        assert!(details.contains(release), "{details}");
        assert!(!details.contains("More information"), "{details}");
    }
    browser
        .find(".gp-panel .gp-download")
        .await
        .click()
        .await
        .expect("downloading from the details");
    let downloaded = eventually("the host hears of the download", || async {
        events(&browser, "download").await.into_iter().next()
    })
    .await;
    assert_eq!(downloaded["credit_line"], json!(credit));
    assert_eq!(downloaded["usage_restrictions"], json!(restrictions));
    assert_eq!(downloaded["product"], json!("Easy Access · Everyone"));

    // And an image without restrictions shows none.
    let free = browser
        .eval(&format!(
            "return {}.querySelector('.gp-card:not(:has(.gp-restrictions))')?.dataset.id ?? null",
            support::PICKER_ROOT
        ))
        .await;
    let free = free
        .as_str()
        .expect("a card without restrictions")
        .to_owned();
    let image = api_image(&sandbox, "kitties", &free).await;
    let none = image["allowed_use"]["usage_restrictions"]
        .as_array()
        .is_none_or(Vec::is_empty);
    assert!(none, "{image}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_only_backend_says_what_to_configure() {
    let sandbox = Sandbox::start_configured(|config| config.sandbox_search_only = true).await;
    let (browser, id) = open_and_search(&sandbox, "kitties").await;
    click(&browser, &id, ".gp-download").await;
    let message = eventually("the details say what to configure", || async {
        let texts = card_texts(&browser, &id, ".gp-card-error").await;
        texts.into_iter().next()
    })
    .await;
    assert!(
        message.contains("GETTY_USERNAME") && message.contains("GETTY_PASSWORD"),
        "{message}"
    );
    let error = eventually("the host hears of it", || async {
        events(&browser, "error").await.into_iter().next()
    })
    .await;
    assert_eq!(error["kind"], json!("download"));
    settle().await;
    assert_eq!(
        sandbox.counts().download,
        0,
        "nothing was tried that must fail"
    );
    assert_eq!(browser.requests_to("/v3/products").await, 0);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_credentials_token_refused_for_a_download_says_what_to_configure() {
    // A backend that does not say it is search-only (an older one): Getty's refusal says it.
    let sandbox = Sandbox::start().await;
    sandbox.set_products(vec![product("easyaccess", "Easy Access", "Everyone")]);
    let (browser, id) = open_and_search(&sandbox, "kitties").await;
    sandbox.inject(
        Endpoint::Download,
        Fault::Raw {
            status: 403,
            body: r#"{"ErrorCode":"UserTokenRequired","ErrorMessage":"A user token is required."}"#
                .into(),
            content_type: "application/json",
        },
        1,
    );
    click(&browser, &id, ".gp-download").await;
    let message = eventually("the details say what to configure", || async {
        card_texts(&browser, &id, ".gp-card-error")
            .await
            .into_iter()
            .next()
    })
    .await;
    assert!(message.contains("GETTY_USERNAME"), "{message}");
    let button = browser.find(".gp-panel .gp-download").await;
    assert!(
        button.is_enabled().await.expect("enabled"),
        "it may be tried again"
    );
    browser.close().await;
}
