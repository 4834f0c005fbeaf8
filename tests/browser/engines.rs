//! The engine under test starts as the other tests rely on: the preferred languages and colour
//! scheme a test launches it with, the window size, and the popup blocker on.

use crate::support;

use serde_json::json;
use support::{Browser, Engine, Launch, Sandbox};

support::every_engine!(the_browser_starts_as_launched_with_its_popup_blocker_on);
async fn the_browser_starts_as_launched_with_its_popup_blocker_on() {
    let sandbox = Sandbox::start().await;
    let launch = Launch {
        dark: true,
        languages: vec!["fr-FR".into(), "fr".into()],
        ..Launch::default()
    };
    let browser = Browser::open_url_launched(&sandbox.page_url(), launch).await;
    let seen = browser
        .eval(
            "return [navigator.languages, matchMedia('(prefers-color-scheme: dark)').matches,
                     innerWidth]",
        )
        .await;
    // WebKit lists only the first preferred language in `navigator.languages`.
    let languages = |all: serde_json::Value| match browser.engine() {
        Engine::WebKit => json!([all[0]]),
        _ => all,
    };
    assert_eq!(
        seen,
        json!([languages(json!(["fr-FR", "fr"])), true, 1280]),
        "{:?}",
        browser.engine()
    );
    // Not in answer to a click: an editor's browser refuses it, and so must the tests'.
    let opened = browser
        .eval("return window.open('about:blank', '_blank') !== null")
        .await;
    assert_eq!(opened, json!(false), "the popup blocker is on");
    assert_eq!(browser.client.windows().await.expect("windows").len(), 1);
    browser.close().await;

    let browser = Browser::open_url(&sandbox.page_url()).await;
    let seen = browser
        .eval("return [navigator.languages, matchMedia('(prefers-color-scheme: dark)').matches]")
        .await;
    let languages = match browser.engine() {
        Engine::WebKit => json!(["en-US"]),
        _ => json!(["en-US", "en"]),
    };
    assert_eq!(seen, json!([languages, false]), "{:?}", browser.engine());
    browser.close().await;
}
