//! `/token` against the sandbox and against a fake upstream: reuse, margin, single flight,
//! refresh tokens, forced refresh, upstream failures, readiness and shutdown.

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{
    backend, field, password_grant, post_token, wait_for_calls, Answer, FakeUpstream,
    ACCESS_PREFIX, PASSWORD, REFRESH_PREFIX, SECRET,
};
use getty_picker_server::{start, Config};
use serde_json::json;

fn token_n(n: u64) -> String {
    format!("{ACCESS_PREFIX}{n}")
}

/// Asks for the current token until it is `expected` (at most 10 s): a renewal runs in the
/// background, beside the answer that started it.
async fn until_served(client: &reqwest::Client, addr: std::net::SocketAddr, expected: &str) {
    for _ in 0..200 {
        let (_, answer) = post_token(client, addr, "").await;
        if answer["access_token"] == expected {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{expected} was never served");
}

#[tokio::test]
async fn sandbox_token_is_reused() {
    let server = common::sandbox().await;
    let client = reqwest::Client::new();
    let (s1, first) = post_token(&client, server.addr(), "").await;
    let (s2, second) = post_token(&client, server.addr(), "").await;
    assert_eq!((s1, s2), (StatusCode::OK, StatusCode::OK));
    assert_eq!(first["access_token"], second["access_token"]);
    assert_eq!(first["token_type"], "Bearer");
    let expires_in = first["expires_in"].as_u64().expect("numeric expires_in");
    assert!((1790..=1800).contains(&expires_in), "{expires_in}");
    let counts = server.sandbox().expect("sandbox").counts();
    assert_eq!(counts.token, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn string_and_number_expiry_are_accepted_and_cached() {
    for expires_in in [json!("1800"), json!(1800)] {
        let upstream = FakeUpstream::start(Answer::Token(expires_in)).await;
        let server = backend(&upstream, |_| {}).await;
        let client = reqwest::Client::new();
        let (status, first) = post_token(&client, server.addr(), "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(first["access_token"], token_n(1));
        assert!(first["expires_in"].as_u64().is_some_and(|e| e > 1790));
        let (_, second) = post_token(&client, server.addr(), "").await;
        assert_eq!(second["access_token"], token_n(1));
        assert_eq!(upstream.calls(), 1);
        let form = &upstream.forms()[0];
        assert_eq!(
            field(form, "grant_type").as_deref(),
            Some("client_credentials")
        );
        assert_eq!(field(form, "client_id").as_deref(), Some("my-key"));
        assert_eq!(field(form, "client_secret").as_deref(), Some(SECRET));
        server.shutdown().await;
    }
}

#[tokio::test]
async fn hundred_concurrent_requests_cause_one_upstream_call() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| c.rate_limit = 0).await;
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let client = client.clone();
        let addr = server.addr();
        tasks.spawn(async move { post_token(&client, addr, "").await });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["access_token"], token_n(1));
    }
    assert_eq!(upstream.calls(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn token_is_renewed_the_margin_before_expiry() {
    // Lives 2 s, renewed 1 s before expiry: reused at once, replaced after 1 s.
    let upstream = FakeUpstream::start(Answer::Token(json!(2))).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.token_margin_secs = 1).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    let (_, again) = post_token(&client, server.addr(), "").await;
    assert_eq!(again["access_token"], token_n(1));
    assert_eq!(upstream.calls(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Renewed beside the caller, who still gets the token it has a second left on.
    let (_, during) = post_token(&client, server.addr(), "").await;
    assert_eq!(during["access_token"], token_n(1));
    until_served(&client, server.addr(), &token_n(2)).await;
    assert_eq!(upstream.calls(), 2);
    assert!(first["expires_in"].as_u64().is_some_and(|e| e <= 2));
    server.shutdown().await;
}

#[tokio::test]
async fn margin_larger_than_lifetime_still_reuses_within_half_life() {
    let upstream = FakeUpstream::start(Answer::Token(json!(1800))).await;
    let server = backend(&upstream, |c| c.token_margin_secs = 100_000).await;
    let client = reqwest::Client::new();
    post_token(&client, server.addr(), "").await;
    post_token(&client, server.addr(), "").await;
    assert_eq!(upstream.calls(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn password_grant_sends_the_user() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, password_grant).await;
    let (status, _) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    let form = &upstream.forms()[0];
    assert_eq!(field(form, "grant_type").as_deref(), Some("password"));
    assert_eq!(
        field(form, "username").as_deref(),
        Some("editor@example.com")
    );
    assert_eq!(field(form, "password").as_deref(), Some(PASSWORD));
    server.shutdown().await;
}

#[tokio::test]
async fn renewal_uses_the_refresh_token_and_falls_back_to_the_password_grant() {
    let upstream = FakeUpstream::start(Answer::Token(json!("2"))).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| {
        password_grant(c);
        c.token_margin_secs = 1;
    })
    .await;
    let client = reqwest::Client::new();
    post_token(&client, server.addr(), "").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    until_served(&client, server.addr(), &token_n(2)).await;
    let forms = upstream.forms();
    assert_eq!(
        field(&forms[1], "grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        field(&forms[1], "refresh_token"),
        Some(format!("{REFRESH_PREFIX}1"))
    );
    assert_eq!(field(&forms[1], "password"), None);

    upstream.reject_refresh(true);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _) = post_token(&client, server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    until_served(&client, server.addr(), &token_n(4)).await;
    assert_eq!(
        upstream.grant_types(),
        ["password", "refresh_token", "refresh_token", "password"]
    );
    // The rejected refresh token was the one rotated in by the second call.
    assert_eq!(
        field(&upstream.forms()[2], "refresh_token"),
        Some(format!("{REFRESH_PREFIX}2"))
    );
    server.shutdown().await;
}

#[tokio::test]
async fn client_credentials_never_use_refresh_tokens() {
    let upstream = FakeUpstream::start(Answer::Token(json!(2))).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.token_margin_secs = 1).await;
    let client = reqwest::Client::new();
    post_token(&client, server.addr(), "").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    post_token(&client, server.addr(), "").await;
    wait_for_calls(&upstream, 2).await;
    assert_eq!(
        upstream.grant_types(),
        ["client_credentials", "client_credentials"]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn forced_refresh_reuses_a_brand_new_token() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    let (status, forced) = post_token(&client, server.addr(), "?refresh=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(forced["access_token"], first["access_token"]);
    assert_eq!(upstream.calls(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn forced_refresh_burst_replaces_an_older_token_getty_refuses_once() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| {
        password_grant(c);
        c.refresh_min_age_secs = 1;
        c.rate_limit = 0;
    })
    .await;
    let client = reqwest::Client::new();
    post_token(&client, server.addr(), "").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    upstream.revoke(&token_n(1));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..100 {
        let client = client.clone();
        let addr = server.addr();
        tasks.spawn(async move { post_token(&client, addr, "?refresh=1").await });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["access_token"], token_n(2));
    }
    assert_eq!(upstream.grant_types(), ["password", "refresh_token"]);
    assert_eq!(upstream.checks(), 1, "one check for the whole burst");
    server.shutdown().await;
}

#[tokio::test]
async fn upstream_failures_are_502_without_leaks() {
    let closed = common::closed_addr().await;
    let cases = [
        (Answer::Status(500), "upstream_rejected"),
        (Answer::Status(503), "upstream_rejected"),
        // A refusal without an OAuth body: still a refusal, its code unknown (tests/oauth_errors.rs).
        (Answer::Status(401), "upstream_refused"),
        (Answer::Status(400), "upstream_refused"),
        (Answer::Malformed, "upstream_malformed"),
        (Answer::NoAccessToken, "upstream_malformed"),
        (Answer::Token(json!("soon")), "upstream_malformed"),
        (Answer::Token(json!(null)), "upstream_malformed"),
    ];
    for (answer, code) in cases {
        let upstream = FakeUpstream::start(answer.clone()).await;
        let server = backend(&upstream, |_| {}).await;
        let (status, body) = post_token(&reqwest::Client::new(), server.addr(), "").await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{answer:?}");
        assert_eq!(body["error"], code, "{answer:?}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(body.get("access_token").is_none());
        server.shutdown().await;
    }
    let mut config = Config::upstream(&format!("http://{closed}/oauth2/token"), "k", SECRET);
    config.allow_anonymous_tokens = true;
    config.upstream_timeout_secs = 1;
    let server = start(config).await.expect("start");
    let (status, body) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["error"], "upstream_unreachable");
    server.shutdown().await;
}

#[tokio::test]
async fn hung_upstream_times_out() {
    let upstream = FakeUpstream::ok().await;
    upstream.set_delay(Duration::from_secs(5));
    let server = backend(&upstream, |c| c.upstream_timeout_secs = 1).await;
    let started = std::time::Instant::now();
    let (status, body) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["error"], "upstream_unreachable");
    assert!(started.elapsed() < Duration::from_secs(3));
    server.shutdown().await;
}

#[tokio::test]
async fn failed_refresh_is_shared_by_waiting_callers() {
    let upstream = FakeUpstream::start(Answer::Status(500)).await;
    let server = backend(&upstream, |_| {}).await;
    let client = reqwest::Client::new();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let client = client.clone();
        let addr = server.addr();
        tasks.spawn(async move { post_token(&client, addr, "").await.0 });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::BAD_GATEWAY);
    }
    // Callers that arrive after a failure retry, but those waiting on it do not.
    assert!(upstream.calls() < 5);
    server.shutdown().await;
}

#[tokio::test]
async fn readiness_follows_the_upstream() {
    let client = reqwest::Client::new();
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let ready = client
        .get(format!("http://{}/readyz", server.addr()))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
    // The probe's token is the one callers then get.
    post_token(&client, server.addr(), "").await;
    assert_eq!(upstream.calls(), 1);
    server.shutdown().await;

    let broken = FakeUpstream::start(Answer::Status(500)).await;
    let server = backend(&broken, |_| {}).await;
    let not_ready = client
        .get(format!("http://{}/readyz", server.addr()))
        .send()
        .await
        .expect("readyz");
    assert_eq!(not_ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = not_ready.json().await.expect("json");
    assert_eq!(body["error"], "upstream_rejected");
    server.shutdown().await;

    let sandbox = common::sandbox().await;
    let ready = client
        .get(format!("http://{}/readyz", sandbox.addr()))
        .send()
        .await
        .expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
    assert_eq!(sandbox.sandbox().expect("sandbox").counts().token, 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn refuses_to_start_without_credentials() {
    let mut config = Config::sandbox();
    config.sandbox = false;
    let error = start(config).await.expect_err("must refuse");
    assert!(error.to_string().contains("GETTY_API_KEY"));
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let server_addr = server.addr();
    let in_flight =
        tokio::spawn(async move { post_token(&reqwest::Client::new(), server_addr, "").await });
    // The fake upstream takes 150 ms, so the request is still running when shutdown starts.
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.shutdown().await;
    let (status, body) = in_flight.await.expect("task");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["access_token"], token_n(1));
    assert!(reqwest::get(format!("http://{server_addr}/healthz"))
        .await
        .is_err());
}
