//! The search experience: filters, paging, preview, keyboard and localisation, in headless
//! Chromium against the backend and its sandbox.

use crate::support;

use fantoccini::key::Key;
use fantoccini::Locator;
use getty_picker::format::count;
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::{Endpoint, Fault};
use serde_json::{json, Value};
use support::{eventually, product, titles, Browser, Launch, Sandbox, PICKER_HOST, PICKER_ROOT};

async fn card_count(browser: &Browser) -> usize {
    browser.texts(".gp-card .gp-title").await.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_narrow_the_search_start_over_and_can_be_removed() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;

    browser
        .find(".gp-filter-family")
        .await
        .select_by_value("creative")
        .await
        .expect("choosing creative");
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 30))
        .await;
    browser
        .find(".gp-filter-orientations")
        .await
        .select_by_value("vertical")
        .await
        .expect("choosing vertical");
    let last = browser
        .wait_for_search("the vertical search is sent", |url| {
            url.contains("orientations=vertical")
        })
        .await;
    assert!(last.contains("/v3/search/images/creative?"), "{last}");
    assert!(
        last.contains("&page=1&"),
        "a filter starts from page 1: {last}"
    );
    let chips = browser.texts(".gp-chip").await;
    assert!(
        chips
            .iter()
            .any(|chip| chip.contains("Orientation: Vertical")),
        "{chips:?}"
    );

    // Safe search exists only for creative searches.
    browser
        .find(".gp-filter-graphical_styles")
        .await
        .select_by_value("vector")
        .await
        .expect("choosing vector");
    browser
        .find(".gp-filter-safe")
        .await
        .click()
        .await
        .expect("safe search");
    let last = browser
        .wait_for_search("the safe vector search is sent", |url| {
            url.contains("graphical_styles=vector") && url.contains("safe_search=true")
        })
        .await;
    assert!(last.contains("orientations=vertical"), "{last}");

    // Removing the orientation chip searches again without it.
    browser
        .find(".gp-chip-remove[aria-label*='Orientation']")
        .await
        .click()
        .await
        .expect("removing the orientation filter");
    browser
        .wait_for_search("the search without orientation is sent", |url| {
            !url.contains("orientations=") && url.contains("safe_search=true")
        })
        .await;
    let chips = browser.texts(".gp-chip").await;
    assert!(
        !chips.iter().any(|chip| chip.contains("Orientation")),
        "{chips:?}"
    );
    // The keyboard stays where it was: on the remove button of the chip now in that place.
    let focused = eventually("focus moves to the next chip", || async {
        let script = format!(
            "const active = {PICKER_ROOT}.activeElement; \
             return active && active.matches('.gp-chip-remove') \
                 ? active.getAttribute('aria-label') : null"
        );
        browser.eval(&script).await.as_str().map(str::to_owned)
    })
    .await;
    assert!(focused.contains("Style"), "{focused}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sort_order_the_collection_does_not_offer_shows_as_any() {
    let sandbox = Sandbox::start().await;
    // `oldest` exists for editorial searches only.
    let url = sandbox.page_with(
        "oldest.html",
        r#"data-asset-family="creative" data-sort-order="oldest""#,
    );
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 30))
        .await;
    let script = format!("return {PICKER_ROOT}.querySelector('.gp-filter-sort_order').value");
    assert_eq!(
        browser.eval(&script).await,
        json!(""),
        "the select shows Any"
    );
    assert!(browser.texts(".gp-chip").await.is_empty());
    let urls = browser.request_urls("/v3/search/images").await;
    assert!(
        !urls.last().expect("a search").contains("sort_order="),
        "{urls:?}"
    );

    // Switching to editorial, where it exists, applies it.
    browser
        .find(".gp-filter-family")
        .await
        .select_by_value("editorial")
        .await
        .expect("choosing editorial");
    browser
        .wait_for_search("the oldest-first search is sent", |url| {
            url.contains("sort_order=oldest")
        })
        .await;
    assert_eq!(browser.eval(&script).await, json!("oldest"));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_defaults_apply_to_the_first_search() {
    let sandbox = Sandbox::start().await;
    let url = sandbox.page_with(
        "defaults.html",
        r#"data-asset-family="creative" data-sort-order="newest" data-page-size="12"
           data-exclude-nudity="true""#,
    );
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    browser
        .wait_for_first_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 12))
        .await;
    // Twelve cards leave the window's end in view, so further pages may follow: each keeps
    // the defaults too.
    let urls = browser.request_urls("/v3/search/images").await;
    assert!(!urls.is_empty(), "a search");
    for url in &urls {
        assert!(url.contains("/v3/search/images/creative?"), "{url}");
        assert!(
            url.contains("page_size=12") && url.contains("sort_order=newest"),
            "{url}"
        );
        assert!(url.contains("exclude_nudity=true"), "{url}");
    }
    assert!(urls[0].contains("&page=1&"), "{}", urls[0]);
    let chips = browser.texts(".gp-chip").await;
    assert_eq!(chips.len(), 2, "active defaults are shown: {chips:?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrolling_and_load_more_page_through_without_repeats() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    browser.search("kitties").await;
    let first = titles("kitties", None, 1, 30);
    browser.wait_for_titles(&first).await;
    // Marks every card node shown, to tell later whether a further page re-created any.
    browser
        .eval(&format!(
            "{PICKER_ROOT}.querySelectorAll('.gp-card').forEach((card, i) => card.gpMark = i); \
             return true"
        ))
        .await;
    let total = data::search("kitties", 1, 30).result_count;
    let button = browser
        .find(".gp-load-more")
        .await
        .text()
        .await
        .expect("label");
    assert!(
        button.contains(&format!("{} remaining", count(total - 30))),
        "{button:?}"
    );

    // Scrolling to the end loads the next page.
    browser
        .eval(&format!(
            "{PICKER_ROOT}.querySelector('.gp-sentinel').scrollIntoView(); return true"
        ))
        .await;
    let mut expected = first.clone();
    expected.extend(titles("kitties", None, 2, 30));
    browser.wait_for_titles(&expected).await;
    // The grid is keyed by image id: page 2 added 30 nodes and kept the first 30 as they were.
    let nodes = browser
        .eval(&format!(
            "const cards = [...{PICKER_ROOT}.querySelectorAll('.gp-card')]; \
             return [cards.length, cards.filter((card, i) => card.gpMark === i).length, \
             cards.filter(card => card.gpMark === undefined).length]"
        ))
        .await;
    assert_eq!(nodes, json!([60, 30, 30]), "[cards, kept in place, new]");

    // Page 3 repeats two images already shown: they appear once.
    let page3 = data::search("kitties", 3, 30);
    let page1 = data::search("kitties", 1, 30);
    let mut images: Vec<Value> = page1.images[..2]
        .iter()
        .chain(&page3.images[2..])
        .map(|image| json!({"id": image.asset.id, "title": image.title}))
        .collect();
    images.truncate(30);
    sandbox.inject(
        Endpoint::Search,
        Fault::Json(json!({"result_count": total, "images": images})),
        1,
    );
    browser
        .find(".gp-load-more")
        .await
        .click()
        .await
        .expect("load more");
    expected.extend(page3.images[2..].iter().map(|image| image.title.clone()));
    browser.wait_for_titles(&expected).await;

    // A failed page keeps what is loaded and can be retried.
    sandbox.inject(Endpoint::Search, Fault::Status(500), 1);
    browser
        .find(".gp-load-more")
        .await
        .click()
        .await
        .expect("load more");
    eventually("the failure is shown on the button", || async {
        let text = browser.find(".gp-load-more").await.text().await.ok()?;
        text.contains("Could not load more").then_some(())
    })
    .await;
    assert_eq!(card_count(&browser).await, expected.len());
    browser
        .find(".gp-load-more")
        .await
        .click()
        .await
        .expect("retry");
    expected.extend(titles("kitties", None, 4, 30));
    browser.wait_for_titles(&expected).await;
    assert_eq!(sandbox.counts().search, 5, "{:?}", sandbox.counts());
    let urls = browser.request_urls("/v3/search/images").await;
    let pages: Vec<&str> = urls
        .iter()
        .filter_map(|url| url.split("&page=").nth(1)?.split('&').next())
        .collect();
    assert_eq!(pages, ["1", "2", "3", "4", "4"]);
    browser.close().await;
}

/// The image id of the card whose button has the keyboard focus, if a card's has it.
async fn focused_id(browser: &Browser) -> Value {
    browser
        .eval(&format!(
            "return {PICKER_ROOT}.activeElement?.closest('.gp-card')?.dataset?.id ?? null"
        ))
        .await
}

/// The class of the element that has the keyboard focus in the picker.
async fn focused_class(browser: &Browser) -> Value {
    browser
        .eval(&format!(
            "return {PICKER_ROOT}.activeElement?.className ?? null"
        ))
        .await
}

/// The id of the card the arrow key `key` ("ArrowDown", "ArrowUp") should reach from the card
/// `from`, read from the laid-out grid: in the next row that way, the card whose centre is
/// nearest (rows differ in length: each card is as wide as its image).
async fn card_below_or_above(browser: &Browser, from: &str, key: &str) -> Value {
    browser
        .eval(&format!(
            "const cards = [...{PICKER_ROOT}.querySelectorAll('.gp-card')];
             const here = cards.find(c => c.dataset.id === {from:?});
             const centre = c => c.offsetLeft + c.offsetWidth / 2;
             const down = {key:?} === 'ArrowDown';
             const tops = cards.map(c => c.offsetTop)
               .filter(t => down ? t > here.offsetTop : t < here.offsetTop);
             if (tops.length === 0) return null;
             const row = down ? Math.min(...tops) : Math.max(...tops);
             const candidates = cards.filter(c => c.offsetTop === row);
             candidates.sort((a, b) => Math.abs(centre(a) - centre(here)) - Math.abs(centre(b) - centre(here)));
             return candidates[0].dataset.id"
        ))
        .await
}

support::every_engine!(the_grid_is_keyboard_navigable_and_esc_closes_only_the_details);
async fn the_grid_is_keyboard_navigable_and_esc_closes_only_the_details() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let images = data::search("kitties", 1, 30).images;
    let ids: Vec<String> = images.iter().map(|image| image.asset.id.clone()).collect();

    // Arrow keys in the search box stay there.
    let input = browser.find(".gp-search-input").await;
    input
        .send_keys(&char::from(Key::Right).to_string())
        .await
        .expect("arrow in the input");
    assert_eq!(focused_id(&browser).await, Value::Null);

    // One tab stop for the grid: the first card.
    let tab_stops = browser
        .eval(&format!(
            "return [...{PICKER_ROOT}.querySelectorAll('.gp-card-open')]\
             .filter(b => b.tabIndex === 0).map(b => b.parentElement.dataset.id)"
        ))
        .await;
    assert_eq!(tab_stops, json!([ids[0]]));
    browser
        .eval(&format!(
            "{PICKER_ROOT}.querySelector('.gp-card-open').focus(); return true"
        ))
        .await;
    let press = |key: Key| browser.press(key);
    press(Key::Right).await;
    assert_eq!(focused_id(&browser).await, json!(ids[1]));
    let below = card_below_or_above(&browser, &ids[1], "ArrowDown").await;
    assert!(below.is_string(), "a second row: {below}");
    press(Key::Down).await;
    assert_eq!(focused_id(&browser).await, below);
    let index = ids
        .iter()
        .position(|id| json!(id) == below)
        .expect("a card of the grid");
    press(Key::Left).await;
    assert_eq!(focused_id(&browser).await, json!(ids[index - 1]));
    press(Key::Up).await;
    assert_eq!(
        focused_id(&browser).await,
        card_below_or_above(&browser, &ids[index - 1], "ArrowUp").await
    );
    press(Key::Home).await;
    assert_eq!(focused_id(&browser).await, json!(ids[0]));

    // Enter opens the details, focus in them; the arrow keys move to the next image with the
    // details open; Esc closes them and focus returns to that image's card.
    let host_escapes = browser
        .eval(
            "window.hostEscapes = 0;\
             document.addEventListener('keydown', e => { if (e.key === 'Escape') hostEscapes++; });\
             return true",
        )
        .await;
    assert_eq!(host_escapes, json!(true));
    press(Key::Enter).await;
    browser.wait_for_details_in(PICKER_HOST, &ids[0]).await;
    assert_eq!(
        browser.texts(".gp-panel .gp-panel-title").await,
        [images[0].title.clone()]
    );
    assert_eq!(focused_class(&browser).await, json!("gp-panel-close"));
    press(Key::Right).await;
    browser.wait_for_details_in(PICKER_HOST, &ids[1]).await;
    press(Key::Right).await;
    browser.wait_for_details_in(PICKER_HOST, &ids[2]).await;
    press(Key::Left).await;
    browser.wait_for_details_in(PICKER_HOST, &ids[1]).await;
    press(Key::Escape).await;
    eventually("the details close", || async {
        (browser.texts(".gp-panel").await.is_empty()).then_some(())
    })
    .await;
    assert_eq!(focused_id(&browser).await, json!(ids[1]));
    assert_eq!(browser.eval("return window.hostEscapes").await, json!(0));

    // Space opens them too; the previous and next buttons page as the arrow keys do.
    press(Key::Space).await;
    browser.wait_for_details_in(PICKER_HOST, &ids[1]).await;
    browser
        .find(".gp-panel-step[aria-label='Previous image']")
        .await
        .click()
        .await
        .expect("the previous image");
    browser.wait_for_details_in(PICKER_HOST, &ids[0]).await;
    let previous = browser
        .find(".gp-panel-step[aria-label='Previous image']")
        .await;
    assert_eq!(
        previous.attr("aria-disabled").await.expect("aria-disabled"),
        Some("true".to_owned()),
        "no image before the first"
    );
    // A click there does nothing, and the keyboard focus stays in the details.
    previous.click().await.expect("clicking at the first image");
    browser.wait_for_details_in(PICKER_HOST, &ids[0]).await;
    let in_details = browser
        .eval(&format!(
            "return {PICKER_ROOT}.activeElement?.closest('.gp-panel') != null"
        ))
        .await;
    assert_eq!(in_details, json!(true));
    press(Key::Escape).await;
    eventually("the details close again", || async {
        (browser.texts(".gp-panel").await.is_empty()).then_some(())
    })
    .await;
    assert_eq!(focused_id(&browser).await, json!(ids[0]));
    browser.close().await;
}

support::every_engine!(the_details_show_what_getty_says_and_spend_the_chosen_product);
async fn the_details_show_what_getty_says_and_spend_the_chosen_product() {
    let sandbox = Sandbox::start().await;
    sandbox.set_products(vec![
        product("easyaccess", "Easy Access", "Everyone"),
        product("imagepack", "Image Pack", "Ten pack"),
    ]);
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let images = data::search("kitties", 1, 30).images;
    let image = images
        .iter()
        .find(|image| image.asset.artist.is_some())
        .expect("the sandbox names the artist of most images");
    let second = "imagepack";
    browser.open_details(&image.asset.id).await;
    let panel = browser.find(".gp-panel").await;
    let text = panel.text().await.expect("the details' text");
    assert!(text.contains(&image.title), "{text}");
    assert!(
        text.contains(image.asset.artist.as_deref().unwrap_or_default()),
        "{text}"
    );
    assert!(text.contains(&image.asset.collection_name), "{text}");
    let size = image.asset.max_dimensions;
    assert!(
        text.contains(&format!("{} × {} px", size.width, size.height)),
        "{text}"
    );
    let picture = panel
        .find(Locator::Css(".gp-panel-image"))
        .await
        .expect("a larger picture")
        .attr("src")
        .await
        .expect("src")
        .unwrap_or_default();
    assert!(picture.contains("/sandbox/media/comp/"), "{picture}");

    panel
        .find(Locator::Css(".gp-product-choice input[value=\"1\"]"))
        .await
        .expect("a product choice")
        .click()
        .await
        .expect("choosing the second product");
    panel
        .find(Locator::Css(".gp-download"))
        .await
        .expect("download in the details")
        .click()
        .await
        .expect("downloading");
    browser.find(".gp-panel .gp-delivery-link").await;
    let posts = browser.request_urls("/v3/downloads/images/").await;
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(
        posts[0].contains(&format!("product_type={second}")),
        "{posts:?}"
    );
    assert_eq!(sandbox.counts().download, 1);

    // Closed and opened again, the download stands: its link, no second POST; the card is
    // marked.
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("close");
    let card = format!(".gp-card[data-id=\"{}\"]", image.asset.id);
    eventually("the card is marked as licensed", || async {
        (browser.texts(&format!("{card} .gp-held")).await == ["Licensed before"]).then_some(())
    })
    .await;
    browser.open_details(&image.asset.id).await;
    let link = browser.find(".gp-panel .gp-delivery-link").await;
    assert!(link.attr("href").await.expect("href").is_some());
    assert_eq!(browser.requests_to("/v3/downloads/images/").await, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_speaks_german_and_asks_getty_for_german_titles() {
    let sandbox = Sandbox::start().await;
    let url = sandbox.page_with(
        "de.html",
        r#"data-locale="de" data-strings='{"search_button": "Los"}'"#,
    );
    let browser = Browser::open_url(&url).await;
    let button = browser
        .find(".gp-search-button")
        .await
        .text()
        .await
        .expect("label");
    assert_eq!(button, "Los", "host override");
    let label = browser
        .find(".gp-search-input")
        .await
        .attr("aria-label")
        .await
        .expect("label");
    assert_eq!(label.as_deref(), Some("Getty Images durchsuchen"));
    browser.search("kitties").await;
    let german: Vec<String> = titles("kitties", None, 1, 30)
        .into_iter()
        .map(|title| format!("[de] {title}"))
        .collect();
    browser.wait_for_titles(&german).await;
    let total = data::search("kitties", 1, 30).result_count;
    browser
        .wait_for_status(&format!(
            "{} Treffer für „kitties“",
            count(total).replace(',', ".")
        ))
        .await;
    let first = data::search("kitties", 1, 30).images[0].asset.id.clone();
    browser.open_details(&first).await;
    let download = browser
        .find(".gp-panel .gp-download")
        .await
        .text()
        .await
        .expect("label");
    assert_eq!(download, "Herunterladen");
    browser.close().await;
}

/// Loads axe-core (installed by scripts/setup.sh) into the page as a real script.
async fn load_axe(sandbox: &Sandbox, browser: &Browser) {
    let axe = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.tools/node_modules/axe-core/axe.min.js"
    ))
    .expect("axe-core is installed (scripts/setup.sh)");
    sandbox.write("axe.min.js", &axe);
    browser
        .eval(
            "const s = document.createElement('script'); s.src = '/axe.min.js';\
             document.head.appendChild(s); return true",
        )
        .await;
    eventually("axe-core loads", || async {
        (browser.eval("return typeof axe").await == json!("object")).then_some(())
    })
    .await;
}

/// axe-core's violations inside the picker, as `rule: targets`.
async fn violations(browser: &Browser) -> Vec<String> {
    let result = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run({include: [['[data-getty-picker]']]})\
               .then(r => done(r.violations.map(v =>\
                 v.id + ': ' + v.nodes.map(n => JSON.stringify(n.target)).join(' '))))\
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    serde_json::from_value(result).unwrap_or_else(|_| vec!["unreadable axe result".into()])
}

/// Asserts that axe finds nothing inside the picker in its current state, named `state`.
async fn assert_accessible(browser: &Browser, state: &str) {
    assert_eq!(violations(browser).await, Vec::<String>::new(), "{state}");
}

/// Walks the picker through every state an editor meets and runs axe-core (default rules) in
/// each: empty, results, the details with their neighbours, a download done and its
/// confirmation, a failed download, filters with chips, cards and details lacking thumbnails,
/// titles and downloads, a failed search.
async fn axe_finds_no_violations_in_any_state(launch: Launch) -> Browser {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_url_launched(&sandbox.page_url(), launch).await;
    load_axe(&sandbox, &browser).await;
    assert_accessible(&browser, "empty").await;

    browser.search("kitties").await;
    let kitties = titles("kitties", None, 1, 30);
    browser.wait_for_titles(&kitties).await;
    assert_accessible(&browser, "results").await;

    // The details open beside the grid, with their neighbours.
    let kitty_ids: Vec<String> = data::search("kitties", 1, 30)
        .images
        .into_iter()
        .map(|image| image.asset.id)
        .collect();
    browser.open_details(&kitty_ids[0]).await;
    browser.find(".gp-panel .gp-strip-item").await;
    assert_accessible(&browser, "details open").await;

    // A download done, then "Download again…" asking to confirm, then a refused download.
    let first = browser.find(".gp-panel .gp-download").await;
    first.click().await.expect("download");
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_accessible(&browser, "download done").await;
    browser
        .find(".gp-panel .gp-download-again")
        .await
        .click()
        .await
        .expect("download again");
    browser.find(".gp-panel .gp-confirm-cancel").await;
    assert_accessible(&browser, "confirming another download").await;
    sandbox.inject(Endpoint::Download, Fault::Status(403), 1);
    browser.open_details(&kitty_ids[1]).await;
    browser
        .find(".gp-panel .gp-download")
        .await
        .click()
        .await
        .expect("download");
    browser.find(".gp-panel .gp-card-error").await;
    assert_accessible(&browser, "download refused").await;
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("close");

    // Filters with chips.
    browser
        .eval(&format!(
            "const select = {PICKER_ROOT}.querySelector('.gp-filter-sort_order');
             select.value = 'newest';
             select.dispatchEvent(new Event('change'));
             {PICKER_ROOT}.querySelector('.gp-filter-nudity').click();
             return true"
        ))
        .await;
    eventually("two chips show", || async {
        (browser.texts(".gp-chip").await.len() == 2).then_some(())
    })
    .await;
    assert_accessible(&browser, "filters with chips").await;

    // Cards without thumbnails, titles or downloads.
    sandbox.inject(
        Endpoint::Search,
        Fault::Json(json!({"result_count": 3, "images": [
            {"id": "bare-1"},
            {"id": "bare-2", "title": "Only a title"},
            {"id": "bare-3", "caption": "Only a caption", "largest_downloads": []},
        ]})),
        1,
    );
    browser.search("bare").await;
    eventually("the bare cards show", || async {
        let ids = browser
            .eval(&format!(
                "return [...{PICKER_ROOT}.querySelectorAll('.gp-card')].map(c => c.dataset.id)"
            ))
            .await;
        (ids == json!(["bare-1", "bare-2", "bare-3"])).then_some(())
    })
    .await;
    assert_accessible(&browser, "cards lacking thumbnails, titles and downloads").await;
    browser.open_details("bare-1").await;
    assert_accessible(&browser, "details lacking a picture and a download").await;

    sandbox.inject(Endpoint::Search, Fault::Status(500), 1);
    browser.search("puppies").await;
    browser.wait_for_status("Search failed").await;
    assert_accessible(&browser, "search failed").await;
    browser
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_in_any_state_in_the_light_scheme() {
    let browser = axe_finds_no_violations_in_any_state(Launch::default()).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violations_in_any_state_in_the_dark_scheme() {
    let dark = Launch {
        dark: true,
        ..Launch::default()
    };
    let browser = axe_finds_no_violations_in_any_state(dark).await;
    let background = browser
        .eval(&format!(
            "return getComputedStyle({PICKER_ROOT}.querySelector('.getty-picker')).backgroundColor"
        ))
        .await;
    assert_eq!(
        background,
        json!("rgb(28, 28, 30)"),
        "the dark defaults applied"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn script_options_set_the_locale_and_texts_too() {
    let sandbox = Sandbox::start().await;
    let api = sandbox.api_base();
    sandbox.write(
        "scripted.html",
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>scripted</title>
<script type="module">
import {{ GettyPicker }} from "/getty-picker.js";
GettyPicker.mount(document.querySelector("[data-getty-picker]"), {{
  tokenUrl: "{api}/token", apiKey: "sandbox-api-key", apiBase: "{api}",
  locale: "de", pageSize: 12, strings: {{ search_button: "Los" }},
}});
</script></head><body><div data-getty-picker></div></body></html>"#
        ),
    );
    let browser = Browser::open_url(&format!("{}scripted.html", sandbox.page_url())).await;
    let button = eventually("the scripted picker is mounted", || async {
        let text = browser.find(".gp-search-button").await.text().await.ok()?;
        (text == "Los").then_some(text)
    })
    .await;
    assert_eq!(button, "Los");
    browser.search("kitties").await;
    let german: Vec<String> = titles("kitties", None, 1, 12)
        .into_iter()
        .map(|title| format!("[de] {title}"))
        .collect();
    browser.wait_for_first_titles(&german).await;
    let urls = browser.request_urls("/v3/search/images").await;
    assert!(
        urls.iter().all(|url| url.contains("page_size=12")),
        "{urls:?}"
    );
    browser.close().await;
}
