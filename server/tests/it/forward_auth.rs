//! Forward-auth: with `PICKER_AUTH_URL`, only callers the auth service accepts get tokens.

use crate::common;

use axum::http::StatusCode;
use common::{backend, FakeAuth, FakeUpstream, GOOD_SESSION};
use reqwest::Client;
use serde_json::Value;

async fn with_auth(upstream: &FakeUpstream, auth_url: &str) -> getty_picker_server::RunningServer {
    let url = auth_url.to_owned();
    backend(upstream, |c| {
        c.auth_url = Some(url);
        c.allowed_origins = vec!["https://cms.example.com".into()];
    })
    .await
}

async fn ask(
    client: &Client,
    addr: std::net::SocketAddr,
    cookie: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = client
        .post(format!("http://{addr}/token"))
        .header("Origin", "https://cms.example.com");
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let response = request.send().await.expect("token");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.json().await.expect("json"))
}

#[tokio::test]
async fn logged_in_editors_get_tokens() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_auth(&upstream, &auth.url).await;
    let client = Client::new();
    let cookie = format!("theme=dark; session={GOOD_SESSION}");
    let (status, _, body) = ask(&client, server.addr(), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["access_token"].is_string());
    assert_eq!(auth.cookies(), [cookie]);
    let bearer = client
        .post(format!("http://{}/token", server.addr()))
        .bearer_auth("editor")
        .send()
        .await
        .expect("token");
    assert_eq!(bearer.status(), StatusCode::OK);
    assert_eq!(auth.calls(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn strangers_are_refused_before_upstream() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_auth(&upstream, &auth.url).await;
    let client = Client::new();
    let (status, headers, body) = ask(&client, server.addr(), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "not_authenticated");
    assert!(body.get("access_token").is_none());
    // The widget can read why: the refusal carries the CORS headers.
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://cms.example.com"
    );
    let (status, _, body) = ask(&client, server.addr(), Some("session=wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "not_authenticated");
    // A redirect to the login page is a refusal, never followed to its 200.
    let (status, _, body) = ask(&client, server.addr(), Some("session=expired")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "not_authorized");
    assert_eq!(upstream.calls(), 0);
    server.shutdown().await;
}

#[tokio::test]
async fn broken_or_unreachable_auth_service_is_502() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let closed = common::closed_addr().await;
    for url in [auth.broken_url.clone(), format!("http://{closed}/auth")] {
        let server = with_auth(&upstream, &url).await;
        let cookie = format!("session={GOOD_SESSION}");
        let (status, _, body) = ask(&Client::new(), server.addr(), Some(&cookie)).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{url}");
        assert_eq!(body["error"], "auth_unavailable");
        server.shutdown().await;
    }
    assert_eq!(upstream.calls(), 0);
}

#[tokio::test]
async fn preflights_do_not_reach_the_auth_service() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_auth(&upstream, &auth.url).await;
    let preflight = Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{}/token", server.addr()),
        )
        .header("Origin", "https://cms.example.com")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-credentials"],
        "true"
    );
    assert_eq!(auth.calls(), 0);
    server.shutdown().await;
}
