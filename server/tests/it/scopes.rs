//! Search-only callers: forward-auth's `X-Getty-Picker-Scope: search` (or a 2xx answer without
//! the header) or a ticket's `search` scope gets a client-credentials token from a cache of its
//! own, never the user token, and `/token` says why a token is search only (`role` or
//! `no_user`); only `X-Getty-Picker-Scope: license` gets the user token.

use crate::common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::{
    authed, backend, password_grant, Answer, FakeAuth, FakeUpstream, GOOD_SESSION, LICENSE_SESSION,
    NO_SCOPE_SESSION, ODD_SCOPE_SESSION, SEARCH_SESSION,
};
use getty_picker_server::config::{Secret, DEFAULT_MAX_LOGINS_PER_MINUTE};
use getty_picker_server::ticket::{sign, sign_scoped, unix_now};
use getty_picker_server::{start, Config, RunningServer};
use getty_sandbox::data::{self, AssetFamily};
use reqwest::Client;
use serde_json::{json, Value};

const TICKET_SECRET: &str = "scopes0ticket0secret0long0enough0";

/// `POST /token<query>` as the holder of `session`.
async fn as_session(
    client: &Client,
    addr: SocketAddr,
    session: &str,
    query: &str,
) -> (StatusCode, Value) {
    as_session_from(client, addr, session, query, "203.0.113.1").await
}

/// [`as_session`] from the client address `ip` (the backends trust loopback as a proxy).
async fn as_session_from(
    client: &Client,
    addr: SocketAddr,
    session: &str,
    query: &str,
    ip: &str,
) -> (StatusCode, Value) {
    let response = client
        .post(format!("http://{addr}/token{query}"))
        .header("Cookie", format!("session={session}"))
        .header("X-Forwarded-For", ip)
        .send()
        .await
        .expect("token");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    (status, response.json().await.expect("json"))
}

/// `POST /token` with this ticket.
async fn with_ticket(client: &Client, addr: SocketAddr, ticket: &str) -> (StatusCode, Value) {
    let response = client
        .post(format!("http://{addr}/token"))
        .header("Authorization", format!("GettyPicker-Ticket {ticket}"))
        .send()
        .await
        .expect("token");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    (status, response.json().await.expect("json"))
}

fn token_of(answer: &Value) -> String {
    answer["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A password-grant backend behind `auth`'s forward-auth, also taking tickets.
async fn with_user(upstream: &FakeUpstream, auth: &FakeAuth) -> RunningServer {
    let url = auth.url.clone();
    backend(upstream, |c| {
        password_grant(c);
        c.allow_anonymous_tokens = false;
        c.auth_url = Some(url);
        c.ticket_secret = Some(Secret::new(TICKET_SECRET));
        c.rate_limit = 0;
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await
}

#[tokio::test]
async fn a_search_scope_gets_a_client_credentials_token_never_the_user_token() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    let addr = server.addr();

    let (status, editor) = as_session(&client, addr, GOOD_SESSION, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(editor["search_only"], false);
    assert!(editor.get("search_only_reason").is_none(), "{editor}");
    let (_, licenser) = as_session(&client, addr, LICENSE_SESSION, "").await;
    assert_eq!(token_of(&licenser), token_of(&editor));

    let (status, searcher) = as_session(&client, addr, SEARCH_SESSION, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(searcher["search_only"], true);
    assert_eq!(searcher["search_only_reason"], "role");
    assert_ne!(token_of(&searcher), token_of(&editor));
    assert_eq!(upstream.grant_types(), ["password", "client_credentials"]);
    // Its own cache: reused, and the user token stays the editors'.
    let (_, again) = as_session(&client, addr, SEARCH_SESSION, "").await;
    assert_eq!(token_of(&again), token_of(&searcher));
    let (_, editor_again) = as_session(&client, addr, GOOD_SESSION, "").await;
    assert_eq!(token_of(&editor_again), token_of(&editor));
    // Naming the user token as refused gets a searcher nothing of it, and Getty is not asked.
    let claim = format!(
        "?refresh=1&refused={}",
        editor["token_id"].as_str().expect("id")
    );
    let (_, claimed) = as_session(&client, addr, SEARCH_SESSION, &claim).await;
    assert_eq!(token_of(&claimed), token_of(&searcher));
    assert_eq!(upstream.checks(), 0);
    assert_eq!(upstream.calls(), 2);

    // Tickets: `.search` before the signature narrows the scope.
    let search_ticket = sign_scoped(TICKET_SECRET, "viewer", unix_now() + 300, "search");
    let (status, by_ticket) = with_ticket(&client, addr, &search_ticket).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_ticket["search_only_reason"], "role");
    assert_eq!(token_of(&by_ticket), token_of(&searcher));
    let full_ticket = sign(TICKET_SECRET, "editor", unix_now() + 300);
    let (_, full) = with_ticket(&client, addr, &full_ticket).await;
    assert_eq!(token_of(&full), token_of(&editor));
    assert_eq!(full["search_only"], false);
    server.shutdown().await;
}

#[tokio::test]
async fn a_forward_auth_answer_without_the_scope_header_is_search_only() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    let addr = server.addr();
    // A proxy between the backend and the CMS that drops the header must not turn a
    // searcher into a licensor: no scope named is the least scope.
    let (status, unnamed) = as_session(&client, addr, NO_SCOPE_SESSION, "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(unnamed["search_only"], true, "{unnamed}");
    assert_eq!(unnamed["search_only_reason"], "role");
    let (_, searcher) = as_session(&client, addr, SEARCH_SESSION, "").await;
    assert_eq!(token_of(&unnamed), token_of(&searcher));
    // `license`, and only `license`, is the user token.
    let (_, licenser) = as_session(&client, addr, LICENSE_SESSION, "").await;
    assert_eq!(licenser["search_only"], false);
    assert_ne!(token_of(&licenser), token_of(&unnamed));
    assert_eq!(upstream.grant_types(), ["client_credentials", "password"]);
    server.shutdown().await;
}

#[tokio::test]
async fn an_unknown_scope_is_refused_before_upstream() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    let (status, body) = as_session(&client, server.addr(), ODD_SCOPE_SESSION, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "not_authorized");
    assert!(body.get("access_token").is_none());
    let odd = sign_scoped(TICKET_SECRET, "editor", unix_now() + 300, "admin");
    let (status, body) = with_ticket(&client, server.addr(), &odd).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"], "not_authorized");
    // Unsigned scope words are a bad ticket, not a scope question.
    let forged = sign_scoped(
        "another0secret0another0secret0another",
        "editor",
        unix_now() + 300,
        "search",
    );
    let (status, body) = with_ticket(&client, server.addr(), &forged).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "ticket_invalid");
    assert_eq!(upstream.calls(), 0);
    server.shutdown().await;
}

#[tokio::test]
async fn without_a_getty_user_the_reason_is_no_user_except_for_search_scopes() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let url = auth.url.clone();
    let server = backend(&upstream, |c| {
        c.allow_anonymous_tokens = false;
        c.auth_url = Some(url);
    })
    .await;
    let client = Client::new();
    let (_, editor) = as_session(&client, server.addr(), GOOD_SESSION, "").await;
    assert_eq!(editor["search_only"], true);
    assert_eq!(editor["search_only_reason"], "no_user");
    let (_, searcher) = as_session(&client, server.addr(), SEARCH_SESSION, "").await;
    assert_eq!(searcher["search_only_reason"], "role");
    // One client-credentials cache serves both: there is no user token to keep apart.
    assert_eq!(token_of(&searcher), token_of(&editor));
    assert_eq!(upstream.grant_types(), ["client_credentials"]);
    server.shutdown().await;
}

#[tokio::test]
async fn the_search_cache_obeys_the_same_rules() {
    let upstream = FakeUpstream::ok().await;
    upstream.set_delay(Duration::ZERO);
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    let addr = server.addr();
    let (_, editor) = as_session(&client, addr, GOOD_SESSION, "").await;
    let (_, searcher) = as_session(&client, addr, SEARCH_SESSION, "").await;
    let claim = format!(
        "?refresh=1&refused={}",
        searcher["token_id"].as_str().expect("id")
    );
    // A claim about a token Getty accepts: checked, kept.
    let (_, kept) = as_session(&client, addr, SEARCH_SESSION, &claim).await;
    assert_eq!(token_of(&kept), token_of(&searcher));
    assert_eq!(upstream.checked_tokens(), [token_of(&searcher)]);
    assert_eq!(upstream.calls(), 2);
    // Getty refuses it: replaced by a new client-credentials token; the editors' is untouched.
    upstream.revoke(&token_of(&searcher));
    let (_, replaced) = as_session(&client, addr, SEARCH_SESSION, &claim).await;
    assert_ne!(token_of(&replaced), token_of(&searcher));
    assert_eq!(
        upstream.grant_types(),
        ["password", "client_credentials", "client_credentials"]
    );
    let (_, editor_again) = as_session(&client, addr, GOOD_SESSION, "").await;
    assert_eq!(token_of(&editor_again), token_of(&editor));
    // Its logins are bounded too, apart from the user cache's.
    upstream.refuse_every_token(true);
    let mut current = replaced["token_id"].as_str().expect("id").to_owned();
    let mut limited = 0;
    for i in 0..20 {
        // Each from an address of its own, so that every claim is checked.
        let (status, body) = as_session_from(
            &client,
            addr,
            SEARCH_SESSION,
            &format!("?refresh=1&refused={current}"),
            &format!("198.51.100.{i}"),
        )
        .await;
        match status {
            StatusCode::OK => current = body["token_id"].as_str().expect("id").to_owned(),
            _ => {
                assert_eq!(body["error"], "logins_limited", "{body}");
                limited += 1;
            }
        }
    }
    let client_logins = upstream
        .grant_types()
        .iter()
        .filter(|g| *g == "client_credentials")
        .count();
    assert_eq!(client_logins, DEFAULT_MAX_LOGINS_PER_MINUTE as usize);
    assert!(limited >= 18, "{limited}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_failed_renewal_of_the_search_token_keeps_it_and_says_degraded() {
    // Lives 6 s, renewed from 3 s on.
    let upstream = FakeUpstream::start(Answer::Token(json!(6))).await;
    upstream.set_delay(Duration::ZERO);
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    as_session(&client, server.addr(), GOOD_SESSION, "").await;
    let (_, searcher) = as_session(&client, server.addr(), SEARCH_SESSION, "").await;
    tokio::time::sleep(Duration::from_millis(3100)).await;
    upstream.set_answer(Answer::Status(503));
    for _ in 0..5 {
        let (status, body) = as_session(&client, server.addr(), SEARCH_SESSION, "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(token_of(&body), token_of(&searcher));
    }
    common::wait_for_calls(&upstream, 3).await;
    assert_eq!(
        upstream.grant_types(),
        ["password", "client_credentials", "client_credentials"]
    );
    // The search cache's failure shows (whatever the renewal this probe starts for the user
    // cache makes of it).
    let ready: Value = client
        .get(format!("http://{}/readyz", server.addr()))
        .send()
        .await
        .expect("readyz")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["status"], "degraded", "{ready}");
    assert_eq!(ready["error"], "upstream_rejected");
    server.shutdown().await;
}

#[tokio::test]
async fn with_a_renewal_of_the_search_token_hanging_searchers_are_answered_from_the_cache() {
    // Lives 4 s, renewed from 2 s on (the margin is capped at half the lifetime).
    let upstream = FakeUpstream::start(Answer::Token(json!(4))).await;
    upstream.set_delay(Duration::ZERO);
    let auth = FakeAuth::start().await;
    let server = with_user(&upstream, &auth).await;
    let client = Client::new();
    let addr = server.addr();
    let (_, searcher) = as_session(&client, addr, SEARCH_SESSION, "").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    // Getty hangs: the renewal the next request starts takes a minute.
    upstream.set_delay(Duration::from_secs(60));
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let (status, body) = as_session(&client, addr, SEARCH_SESSION, "").await;
        times.push(started.elapsed());
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(token_of(&body), token_of(&searcher));
        assert_eq!(body["search_only_reason"], "role");
    }
    // Answered from the cache (a caller waiting for the renewal would wait the upstream
    // timeout): the median is held to 50 ms, every answer to a second, as a loaded two-core
    // box can stall any single request for tens of ms.
    times.sort();
    assert!(
        times[times.len() / 2] < Duration::from_millis(50),
        "{times:?}"
    );
    assert!(times[times.len() - 1] < Duration::from_secs(1), "{times:?}");
    assert_eq!(
        upstream.grant_types(),
        ["client_credentials", "client_credentials"],
        "one renewal under way"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn with_the_sandbox_a_search_scope_token_cannot_download() {
    let auth = FakeAuth::start().await;
    let mut config = Config::sandbox();
    config.auth_url = Some(auth.url.clone());
    let server = start(config).await.expect("sandbox starts");
    let client = Client::new();
    let addr = server.addr();
    let (_, editor) = as_session(&client, addr, GOOD_SESSION, "").await;
    let (_, searcher) = as_session(&client, addr, SEARCH_SESSION, "").await;
    assert_eq!(editor["search_only"], false);
    assert_eq!(searcher["search_only_reason"], "role");
    assert_ne!(token_of(&editor), token_of(&searcher));
    let image = &data::search_family("kitties", Some(AssetFamily::Editorial), 1, 1).images[0];
    let download = |token: String| {
        authed(
            client.post(format!(
                "http://{addr}/v3/downloads/images/{}",
                image.asset.id
            )),
            &token,
        )
        .query(&[
            ("auto_download", "false"),
            ("product_type", "editorialsubscription"),
        ])
        .send()
    };
    // Searches work with it.
    let search = authed(
        client.get(format!("http://{addr}/v3/search/images")),
        &token_of(&searcher),
    )
    .query(&[("phrase", "kitties")])
    .send()
    .await
    .expect("search");
    assert_eq!(search.status(), 200);
    let refused = download(token_of(&searcher)).await.expect("download");
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.expect("json");
    assert_eq!(body["ErrorCode"], "UserTokenRequired", "{body}");
    let sandbox = server.sandbox().expect("sandbox");
    assert!(sandbox.downloads_log().is_empty());
    let licensed = download(token_of(&editor)).await.expect("download");
    assert_eq!(licensed.status(), 200);
    assert_eq!(sandbox.downloads_log().len(), 1);
    server.shutdown().await;
}
