//! The picker in every language it ships, in headless Chromium against the sandbox, the pages
//! served by a stand-in CMS with a strict CSP: the whole UI in the locale (no English left where
//! the locale file has a translation), numbers and dates through the browser's `Intl`; no
//! English before the locale file arrives; English and a console warning when the file fails;
//! the browser's languages when the host names none; one request per locale and page; and a
//! `dir="rtl"` host page mirrors the picker.
//!
//! `GETTY_PICKER_SCREENSHOTS=<folder>` saves a screenshot of each locale there (PNG).

use crate::support;

use std::net::SocketAddr;
use std::path::Path;
use std::rc::Rc;
use std::time::Duration;

use fantoccini::key::Key;
use getty_picker::getty::{Day, Product};
use getty_picker::i18n::{Formats, Locale, Overrides, Strings};
use getty_sandbox::{data, Product as SandboxProduct};
use serde_json::{json, Value};
use support::{eventually, product, titles, Browser, CmsHost, Sandbox, PICKER_HOST};

/// Loaded before the widget (`/locale-probe.js`): records every text the pickers ever render
/// (`__seen`), whether a `<slot>` showed the element's own content (`__slots`), and console
/// warnings (`__warnings`); `?languages=a,b` stands in for the browser's preferred languages.
const PROBE_JS: &str = r#"// getty-picker locale probe (tests/locales.rs)
window.__seen = [];
window.__slots = 0;
window.__warnings = [];
const warn = console.warn.bind(console);
console.warn = (...args) => { window.__warnings.push(args.join(" ")); warn(...args); };
const LABELS = ["aria-label", "placeholder", "title"];
const record = (node) => {
  if (node.nodeType === Node.TEXT_NODE) { window.__seen.push(node.data); return; }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  if (node.localName === "slot") window.__slots += 1;
  for (const name of LABELS) { const value = node.getAttribute(name); if (value) window.__seen.push(value); }
  node.childNodes.forEach(record);
};
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attach.call(this, init);
  new MutationObserver((records) => {
    for (const change of records) {
      if (change.type === "characterData") window.__seen.push(change.target.data);
      else if (change.type === "attributes") record(change.target);
      change.addedNodes.forEach(record);
    }
  }).observe(root, { childList: true, subtree: true, characterData: true, attributes: true,
                     attributeFilter: LABELS });
  return root;
};
const wanted = new URLSearchParams(location.search).get("languages");
if (wanted) Object.defineProperty(Navigator.prototype, "languages", { get: () => wanted.split(",") });
"#;

/// The UI texts in the (first) picker now, Getty's content (titles, ids, captions, product
/// names, restrictions) taken out: text nodes, `aria-label`s and placeholders.
const UI_TEXTS_JS: &str = r#"
const root = document.querySelector("[data-getty-picker]").shadowRoot;
const CONTENT = ".gp-title, .gp-restrictions, .gp-products, .gp-panel-title, .gp-panel-caption, "
  + "dd, .gp-product-option > span, .gp-project-code option:not([value=''])";
const content = [...root.querySelectorAll(CONTENT)].map((e) => e.textContent.trim());
const titled = ".gp-panel, .gp-strip-item";
content.push(...[...root.querySelectorAll(titled)].map((e) => e.getAttribute("aria-label")));
const texts = [];
const visit = (node) => {
  if (node.nodeType === Node.TEXT_NODE) { texts.push(node.data); return; }
  if (node.nodeType !== Node.ELEMENT_NODE || node.matches(CONTENT)) return;
  if (!node.matches(titled) && node.getAttribute("aria-label")) texts.push(node.getAttribute("aria-label"));
  if (node.getAttribute("placeholder")) texts.push(node.getAttribute("placeholder"));
  node.childNodes.forEach(visit);
};
visit(root.querySelector(".getty-picker"));
const known = content.filter((text) => text && text.length > 2).sort((a, b) => b.length - a.length);
return texts.map((text) => known.reduce((rest, c) => rest.split(c).join(" "), text).trim())
  .filter((text) => text.length > 0);
"#;

/// Every locale with a file, and the built-in English ones whose formats differ.
const LOCALES: [&str; 16] = [
    "de", "en-GB", "en-US", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt-BR", "pt-PT", "ru", "sv",
    "tr", "zh-HK",
];

/// The reset date of the products below.
const RESET: Day = Day {
    year: 2026,
    month: 12,
    day: 1,
};

/// The sandbox with the probe, and a CMS serving its pages with a strict CSP.
struct Site {
    sandbox: Sandbox,
    cms: CmsHost,
}

impl Site {
    async fn start() -> Self {
        let sandbox = Sandbox::start().await;
        sandbox.write("locale-probe.js", PROBE_JS);
        let cms = sandbox.cms().await;
        Self { sandbox, cms }
    }

    /// Writes the page `name` with one picker per set of extra `attributes` (the first has the
    /// id `first`) and returns its URL on the CMS.
    fn page(&self, name: &str, html_attributes: &str, pickers: &[&str]) -> String {
        write_page(&self.sandbox, name, html_attributes, pickers);
        self.cms.url(name)
    }
}

fn write_page(sandbox: &Sandbox, name: &str, html_attributes: &str, pickers: &[&str]) {
    let api = sandbox.api_base();
    let divs: String = pickers
        .iter()
        .enumerate()
        .map(|(index, attributes)| {
            let id = if index == 0 { "first".to_owned() } else { format!("picker-{index}") };
            format!(
                r#"<div id="{id}" data-getty-picker data-token-url="{api}/token" data-api-key="sandbox-api-key"
 data-api-base="{api}" data-open-tab="false" {attributes}>Loading the image picker…</div>"#
            )
        })
        .collect();
    sandbox.write(
        name,
        &format!(
            r#"<!DOCTYPE html><html {html_attributes}><head><meta charset="utf-8"><title>{name}</title>
<script src="/locale-probe.js"></script>
<script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Pickers</h1>{divs}</main></body></html>"#
        ),
    );
}

/// Numbers and days as the page's `Intl` wrote them, for the texts these tests expect.
struct PageFormats {
    numbers: Vec<(u64, String)>,
    days: Vec<(Day, String)>,
    /// The same days with their year.
    dates: Vec<(Day, String)>,
}

impl Formats for PageFormats {
    fn number(&self, n: u64) -> String {
        self.numbers
            .iter()
            .find(|(known, _)| *known == n)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("{n} was not formatted by the page"))
    }
    fn day(&self, day: Day) -> String {
        self.days
            .iter()
            .find(|(known, _)| *known == day)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("{day:?} was not formatted by the page"))
    }
    fn date(&self, day: Day) -> String {
        self.dates
            .iter()
            .find(|(known, _)| *known == day)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("{day:?} was not formatted with its year by the page"))
    }
}

/// `tag`'s texts as the picker should show them: English with its locale file over it, numbers
/// `numbers` and days `days` formatted by the page's `Intl` as the picker is to do it.
async fn expected_strings(browser: &Browser, tag: &str, numbers: &[u64], days: &[Day]) -> Strings {
    let script = format!(
        "const number = new Intl.NumberFormat({tag:?});
         const day = new Intl.DateTimeFormat({tag:?}, {{ day: 'numeric', month: 'short', timeZone: 'UTC' }});
         const date = new Intl.DateTimeFormat({tag:?}, {{ day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }});
         return [{numbers:?}.map((n) => number.format(n)),
                 {days}.map(([y, m, d]) => day.format(new Date(Date.UTC(y, m - 1, d)))),
                 {days}.map(([y, m, d]) => date.format(new Date(Date.UTC(y, m - 1, d))))]",
        days = json!(days.iter().map(|d| [d.year, d.month as i32, d.day as i32]).collect::<Vec<_>>()),
    );
    let formatted = browser.eval(&script).await;
    let texts = |index: usize| -> Vec<String> {
        serde_json::from_value(formatted[index].clone()).expect("formatted texts")
    };
    let formats = PageFormats {
        numbers: numbers.iter().copied().zip(texts(0)).collect(),
        days: days.iter().copied().zip(texts(1)).collect(),
        dates: days.iter().copied().zip(texts(2)).collect(),
    };
    let locale = Locale::find(tag).expect("a locale of the picker");
    let mut strings = Strings::english(locale, Rc::new(formats));
    if locale.file().is_some() {
        strings.apply(file_entries(tag));
    }
    strings
}

/// The entries of `locales/<tag>.json`.
fn file_entries(tag: &str) -> Vec<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{tag}.json"));
    let text = std::fs::read_to_string(&path).expect("a locale file");
    let Overrides(entries) = serde_json::from_str(&text).expect("an object of strings");
    entries
}

/// The built-in English texts.
fn english() -> Strings {
    let formats = PageFormats {
        numbers: Vec::new(),
        days: Vec::new(),
        dates: Vec::new(),
    };
    Strings::english(Locale::ENGLISH, Rc::new(formats))
}

/// The English words of every text that `translated` says differently: the literal parts of
/// the English text (placeholders taken out) that appear in none of `translated`'s texts.
fn english_leftovers(translated: &Strings) -> Vec<String> {
    let english = english();
    let theirs: Vec<(&str, &str)> = translated.entries();
    let mut fragments = Vec::new();
    for ((name, ours), (_, their)) in english.entries().into_iter().zip(theirs.iter()) {
        if ours == *their || ours.is_empty() {
            continue;
        }
        let mut literal = String::new();
        let mut rest = ours;
        while let Some((before, after)) = rest.split_once('{') {
            literal.push_str(before);
            literal.push('\0');
            rest = after.split_once('}').map_or("", |(_, after)| after);
        }
        literal.push_str(rest);
        for fragment in literal.split('\0') {
            let fragment = fragment.trim_matches(|c: char| !c.is_alphanumeric());
            let letters = fragment.chars().filter(|c| c.is_alphabetic()).count();
            let shared = theirs.iter().any(|(_, text)| text.contains(fragment));
            if letters >= 3 && !shared {
                fragments.push((name, fragment.to_owned()));
            }
        }
    }
    fragments
        .into_iter()
        .map(|(_, fragment)| fragment)
        .collect()
}

/// Whether `needle` occurs in `haystack` as whole words.
fn contains_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The English left in `texts` where `translated` has its own words.
fn english_in(texts: &[String], translated: &Strings) -> Vec<String> {
    let leftovers = english_leftovers(translated);
    texts
        .iter()
        .flat_map(|text| {
            leftovers
                .iter()
                .filter(|fragment| contains_words(text, fragment))
                .map(move |fragment| format!("{fragment:?} in {text:?}"))
        })
        .collect()
}

async fn ui_texts(browser: &Browser) -> Vec<String> {
    serde_json::from_value(browser.eval(UI_TEXTS_JS).await).expect("texts")
}

/// Waits until the first element matching `css` in the (first) picker says `expected`.
async fn wait_for_text(browser: &Browser, css: &str, expected: &str) {
    eventually(&format!("{css} says {expected:?}"), || async {
        let texts = browser.texts(css).await;
        (texts.first().map(String::as_str) == Some(expected)).then_some(())
    })
    .await;
}

/// The left edge of the first element matching `css` in the (first) picker, in CSS pixels.
async fn left_of(browser: &Browser, css: &str) -> f64 {
    let script = format!(
        "return document.querySelector({PICKER_HOST:?}).shadowRoot.querySelector({css:?})\
         .getBoundingClientRect().left"
    );
    browser.eval(&script).await.as_f64().expect("a position")
}

async fn click(browser: &Browser, css: &str) {
    browser
        .find(css)
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {css}: {error}"));
}

/// Sets the select `css` of the picker to `value`, as the editor would.
async fn choose(browser: &Browser, css: &str, value: &str) {
    let script = format!(
        "const select = document.querySelector({PICKER_HOST:?}).shadowRoot.querySelector({css:?});
         select.value = {value:?};
         select.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return select.value"
    );
    assert_eq!(
        browser.eval(&script).await,
        json!(value),
        "{css} offers {value}"
    );
}

/// The account every locale is shown with: a product asking for a project code and a note with
/// 12 of 50 left, a pack with 1 left, a spent subscription.
fn products() -> Vec<SandboxProduct> {
    let mut monthly = product(
        "editorialsubscription",
        "Editorial Subscription",
        "Newsroom",
    );
    monthly.download_limit = Some(50);
    monthly.downloads_remaining = Some(12);
    monthly.reset_utc_date = Some("2026-12-01T00:00:00Z".into());
    monthly.project_code_required = true;
    monthly.project_codes = vec!["SPRING-26".into(), "WEB-HOME".into()];
    monthly.note_required = true;
    let mut pack = product("imagepack", "Image Pack", "Ten pack");
    pack.download_limit = Some(10);
    pack.downloads_remaining = Some(1);
    let mut spent = product(
        "royaltyfreesubscription",
        "Royalty-Free Subscription",
        "Social",
    );
    spent.download_limit = Some(10);
    spent.downloads_remaining = Some(0);
    spent.reset_utc_date = Some("2026-12-01T00:00:00Z".into());
    vec![monthly, pack, spent]
}

/// A product as the widget reads it, for the expected allowance texts.
fn widget_product(remaining: u64, limit: u64) -> Product {
    serde_json::from_value(json!({
        "id": 1, "type": "x", "download_limit": limit, "downloads_remaining": remaining,
        "download_limit_reset_utc_date": "2026-12-01T00:00:00Z",
    }))
    .expect("a product")
}

support::every_engine!(every_locale_renders_the_whole_picker_in_its_language);
async fn every_locale_renders_the_whole_picker_in_its_language() {
    let site = Site::start().await;
    let screenshots = std::env::var_os("GETTY_PICKER_SCREENSHOTS");
    let total = data::search("kitties", 1, 30).result_count;
    let mut browser: Option<Browser> = None;
    for (index, tag) in LOCALES.into_iter().enumerate() {
        site.sandbox.set_products(products());
        let url = site.page(
            &format!("locale-{tag}.html"),
            "lang=\"en\"",
            &[&format!("data-locale=\"{tag}\"")],
        );
        if let Some(open) = &browser {
            open.client.goto(&url).await.expect("the page loads");
            open.find(".gp-status").await;
        } else {
            browser = Some(Browser::open_url(&url).await);
        }
        let browser = browser.as_ref().expect("a browser");
        let strings = expected_strings(browser, tag, &[total, total - 30, 12, 50], &[RESET]).await;
        if !tag.starts_with("en") {
            // The scan below can fail: the English picker's first line would be caught.
            let idle = english().idle.to_string();
            assert!(!english_in(&[idle], &strings).is_empty(), "{tag}");
        }
        let mut seen = ui_texts(browser).await;
        let lang = browser
            .eval(&format!("return document.querySelector({PICKER_HOST:?}).shadowRoot.querySelector('.getty-picker').lang"))
            .await;
        assert_eq!(lang, json!(tag), "the picker says which language it speaks");
        wait_for_text(browser, ".gp-status", &strings.idle).await;
        wait_for_text(browser, ".gp-search-button", &strings.search_button).await;

        // The results: the count in the locale's digits, the products and what is left.
        browser.search("kitties").await;
        wait_for_text(
            browser,
            ".gp-status",
            &strings.results_line(total, "kitties"),
        )
        .await;
        wait_for_text(
            browser,
            ".gp-load-more",
            &strings.load_more_label(Some(total - 30)),
        )
        .await;
        seen.extend(ui_texts(browser).await);

        // A filter, as a chip.
        choose(browser, ".gp-filter-orientations", "square").await;
        wait_for_text(
            browser,
            ".gp-chip span",
            &getty_picker::i18n::fill(
                &strings.chip,
                &[
                    ("filter", &strings.orientations),
                    ("value", &strings.square),
                ],
            ),
        )
        .await;
        browser.wait_for_status("kitties").await;
        seen.extend(ui_texts(browser).await);
        if let Some(folder) = &screenshots {
            let png = browser.client.screenshot().await.expect("a screenshot");
            std::fs::write(Path::new(folder).join(format!("{tag}.png")), png).expect("saved");
        }

        // The details of the first image: its products and what is left, its neighbours.
        click(browser, ".gp-card .gp-card-open").await;
        wait_for_text(browser, ".gp-panel-close", &strings.preview_close).await;
        wait_for_text(
            browser,
            ".gp-panel .gp-allowance",
            &strings.allowance(&widget_product(12, 50)).expect("a limit"),
        )
        .await;
        wait_for_text(
            browser,
            ".gp-panel .gp-unavailable",
            &strings.none_left("Royalty-Free Subscription · Social", &widget_product(0, 10)),
        )
        .await;
        wait_for_text(browser, ".gp-strip-title", &strings.more_like_this).await;
        seen.extend(ui_texts(browser).await);

        // The download controls: what the product requires, then a download and the offer of
        // another.
        click(browser, ".gp-panel .gp-download").await;
        wait_for_text(browser, ".gp-panel .gp-card-error", &strings.need_code).await;
        seen.extend(ui_texts(browser).await);
        choose(browser, ".gp-panel .gp-project-code", "WEB-HOME").await;
        browser
            .find(".gp-panel .gp-notes")
            .await
            .send_keys("Front page")
            .await
            .expect("typing a note");
        click(browser, ".gp-panel .gp-download").await;
        if index > 0 {
            // The locales before this one licensed this image: Getty's download history says
            // so, in this language, before anything is spent.
            browser.find(".gp-panel .gp-confirm").await;
            seen.extend(ui_texts(browser).await);
            click(browser, ".gp-panel .gp-confirm-spend").await;
        }
        wait_for_text(browser, ".gp-panel .gp-download", &strings.downloaded).await;
        wait_for_text(browser, ".gp-panel .gp-delivery-link", &strings.open_image).await;
        wait_for_text(browser, ".gp-card .gp-held", &strings.licensed_mark).await;
        seen.extend(ui_texts(browser).await);
        click(browser, ".gp-panel .gp-download-again").await;
        wait_for_text(browser, ".gp-panel .gp-confirm", &strings.confirm_again).await;
        wait_for_text(browser, ".gp-panel .gp-confirm-cancel", &strings.cancel).await;
        seen.extend(ui_texts(browser).await);

        if !tag.starts_with("en") {
            let english = english_in(&seen, &strings);
            assert!(
                english.is_empty(),
                "{tag}: English left in the picker: {english:#?}"
            );
        }
        assert!(
            seen.iter()
                .any(|text| text.contains(&*strings.confirm_spend)),
            "{tag}: the scan saw the whole picker"
        );
    }
    if let Some(browser) = browser {
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_never_shows_while_the_locale_file_is_on_its_way() {
    let sandbox = Sandbox::start().await;
    sandbox.write("locale-probe.js", PROBE_JS);
    write_page(&sandbox, "slow-fr.html", "", &["data-locale=\"fr\""]);
    let slow = SlowSite::start(sandbox.site_path(), Duration::from_millis(1_500)).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&slow.url("slow-fr.html"))
        .await
        .expect("the page loads");
    let fr = expected_strings(&browser, "fr", &[], &[]).await;
    // Meanwhile the early search box (drawn by the entry module before the picker takes it
    // over) already speaks French; then the picker, in French.
    eventually(
        "the early search box speaks French while the file is on its way",
        || async {
            let shown = browser
                .eval(
                    "const root = document.querySelector('#first').shadowRoot;
                 const early = root?.querySelector('.gp-mount[data-gp-shell]');
                 return early
                     ? [early.querySelector('.gp-search-input').placeholder,
                        early.querySelector('.gp-search-button').textContent]
                     : null",
                )
                .await;
            (shown == json!([&*fr.search_label, &*fr.search_button])).then_some(())
        },
    )
    .await;
    wait_for_text(&browser, ".gp-search-button", &fr.search_button).await;
    let seen: Vec<String> =
        serde_json::from_value(browser.eval("return window.__seen").await).expect("texts");
    let english = english_in(&seen, &fr);
    assert!(
        english.is_empty(),
        "English rendered before French: {english:#?}"
    );
    assert!(seen.iter().any(|text| text == &*fr.search_label));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locale_file_slower_than_three_seconds_leaves_the_picker_english_for_good() {
    let sandbox = Sandbox::start().await;
    sandbox.write("locale-probe.js", PROBE_JS);
    write_page(&sandbox, "slower-fr.html", "", &["data-locale=\"fr\""]);
    let slow = SlowSite::start(sandbox.site_path(), Duration::from_millis(4_500)).await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&slow.url("slower-fr.html"))
        .await
        .expect("the page loads");
    let en = english();
    wait_for_text(&browser, ".gp-search-button", &en.search_button).await;
    let warnings = browser.eval("return window.__warnings").await;
    assert!(
        warnings.to_string().contains("the fr texts")
            && warnings.to_string().contains("longer than 3 s"),
        "{warnings}"
    );
    // The file arrives after all: the picker does not switch under the editor's hands.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let button = browser.texts(".gp-search-button").await;
    assert_eq!(button, [en.search_button.to_string()]);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_broken_locale_file_leaves_english_a_warning_and_a_working_picker() {
    let site = Site::start().await;
    let en = english();
    let cases = [
        ("fr", None, "HTTP 404"),
        ("de", Some("{\"download\": \"Herunter"), "not JSON"),
        (
            "es",
            Some("{\"download\": 7}"),
            "entry download is not a string",
        ),
        ("it", Some("[\"download\"]"), "not a JSON object"),
    ];
    let browser = Browser::start().await;
    for (tag, contents, problem) in cases {
        let file = hashed_file(site.sandbox.site_path(), tag);
        match contents {
            None => std::fs::remove_file(&file).expect("the file removed"),
            Some(contents) => std::fs::write(&file, contents).expect("the file broken"),
        }
        let url = site.page(
            &format!("broken-{tag}.html"),
            "",
            &[&format!("data-locale=\"{tag}\"")],
        );
        browser.client.goto(&url).await.expect("the page loads");
        wait_for_text(&browser, ".gp-search-button", &en.search_button).await;
        let warnings = browser.eval("return window.__warnings.join('\\n')").await;
        let warnings = warnings.as_str().unwrap_or_default();
        assert!(
            warnings.contains(&format!("the {tag} texts")) && warnings.contains(problem),
            "{tag}: {warnings}"
        );
        let lang = browser
            .eval("return document.querySelector('#first').shadowRoot.querySelector('.getty-picker').lang")
            .await;
        assert_eq!(lang, json!("en"), "English throughout, numbers too");
        // No panic: the picker searches.
        browser.search("kitties").await;
        browser
            .wait_for_titles(
                &titles("kitties", None, 1, 30)
                    .into_iter()
                    .map(|title| format!("[{}] {title}", &tag[..2]))
                    .collect::<Vec<_>>(),
            )
            .await;
    }
    browser.close().await;
}

/// The path of `tag`'s content-hashed locale file in the served site.
fn hashed_file(site: &Path, tag: &str) -> std::path::PathBuf {
    let name = Locale::find(tag)
        .and_then(|locale| locale.file())
        .expect("a locale file");
    let path = site.join("locales").join(name);
    assert!(
        path.is_file(),
        "{} is in the release folder",
        path.display()
    );
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_data_locale_the_browsers_languages_choose_and_getty_follows() {
    let site = Site::start().await;
    let page = site.page("browser.html", "", &[""]);
    let browser = Browser::start().await;
    let kitties = titles("kitties", None, 1, 30);
    let marked = |mark: &str| -> Vec<String> {
        kitties
            .iter()
            .map(|title| format!("{mark}{title}"))
            .collect()
    };
    // The first language the picker speaks, its region folded; Getty asked for the same.
    for (languages, tag, mark) in [
        ("cs-CZ,fr-CH,de", "fr", "[fr] "),
        ("zh-TW,en", "zh-HK", "[zh] "),
        ("pt,en", "pt-BR", "[pt] "),
        ("cs", "en", ""),
    ] {
        browser
            .client
            .goto(&format!("{page}?languages={languages}"))
            .await
            .expect("the page loads");
        let strings = expected_strings(&browser, tag, &[], &[]).await;
        wait_for_text(&browser, ".gp-search-button", &strings.search_button).await;
        browser.search("kitties").await;
        browser.wait_for_titles(&marked(mark)).await;
    }
    // The host's data-locale wins over the browser's languages.
    let host = site.page("host.html", "", &["data-locale=\"de\""]);
    browser
        .client
        .goto(&format!("{host}?languages=fr"))
        .await
        .expect("the page loads");
    let de = expected_strings(&browser, "de", &[], &[]).await;
    wait_for_text(&browser, ".gp-search-button", &de.search_button).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locale_costs_its_page_one_request_and_english_none() {
    let site = Site::start().await;
    let browser = Browser::start().await;
    let english = site.page("english.html", "", &["", "data-locale=\"en-GB\""]);
    browser.client.goto(&english).await.expect("the page loads");
    browser.find_in("#picker-1", ".gp-status").await;
    support::settle().await;
    assert_eq!(browser.requests_to("/locales/").await, 0);

    let french = site.page(
        "french.html",
        "",
        &[
            "data-locale=\"fr\"",
            "data-locale=\"fr-CA\"",
            "data-locale=\"de\"",
        ],
    );
    browser.client.goto(&french).await.expect("the page loads");
    let fr = expected_strings(&browser, "fr", &[], &[]).await;
    let de = expected_strings(&browser, "de", &[], &[]).await;
    for (host, strings) in [("#first", &fr), ("#picker-1", &fr), ("#picker-2", &de)] {
        let button = eventually(&format!("{host} is mounted"), || async {
            browser
                .texts_in(host, ".gp-search-button")
                .await
                .first()
                .cloned()
        })
        .await;
        assert_eq!(button, *strings.search_button, "{host}");
    }
    support::settle().await;
    let requests = browser.request_urls("/locales/").await;
    assert_eq!(requests.len(), 2, "one for fr, one for de: {requests:?}");
    // Mounted again later on the page: no request, and no wait.
    browser
        .eval(
            "const again = document.createElement('div');
             again.id = 'later';
             for (const name of ['data-token-url', 'data-api-key', 'data-api-base']) {
               again.setAttribute(name, document.querySelector('#first').getAttribute(name));
             }
             again.setAttribute('data-locale', 'fr');
             document.body.append(again);
             GettyPicker.mount(again, {});
             return again.shadowRoot.querySelector('.gp-search-button')?.textContent ?? null",
        )
        .await
        .as_str()
        .map(|text| assert_eq!(text, &*fr.search_button, "rendered at once"))
        .expect("the later picker rendered in the same task");
    support::settle().await;
    assert_eq!(browser.requests_to("/locales/").await, 2);
    browser.close().await;
}

support::every_engine!(a_right_to_left_host_page_gets_a_mirrored_picker);
async fn a_right_to_left_host_page_gets_a_mirrored_picker() {
    let site = Site::start().await;
    let browser = Browser::start().await;
    for (dir, rtl) in [("dir=\"ltr\"", false), ("dir=\"rtl\"", true)] {
        let url = site.page(&format!("{}.html", &dir[5..8]), dir, &[""]);
        browser.client.goto(&url).await.expect("the page loads");
        browser.find(".gp-status").await;
        let (input, button) = (
            left_of(&browser, ".gp-search-input").await,
            left_of(&browser, ".gp-search-button").await,
        );
        assert_eq!(
            button < input,
            rtl,
            "{dir}: search button at x {button}, input at x {input}"
        );

        browser.search("kitties").await;
        browser
            .wait_for_titles(&titles("kitties", None, 1, 30))
            .await;
        // The arrows move through the cards the way they are laid out.
        let first_two: Value = browser
            .eval(&format!(
                "const cards = document.querySelector({PICKER_HOST:?}).shadowRoot.querySelectorAll('.gp-card');
                 cards[0].querySelector('.gp-card-open').focus();
                 return [cards[0].getBoundingClientRect().x, cards[1].getBoundingClientRect().x]"
            ))
            .await;
        let (first, second) = (
            first_two[0].as_f64().unwrap_or(0.0),
            first_two[1].as_f64().unwrap_or(0.0),
        );
        assert_eq!(
            second < first,
            rtl,
            "{dir}: the second card is at x {second}, the first at {first}"
        );
        let toward_second = if rtl { Key::Left } else { Key::Right };
        browser.press(toward_second).await;
        let focused = browser
            .eval(&format!(
                "const root = document.querySelector({PICKER_HOST:?}).shadowRoot;
                 return [...root.querySelectorAll('.gp-card')].indexOf(root.activeElement.parentElement)"
            ))
            .await;
        assert_eq!(
            focused,
            json!(1),
            "{dir}: the arrow toward the second card reaches it"
        );

        // The details sit at the end of the line, beside the grid, and so does their close
        // button: right in LTR, left in RTL.
        click(&browser, ".gp-card .gp-card-open").await;
        let beside = browser
            .eval(&format!(
                "const root = document.querySelector({PICKER_HOST:?}).shadowRoot;
                 const panel = root.querySelector('.gp-panel').getBoundingClientRect();
                 const grid = root.querySelector('.gp-grid').getBoundingClientRect();
                 return panel.left > grid.left"
            ))
            .await;
        assert_eq!(
            beside,
            json!(!rtl),
            "{dir}: the details at the end of the line"
        );
        let sides = browser
            .eval(&format!(
                "const root = document.querySelector({PICKER_HOST:?}).shadowRoot;
                 const dialog = root.querySelector('.gp-panel').getBoundingClientRect();
                 const close = root.querySelector('.gp-panel-close').getBoundingClientRect();
                 return [close.left - dialog.left, dialog.right - close.right]"
            ))
            .await;
        let (from_left, from_right) = (
            sides[0].as_f64().unwrap_or(0.0),
            sides[1].as_f64().unwrap_or(0.0),
        );
        assert_eq!(
            from_left < from_right,
            rtl,
            "{dir}: close button {from_left} from the left, {from_right} from the right"
        );
    }
    browser.close().await;
}

/// The served site, with every locale file answered only after `delay` (a slow server).
struct SlowSite {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl SlowSite {
    async fn start(site: &Path, delay: Duration) -> Self {
        use axum::extract::Request;
        use axum::middleware::{self, Next};
        use tower_http::services::ServeDir;
        let app = axum::Router::new()
            .fallback_service(ServeDir::new(site))
            .layer(middleware::from_fn(
                move |request: Request, next: Next| async move {
                    if request.uri().path().starts_with("/locales/") {
                        tokio::time::sleep(delay).await;
                    }
                    next.run(request).await
                },
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("an address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, task }
    }

    fn url(&self, page: &str) -> String {
        format!("http://localhost:{}/{page}", self.addr.port())
    }
}

impl Drop for SlowSite {
    fn drop(&mut self) {
        self.task.abort();
    }
}
