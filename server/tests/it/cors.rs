//! Origin checks on `/token` and Getty-style CORS on the sandbox API.

use crate::common;

use getty_picker_server::{start, Config};
use reqwest::{Client, StatusCode};
use serde_json::Value;

use common::base;

/// What `fetch(..., {credentials: "include"})` needs: credentials allowed, caches told the answer depends on Origin.
fn assert_credentialed_cors(headers: &reqwest::header::HeaderMap) {
    assert_ne!(headers["access-control-allow-origin"], "*");
    assert_eq!(headers["access-control-allow-credentials"], "true");
    assert!(headers.get_all("vary").iter().any(|v| v
        .to_str()
        .is_ok_and(|v| v.to_ascii_lowercase().contains("origin"))));
}

#[tokio::test]
async fn sandbox_allows_loopback_origins_only() {
    let server = common::sandbox().await;
    let client = Client::new();
    let url = format!("{}/token", base(server.addr()));

    let allowed = client
        .post(&url)
        .header("Origin", "http://localhost:5173")
        .send()
        .await
        .expect("token");
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    assert_credentialed_cors(allowed.headers());

    let preflight = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "http://127.0.0.1:8080")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "http://127.0.0.1:8080"
    );
    assert_credentialed_cors(preflight.headers());
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .expect("methods");
    assert!(methods.contains("POST"));

    let refused = client
        .post(&url)
        .header("Origin", "https://evil.example")
        .send()
        .await
        .expect("token");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["error"], "origin_not_allowed");
    assert!(body.get("access_token").is_none());
    // The refused request never reached the token client.
    assert_eq!(server.sandbox().expect("sandbox").counts().token, 1);
}

#[tokio::test]
async fn configured_origins_replace_the_loopback_default() {
    let mut config = Config::sandbox();
    config.allowed_origins = vec!["https://cms.example.com".into()];
    let server = start(config).await.expect("start");
    let client = Client::new();
    let url = format!("{}/token", base(server.addr()));
    let allowed = client
        .post(&url)
        .header("Origin", "https://cms.example.com")
        .send()
        .await
        .expect("token");
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://cms.example.com"
    );
    assert_credentialed_cors(allowed.headers());
    let refresh = client
        .post(format!("{url}?refresh=1"))
        .header("Origin", "https://cms.example.com")
        .send()
        .await
        .expect("refresh");
    assert_eq!(refresh.status(), StatusCode::OK);
    assert_credentialed_cors(refresh.headers());
    let loopback = client
        .post(&url)
        .header("Origin", "http://localhost:3000")
        .send()
        .await
        .expect("token");
    assert_eq!(loopback.status(), StatusCode::FORBIDDEN);
    let preflight = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("Origin", "http://localhost:3000")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), StatusCode::FORBIDDEN);
    server.shutdown().await;
}

#[tokio::test]
async fn sandbox_api_answers_cors_like_getty() {
    let server = common::sandbox().await;
    let client = Client::new();
    let preflight = client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v3/search/images", base(server.addr())),
        )
        .header("Origin", "https://anything.example")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization, api-key")
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let headers = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .expect("headers");
    assert!(headers.contains("api-key") && headers.contains("authorization"));
    let unauthorised = client
        .get(format!("{}/v3/search/images", base(server.addr())))
        .header("Origin", "https://anything.example")
        .send()
        .await
        .expect("search");
    assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unauthorised.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn wildcard_is_refused_with_real_credentials() {
    let mut config = Config::upstream("http://127.0.0.1:9/oauth2/token", "key", "secret");
    config.allow_anonymous_tokens = true;
    config.allowed_origins = vec!["*".into()];
    let error = start(config).await.expect_err("must refuse");
    let message = error.to_string();
    assert!(
        message.contains("PICKER_ALLOWED_ORIGINS") && message.contains('*'),
        "{message}"
    );
}

#[tokio::test]
async fn sandbox_wildcard_echoes_any_origin() {
    let mut config = Config::sandbox();
    config.allowed_origins = vec!["*".into()];
    let server = start(config).await.expect("start");
    let allowed = Client::new()
        .post(format!("{}/token", base(server.addr())))
        .header("Origin", "https://anything.example")
        .send()
        .await
        .expect("token");
    assert_eq!(allowed.status(), StatusCode::OK);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://anything.example"
    );
    assert_credentialed_cors(allowed.headers());
    server.shutdown().await;
}
