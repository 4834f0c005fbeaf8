//! The search experience: filters, paging, preview, keyboard and localisation, in headless
//! Chromium against the backend and its sandbox.

use crate::support;

use fantoccini::key::Key;
use fantoccini::Locator;
use getty_picker::format::count;
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::{Endpoint, Fault};
use serde_json::{json, Value};
use support::{eventually, product, titles, Browser, Launch, Sandbox, PICKER_ROOT};

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
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 12))
        .await;
    let urls = browser.request_urls("/v3/search/images").await;
    let url = urls.last().expect("a search");
    assert!(url.contains("/v3/search/images/creative?"), "{url}");
    assert!(
        url.contains("page_size=12") && url.contains("sort_order=newest"),
        "{url}"
    );
    assert!(url.contains("exclude_nudity=true"), "{url}");
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

async fn focused_id(browser: &Browser) -> Value {
    browser
        .eval(&format!(
            "return {PICKER_ROOT}.activeElement?.dataset?.id ?? null"
        ))
        .await
}

support::every_engine!(the_grid_is_keyboard_navigable_and_esc_closes_only_the_preview);
async fn the_grid_is_keyboard_navigable_and_esc_closes_only_the_preview() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    let ids: Vec<String> = data::search("kitties", 1, 30)
        .images
        .into_iter()
        .map(|image| image.asset.id)
        .collect();

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
            "return [...{PICKER_ROOT}.querySelectorAll('.gp-card')]\
             .filter(c => c.tabIndex === 0).map(c => c.dataset.id)"
        ))
        .await;
    assert_eq!(tab_stops, json!([ids[0]]));
    browser
        .eval(&format!(
            "{PICKER_ROOT}.querySelector('.gp-card').focus(); return true"
        ))
        .await;
    let press = |key: Key| browser.press(key);
    press(Key::Right).await;
    assert_eq!(focused_id(&browser).await, json!(ids[1]));
    let columns = browser
        .eval(&format!(
            "const cards = [...{PICKER_ROOT}.querySelectorAll('.gp-card')];\
             return cards.filter(c => c.offsetTop === cards[0].offsetTop).length"
        ))
        .await
        .as_u64()
        .expect("a column count") as usize;
    press(Key::Down).await;
    assert_eq!(focused_id(&browser).await, json!(ids[1 + columns]));
    press(Key::Left).await;
    assert_eq!(focused_id(&browser).await, json!(ids[columns]));

    // Enter opens the preview; Esc closes it and focus returns to the card.
    let host_escapes = browser
        .eval(
            "window.hostEscapes = 0;\
             document.addEventListener('keydown', e => { if (e.key === 'Escape') hostEscapes++; });\
             return true",
        )
        .await;
    assert_eq!(host_escapes, json!(true));
    press(Key::Enter).await;
    let title = browser
        .find(".gp-preview .gp-preview-title")
        .await
        .text()
        .await
        .expect("title");
    assert_eq!(title, data::search("kitties", 1, 30).images[columns].title);
    press(Key::Escape).await;
    eventually("the preview closes", || async {
        (browser.texts(".gp-preview").await.is_empty()).then_some(())
    })
    .await;
    assert_eq!(focused_id(&browser).await, json!(ids[columns]));
    assert_eq!(browser.eval("return window.hostEscapes").await, json!(0));
    browser.close().await;
}

support::every_engine!(the_preview_shows_details_and_spends_the_chosen_product);
async fn the_preview_shows_details_and_spends_the_chosen_product() {
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
    browser
        .find(&format!(
            ".gp-card[data-id=\"{}\"] .gp-thumb",
            image.asset.id
        ))
        .await
        .click()
        .await
        .expect("opening the preview");
    let preview = browser.find(".gp-preview").await;
    let text = preview.text().await.expect("preview text");
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
    let picture = preview
        .find(Locator::Css(".gp-preview-image"))
        .await
        .expect("a larger picture")
        .attr("src")
        .await
        .expect("src")
        .unwrap_or_default();
    assert!(picture.contains("/sandbox/media/comp/"), "{picture}");

    preview
        .find(Locator::Css(".gp-product-choice input[value=\"1\"]"))
        .await
        .expect("a product choice")
        .click()
        .await
        .expect("choosing the second product");
    preview
        .find(Locator::Css(".gp-download"))
        .await
        .expect("download in the preview")
        .click()
        .await
        .expect("downloading");
    browser.find(".gp-preview .gp-delivery-link").await;
    let posts = browser.request_urls("/v3/downloads/images/").await;
    assert_eq!(posts.len(), 1, "{posts:?}");
    assert!(
        posts[0].contains(&format!("product_type={second}")),
        "{posts:?}"
    );
    assert_eq!(sandbox.counts().download, 1);

    // The card shares the preview's download: no second POST from it.
    browser
        .find(".gp-preview-close")
        .await
        .click()
        .await
        .expect("close");
    let card_link = browser
        .find(&format!(
            ".gp-card[data-id=\"{}\"] .gp-delivery-link",
            image.asset.id
        ))
        .await;
    assert!(card_link.attr("href").await.expect("href").is_some());
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
    let download = browser
        .find(".gp-download")
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
/// each: empty, results, cards lacking thumbnails, titles and downloads, the preview, filters
/// with chips, a download done and its confirmation, a failed download, a failed search.
async fn axe_finds_no_violations_in_any_state(launch: Launch) -> Browser {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_url_launched(&sandbox.page_url(), launch).await;
    load_axe(&sandbox, &browser).await;
    assert_accessible(&browser, "empty").await;

    browser.search("kitties").await;
    let kitties = titles("kitties", None, 1, 30);
    browser.wait_for_titles(&kitties).await;
    assert_accessible(&browser, "results").await;

    browser
        .find(".gp-card .gp-thumb")
        .await
        .click()
        .await
        .expect("preview");
    browser.find(".gp-preview").await;
    assert_accessible(&browser, "preview open").await;
    browser
        .find(".gp-preview-close")
        .await
        .click()
        .await
        .expect("close");

    // A download done, then "Download again…" asking to confirm, then a refused download.
    let first = browser.find(".gp-card .gp-download").await;
    first.click().await.expect("download");
    browser.find(".gp-card .gp-delivery-link").await;
    assert_accessible(&browser, "download done").await;
    browser
        .find(".gp-card .gp-download-again")
        .await
        .click()
        .await
        .expect("download again");
    browser.find(".gp-card .gp-confirm-cancel").await;
    assert_accessible(&browser, "confirming another download").await;
    sandbox.inject(Endpoint::Download, Fault::Status(403), 1);
    browser
        .find(".gp-card:nth-child(2) .gp-download")
        .await
        .click()
        .await
        .expect("download");
    browser.find(".gp-card:nth-child(2) .gp-card-error").await;
    assert_accessible(&browser, "download refused").await;

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
        (browser.texts(".gp-card .gp-id").await == ["bare-1", "bare-2", "bare-3"]).then_some(())
    })
    .await;
    assert_accessible(&browser, "cards lacking thumbnails, titles and downloads").await;

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
    browser.wait_for_titles(&german).await;
    browser.close().await;
}
