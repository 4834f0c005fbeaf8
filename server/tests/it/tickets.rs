//! Tickets signed by the CMS (`PICKER_TICKET_SECRET`), tested like forward-auth: only a valid,
//! unexpired ticket gets a token, and refusals never reach upstream.

use crate::common;

use axum::http::StatusCode;
use common::{backend, password_grant, FakeAuth, FakeUpstream, GOOD_SESSION};
use getty_picker_server::config::Secret;
use getty_picker_server::ticket::{sign, unix_now};
use reqwest::Client;
use serde_json::Value;

const TICKET_SECRET: &str = "cms0shared0ticket0secret0of0at0least032";

async fn with_tickets(
    upstream: &FakeUpstream,
    auth_url: Option<&str>,
) -> getty_picker_server::RunningServer {
    let auth_url = auth_url.map(str::to_owned);
    backend(upstream, |c| {
        c.allow_anonymous_tokens = false;
        c.ticket_secret = Some(Secret::new(TICKET_SECRET));
        c.auth_url = auth_url;
        c.allowed_origins = vec!["https://cms.example.com".into()];
    })
    .await
}

async fn ask(
    client: &Client,
    addr: std::net::SocketAddr,
    authorization: Option<&str>,
    origin: &str,
) -> (StatusCode, Value) {
    let mut request = client
        .post(format!("http://{addr}/token"))
        .header("Origin", origin);
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    let response = request.send().await.expect("token");
    let status = response.status();
    let text = response.text().await.expect("body");
    assert!(!text.contains(TICKET_SECRET));
    (status, serde_json::from_str(&text).expect("json"))
}

fn header(ticket: &str) -> String {
    format!("GettyPicker-Ticket {ticket}")
}

#[tokio::test]
async fn valid_tickets_get_tokens_and_everything_else_is_401() {
    let upstream = FakeUpstream::ok().await;
    let server = with_tickets(&upstream, None).await;
    let client = Client::new();
    let addr = server.addr();
    let cms = "https://cms.example.com";
    let now = unix_now();

    let valid = sign(TICKET_SECRET, "editor@example.com", now + 600);
    let (status, body) = ask(&client, addr, Some(&header(&valid)), cms).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["access_token"].is_string());

    let cases = [
        (None, "ticket_missing"),
        (Some("Bearer editor".to_owned()), "ticket_missing"),
        (
            Some(header(&sign(TICKET_SECRET, "editor@example.com", now - 1))),
            "ticket_expired",
        ),
        (
            Some(header(&sign(
                "another0secret0another0secret0another",
                "editor@example.com",
                now + 600,
            ))),
            "ticket_invalid",
        ),
        (
            Some(header(&valid.replacen("editor@", "admin@", 1))),
            "ticket_invalid",
        ),
        (
            Some(header(&sign(TICKET_SECRET, "two words", now + 600))),
            "ticket_invalid",
        ),
        (
            Some(header(&sign(TICKET_SECRET, "", now + 600))),
            "ticket_invalid",
        ),
        (
            Some(header(&sign(TICKET_SECRET, "editor", now + 3 * 86_400))),
            "ticket_invalid",
        ),
        (Some(header("editor.123")), "ticket_invalid"),
        (Some("GettyPicker-Ticket".to_owned()), "ticket_missing"),
    ];
    for (authorization, code) in cases {
        let (status, body) = ask(&client, addr, authorization.as_deref(), cms).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{authorization:?}");
        assert_eq!(body["error"], code, "{authorization:?}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // A valid ticket does not open the door to a foreign origin.
    let (status, body) = ask(
        &client,
        addr,
        Some(&header(&valid)),
        "https://evil.example.com",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "origin_not_allowed");
    assert_eq!(upstream.calls(), 1, "refusals never reach upstream");
    server.shutdown().await;
}

#[tokio::test]
async fn one_spelling_of_the_signature() {
    let upstream = FakeUpstream::ok().await;
    let server = with_tickets(&upstream, None).await;
    let client = Client::new();
    let cms = "https://cms.example.com";
    let valid = sign(TICKET_SECRET, "editor", unix_now() + 300);
    let (signed, signature) = valid.rsplit_once('.').expect("a signature");
    let upper = format!("{signed}.{}", signature.to_ascii_uppercase());
    assert_ne!(upper, valid);
    let (status, body) = ask(&client, server.addr(), Some(&header(&upper)), cms).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "ticket_invalid");
    let (status, _) = ask(&client, server.addr(), Some(&header(&valid)), cms).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn tickets_may_not_outlive_the_configured_lifetime() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| {
        c.allow_anonymous_tokens = false;
        c.ticket_secret = Some(Secret::new(TICKET_SECRET));
        c.ticket_max_lifetime_secs = 120;
        c.allowed_origins = vec!["https://cms.example.com".into()];
    })
    .await;
    let client = Client::new();
    let cms = "https://cms.example.com";
    let short = sign(TICKET_SECRET, "editor", unix_now() + 100);
    let (status, _) = ask(&client, server.addr(), Some(&header(&short)), cms).await;
    assert_eq!(status, StatusCode::OK);
    // Valid under the default (15 minutes), not under this backend's two.
    let long = sign(TICKET_SECRET, "editor", unix_now() + 600);
    let (status, body) = ask(&client, server.addr(), Some(&header(&long)), cms).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "ticket_invalid");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("PICKER_TICKET_MAX_LIFETIME_SECS")));
    server.shutdown().await;
}

#[tokio::test]
async fn with_forward_auth_too_a_ticket_decides_when_present() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_tickets(&upstream, Some(&auth.url)).await;
    let client = Client::new();
    let url = format!("http://{}/token", server.addr());
    let cookie = format!("session={GOOD_SESSION}");
    // No ticket: the logged-in session passes forward-auth.
    let by_cookie = client
        .post(&url)
        .header("Cookie", &cookie)
        .send()
        .await
        .expect("token");
    assert_eq!(by_cookie.status(), StatusCode::OK);
    assert_eq!(auth.calls(), 1);
    // A forged ticket is refused even with a good cookie, without asking the auth service.
    let forged = sign(
        "another0secret0another0secret0another",
        "editor",
        unix_now() + 60,
    );
    let refused = client
        .post(&url)
        .header("Cookie", &cookie)
        .header("Authorization", header(&forged))
        .send()
        .await
        .expect("token");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(auth.calls(), 1);
    let valid = sign(TICKET_SECRET, "editor", unix_now() + 60);
    let by_ticket = client
        .post(&url)
        .header("Authorization", header(&valid))
        .send()
        .await
        .expect("token");
    assert_eq!(by_ticket.status(), StatusCode::OK);
    assert_eq!(auth.calls(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn preflights_carry_no_ticket_and_are_answered() {
    let upstream = FakeUpstream::ok().await;
    let server = with_tickets(&upstream, None).await;
    let response = Client::new()
        .request(
            reqwest::Method::OPTIONS,
            format!("http://{}/token", server.addr()),
        )
        .header("Origin", "https://cms.example.com")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .expect("preflight");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let allowed = response.headers()["access-control-allow-headers"]
        .to_str()
        .expect("ascii");
    assert!(allowed.contains("authorization"), "{allowed}");
    assert_eq!(upstream.calls(), 0);
    server.shutdown().await;
}

#[tokio::test]
async fn the_cms_gets_a_full_scope_token_of_its_own_with_a_ticket_beside_forward_auth() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let url = auth.url.clone();
    let server = backend(&upstream, |c| {
        password_grant(c);
        c.allow_anonymous_tokens = false;
        c.ticket_secret = Some(Secret::new(TICKET_SECRET));
        c.auth_url = Some(url);
        c.allowed_origins = vec!["https://cms.example.com".into()];
    })
    .await;
    let client = Client::new();
    let url = format!("http://{}/token", server.addr());
    // An editor's page, through forward-auth.
    let editor: Value = client
        .post(&url)
        .header("Origin", "https://cms.example.com")
        .header("Cookie", format!("session={GOOD_SESSION}"))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    assert_eq!(editor["search_only"], false);
    assert_eq!(auth.calls(), 1);
    // The CMS's server, asking on its own behalf to check licences with Getty: no Origin, no
    // cookie, a five-minute ticket for its own user.
    let ticket = sign(TICKET_SECRET, "wagtail", unix_now() + 300);
    let response = client
        .post(&url)
        .header("Authorization", header(&ticket))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let cms: Value = response.json().await.expect("json");
    assert_eq!(cms["search_only"], false, "{cms}");
    assert!(cms.get("search_only_reason").is_none(), "{cms}");
    // The user token, the one that can see the company's download history.
    assert_eq!(cms["access_token"], editor["access_token"]);
    // Decided by the ticket alone: forward-auth was not asked, Getty not called again.
    assert_eq!(auth.calls(), 1);
    assert_eq!(upstream.grant_types(), ["password"]);
    server.shutdown().await;
}
