//! Never paying twice, and who may license: the host's library marks the images it holds
//! ("In your library", "Use it" spending nothing), Getty's download history is asked before
//! spending and a company's earlier licence asks first, an editor whose role is to choose sees
//! no download control; and the cards' layout (no gaps, products not cut off), the preview's
//! "Use this image". In Chromium against the backend, its sandbox and a stand-in CMS.

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

    wait_for_texts(
        &browser,
        &card(&held, ".gp-held"),
        &["In your library · Editorial Subscription · Nov 3, 2026"],
    )
    .await;
    assert_eq!(
        browser.texts(".gp-card .gp-held").await.len(),
        1,
        "only the held card"
    );
    assert_eq!(browser.texts(&card(&held, ".gp-use")).await, ["Use it"]);
    assert!(browser.texts(&card(&held, ".gp-select")).await.is_empty());
    assert_eq!(
        browser.texts(&card(&held, ".gp-download")).await,
        ["Download again…"]
    );
    assert_eq!(
        browser.texts(&card(&kitties[1], ".gp-download")).await,
        ["Download"]
    );
    assert_eq!(
        browser.texts(&card(&kitties[1], ".gp-select")).await,
        ["Use this image"]
    );

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

    click(&browser, &card(&held, ".gp-use")).await;
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

    // Downloading a held image again asks first, naming the cost; only the answer spends.
    click(&browser, &card(&held, ".gp-download")).await;
    wait_for_texts(
        &browser,
        &card(&held, ".gp-confirm"),
        &["In your library. This uses one more download of Easy Access · Everyone."],
    )
    .await;
    settle().await;
    assert_eq!(sandbox.counts().download, 0);
    click(&browser, &card(&held, ".gp-confirm-spend")).await;
    browser.find(&card(&held, ".gp-delivery-link")).await;
    assert_eq!(sandbox.counts().download, 1);
    assert_eq!(
        sandbox.counts().history,
        0,
        "the library already said it is held"
    );

    // The preview of a held image offers "Use it" too.
    click(&browser, &card(&held, ".gp-thumb")).await;
    assert_eq!(browser.texts(".gp-preview .gp-use").await, ["Use it"]);
    assert_eq!(browser.texts(".gp-preview .gp-held").await.len(), 1);
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
    wait_for_texts(&browser, ".gp-preview .gp-use", &["Use it"]).await;
    let questions = cms.questions();
    assert_eq!(questions.len(), 1, "{questions:?}");
    assert_eq!(questions[0].ids, std::slice::from_ref(&held));
    // "Use it" comes first and is the accent button; "Download again…" follows, secondary.
    let buttons = browser
        .eval(&format!(
            "return [...{root}.querySelectorAll('.gp-preview button')]
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
    click(&browser, ".gp-preview .gp-use").await;
    let used = eventually("the host hears of the use", || async {
        events(&browser, "use").await.into_iter().next()
    })
    .await;
    assert_eq!(used["id"], json!(held));
    assert_eq!(used["library"], entry);
    assert!(browser.texts(".gp-preview").await.is_empty(), "closed");
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
    click(&browser, &card(&first, ".gp-download")).await;
    browser.find(&card(&first, ".gp-delivery-link")).await;
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

    click(&browser, &card(&kitties[0], ".gp-download")).await;
    let asked = "Your company licensed this image on Nov 3, 2026 under Easy Access · \
                 Everyone. Download again? This uses one more download of Easy Access · Everyone.";
    wait_for_texts(&browser, &card(&kitties[0], ".gp-confirm"), &[asked]).await;
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

    // Cancelling spends nothing; asking again does not ask Getty again.
    click(&browser, &card(&kitties[0], ".gp-confirm-cancel")).await;
    wait_for_texts(&browser, &card(&kitties[0], ".gp-confirm"), &[]).await;
    click(&browser, &card(&kitties[0], ".gp-download")).await;
    wait_for_texts(&browser, &card(&kitties[0], ".gp-confirm"), &[asked]).await;
    click(&browser, &card(&kitties[0], ".gp-confirm-spend")).await;
    browser.find(&card(&kitties[0], ".gp-delivery-link")).await;
    assert_eq!(sandbox.counts().download, 1);
    assert_eq!(sandbox.counts().history, 1);
    let log = sandbox.downloads_log();
    assert_eq!(
        log.iter().map(|d| d.user.as_str()).collect::<Vec<_>>(),
        ["ann", "sandbox-editor"],
        "the sandbox's history holds both"
    );

    // An image nobody licensed: the one click spends, after one question.
    click(&browser, &card(&kitties[1], ".gp-download")).await;
    browser.find(&card(&kitties[1], ".gp-delivery-link")).await;
    assert!(browser
        .texts(&card(&kitties[1], ".gp-confirm"))
        .await
        .is_empty());
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
        click(&browser, &card(&kitties[n], ".gp-download")).await;
        browser.find(&card(&kitties[n], ".gp-delivery-link")).await;
        assert!(
            browser
                .texts(&card(&kitties[n], ".gp-confirm"))
                .await
                .is_empty(),
            "{fault:?}"
        );
        assert!(
            browser
                .texts(&card(&kitties[n], ".gp-card-error"))
                .await
                .is_empty(),
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
<div id="role" data-getty-picker data-token-url="/role-token" data-api-key="sandbox-api-key"
 data-api-base="{api}"></div>
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
    assert!(texts(".gp-download").await.is_empty());
    assert!(texts(".gp-download-controls").await.is_empty());
    // Cards without download controls are short: a further page may load meanwhile, so the
    // cards and their buttons are counted in one go.
    let counted = browser
        .eval(
            "const cards = [...document.querySelector('#role').shadowRoot.querySelectorAll('.gp-card')];
             return [cards.length, cards.filter((c) => c.querySelector('.gp-select')).length]",
        )
        .await;
    let cards = counted[0].as_u64().unwrap_or(0);
    assert!(cards >= 30, "{counted}");
    assert_eq!(counted[1], json!(cards), "Use this image stays");
    let first = ids("kitties")[0].clone();
    browser
        .find_in("#role", &card(&first, ".gp-thumb"))
        .await
        .click()
        .await
        .expect("opening the preview");
    browser.find_in("#role", ".gp-preview .gp-select").await;
    assert!(texts(".gp-preview .gp-download").await.is_empty());

    assert!(browser
        .texts_in("#nouser", ".gp-role-note")
        .await
        .is_empty());
    assert_eq!(browser.texts_in("#nouser", ".gp-download").await.len(), 30);

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

support::every_engine!(the_preview_offers_use_this_image);
async fn the_preview_offers_use_this_image() {
    let sandbox = Sandbox::start().await;
    let browser = Browser::open(&sandbox).await;
    browser.eval(RECORD_EVENTS).await;
    browser.search("kitties").await;
    let first = ids("kitties")[2].clone();
    click(&browser, &card(&first, ".gp-thumb")).await;
    let preview = ".gp-preview .gp-select";
    assert_eq!(browser.texts(preview).await, ["Use this image"]);
    assert_eq!(
        browser.texts(".gp-preview .gp-download").await,
        ["Download"]
    );
    click(&browser, preview).await;
    let chosen = host_event(&browser, "select").await["detail"].clone();
    assert_eq!(chosen["id"], json!(first));
    // The preview closes and the keyboard is back on the card.
    eventually("the preview closes", || async {
        browser.texts(".gp-preview").await.is_empty().then_some(())
    })
    .await;
    let focused = browser
        .eval(&format!(
            "return {}.activeElement?.dataset?.id ?? null",
            support::PICKER_ROOT
        ))
        .await;
    assert_eq!(focused, json!(first));
    assert_eq!(sandbox.counts().download, 0);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn narrow_cards_cut_nothing_off_and_leave_no_gaps() {
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
    // A picker as narrow as an editor's side panel: cards at their narrowest.
    let url = sandbox.page_with("narrow.html", r#"style="display:block;width:400px""#);
    let browser = Browser::open_url(&url).await;
    browser.search("kitties").await;
    eventually("the cards offer a choice of products", || async {
        (browser.texts(".gp-card .gp-product-option").await.len() >= 60).then_some(())
    })
    .await;
    settle().await;
    let layout = browser
        .eval(&format!(
            "const root = {};
             return [...root.querySelectorAll('.gp-card')].map(card => {{
               const use = card.querySelector('.gp-select');
               const above = use.previousElementSibling;
               let last = above;
               while (last && last.getClientRects().length === 0) last = last.previousElementSibling;
               const options = [...card.querySelectorAll('.gp-product-option span')];
               return {{
                 width: card.getBoundingClientRect().width,
                 gap: use.getBoundingClientRect().top - last.getBoundingClientRect().bottom,
                 cut: options.filter(o => o.scrollWidth > o.clientWidth + 1
                   || o.getBoundingClientRect().right > card.getBoundingClientRect().right)
                   .map(o => o.textContent),
                 labels: options.map(o => o.textContent),
                 release: card.querySelector('.gp-release')?.textContent ?? null,
               }};
             }})",
            support::PICKER_ROOT
        ))
        .await;
    let cards = layout.as_array().expect("cards");
    assert_eq!(cards.len(), 30);
    for card in cards {
        let width = card["width"].as_f64().unwrap_or_default();
        assert!(width < 200.0, "narrow cards: {card}");
        let gap = card["gap"].as_f64().unwrap_or(f64::MAX);
        assert!(
            (0.0..=6.0).contains(&gap),
            "no empty room above Use this image: {card}"
        );
        assert_eq!(card["cut"], json!([]), "{card}");
        assert_eq!(
            card["labels"],
            json!([
                "Editorial Subscription · Newsroom 2026",
                "Image Pack · Ten pack for the regional desks"
            ])
        );
        if let Some(release) = card["release"].as_str() {
            assert!(!release.contains("More information"), "{release}");
        }
    }
    assert!(
        cards.iter().any(|card| card["release"] == "Not released."),
        "Getty's release text is kept, without the words of a link it does not give"
    );

    // Choosing the pack asks for its project code, and a code select is not cut off either.
    let first = ids("kitties")[0].clone();
    click(
        &browser,
        &card(&first, ".gp-product-option:nth-of-type(2) input"),
    )
    .await;
    let code = browser.find(&card(&first, "select.gp-project-code")).await;
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
