//! The per-client rate limit on `/token`.

use crate::common;

use axum::http::StatusCode;
use common::{backend, FakeUpstream};
use reqwest::Client;

async fn post(
    client: &Client,
    addr: std::net::SocketAddr,
    forwarded: Option<&str>,
) -> reqwest::Response {
    let mut request = client.post(format!("http://{addr}/token"));
    if let Some(ip) = forwarded {
        request = request.header("X-Forwarded-For", ip);
    }
    request.send().await.expect("token")
}

#[tokio::test]
async fn over_the_limit_is_429_with_retry_after() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |c| {
        c.rate_limit = 3;
        c.rate_window_secs = 60;
    })
    .await;
    let client = Client::new();
    for _ in 0..3 {
        assert_eq!(
            post(&client, server.addr(), None).await.status(),
            StatusCode::OK
        );
    }
    let refused = post(&client, server.addr(), None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value = refused.json().await.expect("json");
    assert_eq!(body["error"], "rate_limited");
    // Forced refreshes count too, and the health probes are not limited.
    let forced = client
        .post(format!("http://{}/token?refresh=1", server.addr()))
        .send()
        .await
        .expect("refresh");
    assert_eq!(forced.status(), StatusCode::TOO_MANY_REQUESTS);
    let health = reqwest::get(format!("http://{}/healthz", server.addr()))
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(upstream.calls(), 1);
    server.shutdown().await;
}

#[tokio::test]
async fn forwarded_for_counts_only_from_trusted_proxies() {
    let upstream = FakeUpstream::ok().await;
    // Untrusted peer: a spoofed X-Forwarded-For does not buy a fresh allowance.
    let server = backend(&upstream, |c| c.rate_limit = 1).await;
    let client = Client::new();
    assert_eq!(
        post(&client, server.addr(), Some("203.0.113.1"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(&client, server.addr(), Some("203.0.113.2"))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    server.shutdown().await;

    // Behind a trusted proxy (here: the loopback peer), each forwarded client has its own allowance.
    let server = backend(&upstream, |c| {
        c.rate_limit = 1;
        c.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    assert_eq!(
        post(&client, server.addr(), Some("203.0.113.1"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(&client, server.addr(), Some("203.0.113.2"))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        post(&client, server.addr(), Some("198.51.100.7, 203.0.113.1"))
            .await
            .status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        post(&client, server.addr(), Some("not an ip"))
            .await
            .status(),
        StatusCode::OK
    );
    server.shutdown().await;
}
