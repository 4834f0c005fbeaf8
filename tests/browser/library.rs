//! Never paying twice, and who may license: the host's library marks the images it holds
//! ("In your library", "Use it" spending nothing), Getty's download history is asked before
//! spending and a company's earlier licence asks first, an editor whose role is to choose sees
//! no download control; a narrow picker's cards and details (nothing cut off), the details'
//! "Use this image". Against the backend, its sandbox and a stand-in CMS.

use crate::support;

use getty_sandbox::data;
use getty_sandbox::{Endpoint, Fault};
use serde_json::{json, Value};
use support::{
    eventually, host_event, product, settle, Browser, CmsStandIn, LibraryAnswer, Sandbox,
};

/// 3 Nov 2026, 10:00 UTC: when "ann" licensed an image in the seeded history (the test
/// browsers speak en-US, so `Intl` writes it "Nov 3, 2026").
const NOV_3: u64 = 1_793_700_000;

/// Writes a page on the stand-in CMS with one picker (`#picker`) on `token_url`, whose
/// `console.warn` calls are kept in `window.__warnings`, and returns its URL.
fn page(
    sandbox: &Sandbox,
    cms: &CmsStandIn,
    name: &str,
    token_url: &str,
    attributes: &str,
) -> String {
    sandbox.write("spy.js", include_str!("../pages/spy.js"));
    let api = sandbox.api_base();
    sandbox.write(
        name,
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}</title>
<script>window.__warnings = []; const warn = console.warn;
console.warn = (...args) => {{ window.__warnings.push(args.map(String).join(" ")); warn.apply(console, args); }};</script>
<script src="/spy.js"></script><script type="module" src="/getty-picker.js"></script></head>
<body><main><h1>Article</h1><div id="picker" data-getty-picker data-token-url="{token_url}"
 data-api-key="sandbox-api-key" data-api-base="{api}" data-open-tab="false" {attributes}></div></main></body></html>"#
        ),
    );
    cms.url(name)
}

/// The sandbox's ids of the first page of `phrase` (30 a page).
fn ids(phrase: &str) -> Vec<String> {
    data::search_family(phrase, None, 1, 30)
        .images
        .into_iter()
        .map(|image| image.asset.id)
        .collect()
}

fn card(id: &str, css: &str) -> String {
    format!(".gp-card[data-id=\"{id}\"] {css}")
}

async fn click(browser: &Browser, css: &str) {
    browser
        .find(css)
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {css}: {error}"));
}

/// Waits until the texts of `css` are `expected`.
async fn wait_for_texts(browser: &Browser, css: &str, expected: &[&str]) {
    eventually(&format!("{css} shows {expected:?}"), || async {
        (browser.texts(css).await == expected).then_some(())
    })
    .await;
}

/// Records the picker's host events in `spy.events`, as `tests/pages/spy.js` does.
const RECORD_EVENTS: &str = "window.spy = { events: [] };
    for (const type of ['getty-picker:select', 'getty-picker:use', 'getty-picker:download',
                        'getty-picker:error']) {
      document.addEventListener(type, (e) => spy.events.push({ type, detail: e.detail }));
    }
    return true";

async fn warnings(browser: &Browser) -> Vec<String> {
    serde_json::from_value(browser.eval("return window.__warnings").await).unwrap_or_default()
}

async fn events(browser: &Browser, kind: &str) -> Vec<Value> {
    let script = format!(
        "return spy.events.filter(e => e.type === 'getty-picker:{kind}').map(e => e.detail)"
    );
    serde_json::from_value(browser.eval(&script).await).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_images_say_so_and_use_it_spends_nothing() {
    let sandbox = Sandbox::start().await;
    let cms = CmsStandIn::start(&sandbox).await;
    let kitties = ids("kitties");
    let held = kitties[0].clone();
    let entry = json!({"image": 7, "licence": 3, "title": "Cat",
                       "licensed_at": "2026-11-03T10:00:00Z", "product": "Editorial Subscription"});
    let mut map = serde_json::Map::new();
    map.insert(held.clone(), entry.clone());
    map.insert("not-on-this-page".into(), json!({"image": 8}));
    cms.answer(LibraryAnswer::Held(map));
    let token = format!("{}/token", sandbox.api_base());
    let url = page(
        &sandbox,
        &cms,
        "held.html",
        &token,
        r#"data-library-url="/getty-picker/library/""#,
    );
    let browser = Browser::open_url(&url).await;
    // The CMS's session cookie: the library is asked with the page's credentials.
    browser
        .eval("document.cookie = 'sessionid=editor-session; path=/'; return true")
        .await;
    browser.search("kitties").await;

    // The card is marked; its details say when and under what, and offer "Use it".
    wait_for_texts(&browser, &card(&held, ".gp-held"), &["In your library"]).await;
    assert_eq!(
        browser.texts(".gp-card .gp-held").await.len(),
        1,
        "only the held card"
    );
    browser.open_details(&held).await;
    wait_for_texts(
        &browser,
        ".gp-panel .gp-held",
        &["In your library · Editorial Subscription · Nov 3, 2026"],
    )
    .await;
    assert_eq!(browser.texts(".gp-panel .gp-use").await, ["Use it"]);
    assert!(browser.texts(".gp-panel .gp-select").await.is_empty());
    assert_eq!(
        browser.texts(".gp-panel .gp-download").await,
        ["Download again…"]
    );
    browser.open_details(&kitties[1]).await;
    assert_eq!(browser.texts(".gp-panel .gp-download").await, ["Download"]);
    assert_eq!(
        browser.texts(".gp-panel .gp-select").await,
        ["Use this image"]
    );
    assert!(browser.texts(".gp-panel .gp-use").await.is_empty());

    let questions = cms.questions();
    assert_eq!(questions.len(), 1, "{questions:?}");
    assert_eq!(questions[0].ids, kitties, "the page's ids, in order");
    assert!(
        questions[0]
            .cookie
            .as_deref()
            .is_some_and(|cookie| cookie.contains("sessionid=editor-session")),
        "{questions:?}"
    );
    assert_eq!(questions[0].accept.as_deref(), Some("application/json"));
    assert!(!questions[0].getty_credentials, "never a Getty credential");

    browser.open_details(&held).await;
    click(&browser, ".gp-panel .gp-use").await;
    let used = host_event(&browser, "use").await["detail"].clone();
    assert_eq!(used["id"], json!(held));
    assert_eq!(used["library"], entry, "the host's own object comes back");
    assert!(used["credit_line"].is_string() && used["thumb_uri"].is_string());
    settle().await;
    let counts = sandbox.counts();
    assert_eq!(
        (counts.download, counts.history),
        (0, 0),
        "Use it spends nothing"
    );
    assert!(events(&browser, "select").await.is_empty());
    assert!(
        browser.texts(".gp-panel").await.is_empty(),
        "the details close once the image is used"
    );

    // Downloading a held image again asks first, naming the cost; only the answer spends.
    browser.open_details(&held).await;
    click(&browser, ".gp-panel .gp-download").await;
    wait_for_texts(
        &browser,
        ".gp-panel .gp-confirm",
        &["In your library. This uses one more download of Easy Access · Everyone."],
    )
    .await;
    settle().await;
    assert_eq!(sandbox.counts().download, 0);
    click(&browser, ".gp-panel .gp-confirm-spend").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_eq!(sandbox.counts().download, 1);
    assert_eq!(
        sandbox.counts().history,
        0,
        "the library already said it is held"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_the_host_holds_offers_use_it_first_and_download_again_second() {
    let sandbox = Sandbox::start().await;
    let cms = CmsStandIn::start(&sandbox).await;
    let held = ids("kitties")[0].clone();
    let entry = json!({"image": 7, "licensed_at": "2026-11-03T10:00:00Z"});
    let mut map = serde_json::Map::new();
    map.insert(held.clone(), entry.clone());
    cms.answer(LibraryAnswer::Held(map));
    let token = format!("{}/token", sandbox.api_base());
    // Opened at mount, as a CMS opens an image it holds to license it in place.
    let url = page(
        &sandbox,
        &cms,
        "held-open.html",
        &token,
        &format!(r#"data-library-url="/getty-picker/library/" data-open-image="{held}""#),
    );
    let browser = Browser::open_url(&url).await;
    wait_for_texts(&browser, ".gp-panel .gp-use", &["Use it"]).await;
    let questions = cms.questions();
    assert_eq!(questions.len(), 1, "{questions:?}");
    assert_eq!(questions[0].ids, std::slice::from_ref(&held));
    // "Use it" comes first and is the accent button; "Download again…" follows, secondary.
    let buttons = browser
        .eval(&format!(
            "return [...{root}.querySelectorAll('.gp-panel button')]
               .filter(b => ['gp-use', 'gp-download', 'gp-select'].some(c => b.classList.contains(c)))
               .map(b => [b.className, b.textContent, getComputedStyle(b).backgroundColor])",
            root = support::PICKER_ROOT
        ))
        .await;
    assert_eq!(
        buttons,
        json!([
            ["gp-use", "Use it", "rgb(11, 92, 173)"],
            [
                "gp-download gp-secondary",
                "Download again…",
                "rgba(0, 0, 0, 0)"
            ]
        ]),
        "no \"Use this image\" beside \"Use it\""
    );
    click(&browser, ".gp-panel .gp-use").await;
    let used = eventually("the host hears of the use", || async {
        events(&browser, "use").await.into_iter().next()
    })
    .await;
    assert_eq!(used["id"], json!(held));
    assert_eq!(used["library"], entry);
    assert!(browser.texts(".gp-panel").await.is_empty(), "closed");
    settle().await;
    assert_eq!(
        (sandbox.counts().download, sandbox.counts().history),
        (0, 0)
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_library_leaves_the_search_alone() {
    let sandbox = Sandbox::start().await;
    let cms = CmsStandIn::start(&sandbox).await;
    let token = format!("{}/token", sandbox.api_base());
    let url = page(
        &sandbox,
        &cms,
        "failing.html",
        &token,
        r#"data-library-url="/getty-picker/library/""#,
    );
    let browser = Browser::open_url(&url).await;
    let answers = [
        (500, r#"{"error": "boom"}"#),
        (403, r#"{"detail": "Not allowed"}"#),
        (200, "<html>login</html>"),
        (200, r#"{"held": []}"#),
        (200, r#"{"held": {"x": true}}"#),
        (200, r#"{"images": {}}"#),
    ];
    for (n, (status, body)) in answers.iter().enumerate() {
        let phrase = format!("library failure {n}");
        let first = ids(&phrase)[0].clone();
        // Even an answer that names the first card: a wrong shape marks nothing.
        let body = body.replace('x', &first);
        cms.answer(LibraryAnswer::Raw {
            status: *status,
            body,
        });
        browser.search(&phrase).await;
        browser
            .wait_for_titles(&support::titles(&phrase, None, 1, 30))
            .await;
        let warned = eventually("the failure is warned about", || async {
            let warnings = warnings(&browser).await;
            (warnings.len() > n).then_some(warnings)
        })
        .await;
        assert_eq!(
            warned.len(),
            n + 1,
            "one warning per failed question: {warned:?}"
        );
        assert!(warned[n].contains("library"), "{warned:?}");
        assert!(browser.texts(".gp-held").await.is_empty(), "{status} {n}");
        assert!(browser.texts(".gp-use").await.is_empty());
        assert!(browser.texts(".gp-status.gp-error").await.is_empty());
    }
    // The search works as ever: a download from the last one.
    let first = ids(&format!("library failure {}", answers.len() - 1))[0].clone();
    browser.open_details(&first).await;
    assert!(browser.texts(".gp-panel .gp-use").await.is_empty());
    click(&browser, ".gp-panel .gp-download").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_eq!(cms.questions().len(), answers.len());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_licensed_before_asks_first_and_spends_only_when_confirmed() {
    let sandbox = Sandbox::start().await;
    let easy = sandbox.products()[0].id;
    let kitties = ids("kitties");
    sandbox.seed_download(&kitties[0], easy, "ann", NOV_3);
    let browser = Browser::open_with_results(&sandbox, "kitties").await;

    browser.open_details(&kitties[0]).await;
    click(&browser, ".gp-panel .gp-download").await;
    let asked = "Your company licensed this image on Nov 3, 2026 under Easy Access · \
                 Everyone. Download again? This uses one more download of Easy Access · Everyone.";
    wait_for_texts(&browser, ".gp-panel .gp-confirm", &[asked]).await;
    settle().await;
    assert_eq!(sandbox.counts().history, 1);
    assert_eq!(
        sandbox.counts().download,
        0,
        "nothing spent before the answer"
    );
    let requests = browser.request_urls("/downloadhistory").await;
    assert!(
        requests.len() == 1 && requests[0].contains("/downloadhistory?company_downloads=true"),
        "{requests:?}"
    );
    // What Getty said marks the card too.
    wait_for_texts(
        &browser,
        &card(&kitties[0], ".gp-held"),
        &["Licensed before"],
    )
    .await;

    // Cancelling spends nothing; asking again, even after the details were closed and opened
    // again, does not ask Getty again.
    click(&browser, ".gp-panel .gp-confirm-cancel").await;
    wait_for_texts(&browser, ".gp-panel .gp-confirm", &[]).await;
    click(&browser, ".gp-panel-close").await;
    browser.open_details(&kitties[0]).await;
    click(&browser, ".gp-panel .gp-download").await;
    wait_for_texts(&browser, ".gp-panel .gp-confirm", &[asked]).await;
    click(&browser, ".gp-panel .gp-confirm-spend").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert_eq!(sandbox.counts().download, 1);
    assert_eq!(sandbox.counts().history, 1);
    let log = sandbox.downloads_log();
    assert_eq!(
        log.iter().map(|d| d.user.as_str()).collect::<Vec<_>>(),
        ["ann", "sandbox-editor"],
        "the sandbox's history holds both"
    );

    // An image nobody licensed: the one click spends, after one question.
    browser.open_details(&kitties[1]).await;
    click(&browser, ".gp-panel .gp-download").await;
    browser.find(".gp-panel .gp-delivery-link").await;
    assert!(browser.texts(".gp-panel .gp-confirm").await.is_empty());
    assert_eq!(sandbox.counts().history, 2);
    assert_eq!(sandbox.counts().download, 2);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_that_cannot_be_read_is_skipped_quietly() {
    let sandbox = Sandbox::start().await;
    let kitties = ids("kitties");
    // Licensed before, but Getty will not say so: the download goes ahead as without the check.
    sandbox.seed_download(&kitties[0], sandbox.products()[0].id, "ann", NOV_3);
    let browser = Browser::open_with_results(&sandbox, "kitties").await;
    browser.eval(RECORD_EVENTS).await;
    for (n, fault) in [
        Fault::Status(403),
        Fault::Status(404),
        Fault::DropConnection,
        Fault::MalformedJson,
    ]
    .into_iter()
    .enumerate()
    {
        sandbox.inject(Endpoint::History, fault.clone(), 1);
        let asked = sandbox.counts().history;
        browser.open_details(&kitties[n]).await;
        click(&browser, ".gp-panel .gp-download").await;
        browser.find(".gp-panel .gp-delivery-link").await;
        assert!(
            browser.texts(".gp-panel .gp-confirm").await.is_empty(),
            "{fault:?}"
        );
        assert!(
            browser.texts(".gp-panel .gp-card-error").await.is_empty(),
            "{fault:?}"
        );
        assert_eq!(sandbox.counts().download, n as u64 + 1, "{fault:?}");
        // Asked (Chromium itself asks once more after a connection dropped before an answer).
        assert!(sandbox.counts().history > asked, "{fault:?}");
    }
    assert!(
        events(&browser, "error").await.is_empty(),
        "nothing failed that the host must hear of"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_who_may_only_choose_sees_no_download_control() {
    let sandbox = Sandbox::start_configured(|config| config.sandbox_search_only = true).await;
    let cms = CmsStandIn::start(&sandbox).await;
    // The same page with a second picker whose backend merely has no Getty user (`no_user`,
    // here no reason at all, as from older services): it keeps its download controls.
    sandbox.write("spy.js", include_str!("../pages/spy.js"));
    let api = sandbox.api_base();
    sandbox.write(
        "roles.html",
        &format!(
            r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>roles</title>
<script src="/spy.js"></script><script type="module" src="/getty-picker.js"></script></head>
<body><main>
<div id="role" style="height: 600px; overflow: auto" data-getty-picker data-token-url="/role-token"
 data-api-key="sandbox-api-key" data-api-base="{api}"></div>
<div id="nouser" data-getty-picker data-token-url="{api}/token" data-api-key="sandbox-api-key"
 data-api-base="{api}"></div></main></body></html>"#
        ),
    );
    let browser = Browser::open_url(&cms.url("roles.html")).await;
    browser.search_in("#role", "kitties").await;
    support::wait_for_results(&browser, "#role", "kitties", 30).await;
    browser.search_in("#nouser", "kitties").await;
    support::wait_for_results(&browser, "#nouser", "kitties", 30).await;
    settle().await;

    let texts = |css: &'static str| browser.texts_in("#role", css);
    assert_eq!(
        texts(".gp-role-note").await,
        ["You can choose images; an editor who may license Getty images licenses them."]
    );
    let first = ids("kitties")[0].clone();
    browser.open_details_in("#role", &first).await;
    browser.find_in("#role", ".gp-panel .gp-select").await;
    assert!(texts(".gp-download").await.is_empty());
    assert!(texts(".gp-download-controls").await.is_empty());

    assert!(browser
        .texts_in("#nouser", ".gp-role-note")
        .await
        .is_empty());
    // The first picker scrolls in a box of its own: stacked in the page, its end of grid would
    // be in view beside the second picker's cards, and each page it loaded would move them.
    browser.open_details_when_still_in("#nouser", &first).await;
    assert_eq!(
        browser.texts_in("#nouser", ".gp-panel .gp-download").await,
        ["Download"]
    );

    let counts = sandbox.counts();
    assert_eq!((counts.download, counts.history), (0, 0));

    // And the token itself cannot spend at the sandbox.
    let client = reqwest::Client::new();
    let answer: Value = client
        .post(cms.url("role-token"))
        .header("Origin", cms.url("").trim_end_matches('/'))
        .send()
        .await
        .expect("a role token")
        .json()
        .await
        .expect("JSON");
    assert_eq!(answer["search_only"], true);
    assert_eq!(answer["search_only_reason"], "role");
    let token = answer["access_token"].as_str().expect("a token");
    let refused = client
        .post(format!(
            "{api}/v3/downloads/images/{first}?auto_download=false&product_type=easyaccess"
        ))
        .header("Api-Key", "sandbox-api-key")
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status().as_u16(), 403);
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["ErrorCode"], "UserTokenRequired");
    browser.close().await;
}

support::every_engine!(the_details_offer_use_this_image);
async fn the_details_offer_use_this_image() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    browser.eval(RECORD_EVENTS).await;
    browser.search("kitties").await;
    let first = ids("kitties")[2].clone();
    browser.open_details(&first).await;
    let chosen = ".gp-panel .gp-select";
    assert_eq!(browser.texts(chosen).await, ["Use this image"]);
    assert_eq!(browser.texts(".gp-panel .gp-download").await, ["Download"]);
    click(&browser, chosen).await;
    let chosen = host_event(&browser, "select").await["detail"].clone();
    assert_eq!(chosen["id"], json!(first));
    // The details close and the keyboard is back on the card.
    eventually("the details close", || async {
        browser.texts(".gp-panel").await.is_empty().then_some(())
    })
    .await;
    let focused = browser
        .eval(&format!(
            "return {}.activeElement?.closest('.gp-card')?.dataset?.id ?? null",
            support::PICKER_ROOT
        ))
        .await;
    assert_eq!(focused, json!(first));
    assert_eq!(sandbox.counts().download, 0);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_narrow_picker_clamps_its_cards_and_shows_the_details_over_the_page() {
    let sandbox = Sandbox::start().await;
    let mut subscription = product(
        "editorialsubscription",
        "Editorial Subscription",
        "Newsroom 2026",
    );
    subscription.download_limit = Some(50);
    subscription.downloads_remaining = Some(12);
    let mut pack = product("imagepack", "Image Pack", "Ten pack for the regional desks");
    pack.project_code_required = true;
    pack.project_codes = vec!["SPRING-26".into(), "WEB-HOME".into()];
    sandbox.set_products(vec![subscription, pack]);
    // A picker as narrow as an editor's side panel: cards at their narrowest, details over the
    // page.
    let url = sandbox.page_with("narrow.html", r#"style="display:block;width:400px""#);
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    browser
        .wait_for_titles(&support::titles("kitties", None, 1, 30))
        .await;
    settle().await;
    // Every card inside the picker, each title clamped within its card.
    let layout = browser
        .eval(&format!(
            "const root = {};
             const grid = root.querySelector('.gp-grid').getBoundingClientRect();
             return [...root.querySelectorAll('.gp-card')].map(card => {{
               const box = card.getBoundingClientRect();
               const title = card.querySelector('.gp-title');
               return {{
                 inside: box.left >= grid.left - 1 && box.right <= grid.right + 1,
                 clamped: title.getBoundingClientRect().bottom <= box.bottom + 1
                   && title.scrollWidth <= title.clientWidth + 1,
               }};
             }})",
            support::PICKER_ROOT
        ))
        .await;
    let cards = layout.as_array().expect("cards");
    assert_eq!(cards.len(), 30);
    for card in cards {
        assert_eq!(card["inside"], json!(true), "{card}");
        assert_eq!(card["clamped"], json!(true), "{card}");
    }

    // An image Getty says is not released: its details say so, without the words of a link
    // Getty's answer does not give.
    let unreleased = data::search_family("kitties", None, 1, 30)
        .images
        .into_iter()
        .find(|image| {
            image
                .asset
                .allowed_use
                .as_ref()
                .is_some_and(|used| used.release_info.starts_with("Not released."))
        })
        .expect("an image that is not released")
        .asset
        .id;
    browser.open_details(&unreleased).await;
    let panel = browser
        .eval(&format!(
            "const panel = {}.querySelector('.gp-panel');
             const box = panel.getBoundingClientRect();
             const page = document.documentElement;
             return [panel.className, panel.getAttribute('aria-modal'),
                     box.left, box.top, box.width - page.clientWidth, box.height - page.clientHeight]",
            support::PICKER_ROOT
        ))
        .await;
    assert_eq!(
        panel,
        json!(["gp-panel gp-panel-overlay", "true", 0, 0, 0, 0]),
        "over the whole page"
    );
    let facts = browser.texts(".gp-panel .gp-panel-facts dd").await;
    assert!(
        facts.iter().any(|fact| fact == "Not released."),
        "{facts:?}"
    );
    assert!(!facts.iter().any(|fact| fact.contains("More information")));

    // Product names wrap rather than being cut off, and so does the project code's list.
    let labels = browser
        .eval(&format!(
            "const panel = {}.querySelector('.gp-panel');
             const right = panel.getBoundingClientRect().right;
             return [...panel.querySelectorAll('.gp-product-option span')].map(o => [
               o.textContent, o.scrollWidth <= o.clientWidth + 1 && o.getBoundingClientRect().right <= right]);",
            support::PICKER_ROOT
        ))
        .await;
    assert_eq!(
        labels,
        json!([
            ["Editorial Subscription · Newsroom 2026", true],
            ["Image Pack · Ten pack for the regional desks", true]
        ])
    );
    click(
        &browser,
        ".gp-panel .gp-product-option:nth-of-type(2) input",
    )
    .await;
    let code = browser.find(".gp-panel select.gp-project-code").await;
    let fits = browser
        .client
        .execute(
            "const s = arguments[0]; return s.getBoundingClientRect().width >= 80",
            vec![serde_json::to_value(&*code).expect("an element")],
        )
        .await
        .expect("measuring");
    assert_eq!(fits, json!(true));
    browser.close().await;
}
