//! Search-only mode (no password grant): the `/token` answer and `/readyz` say so, in sandbox
//! mode (`--sandbox-search-only`) and against Getty (no `GETTY_USERNAME`/`GETTY_PASSWORD`).

use crate::common;

use std::net::SocketAddr;

use axum::http::StatusCode;
use common::{backend, password_grant, post_token, FakeUpstream};
use getty_picker_server::upstream::Grant;
use getty_picker_server::{start, Config};
use getty_sandbox::{SANDBOX_PASSWORD, SANDBOX_USERNAME};
use serde_json::Value;

async fn readyz(addr: SocketAddr) -> (StatusCode, Value) {
    let response = reqwest::get(format!("http://{addr}/readyz"))
        .await
        .expect("readyz");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    (status, response.json().await.expect("json"))
}

async fn sandbox(search_only: bool) -> getty_picker_server::RunningServer {
    let mut config = Config::sandbox();
    config.sandbox_search_only = search_only;
    start(config).await.expect("sandbox starts")
}

#[tokio::test]
async fn the_sandbox_logs_in_as_its_user_unless_search_only() {
    let server = sandbox(false).await;
    let sandbox = server.sandbox().expect("sandbox");
    let Grant::Password { username, password } =
        getty_picker_server::sandbox::upstream(sandbox, server.addr(), false).grant
    else {
        panic!("sandbox mode must use the password grant");
    };
    assert_eq!(username, SANDBOX_USERNAME);
    assert_eq!(password.expose(), SANDBOX_PASSWORD);
    assert!(matches!(
        getty_picker_server::sandbox::upstream(sandbox, server.addr(), true).grant,
        Grant::ClientCredentials
    ));

    let (status, answer) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["search_only"], false);
    assert!(answer.get("search_only_reason").is_none(), "{answer}");
    let (status, ready) = readyz(server.addr()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["mode"], "downloads");
    assert_eq!(ready["sandbox"], true);
    assert!(ready.get("warning").is_none(), "{ready}");
    server.shutdown().await;
}

#[tokio::test]
async fn sandbox_search_only_tokens_say_so() {
    let server = sandbox(true).await;
    let (status, answer) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["search_only"], true);
    assert_eq!(answer["search_only_reason"], "no_user");
    assert!(answer["access_token"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let (status, ready) = readyz(server.addr()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["mode"], "search_only");
    let warning = ready["warning"].as_str().unwrap_or_default();
    assert!(
        warning.contains("GETTY_USERNAME") && warning.contains("GETTY_PASSWORD"),
        "{ready}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn without_a_getty_user_tokens_and_readiness_are_search_only() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    let (_, answer) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(answer["search_only"], true);
    assert_eq!(answer["search_only_reason"], "no_user");
    let (status, ready) = readyz(server.addr()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["mode"], "search_only");
    assert!(ready["warning"]
        .as_str()
        .is_some_and(|w| w.starts_with("search only")));
    assert!(ready.get("sandbox").is_none(), "{ready}");
    server.shutdown().await;

    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, password_grant).await;
    let (_, answer) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(answer["search_only"], false);
    let (_, ready) = readyz(server.addr()).await;
    assert_eq!(ready["mode"], "downloads");
    assert!(ready.get("warning").is_none(), "{ready}");
    assert_eq!(upstream.grant_types(), ["password"]);
    server.shutdown().await;
}

#[tokio::test]
async fn not_ready_answers_keep_the_mode() {
    let upstream = FakeUpstream::start(common::Answer::Status(500)).await;
    let server = backend(&upstream, |_| {}).await;
    let (status, ready) = readyz(server.addr()).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready["status"], "not_ready");
    assert_eq!(ready["mode"], "search_only");
    assert_eq!(ready["error"], "upstream_rejected");
    server.shutdown().await;
}
