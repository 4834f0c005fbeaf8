//! Findings of a black-box probe on loopback, one test each: upstream failures are not retried
//! at request rate, DNS rebinding, unusable token lifetimes, chunked bodies, split cookies,
//! forwarded addresses with ports.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use axum::http::StatusCode;
use common::{
    backend, base, post_token, wait_for_calls, Answer, FakeAuth, FakeUpstream, GOOD_SESSION,
};
use getty_picker_server::{start, Config};
use reqwest::Client;
use serde_json::{json, Value};

/// Sends `request` as raw bytes and returns everything the server answers before closing
/// (or within 5 s). Write errors are ignored: the server may answer and close early.
async fn raw(addr: SocketAddr, request: Vec<u8>) -> String {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        let _ = stream.write_all(&request);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    })
    .await
    .expect("task")
}

async fn readyz(client: &Client, addr: SocketAddr) -> StatusCode {
    client
        .get(format!("http://{addr}/readyz"))
        .send()
        .await
        .expect("readyz")
        .status()
}

#[tokio::test]
async fn readiness_probes_do_not_hammer_a_failing_upstream() {
    let upstream = FakeUpstream::start(Answer::Status(500)).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.failure_backoff_secs = 60).await;
    let client = Client::new();
    for _ in 0..300 {
        assert_eq!(
            readyz(&client, server.addr()).await,
            StatusCode::SERVICE_UNAVAILABLE
        );
    }
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (client, addr) = (client.clone(), server.addr());
        tasks.spawn(async move { post_token(&client, addr, "").await.0 });
    }
    while let Some(status) = tasks.join_next().await {
        assert_eq!(status.expect("task"), StatusCode::BAD_GATEWAY);
    }
    assert_eq!(upstream.calls(), 1, "one call per backoff");
    server.shutdown().await;
}

#[tokio::test]
async fn after_the_backoff_upstream_is_asked_again() {
    let upstream = FakeUpstream::start(Answer::Status(503)).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.failure_backoff_secs = 1).await;
    let client = Client::new();
    assert_eq!(
        readyz(&client, server.addr()).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    upstream.set_answer(Answer::Token(json!(1800)));
    // Recovered upstream, but still within the backoff: the failure is remembered.
    assert_eq!(
        readyz(&client, server.addr()).await,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(upstream.calls(), 1);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(readyz(&client, server.addr()).await, StatusCode::OK);
    let (status, _) = post_token(&client, server.addr(), "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(upstream.calls(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn a_token_that_expires_at_once_is_refused_not_fetched_per_request() {
    for expires_in in [json!(0), json!("0"), json!(0.4)] {
        let upstream = FakeUpstream::start(Answer::Token(expires_in.clone())).await;
        upstream.set_delay(Duration::ZERO);
        let server = backend(&upstream, |c| c.rate_limit = 0).await;
        let client = Client::new();
        for _ in 0..20 {
            let (status, body) = post_token(&client, server.addr(), "").await;
            assert_eq!(status, StatusCode::BAD_GATEWAY, "{expires_in}");
            assert_eq!(body["error"], "upstream_malformed");
        }
        assert_eq!(upstream.calls(), 1, "{expires_in}");
        server.shutdown().await;
    }
}

/// `POST /token` with this `Origin` and `Host`.
async fn from(client: &Client, addr: SocketAddr, origin: &str, host: &str) -> StatusCode {
    client
        .post(format!("http://{addr}/token"))
        .header("Origin", origin)
        .header("Host", host)
        .send()
        .await
        .expect("token")
        .status()
}

#[tokio::test]
async fn dns_rebinding_gets_no_token() {
    let client = Client::new();
    // The sandbox: loopback origins only, whatever Host says.
    let sandbox = common::sandbox().await;
    let addr = sandbox.addr();
    assert_eq!(
        from(&client, addr, "http://evil.com", "evil.com").await,
        403
    );
    assert_eq!(
        from(&client, addr, "http://evil.com:8080", "evil.com:8080").await,
        403
    );
    let loopback = format!("http://127.0.0.1:{}", addr.port());
    assert_eq!(from(&client, addr, &loopback, &addr.to_string()).await, 200);
    sandbox.shutdown().await;

    // Real credentials: same-origin pages only on the listed public host.
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| {
        c.allowed_origins = vec!["https://cms.example.com".into()];
        c.public_hosts = vec!["picker.example.com".into()];
    })
    .await;
    let addr = server.addr();
    assert_eq!(
        from(&client, addr, "http://evil.com", "evil.com").await,
        403
    );
    assert_eq!(
        from(&client, addr, "https://picker.example.com", "evil.com").await,
        403
    );
    assert_eq!(
        from(
            &client,
            addr,
            "https://picker.example.com",
            "picker.example.com"
        )
        .await,
        200
    );
    assert_eq!(
        from(&client, addr, "https://cms.example.com", "evil.com").await,
        200
    );
    server.shutdown().await;
}

#[tokio::test]
async fn chunked_bodies_are_held_to_the_limit_with_the_documented_json() {
    let server = common::sandbox().await;
    let addr = server.addr();
    let mut request =
        b"POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
    for _ in 0..10 {
        request.extend_from_slice(format!("{:x}\r\n", 8192).as_bytes());
        request.extend_from_slice(&[b'a'; 8192]);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let answer = raw(addr, request).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or_default())
        .expect("a JSON body");
    assert_eq!(body["error"], "payload_too_large");
    assert!(body["message"]
        .as_str()
        .is_some_and(|m| m.contains("64 KiB")));

    // A small chunked body is fine.
    let small = b"POST /token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n".to_vec();
    let answer = raw(addr, small).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    // Announced as too large: refused before reading, same JSON.
    let response = Client::new()
        .post(format!("{}/token", base(addr)))
        .body(vec![b'a'; 65 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "payload_too_large");
    assert_eq!(server.sandbox().expect("sandbox").counts().token, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn split_cookie_headers_all_reach_forward_auth() {
    let upstream = FakeUpstream::ok().await;
    let auth = FakeAuth::start().await;
    let url = auth.url.clone();
    let server = backend(&upstream, |c| c.auth_url = Some(url)).await;
    let response = Client::new()
        .post(format!("http://{}/token", server.addr()))
        .header("Cookie", "theme=dark")
        .header("Cookie", format!("session={GOOD_SESSION}"))
        .send()
        .await
        .expect("token");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        auth.cookies(),
        [format!("theme=dark; session={GOOD_SESSION}")]
    );
    server.shutdown().await;
}

#[tokio::test]
async fn forwarded_addresses_with_ports_name_the_client() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| {
        c.rate_limit = 1;
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    let client = Client::new();
    let post = |forwarded: &'static str| {
        client
            .post(format!("http://{}/token", server.addr()))
            .header("X-Forwarded-For", forwarded)
            .send()
    };
    // Each is its own client: had the port made them fall back to the proxy, the second would be 429.
    assert_eq!(post("203.0.113.7:5555").await.expect("a").status(), 200);
    assert_eq!(post("[2001:db8::8]:443").await.expect("b").status(), 200);
    assert_eq!(post("203.0.113.9").await.expect("c").status(), 200);
    assert_eq!(
        post("203.0.113.7:6666").await.expect("a again").status(),
        429
    );
    server.shutdown().await;
}

#[tokio::test]
async fn non_sandbox_start_without_authentication_is_refused_in_process_too() {
    let upstream = FakeUpstream::ok().await;
    let config = Config::upstream(&upstream.url, "key", common::SECRET);
    let error = start(config).await.expect_err("must refuse");
    assert!(
        error.to_string().contains("PICKER_TICKET_SECRET"),
        "{error}"
    );
}

#[tokio::test]
async fn a_failed_renewal_keeps_serving_the_token_until_it_really_expires() {
    // Lives 6 s, renewed from 3 s on (the margin is capped at half the lifetime).
    let upstream = FakeUpstream::start(Answer::Token(json!(6))).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.failure_backoff_secs = 60).await;
    let client = Client::new();
    let (_, first) = post_token(&client, server.addr(), "").await;
    tokio::time::sleep(Duration::from_millis(3100)).await;
    upstream.set_answer(Answer::Status(500));
    for _ in 0..5 {
        let (status, body) = post_token(&client, server.addr(), "").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["access_token"], first["access_token"]);
        assert!(body["expires_in"].as_u64().is_some_and(|e| e <= 3));
    }
    wait_for_calls(&upstream, 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(upstream.calls(), 2, "one failed renewal, then the backoff");
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let (status, _) = post_token(&client, server.addr(), "").await;
    assert_eq!(
        status,
        StatusCode::BAD_GATEWAY,
        "expired: no token to fall back on"
    );
    server.shutdown().await;
}
