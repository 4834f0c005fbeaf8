//! The screenshots of `docs/screenshots/`: the grid and the details panel, in a wide picker
//! (the details beside the grid) and a narrow one (the details over the page), in the light and
//! the dark scheme, taken in headless Chromium against the sandbox. Not a test.
//!
//! `cargo run --release --example screenshots -- [FOLDER]` (default `docs/screenshots`), after
//! `scripts/build.sh`; `scripts/screenshots.sh` does both.

#[path = "../tests/support/mod.rs"]
mod support;

use std::path::PathBuf;
use std::process::ExitCode;

use getty_sandbox::data;
use support::{eventually, Browser, Launch, Sandbox};

/// The widths of the two pickers, in CSS pixels, and what they are called in the file names.
const WIDTHS: [(&str, u32); 2] = [("wide", 1180), ("narrow", 420)];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "docs/screenshots".to_owned()),
    );
    if let Err(error) = std::fs::create_dir_all(&folder) {
        eprintln!("screenshots: {}: {error}", folder.display());
        return ExitCode::FAILURE;
    }
    let sandbox = Sandbox::start().await;
    let mut product = support::product(
        "editorialsubscription",
        "Editorial Subscription",
        "Newsroom",
    );
    product.download_limit = Some(50);
    product.downloads_remaining = Some(12);
    product.reset_utc_date = Some("2026-12-01T00:00:00Z".into());
    sandbox.set_products(vec![
        product,
        support::product("imagepack", "Image Pack", "Ten pack for the regional desks"),
    ]);
    let image = data::search("kitties", 1, 30).images[2].asset.id.clone();
    for (scheme, dark) in [("light", false), ("dark", true)] {
        for (size, width) in WIDTHS {
            let page = format!("screenshot-{size}.html");
            let url = sandbox.page_with(
                &page,
                &format!(r#"style="display:block;width:{width}px;margin:0 auto""#),
            );
            let browser = Browser::open_url_launched(
                &url,
                Launch {
                    dark,
                    ..Launch::default()
                },
            )
            .await;
            browser
                .eval("document.body.style.margin = '12px'; return true")
                .await;
            browser.search("kitties").await;
            browser
                .wait_for_titles(&support::titles("kitties", None, 1, 30))
                .await;
            thumbnails_loaded(&browser).await;
            save(&browser, &folder, &format!("grid-{size}-{scheme}.png")).await;
            browser.open_details(&image).await;
            browser.find(".gp-panel .gp-strip-item").await;
            thumbnails_loaded(&browser).await;
            save(&browser, &folder, &format!("details-{size}-{scheme}.png")).await;
            browser.close().await;
        }
    }
    println!("screenshots in {}", folder.display());
    ExitCode::SUCCESS
}

/// Waits until every picture in view has loaded (the others load lazily, when scrolled to).
async fn thumbnails_loaded(browser: &Browser) {
    eventually("the pictures are loaded", || async {
        let done = browser
            .eval(&format!(
                "return [...{}.querySelectorAll('img')]
                   .filter(img => img.getBoundingClientRect().top < innerHeight)
                   .every(img => img.complete)",
                support::PICKER_ROOT
            ))
            .await;
        (done == serde_json::json!(true)).then_some(())
    })
    .await;
}

async fn save(browser: &Browser, folder: &std::path::Path, name: &str) {
    let png = browser.client.screenshot().await.expect("a screenshot");
    std::fs::write(folder.join(name), png).expect("the screenshot is saved");
    println!("{name}");
}
