//! The refresh protocol: `POST /token?refresh=1&refused=<token_id>` replaces the cached token
//! when, and only when, it is the cached one and Getty refuses it; whatever its age.

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{authed, backend, base, post_token, Answer, FakeUpstream, ACCESS_PREFIX};
use getty_picker_server::token::token_id;
use serde_json::Value;

fn token_n(n: u64) -> String {
    format!("{ACCESS_PREFIX}{n}")
}

fn id_of(answer: &Value) -> String {
    answer["token_id"].as_str().expect("token_id").to_owned()
}

#[tokio::test]
async fn answers_name_their_token_without_revealing_it() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let (status, answer) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    let id = id_of(&answer);
    assert_eq!(id, token_id(&token_n(1)));
    assert_eq!(id.len(), 16);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!token_n(1).contains(&id) && !id.contains(ACCESS_PREFIX));
    server.shutdown().await;
}

#[tokio::test]
async fn a_token_revoked_right_after_issue_is_replaced_at_once() {
    let server = common::sandbox().await;
    let sandbox = server.sandbox().expect("sandbox").clone();
    let client = reqwest::Client::new();
    let root = base(server.addr());
    let search = |token: String| {
        authed(client.get(format!("{root}/v3/search/images")), &token)
            .query(&[("phrase", "kittens")])
            .send()
    };
    let (_, first) = post_token(&client, server.addr(), "").await;
    let t1 = first["access_token"].as_str().expect("token").to_owned();
    assert_eq!(search(t1.clone()).await.expect("search").status(), 200);
    // Revoked (a credential rotation at Getty) well within the legacy minimum age of 30 s.
    assert!(sandbox.revoke_access_token(&t1));
    assert_eq!(search(t1.clone()).await.expect("search").status(), 401);

    // The legacy refresh still hands out the young, revoked token: the lock-out this fixes.
    let (_, legacy) = post_token(&client, server.addr(), "?refresh=1").await;
    assert_eq!(legacy["access_token"], t1.as_str());

    let query = format!("?refresh=1&refused={}", id_of(&first));
    let (status, second) = post_token(&client, server.addr(), &query).await;
    assert_eq!(status, StatusCode::OK);
    let t2 = second["access_token"].as_str().expect("token").to_owned();
    assert_ne!(t2, t1);
    assert_eq!(id_of(&second), token_id(&t2));
    // The sandbox was asked once, with the refused token, whether it still works.
    assert_eq!(sandbox.counts().countries, 1);
    assert_eq!(search(t2.clone()).await.expect("search").status(), 200);
    // Plain requests now get the new token too.
    let (_, after) = post_token(&client, server.addr(), "").await;
    assert_eq!(after["access_token"], t2.as_str());
    assert_eq!(sandbox.counts().token, 2);
    server.shutdown().await;
}

#[tokio::test]
async fn a_burst_of_fifty_refusals_costs_one_check_and_one_upstream_call() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| c.rate_limit = 0).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    upstream.revoke(&token_n(1));
    let query = format!("?refresh=1&refused={}", id_of(&first));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (client, addr, query) = (client.clone(), server.addr(), query.clone());
        tasks.spawn(async move { post_token(&client, addr, &query).await });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["access_token"], token_n(2));
        assert_eq!(id_of(&body), token_id(&token_n(2)));
    }
    assert_eq!(upstream.calls(), 2, "the first token, then one replacement");
    assert_eq!(upstream.checks(), 1);
    assert_eq!(upstream.checked_tokens(), [token_n(1)]);
    server.shutdown().await;
}

#[tokio::test]
async fn a_stale_refusal_gets_the_current_token_without_an_upstream_call() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    upstream.revoke(&token_n(1));
    let stale = format!("?refresh=1&refused={}", id_of(&first));
    let (_, second) = post_token(&client, server.addr(), &stale).await;
    assert_eq!(second["access_token"], token_n(2));
    assert_eq!(upstream.calls(), 2);
    // A widget that still held the first token reports it later: it gets the second, for free.
    let (status, again) = post_token(&client, server.addr(), &stale).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["access_token"], token_n(2));
    // Made-up ids are stale too.
    let (_, made_up) = post_token(
        &client,
        server.addr(),
        "?refresh=1&refused=0000000000000000",
    )
    .await;
    assert_eq!(made_up["access_token"], token_n(2));
    assert_eq!(upstream.calls(), 2);
    assert_eq!(
        upstream.checks(),
        1,
        "only the claim about the cached token was checked"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_token_is_not_handed_out_again_when_its_replacement_fails() {
    let upstream = FakeUpstream::ok().await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.failure_backoff_secs = 60).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    upstream.set_answer(Answer::Status(500));
    upstream.revoke(&token_n(1));
    let query = format!("?refresh=1&refused={}", id_of(&first));
    let (status, body) = post_token(&client, server.addr(), &query).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["error"], "upstream_rejected");
    // Neither plain requests nor more refusals get the refused token, nor call upstream again.
    for query in ["", query.as_str(), "?refresh=1"] {
        let (status, body) = post_token(&client, server.addr(), query).await;
        assert_eq!(status, StatusCode::BAD_GATEWAY, "{query}");
        assert!(body.get("access_token").is_none());
    }
    assert_eq!(upstream.calls(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn refusals_count_against_the_rate_limit() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| c.rate_limit = 3).await;
    let client = reqwest::Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    let refused = format!("?refresh=1&refused={}", id_of(&first));
    for _ in 0..2 {
        let (status, next) = post_token(&client, server.addr(), &refused).await;
        assert_eq!(status, StatusCode::OK);
        // Getty still takes it: the same token, no new one.
        assert_eq!(next["access_token"], token_n(1));
    }
    let (status, body) = post_token(&client, server.addr(), &refused).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"], "rate_limited");
    assert_eq!(upstream.calls(), 1);
    assert_eq!(
        upstream.checks(),
        2,
        "each claim checked: it came after the last check began"
    );
    server.shutdown().await;
}
