//! `getty-picker-live-check` (run by scripts/live-check.sh), the real binary: against a fake
//! Getty on loopback (well-formed, malformed, refusing), and against the sandbox.

use crate::common;

use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::{serve, PASSWORD, SECRET};
use serde_json::{json, Value};

/// The fields the widget asks for, in its order (`src/getty/query.rs`).
const WIDGET_FIELDS: &str = "id,title,caption,artist,collection_name,copyright,asset_family,allowed_use,max_dimensions,largest_downloads,thumb,preview,comp";

/// The fake's access token; must not be printed.
const ACCESS_TOKEN: &str = "live0check0access0token";

/// How the fake Getty behaves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Getty {
    /// As documented; the editorial search refuses `comp`/`preview` once (UnauthorizedDisplaySize).
    WellFormed,
    /// Creative images with numeric ids and numeric product ids.
    Malformed,
    /// The token endpoint refuses the key.
    RefusesKey,
}

/// A query string, decoded.
type Params = Vec<(String, String)>;

/// What the fake Getty was asked.
#[derive(Default)]
struct Seen {
    /// (family, `fields`) of each search.
    searches: Vec<(String, String)>,
    /// (image id, query, body) of each download.
    downloads: Vec<(String, Params, String)>,
    /// Products requests.
    products: u32,
}

#[derive(Clone)]
struct Fake {
    mode: Getty,
    base: Arc<Mutex<String>>,
    seen: Arc<Mutex<Seen>>,
}

async fn fake_token(State(fake): State<Fake>) -> Response {
    if fake.mode == Getty::RefusesKey {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_client", "error_description": format!("bad secret {SECRET}")})),
        )
            .into_response();
    }
    Json(json!({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": "1800"}))
        .into_response()
}

fn bearer_ok(headers: &axum::http::HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {ACCESS_TOKEN}"))
        && headers.get("api-key").is_some_and(|k| k == "live-key")
}

async fn fake_products(State(fake): State<Fake>, headers: axum::http::HeaderMap) -> Response {
    assert!(bearer_ok(&headers));
    fake.seen.lock().expect("lock").products += 1;
    Json(json!({"products": [
        {"id": 1001, "name": "Editorial Subscription", "type": "editorialsubscription",
         "download_limit": 50, "downloads_remaining": 12, "status": "active",
         "download_requirements": {"is_note_required": false, "is_project_code_required": false, "project_codes": []}},
        {"id": 1002, "name": "Premium Access", "type": "premiumaccess", "download_limit": null,
         "downloads_remaining": null, "status": "active",
         "download_requirements": {"is_note_required": true, "is_project_code_required": true,
                                   "project_codes": ["SPRING-26", "WEB-HOME"]}},
    ]}))
    .into_response()
}

async fn fake_search(
    State(fake): State<Fake>,
    Path(family): Path<String>,
    headers: axum::http::HeaderMap,
    Query(query): Query<Params>,
) -> Response {
    assert!(bearer_ok(&headers));
    let fields = query
        .iter()
        .find(|(k, _)| k == "fields")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let first_editorial = {
        let mut seen = fake.seen.lock().expect("lock");
        seen.searches.push((family.clone(), fields.clone()));
        family == "editorial"
            && seen
                .searches
                .iter()
                .filter(|(f, _)| f == "editorial")
                .count()
                == 1
    };
    if fake.mode == Getty::WellFormed && first_editorial && fields.contains("comp") {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"ErrorCode": "UnauthorizedDisplaySize", "ErrorMessage": "comp"})),
        )
            .into_response();
    }
    let base = fake.base.lock().expect("lock").clone();
    let asset_family = if family == "editorial" {
        "editorial"
    } else {
        "creative"
    };
    let images: Vec<Value> = (1..=3)
        .map(|n| {
            let id = format!("{family}{n}");
            let mut image = json!({
                "id": id, "title": "t", "asset_family": asset_family,
                "display_sizes": [{"name": "thumb", "is_watermarked": true, "uri": format!("{base}/media/{id}.jpg")}],
                "largest_downloads": [{"product_id": "1002", "product_type": "premiumaccess",
                    "agreement_name": "Marketing", "uri": format!("{base}/v3/downloads/images/{id}")}],
            });
            if fake.mode == Getty::Malformed && family == "creative" {
                image["id"] = json!(n);
                image["largest_downloads"][0]["product_id"] = json!(1002);
            }
            image
        })
        .collect();
    Json(json!({"result_count": 3, "images": images})).into_response()
}

async fn fake_download(
    State(fake): State<Fake>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    Query(query): Query<Params>,
    body: String,
) -> Response {
    assert!(bearer_ok(&headers));
    fake.seen
        .lock()
        .expect("lock")
        .downloads
        .push((id.clone(), query, body));
    Json(json!({"uri": format!("https://delivery.example/{id}.jpg?sig=1")})).into_response()
}

/// Starts a fake Getty; returns it and its origin.
async fn fake_getty(mode: Getty) -> (Fake, String) {
    let fake = Fake {
        mode,
        base: Arc::default(),
        seen: Arc::default(),
    };
    let app = Router::new()
        .route("/oauth2/token", post(fake_token))
        .route("/v3/products", get(fake_products))
        .route(
            "/v3/search/images",
            get(|s, h, q| fake_search(s, Path("all".into()), h, q)),
        )
        .route("/v3/search/images/{family}", get(fake_search))
        .route("/v3/downloads/images/{id}", post(fake_download))
        .with_state(fake.clone());
    let base = format!("http://{}", serve(app).await);
    *fake.base.lock().expect("lock") = base.clone();
    (fake, base)
}

/// Runs the live check against `base` with `args`, the key and secret, and the user if `user`.
async fn live_check(base: &str, user: bool, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_getty-picker-live-check"));
    command
        .env_clear()
        .env("GETTY_API_KEY", "live-key")
        .env("GETTY_API_SECRET", SECRET)
        .env("GETTY_TOKEN_URL", format!("{base}/oauth2/token"))
        .env("GETTY_API_BASE", base)
        .args(args)
        .stdin(Stdio::null());
    if user {
        command
            .env("GETTY_USERNAME", "editor@example.com")
            .env("GETTY_PASSWORD", PASSWORD);
    }
    tokio::task::spawn_blocking(move || command.output().expect("run live check"))
        .await
        .expect("task")
}

fn text(output: &Output) -> String {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for secret in [SECRET, PASSWORD, ACCESS_TOKEN] {
        assert!(!all.contains(secret), "{secret:?} printed:\n{all}");
    }
    all
}

fn has_line(out: &str, verdict: &str, check: &str) -> bool {
    out.lines()
        .any(|line| line.starts_with(verdict) && line[4..].trim_start().starts_with(check))
}

#[tokio::test]
async fn it_refuses_to_run_without_credentials() {
    let output = tokio::task::spawn_blocking(|| {
        Command::new(env!("CARGO_BIN_EXE_getty-picker-live-check"))
            .env_clear()
            .env("GETTY_USERNAME", "editor")
            .output()
            .expect("run")
    })
    .await
    .expect("task");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for name in [
        "GETTY_API_KEY",
        "GETTY_API_SECRET",
        "GETTY_USERNAME",
        "GETTY_PASSWORD",
    ] {
        assert!(stderr.contains(name), "{name} not in {stderr}");
    }
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn a_well_formed_getty_passes_and_one_download_is_spent_as_the_widget_would() {
    let (fake, base) = fake_getty(Getty::WellFormed).await;
    let output = live_check(&base, true, &["--download", "creative2"]).await;
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    for check in [
        "token",
        "readyz",
        "products",
        "search all",
        "search creative",
        "search editorial",
        "download creative2",
    ] {
        assert!(has_line(&out, "PASS", check), "no PASS {check}:\n{out}");
    }
    assert!(!out.contains("FAIL"), "{out}");
    assert!(has_line(&out, "WARN", "search editorial"), "{out}");
    assert!(out.contains("UnauthorizedDisplaySize"), "{out}");
    assert!(
        out.contains("delivery URI: https://delivery.example/creative2.jpg?sig=1"),
        "{out}"
    );
    assert!(out.contains("1001 Editorial Subscription (editorialsubscription), 12 of 50 left"));
    let seen = fake.seen.lock().expect("lock");
    assert_eq!(seen.products, 1);
    // Each family once with the widget's fields; editorial again without preview and comp.
    let fields: Vec<(&str, &str)> = seen
        .searches
        .iter()
        .map(|(f, q)| (f.as_str(), q.as_str()))
        .collect();
    let thumb_only = WIDGET_FIELDS.replace(",preview,comp", "");
    assert_eq!(
        fields,
        [
            ("all", WIDGET_FIELDS),
            ("creative", WIDGET_FIELDS),
            ("editorial", WIDGET_FIELDS),
            ("editorial", thumb_only.as_str()),
        ]
    );
    // One download: the first entry's product, auto_download=false, the code and note it requires.
    assert_eq!(seen.downloads.len(), 1);
    let (id, query, body) = &seen.downloads[0];
    assert_eq!(id, "creative2");
    let get = |name: &str| {
        query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("auto_download"), Some("false"));
    assert_eq!(get("product_type"), Some("premiumaccess"));
    assert_eq!(get("product_id"), Some("1002"));
    let body: Value = serde_json::from_str(body).expect("JSON body");
    assert_eq!(body["project_code"], "SPRING-26");
    assert!(body["download_notes"]
        .as_str()
        .is_some_and(|n| !n.is_empty()));
}

#[tokio::test]
async fn malformed_answers_fail_naming_what_is_wrong() {
    let (fake, base) = fake_getty(Getty::Malformed).await;
    let output = live_check(&base, true, &[]).await;
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    assert!(has_line(&out, "FAIL", "search creative"), "{out}");
    assert!(out.contains("images[0].id is a number"), "{out}");
    assert!(out.contains("product_id is a number"), "{out}");
    assert!(has_line(&out, "PASS", "search editorial"), "{out}");
    assert!(out.contains("1 failed"), "{out}");
    // Without --download, nothing is spent.
    assert!(fake.seen.lock().expect("lock").downloads.is_empty());
}

#[tokio::test]
async fn without_a_user_products_and_downloads_are_skipped() {
    let (fake, base) = fake_getty(Getty::WellFormed).await;
    let output = live_check(&base, false, &["--download", "creative1"]).await;
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(has_line(&out, "PASS", "token"), "{out}");
    assert!(out.contains("search only"), "{out}");
    assert!(has_line(&out, "SKIP", "products"), "{out}");
    assert!(has_line(&out, "SKIP", "download"), "{out}");
    assert!(out.contains("GETTY_USERNAME and GETTY_PASSWORD"), "{out}");
    let seen = fake.seen.lock().expect("lock");
    assert_eq!((seen.products, seen.downloads.len()), (0, 0));
}

#[tokio::test]
async fn a_refused_key_fails_the_token_check_with_what_to_check() {
    let (fake, base) = fake_getty(Getty::RefusesKey).await;
    let output = live_check(&base, true, &[]).await;
    let out = text(&output);
    assert_eq!(output.status.code(), Some(1), "{out}");
    let line = out
        .lines()
        .find(|l| l.starts_with("FAIL") && l.contains("token"))
        .unwrap_or_else(|| panic!("no FAIL token line:\n{out}"));
    assert!(line.contains("upstream_refused (invalid_client)"), "{line}");
    assert!(line.contains("GETTY_API_SECRET"), "{line}");
    assert!(!out.contains("bad secret"), "{out}");
    assert!(fake.seen.lock().expect("lock").searches.is_empty());
}

#[tokio::test]
async fn against_the_sandbox_the_checks_pass_and_a_download_yields_a_delivery_uri() {
    // The sandbox's images are the same in every instance: find one to download in our own.
    let sandbox = common::sandbox().await;
    let client = reqwest::Client::new();
    let token = common::token(&client, sandbox.addr()).await;
    let root = common::base(sandbox.addr());
    let search: Value = common::authed(client.get(format!("{root}/v3/search/images")), &token)
        .query(&[("phrase", "city"), ("fields", "id,largest_downloads")])
        .send()
        .await
        .expect("search")
        .json()
        .await
        .expect("json");
    let id = search["images"][0]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    // Whether this sandbox serves the products list decides what the check must say of it.
    let products = common::authed(client.get(format!("{root}/v3/products")), &token)
        .send()
        .await
        .expect("products")
        .status();
    sandbox.shutdown().await;

    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_getty-picker-live-check"))
            .env_clear()
            .args(["--against-sandbox", "--download", &id])
            .output()
            .expect("run")
    })
    .await
    .expect("task");
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    for check in [
        "token",
        "readyz",
        "search all",
        "search creative",
        "search editorial",
    ] {
        assert!(has_line(&out, "PASS", check), "no PASS {check}:\n{out}");
    }
    assert!(out.contains("user token (downloads possible)"), "{out}");
    let verdict = if products.is_success() {
        "PASS"
    } else {
        "FAIL"
    };
    assert!(
        has_line(&out, verdict, "products"),
        "products {products}:\n{out}"
    );
    assert!(has_line(&out, "PASS", "download"), "{out}");
    let uri = out
        .lines()
        .find_map(|l| l.strip_prefix("delivery URI: "))
        .unwrap_or_else(|| panic!("no delivery URI:\n{out}"));
    assert!(uri.starts_with("http://127.0.0.1:"), "{uri}");
    assert!(
        uri.contains("/sandbox/delivery/downloads/") && uri.contains("k="),
        "{uri}"
    );
    assert_eq!(output.status.success(), products.is_success(), "{out}");
}
