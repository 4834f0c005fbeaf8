//! Bad requests get clear 4xx answers, never a panic or a token.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{base, sandbox};
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

async fn json_error(response: reqwest::Response, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("json error body");
    assert_eq!(body["error"], code);
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
}

#[tokio::test]
async fn wrong_methods_and_unknown_paths() {
    let server = sandbox().await;
    let client = Client::new();
    let url = |path: &str| format!("{}{path}", base(server.addr()));
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        let response = client
            .request(method.clone(), url("/token"))
            .send()
            .await
            .expect("send");
        json_error(
            response,
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        )
        .await;
    }
    let response = client.post(url("/healthz")).send().await.expect("send");
    json_error(
        response,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    )
    .await;
    for path in ["/nope", "/token/extra", "/%ff%fe", "/..%2f..%2fetc/passwd"] {
        let response = client.get(url(path)).send().await.expect("send");
        json_error(response, StatusCode::NOT_FOUND, "not_found").await;
    }
    assert_eq!(server.sandbox().expect("sandbox").counts().token, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn huge_bodies_are_refused() {
    let server = sandbox().await;
    let response = Client::new()
        .post(format!("{}/token", base(server.addr())))
        .body(vec![b'a'; 2 * 1024 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(server.sandbox().expect("sandbox").counts().token, 0);
    server.shutdown().await;
}

#[tokio::test]
async fn odd_headers_and_queries() {
    let server = sandbox().await;
    let client = Client::new();
    let url = format!("{}/token", base(server.addr()));
    for origin in [
        "null",
        "http://localhost:99999",
        "file://",
        "http://localhost.evil.com",
    ] {
        let response = client
            .post(&url)
            .header("Origin", origin)
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{origin}");
        json_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    }
    let non_utf8 =
        reqwest::header::HeaderValue::from_bytes(b"http://localhost:\xff").expect("opaque");
    let response = client
        .post(&url)
        .header("Origin", non_utf8)
        .send()
        .await
        .expect("send");
    json_error(response, StatusCode::FORBIDDEN, "origin_not_allowed").await;
    for query in ["?refresh=%zz", "?refresh", "?&&==&", "?refresh=1&refresh=0"] {
        let response = client
            .post(format!("{url}{query}"))
            .header("Content-Type", "image/png")
            .header("X-Forwarded-For", "999.1.1.1, ;;, garbage")
            .send()
            .await
            .expect("send");
        assert_eq!(response.status(), StatusCode::OK, "{query}");
    }
    server.shutdown().await;
}

#[tokio::test]
async fn garbage_on_the_wire_gets_400_and_the_server_lives_on() {
    let server = sandbox().await;
    let addr = server.addr();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("timeout");
        stream
            .write_all(b"POST /token HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
            .expect("write");
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    })
    .await
    .expect("task");
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    let huge_header = "x".repeat(1024 * 1024);
    let response = Client::new()
        .post(format!("{}/token", base(addr)))
        .header("X-Huge", huge_header)
        .send()
        .await;
    // hyper refuses it (431) or closes the connection; either way no token and no crash.
    if let Ok(response) = response {
        assert!(response.status().is_client_error(), "{}", response.status());
    }
    let health = reqwest::get(format!("{}/healthz", base(addr)))
        .await
        .expect("healthz");
    assert_eq!(health.status(), StatusCode::OK);
    server.shutdown().await;
}
