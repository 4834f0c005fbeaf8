//! The picker embedded in CMS pages it does not own: a real CSP header, hostile CSS, a host form,
//! two pickers on one page, the script API and the events a host listens to. Headless Chromium
//! against the backend's sandbox; the pages are served by a stand-in CMS on another origin.

use crate::support;

use std::path::Path;

use fantoccini::key::Key;
use getty_sandbox::{data, Endpoint, Fault};
use serde_json::{json, Value};
use support::{
    assert_pickers_keep_their_look, eventually, host_event, in_picker, settle, wait_for_results,
    Browser, CmsHost, Launch, Sandbox, PICKER_HOST,
};

/// The test pages and the files they load, written into the served site.
const PAGES: [(&str, &str); 6] = [
    ("spy.js", include_str!("../pages/spy.js")),
    ("snapshot.js", include_str!("../pages/snapshot.js")),
    ("hostile.css", include_str!("../pages/hostile.css")),
    ("csp.html", include_str!("../pages/csp.html")),
    ("hostile.html", include_str!("../pages/hostile.html")),
    ("api.html", include_str!("../pages/api.html")),
];

/// The sandbox with the test pages, and the CMS that serves them with a strict CSP.
struct Site {
    sandbox: Sandbox,
    cms: CmsHost,
}

impl Site {
    async fn start() -> Self {
        let sandbox = Sandbox::start().await;
        for (name, contents) in PAGES {
            sandbox.write(name, &contents.replace("{{API}}", &sandbox.api_base()));
        }
        let cms = sandbox.cms().await;
        Self { sandbox, cms }
    }

    /// Opens `page` and waits for its first picker.
    async fn open(&self, page: &str) -> Browser {
        Browser::open_url(&self.cms.url(page)).await
    }
}

/// Reads `window.spy.<field>` (see tests/pages/spy.js).
async fn spy(browser: &Browser, field: &str) -> Value {
    browser.eval(&format!("return spy.{field}")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_strict_csp_header_search_and_download_work_without_violations() {
    let site = Site::start().await;
    let browser = site.open("csp.html").await;
    browser.search("kitties").await;
    wait_for_results(&browser, PICKER_HOST, "kitties", 30).await;
    // img-src: thumbnails from the API host actually load.
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

    // The preview's larger image loads too, and closing it leaves the grid usable.
    browser
        .find(".gp-card .gp-thumb")
        .await
        .click()
        .await
        .expect("opening the preview");
    eventually("the preview image is loaded", || async {
        let loaded = in_picker(
            &browser,
            "#getty-first",
            ".gp-preview-image",
            "el.complete && el.naturalWidth > 0",
        )
        .await;
        (loaded == json!(true)).then_some(())
    })
    .await;
    browser
        .find(".gp-preview-close")
        .await
        .click()
        .await
        .expect("closing the preview");
    let image = &data::search("kitties", 1, 30).images[0];
    browser
        .find(&format!(
            ".gp-card[data-id=\"{}\"] .gp-download",
            image.asset.id
        ))
        .await
        .click()
        .await
        .expect("clicking download");
    let event = host_event(&browser, "download").await;
    let link = browser
        .find(&format!(
            ".gp-card[data-id=\"{}\"] .gp-delivery-link",
            image.asset.id
        ))
        .await;
    let href = link.attr("href").await.expect("href").expect("a link");
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
    assert!(href.starts_with(&format!("{}/sandbox/delivery/", site.sandbox.api_base())));
    assert_eq!(spy(&browser, "violations").await, json!([]));
    let notice = browser.find_in("#getty-broken", ".gp-notice").await;
    let notice = notice.text().await.expect("notice text");
    assert!(notice.contains("data-api-key"), "{notice:?}");

    // The policy is enforced on this page: an inline style is refused and reported.
    browser
        .eval("document.head.append(Object.assign(document.createElement('style'), {textContent: 'p {}'})); return true")
        .await;
    eventually("the inline style is reported as a violation", || async {
        let violations = spy(&browser, "violations").await;
        (violations.as_array()?.len() == 1 && violations[0].as_str()?.starts_with("style-src"))
            .then_some(())
    })
    .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_hears_of_selections_and_failed_downloads() {
    let site = Site::start().await;
    let browser = site.open("csp.html").await;
    browser.search("kitties").await;
    wait_for_results(&browser, PICKER_HOST, "kitties", 30).await;
    let image = &data::search("kitties", 1, 30).images[1];
    let card = format!(".gp-card[data-id=\"{}\"]", image.asset.id);

    browser
        .find(&format!("{card} .gp-select"))
        .await
        .click()
        .await
        .expect("clicking use this image");
    let event = host_event(&browser, "select").await;
    let thumb = in_picker(
        &browser,
        "#getty-first",
        &format!("{card} .gp-thumb-image"),
        "el.src",
    )
    .await;
    assert_eq!(event["target"], "getty-first");
    assert_eq!(event["detail"]["id"], image.asset.id.as_str());
    assert_eq!(event["detail"]["title"], image.title.as_str());
    assert_eq!(event["detail"]["thumb_uri"], thumb);
    for size in ["comp_uri", "preview_uri"] {
        let uri = event["detail"][size].as_str().unwrap_or_default();
        assert!(
            uri.starts_with(&format!("{}/sandbox/media/", site.sandbox.api_base())),
            "{size} is the sandbox's rendition: {event}"
        );
    }

    site.sandbox
        .inject(Endpoint::Download, Fault::Status(403), 1);
    browser
        .find(&format!("{card} .gp-download"))
        .await
        .click()
        .await
        .expect("clicking download");
    let event = host_event(&browser, "error").await;
    assert_eq!(event["target"], "getty-first");
    assert_eq!(event["detail"]["kind"], "download");
    assert_eq!(event["detail"]["status"], 403);
    let message = event["detail"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("(HTTP 403)"), "{event}");
    assert_eq!(
        spy(
            &browser,
            "events.filter(e => e.type === 'getty-picker:download').length"
        )
        .await,
        json!(0),
        "a failed download is not announced as one"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_hears_of_failed_searches() {
    let site = Site::start().await;
    let browser = site.open("csp.html").await;
    site.sandbox.inject(Endpoint::Search, Fault::Status(500), 1);
    browser.search("kitties").await;
    let event = host_event(&browser, "error").await;
    assert_eq!(event["target"], "getty-first");
    assert_eq!(event["detail"]["kind"], "search");
    assert_eq!(event["detail"]["status"], 500);
    let message = event["detail"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("(HTTP 500)"), "{event}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_css_does_not_break_the_widget_and_the_widget_changes_nothing_outside() {
    let site = Site::start().await;
    let browser = site.open("hostile.html").await;
    browser.find_in("#getty-second", ".gp-status").await;

    // Every computed property of the host's own elements is what it was before the widget came.
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
        spy(
            &browser,
            "before['host-button'] && Object.keys(spy.before['host-button']).length"
        )
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
        "only the host's stylesheet in the page"
    );

    // The host's rules do not reach inside: the widget keeps its own look.
    assert_pickers_keep_their_look(&browser, "#getty-first", "#getty-second").await;

    browser.search_in("#getty-first", "kitties").await;
    wait_for_results(&browser, "#getty-first", "kitties", 30).await;
    let card = in_picker(
        &browser,
        "#getty-first",
        ".gp-card",
        "[getComputedStyle(el).boxSizing, getComputedStyle(el).display]",
    )
    .await;
    assert_eq!(card, json!(["border-box", "flex"]));
    let thumb = in_picker(
        &browser,
        "#getty-first",
        ".gp-thumb-image",
        "(() => { const r = el.getBoundingClientRect();
                  const c = el.closest('.gp-card').getBoundingClientRect();
                  return [r.height > 50, r.width > 50 && r.width <= c.width]; })()",
    )
    .await;
    assert_eq!(thumb, json!([true, true]), "thumbnails keep their own size");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_in_a_host_form_searches_and_never_submits_it() {
    let site = Site::start().await;
    let browser = site.open("hostile.html").await;
    browser.search_in("#getty-first", "kitties").await;
    wait_for_results(&browser, "#getty-first", "kitties", 30).await;
    let input = browser.find_in("#getty-first", ".gp-search-input").await;
    input
        .send_keys(&format!(" cats{}", char::from(Key::Enter)))
        .await
        .expect("typing");
    wait_for_results(&browser, "#getty-first", "kitties cats", 30).await;
    settle().await;
    assert_eq!(spy(&browser, "submits").await, json!(0));

    // The count is real: the host's own submit button does submit the form. Clicked from
    // script, since the grid may still grow (next pages) and move it under a WebDriver click.
    let submits = browser
        .eval("document.getElementById('host-button').click(); return spy.submits")
        .await;
    assert_eq!(submits, json!(1), "the host's button submits");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pickers_on_one_page_search_independently() {
    let site = Site::start().await;
    let browser = site.open("hostile.html").await;
    browser.search_in("#getty-first", "cats").await;
    browser.search_in("#getty-second", "dogs").await;
    wait_for_results(&browser, "#getty-first", "cats", 30).await;
    wait_for_results(&browser, "#getty-second", "dogs", 30).await;
    browser.search_in("#getty-second", "birds").await;
    wait_for_results(&browser, "#getty-second", "birds", 30).await;
    wait_for_results(&browser, "#getty-first", "cats", 30).await;
    for (host, phrase) in [("#getty-first", "cats"), ("#getty-second", "birds")] {
        let status = browser.texts_in(host, ".gp-status").await.join(" ");
        assert!(status.contains(phrase), "{host} says {status:?}");
    }
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_open_tab_false_a_download_opens_no_window_but_tells_the_host() {
    let site = Site::start().await;
    let browser = site.open("hostile.html").await;
    browser.search_in("#getty-second", "kitties").await;
    wait_for_results(&browser, "#getty-second", "kitties", 30).await;
    let id = data::search("kitties", 1, 30).images[0].asset.id.clone();
    let card = format!(".gp-card[data-id=\"{id}\"]");
    browser
        .find_in("#getty-second", &format!("{card} .gp-download"))
        .await
        .click()
        .await
        .expect("clicking download");
    let event = host_event(&browser, "download").await;
    assert_eq!(event["target"], "getty-second");
    assert_eq!(event["detail"]["id"], id.as_str());
    let link = browser
        .find_in("#getty-second", &format!("{card} .gp-delivery-link"))
        .await;
    assert_eq!(
        link.attr("href").await.expect("href").as_deref(),
        event["detail"]["uri"].as_str()
    );
    settle().await;
    assert_eq!(
        browser.client.windows().await.expect("windows").len(),
        1,
        "no tab was opened"
    );
    assert_eq!(site.sandbox.counts().download, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyboard_handlers_are_on_the_widget_never_on_document_or_window() {
    let site = Site::start().await;
    let browser = site.open("csp.html").await;
    browser.search("kitties").await;
    wait_for_results(&browser, PICKER_HOST, "kitties", 30).await;
    // Keys the picker handles: typing, Enter, Tab into the grid, arrows, Escape.
    let input = browser.find(".gp-search-input").await;
    input
        .send_keys(&format!(" x{}", char::from(Key::Enter)))
        .await
        .expect("typing");
    wait_for_results(&browser, PICKER_HOST, "kitties x", 30).await;
    browser
        .find(".gp-card .gp-title")
        .await
        .click()
        .await
        .expect("focusing a card");
    for key in [
        Key::Right,
        Key::Down,
        Key::Left,
        Key::Up,
        Key::Tab,
        Key::Escape,
    ] {
        browser.press(key).await;
    }
    // The picker answered the keyboard, so its handlers were there to be found.
    assert!(site.sandbox.counts().search >= 2);
    let global = browser
        .eval(
            "return spy.globalListeners.filter(l => /^key/.test(l))
                 .concat([window.onkeydown, window.onkeyup, document.onkeydown, document.onkeyup]
                     .filter(h => h !== null).map(String))",
        )
        .await;
    assert_eq!(
        global,
        json!([]),
        "no keyboard listener on document or window"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_api_mounts_once_per_element_and_destroy_leaves_nothing_running() {
    let site = Site::start().await;
    let browser = Browser::start().await;
    browser
        .client
        .goto(&site.cms.url("api.html"))
        .await
        .expect("the page loads");
    eventually("window.GettyPicker is defined", || async {
        (browser
            .eval("return typeof window.GettyPicker?.mount")
            .await
            == json!("function"))
        .then_some(())
    })
    .await;
    let options = json!({
        "tokenUrl": format!("{}/token", site.sandbox.api_base()),
        "apiKey": "sandbox-api-key",
        "apiBase": site.sandbox.api_base(),
    });
    browser
        .eval(&format!(
            "window.options = {options};
             window.globalBefore = [...spy.globalListeners];
             const target = document.getElementById('target');
             window.first = GettyPicker.mount(target, options);
             window.second = GettyPicker.mount(target, options);
             return true"
        ))
        .await;
    let counts = browser
        .eval(
            "const root = document.getElementById('target').shadowRoot;
             return [root.querySelectorAll('.getty-picker').length,
                     root.querySelectorAll('.gp-search-input').length,
                     document.getElementById('fallback').offsetHeight]",
        )
        .await;
    assert_eq!(
        counts,
        json!([1, 1, 0]),
        "one widget, hiding the fallback text"
    );
    // The handle of the replaced mount no longer controls anything.
    browser.eval("first.destroy(); return true").await;
    browser.search_in("#target", "kitties").await;
    wait_for_results(&browser, "#target", "kitties", 30).await;

    // Typing starts a debounced search; destroying before it fires must cancel it.
    let after = browser
        .eval(
            "const driver = spy.driverTimers();
             const root = document.getElementById('target').shadowRoot;
             const input = root.querySelector('.gp-search-input');
             input.value = 'puppies';
             input.dispatchEvent(new Event('input', {bubbles: true}));
             const pending = spy.timersBesides(driver).length;
             second.destroy();
             return [pending > 0, spy.timersBesides(driver),
                     [...root.children].map(c => c.localName),
                     root.adoptedStyleSheets.length,
                     document.getElementById('fallback').offsetHeight > 0]",
        )
        .await;
    assert_eq!(
        after,
        json!([true, [], ["slot"], 0, true]),
        "no timer, node or stylesheet left; the element shows its own content again"
    );
    settle().await;
    assert_eq!(
        site.sandbox.counts().search,
        1,
        "{:?}",
        site.sandbox.counts()
    );
    assert_eq!(
        browser.requests_to("phrase=puppies").await,
        0,
        "the debounced search never went out"
    );
    assert_eq!(
        browser
            .eval("return spy.globalListeners.filter(l => !globalBefore.includes(l))")
            .await,
        json!([]),
        "no listener left on document or window"
    );

    // The same element takes a picker again, and that one does search after the debounce.
    // Options keep their JSON types: a boolean `openTab` works like data-open-tab="false".
    browser
        .eval(
            "window.third = GettyPicker.mount(document.getElementById('target'),
                                                {...options, openTab: false});
             const input = document.getElementById('target').shadowRoot
                 .querySelector('.gp-search-input');
             input.value = 'puppies';
             input.dispatchEvent(new Event('input', {bubbles: true}));
             return true",
        )
        .await;
    wait_for_results(&browser, "#target", "puppies", 30).await;
    let id = data::search("puppies", 1, 30).images[0].asset.id.clone();
    browser
        .find_in(
            "#target",
            &format!(".gp-card[data-id=\"{id}\"] .gp-download"),
        )
        .await
        .click()
        .await
        .expect("clicking download");
    let event = host_event(&browser, "download").await;
    assert_eq!(event["target"], "target");
    assert_eq!(event["detail"]["id"], id.as_str());
    assert_eq!(browser.client.windows().await.expect("windows").len(), 1);

    let refused = browser
        .eval(
            "try { GettyPicker.mount(document.body.appendChild(document.createElement('div')), {}); return null }
             catch (e) { return String(e.message) }",
        )
        .await;
    assert!(
        refused
            .as_str()
            .is_some_and(|m| m.contains("data-token-url")),
        "a bad configuration throws a readable error: {refused}"
    );
    browser.close().await;
}

#[test]
fn the_release_folder_has_a_stable_entry_module_and_no_inline_script() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("dist");
    let entry = std::fs::read_to_string(dist.join("getty-picker.js"))
        .expect("dist/getty-picker.js exists: run scripts/build.sh (scripts/test.sh does)");
    let imported = entry
        .split("import(\"./")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the entry imports the widget's bindings");
    assert!(
        imported.starts_with("getty-picker-") && imported.ends_with(".js"),
        "a content-hashed file: {imported}"
    );
    assert!(dist.join(imported).is_file(), "{imported} is in dist/");
    let wasm = imported.replace(".js", "_bg.wasm");
    assert!(entry.contains(&format!("new URL(\"./{wasm}\", import.meta.url)")));
    assert!(dist.join(&wasm).is_file(), "{wasm} is in dist/");

    let mut pages = vec![dist.join("index.html")];
    pages.extend(
        std::fs::read_dir(dist.join("examples"))
            .expect("dist/examples/")
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "html")),
    );
    assert!(pages.len() >= 2, "the example is in the release folder");
    let sources: Vec<_> = std::fs::read_dir(dist.join("examples"))
        .expect("dist/examples/")
        .filter_map(|entry| entry.ok().map(|entry| entry.file_name()))
        .filter(|name| !name.to_string_lossy().starts_with("cms."))
        .collect();
    assert!(
        sources.is_empty(),
        "only the web example ships: {sources:?}"
    );
    for page in pages {
        let html = std::fs::read_to_string(&page).expect("a readable page");
        for tag in html.split("<script").skip(1) {
            let (attributes, rest) = tag.split_once('>').expect("a closed tag");
            assert!(
                attributes.contains("src=") && rest.trim_start().starts_with("</script>"),
                "{} has an inline script: <script{}",
                page.display(),
                &tag[..tag.len().min(80)]
            );
        }
        assert!(
            !html.contains(" style="),
            "{} has an inline style",
            page.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_cms_page_inserts_the_chosen_image_into_its_article() {
    let site = Site::start().await;
    let browser = site.open("examples/cms.html").await;
    browser.find_in("#picker-dark", ".gp-status").await;
    browser.search_in("#picker-main", "kitties").await;
    wait_for_results(&browser, "#picker-main", "kitties", 30).await;
    let image = &data::search("kitties", 1, 30).images[0];
    let card = format!(".gp-card[data-id=\"{}\"]", image.asset.id);
    browser
        .find_in("#picker-main", &format!("{card} .gp-select"))
        .await
        .click()
        .await
        .expect("clicking use this image");
    // Loaded, too: the picker below the article moves down when the image arrives, and a
    // click aimed before that would miss (WebKit's clicks are pointer actions at a position).
    let inserted = eventually("the image is inserted into the article", || async {
        let figure = browser
            .eval(
                "const img = document.querySelector('#editor figure img');
                 return img && img.complete && [img.alt, img.src]",
            )
            .await;
        figure.is_array().then_some(figure)
    })
    .await;
    assert_eq!(inserted[0], image.title.as_str());
    assert!(
        inserted[1].as_str().is_some_and(
            |src| src.starts_with(&format!("{}/sandbox/media/", site.sandbox.api_base()))
        ),
        "{inserted}"
    );

    browser
        .find_in("#picker-main", &format!("{card} .gp-download"))
        .await
        .click()
        .await
        .expect("clicking download");
    let delivery = format!("{}/sandbox/delivery/", site.sandbox.api_base());
    eventually("the licensed file's link is added", || async {
        let href = browser
            .eval("return document.querySelector('#editor figure a.licensed')?.href ?? null")
            .await;
        href.as_str()?.starts_with(&delivery).then_some(())
    })
    .await;
    assert_eq!(browser.client.windows().await.expect("windows").len(), 1);
    let dark = in_picker(
        &browser,
        "#picker-dark",
        ".gp-search-button",
        "getComputedStyle(el).backgroundColor",
    )
    .await;
    assert_eq!(dark, json!("rgb(245, 158, 11)"), "the dark theme's accent");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_widget_follows_a_dark_colour_scheme_unless_the_host_themes_it() {
    let site = Site::start().await;
    let browser = Browser::launch(Launch {
        dark: true,
        ..Launch::default()
    })
    .await;
    browser
        .client
        .goto(&site.cms.url("hostile.html"))
        .await
        .expect("the page loads");
    assert_eq!(
        browser
            .eval("return matchMedia('(prefers-color-scheme: dark)').matches")
            .await,
        json!(true),
        "the browser prefers dark"
    );
    let colours = "[getComputedStyle(el).backgroundColor,
                    getComputedStyle(el.closest('.getty-picker')).backgroundColor]";
    browser.find_in("#getty-first", ".gp-search-button").await;
    let dark = in_picker(&browser, "#getty-first", ".gp-search-button", colours).await;
    assert_eq!(dark, json!(["rgb(90, 162, 240)", "rgb(28, 28, 30)"]));
    // Native controls (the search field, radio buttons, selects) are drawn dark too.
    let scheme = in_picker(
        &browser,
        "#getty-first",
        ".gp-search-input",
        "getComputedStyle(el).colorScheme",
    )
    .await;
    assert_eq!(scheme, json!("dark"));
    // The second picker's host sets the accent: the theme wins over the scheme's default.
    browser.find_in("#getty-second", ".gp-search-button").await;
    let themed = in_picker(&browser, "#getty-second", ".gp-search-button", colours).await;
    assert_eq!(themed, json!(["rgb(200, 0, 100)", "rgb(28, 28, 30)"]));
    browser.close().await;
}

/// The dev page and the CMS example carry the recommended policy themselves (a `<meta>` tag),
/// so they are held to it wherever they are served: here by the backend, which sends none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dev_page_and_the_example_hold_themselves_to_the_recommended_csp() {
    let sandbox = Sandbox::start().await;
    for (page, host) in [("", PICKER_HOST), ("examples/cms.html", "#picker-main")] {
        let browser = Browser::open_url(&format!("{}{page}", sandbox.page_url())).await;
        browser
            .eval(
                "window.violations = [];
                 document.addEventListener('securitypolicyviolation',
                   (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
                 return true",
            )
            .await;
        browser.search_in(host, "kitties").await;
        wait_for_results(&browser, host, "kitties", 30).await;
        eventually("the first thumbnail is loaded", || async {
            let loaded = in_picker(
                &browser,
                host,
                ".gp-thumb-image",
                "el.complete && el.naturalWidth > 0",
            )
            .await;
            (loaded == json!(true)).then_some(())
        })
        .await;
        assert_eq!(browser.eval("return violations").await, json!([]), "{page}");
        // The page's own policy is in force: an inline style is refused and reported.
        browser
            .eval("document.head.append(Object.assign(document.createElement('style'), {textContent: 'p {}'})); return true")
            .await;
        eventually("the inline style is reported as a violation", || async {
            let violations = browser.eval("return violations").await;
            (violations.as_array()?.len() == 1 && violations[0].as_str()?.starts_with("style-src"))
                .then_some(())
        })
        .await;
        browser.close().await;
    }
}
