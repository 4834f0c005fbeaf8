//! Searches as Getty's endpoints take them: filters per collection (family), a key refused the
//! larger display sizes, and the `Accept-Language` Getty lists. Headless Chromium against the
//! backend and its sandbox, which refuses what Getty refuses.

use crate::support;

use getty_sandbox::data::{self, AssetFamily};
use serde_json::json;
use support::{eventually, titles, Browser, Sandbox, PICKER_ROOT};

/// The query parameters of `url`, as (name, value) with `%2C` read back as commas.
fn params(url: &str) -> Vec<(String, String)> {
    let query = url
        .split_once('?')
        .map(|(_, query)| query)
        .unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.replace("%2C", ",")))
        .collect()
}

/// The value of `name` in `url`, if present.
fn param(url: &str, name: &str) -> Option<String> {
    params(url)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Asserts that `url` (an editorial search) carries only parameters and values the editorial
/// endpoint takes (Getty's OpenAPI file): no `safe_search`, `exclude_nudity`,
/// `exclude_editorial_use_only`, no `fine_art`.
fn assert_editorial_takes(url: &str) {
    assert!(url.contains("/v3/search/images/editorial?"), "{url}");
    for (name, value) in params(url) {
        let fine = match name.as_str() {
            "phrase" | "page" | "page_size" | "fields" | "orientations" | "number_of_people" => {
                true
            }
            "sort_order" => {
                ["best_match", "most_popular", "newest", "oldest", "random"].contains(&&*value)
            }
            "graphical_styles" => ["photography", "illustration", "vector"].contains(&&*value),
            _ => false,
        };
        assert!(
            fine,
            "the editorial endpoint does not take {name}={value}: {url}"
        );
    }
}

/// Whether the control matching `css` is in the picker; and if so, whether it is checked.
async fn checkbox(browser: &Browser, css: &str) -> serde_json::Value {
    browser
        .eval(&format!(
            "const box = {PICKER_ROOT}.querySelector({css:?}); return box ? box.checked : null"
        ))
        .await
}

async fn choose(browser: &Browser, select: &str, value: &str) {
    browser
        .find(select)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|error| panic!("choosing {value} in {select}: {error}"));
}

async fn chips(browser: &Browser) -> Vec<String> {
    browser.texts(".gp-chip span").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editorial_searches_carry_no_creative_only_parameters_and_their_chips_go_until_switching_back(
) {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    choose(&browser, ".gp-filter-family", "creative").await;
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 30))
        .await;
    choose(&browser, ".gp-filter-orientations", "vertical").await;
    choose(&browser, ".gp-filter-graphical_styles", "fine_art").await;
    for toggle in [".gp-filter-safe", ".gp-filter-nudity"] {
        browser
            .find(toggle)
            .await
            .click()
            .await
            .expect("turning a toggle on");
    }
    let everything = [
        "orientations=vertical",
        "graphical_styles=fine_art",
        "safe_search=true",
        "exclude_nudity=true",
    ];
    browser
        .wait_for_search("the creative search with every filter is sent", |url| {
            everything.iter().all(|param| url.contains(param))
        })
        .await;
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Creative), 1, 30))
        .await;
    let all_chips = [
        "Orientation: Vertical",
        "Style: Fine art",
        "Exclude nudity",
        "Safe search",
    ];
    assert_eq!(chips(&browser).await, all_chips);

    // Editorial takes neither toggle nor `fine_art`: not sent, not offered, no chip.
    choose(&browser, ".gp-filter-family", "editorial").await;
    browser
        .wait_for_search("the editorial search is sent", |url| {
            url.contains("/editorial?")
        })
        .await;
    // The (strict) sandbox answers it: every parameter was one Getty takes.
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Editorial), 1, 30))
        .await;
    let editorial = browser.request_urls("/v3/search/images/editorial").await;
    assert_eq!(editorial.len(), 1, "{editorial:?}");
    for url in &editorial {
        assert_editorial_takes(url);
    }
    assert_eq!(
        param(&editorial[0], "orientations").as_deref(),
        Some("vertical"),
        "what editorial takes is still applied"
    );
    assert_eq!(chips(&browser).await, ["Orientation: Vertical"]);
    assert_eq!(checkbox(&browser, ".gp-filter-safe").await, json!(null));
    assert_eq!(checkbox(&browser, ".gp-filter-nudity").await, json!(null));
    let styles = browser
        .eval(&format!(
            "const select = {PICKER_ROOT}.querySelector('.gp-filter-graphical_styles');
             return [select.value, [...select.options].map(option => option.value)]"
        ))
        .await;
    assert_eq!(
        styles,
        json!(["", ["", "photography", "illustration", "vector"]]),
        "editorial's own styles, none chosen"
    );

    // Both families: the nudity filter applies again, safe search still does not.
    choose(&browser, ".gp-filter-family", "all").await;
    let all = browser
        .wait_for_search("the search of both families is sent", |url| {
            url.contains("/v3/search/images?")
        })
        .await;
    assert_eq!(param(&all, "exclude_nudity").as_deref(), Some("true"));
    assert_eq!(param(&all, "graphical_styles").as_deref(), Some("fine_art"));
    assert_eq!(param(&all, "safe_search"), None, "{all}");
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    assert_eq!(
        chips(&browser).await,
        ["Orientation: Vertical", "Style: Fine art", "Exclude nudity"]
    );
    assert_eq!(checkbox(&browser, ".gp-filter-safe").await, json!(null));
    assert_eq!(checkbox(&browser, ".gp-filter-nudity").await, json!(true));

    // Back to creative: every choice the editor made is there again.
    choose(&browser, ".gp-filter-family", "creative").await;
    let creative = browser
        .wait_for_search("the creative search is sent again", |url| {
            url.contains("/creative?")
        })
        .await;
    for wanted in everything {
        assert!(creative.contains(wanted), "{wanted} in {creative}");
    }
    assert_eq!(chips(&browser).await, all_chips);
    assert_eq!(checkbox(&browser, ".gp-filter-safe").await, json!(true));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_defaults_editorial_does_not_take_are_neither_sent_nor_shown() {
    let sandbox = Sandbox::start().await;
    let url = sandbox.page_with(
        "editorial-defaults.html",
        r#"data-asset-family="editorial" data-safe-search="true" data-exclude-nudity="true"
           data-graphical-style="fine_art" data-sort-order="oldest""#,
    );
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", Some(AssetFamily::Editorial), 1, 30))
        .await;
    let urls = browser.request_urls("/v3/search/images").await;
    assert_eq!(urls.len(), 1, "{urls:?}");
    assert_editorial_takes(&urls[0]);
    assert_eq!(param(&urls[0], "sort_order").as_deref(), Some("oldest"));
    assert_eq!(chips(&browser).await, ["Sort: Oldest"]);

    // The host's creative defaults apply once the editor chooses creative.
    choose(&browser, ".gp-filter-family", "creative").await;
    let creative = browser
        .wait_for_search("the creative search is sent", |url| {
            url.contains("/creative?")
        })
        .await;
    for wanted in [
        "safe_search=true",
        "exclude_nudity=true",
        "graphical_styles=fine_art",
    ] {
        assert!(creative.contains(wanted), "{wanted} in {creative}");
    }
    assert_eq!(
        param(&creative, "sort_order"),
        None,
        "no `oldest` for creative"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_refused_the_larger_display_sizes_shows_thumbs_and_asks_for_thumbs_only_from_then_on()
{
    let sandbox = Sandbox::start().await;
    sandbox.restrict_display_sizes(&["comp", "preview"]);
    let browser = Browser::open(&sandbox).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&titles("kitties", None, 1, 30))
        .await;
    let shown = browser
        .eval(&format!(
            "return [...{PICKER_ROOT}.querySelectorAll('.gp-card .gp-thumb-image')]
                .filter(img => img.src.includes('/sandbox/media/thumb/')).length"
        ))
        .await;
    assert_eq!(shown, json!(30), "every card shows its thumbnail");
    let refused_then_thumbs = browser.request_urls("/v3/search/images").await;
    assert_eq!(
        refused_then_thumbs.len(),
        2,
        "refused once, then asked again: {refused_then_thumbs:?}"
    );
    let sizes = |url: &str| {
        let fields = param(url, "fields").unwrap_or_default();
        ["thumb", "preview", "comp"]
            .into_iter()
            .filter(|size| fields.split(',').any(|field| field == *size))
            .collect::<Vec<_>>()
    };
    assert_eq!(sizes(&refused_then_thumbs[0]), ["thumb", "preview", "comp"]);
    assert_eq!(sizes(&refused_then_thumbs[1]), ["thumb"]);
    assert_eq!(
        param(&refused_then_thumbs[0], "page"),
        param(&refused_then_thumbs[1], "page")
    );

    // The details show the thumb, the largest size there is, and ask for their neighbours'
    // thumbs only.
    let first = data::search("kitties", 1, 30).images[0].asset.id.clone();
    browser.open_details(&first).await;
    let picture = browser
        .find(".gp-panel .gp-panel-image")
        .await
        .attr("src")
        .await
        .expect("src")
        .unwrap_or_default();
    assert!(picture.contains("/sandbox/media/thumb/"), "{picture}");
    let similar = eventually("the details ask for similar images", || async {
        browser.request_urls("/similar").await.into_iter().next()
    })
    .await;
    assert_eq!(sizes(&similar), ["thumb"], "{similar}");
    browser
        .find(".gp-panel-close")
        .await
        .click()
        .await
        .expect("closing the details");

    // The next page and a new search ask for the thumb only, at once.
    browser
        .find(".gp-load-more")
        .await
        .click()
        .await
        .expect("load more");
    let mut expected = titles("kitties", None, 1, 30);
    expected.extend(titles("kitties", None, 2, 30));
    browser.wait_for_titles(&expected).await;
    browser.search("puppies").await;
    browser
        .wait_for_titles(&titles("puppies", None, 1, 30))
        .await;
    let urls = browser.request_urls("/v3/search/images").await;
    assert_eq!(urls.len(), 4, "no other refusal: {urls:?}");
    for url in &urls[2..] {
        assert_eq!(sizes(url), ["thumb"], "{url}");
    }
    assert_eq!(sandbox.counts().search, 4, "{:?}", sandbox.counts());
    browser.close().await;
}

/// Getty is asked for the picker's language (the sandbox marks titles with the language it was
/// sent): the value Getty lists for the picker's locale (`de-AT` speaks `de`, `pt` speaks
/// `pt-BR`); a language Getty lists but the picker does not speak (`cs`) is asked for as it is;
/// and no header rather than one Getty does not list (`zh-CN`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accept_language_is_a_value_getty_lists_or_none() {
    let sandbox = Sandbox::start().await;
    let token_url = format!("{}/token", sandbox.api_base());
    let url = sandbox.page_with_pickers(
        "languages.html",
        &[
            ("austrian", &token_url, r#"data-locale="de-AT""#),
            ("brazilian", &token_url, r#"data-locale="pt-BR""#),
            ("portuguese", &token_url, r#"data-locale="pt""#),
            ("czech", &token_url, r#"data-locale="cs""#),
            ("mainland", &token_url, r#"data-locale="zh-CN""#),
        ],
    );
    let browser = Browser::open_url(&url).await;
    let kitties = titles("kitties", None, 1, 30);
    let marked = |mark: &str| -> Vec<String> {
        kitties
            .iter()
            .map(|title| format!("{mark}{title}"))
            .collect()
    };
    for (host, mark) in [
        ("#austrian", "[de] "),
        ("#brazilian", "[pt] "),
        ("#portuguese", "[pt] "),
        ("#czech", "[cs] "),
        ("#mainland", ""),
    ] {
        browser.search_in(host, "kitties").await;
        browser.wait_for_titles_in(host, &marked(mark)).await;
    }
    // The German UI for de-AT too.
    let button = eventually("the Austrian picker speaks German", || async {
        let texts = browser.texts_in("#austrian", ".gp-search-button").await;
        texts.first().cloned()
    })
    .await;
    assert_eq!(button, "Suchen");
    browser.close().await;
}
