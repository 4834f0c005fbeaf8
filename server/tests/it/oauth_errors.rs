//! What the backend says when Getty's token endpoint refuses or throttles: the OAuth `error`
//! code and what to check, never the secret nor upstream's text; 429 with `Retry-After`.

use crate::common;

use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use common::{backend, password_grant, post_token, Answer, FakeUpstream, PASSWORD, SECRET};
use getty_picker_server::Config;
use serde_json::{json, Value};

/// Everything the backends of this test binary log, at debug level.
fn captured_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || SharedWriter(sink.clone()))
            .finish();
        // Another test of this binary may have installed it first; then that one records.
        let _ = tracing::subscriber::set_global_default(subscriber);
        log
    })
    .clone()
}

struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `POST /token`, also returning `Retry-After`.
async fn token_with_retry_after(addr: SocketAddr) -> (StatusCode, Option<u64>, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/token"))
        .send()
        .await
        .expect("request");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ascii").parse().expect("whole seconds"));
    let text = response.text().await.expect("body");
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    (
        status,
        retry_after,
        serde_json::from_str(&text).expect("json"),
    )
}

#[tokio::test]
async fn refusals_carry_the_oauth_code_and_what_to_check() {
    let log = captured_log();
    // (status, code upstream sends, password grant?, code we report, words the message needs)
    let cases: [(u16, &str, bool, &str, &[&str]); 9] = [
        (
            401,
            "invalid_client",
            false,
            "invalid_client",
            &["GETTY_API_KEY", "GETTY_API_SECRET"],
        ),
        (
            400,
            "invalid_client",
            true,
            "invalid_client",
            &["GETTY_API_KEY", "GETTY_API_SECRET"],
        ),
        (
            400,
            "invalid_grant",
            true,
            "invalid_grant",
            &["GETTY_USERNAME", "GETTY_PASSWORD"],
        ),
        (
            400,
            "unauthorized_client",
            true,
            "unauthorized_client",
            &["password grant", "search only"],
        ),
        (
            400,
            "unauthorized_client",
            false,
            "unauthorized_client",
            &["client-credentials grant"],
        ),
        (
            400,
            "unsupported_grant_type",
            false,
            "unsupported_grant_type",
            &["GETTY_TOKEN_URL"],
        ),
        (
            400,
            "invalid_request",
            true,
            "invalid_request",
            &["GETTY_TOKEN_URL"],
        ),
        (
            400,
            "invalid_scope",
            false,
            "invalid_scope",
            &["GETTY_TOKEN_URL"],
        ),
        (
            403,
            "<script>alert(1)</script>",
            false,
            "unknown",
            &["HTTP 403", "GETTY_API_SECRET"],
        ),
    ];
    for (status, code, user, reported, words) in cases {
        let upstream = FakeUpstream::start(Answer::oauth(status, code)).await;
        upstream.set_delay(Duration::ZERO);
        let server = backend(&upstream, |c| {
            if user {
                password_grant(c);
            }
        })
        .await;
        let (answer_status, body) = post_token(&reqwest::Client::new(), server.addr(), "").await;
        assert_eq!(answer_status, StatusCode::BAD_GATEWAY, "{code}");
        assert_eq!(body["error"], "upstream_refused", "{code}");
        assert_eq!(body["oauth_error"], reported, "{code}");
        let message = body["message"].as_str().expect("message");
        for word in words {
            assert!(message.contains(word), "{code}: {message:?} lacks {word:?}");
        }
        // Nothing of upstream's own text: not its description, nor its made-up code.
        assert!(
            !message.contains("<b>") && !message.contains("script"),
            "{message}"
        );
        assert_eq!(body.as_object().map(|o| o.len()), Some(3), "{body}");
        // The readiness probe reports the same refusal (from the backoff, no new call).
        let ready: Value = reqwest::get(format!("http://{}/readyz", server.addr()))
            .await
            .expect("readyz")
            .json()
            .await
            .expect("json");
        assert_eq!(ready["error"], "upstream_refused");
        assert_eq!(ready["oauth_error"], reported);
        assert_eq!(upstream.calls(), 1, "{code}");
        server.shutdown().await;
    }
    let log = String::from_utf8_lossy(&log.lock().expect("log lock")).into_owned();
    for needle in [
        "token endpoint refused the request",
        "oauth_error=\"invalid_client\"",
        "oauth_error=\"invalid_grant\"",
        "check GETTY_USERNAME and GETTY_PASSWORD",
    ] {
        assert!(log.contains(needle), "log lacks {needle:?}:\n{log}");
    }
    for secret in [SECRET, PASSWORD, "<b>", "alert(1)"] {
        assert!(!log.contains(secret), "{secret:?} in the log:\n{log}");
    }
}

#[tokio::test]
async fn a_bearer_challenge_names_the_code_when_the_body_does_not() {
    let upstream = FakeUpstream::start(Answer::Raw {
        status: 401,
        headers: vec![(
            "www-authenticate",
            "Bearer realm=\"getty\", error=\"invalid_client\"".into(),
        )],
        body: String::new(),
    })
    .await;
    let server = backend(&upstream, |_| {}).await;
    let (status, body) = post_token(&reqwest::Client::new(), server.addr(), "").await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body["oauth_error"], "invalid_client");
    server.shutdown().await;
}

#[tokio::test]
async fn throttling_is_a_429_with_retry_after() {
    let in_ten = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
    // (upstream's Retry-After, the range we may answer): upstream's when sane, else the backoff (4 s).
    let cases: [(Option<&str>, std::ops::RangeInclusive<u64>); 6] = [
        (Some("7"), 6..=7),
        (Some(" 12 "), 11..=12),
        (Some(in_ten.as_str()), 8..=11),
        (None, 3..=4),
        (Some("soon"), 3..=4),
        (Some("999999"), 3..=4),
    ];
    for (header, expected) in cases {
        let upstream = FakeUpstream::start(Answer::throttled(header)).await;
        upstream.set_delay(Duration::ZERO);
        let server = backend(&upstream, |c| c.failure_backoff_secs = 4).await;
        for attempt in 0..3 {
            let (status, retry_after, body) = token_with_retry_after(server.addr()).await;
            assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{header:?}");
            assert_eq!(body["error"], "upstream_throttled", "{header:?}");
            assert!(body.get("oauth_error").is_none());
            let retry_after = retry_after.expect("Retry-After");
            assert!(
                expected.contains(&retry_after),
                "{header:?} attempt {attempt}: Retry-After {retry_after}"
            );
            let message = body["message"].as_str().unwrap_or_default();
            assert!(message.contains(&format!("{retry_after} s")), "{message}");
        }
        // Throttled callers wait for upstream's word, they do not ask again.
        assert_eq!(upstream.calls(), 1, "{header:?}");
        let ready = reqwest::get(format!("http://{}/readyz", server.addr()))
            .await
            .expect("readyz");
        assert_eq!(ready.status(), 503);
        assert!(ready.headers().contains_key("retry-after"));
        server.shutdown().await;
    }
}

#[tokio::test]
async fn a_longer_retry_after_outlasts_the_failure_backoff() {
    let upstream = FakeUpstream::start(Answer::throttled(Some("3"))).await;
    upstream.set_delay(Duration::ZERO);
    let server = backend(&upstream, |c| c.failure_backoff_secs = 1).await;
    let (status, retry_after, _) = token_with_retry_after(server.addr()).await;
    assert_eq!(
        (status, retry_after),
        (StatusCode::TOO_MANY_REQUESTS, Some(3))
    );
    upstream.set_answer(Answer::Token(json!(1800)));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    // Past our backoff but not past upstream's Retry-After: no new call, and the wait counts down.
    let (status, retry_after, _) = token_with_retry_after(server.addr()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        retry_after.is_some_and(|s| (1..=2).contains(&s)),
        "{retry_after:?}"
    );
    assert_eq!(upstream.calls(), 1);
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let (status, _, body) = token_with_retry_after(server.addr()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(upstream.calls(), 2);
    server.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_s_throttling_still_says_when_to_come_back() {
    // The sandbox mode has no failure backoff and Getty's 429 no Retry-After: at least 1 s.
    let server = getty_picker_server::start(Config::sandbox())
        .await
        .expect("sandbox");
    let sandbox = server.sandbox().expect("sandbox");
    sandbox.inject(
        getty_sandbox::Endpoint::Token,
        getty_sandbox::Fault::Status(429),
        1,
    );
    let (status, retry_after, body) = token_with_retry_after(server.addr()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(retry_after, Some(1));
    let (status, _, body) = token_with_retry_after(server.addr()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.shutdown().await;
}

#[tokio::test]
async fn only_a_refused_refresh_token_falls_back_to_the_password_grant() {
    for (answer, fallback) in [
        (Answer::oauth(400, "invalid_grant"), true),
        (Answer::Status(503), false),
        (Answer::throttled(None), false),
    ] {
        let upstream = FakeUpstream::start(Answer::Token(json!(2))).await;
        upstream.set_delay(Duration::ZERO);
        let server = backend(&upstream, |c| {
            password_grant(c);
            c.token_margin_secs = 1;
        })
        .await;
        let client = reqwest::Client::new();
        let (_, first) = post_token(&client, server.addr(), "").await;
        upstream.set_answer(answer.clone());
        tokio::time::sleep(Duration::from_millis(1100)).await;
        // The renewal fails, but the token has a second left: callers still get it.
        let (status, again) = post_token(&client, server.addr(), "").await;
        assert_eq!(status, StatusCode::OK, "{answer:?}");
        assert_eq!(again["access_token"], first["access_token"]);
        let expected: &[&str] = if fallback {
            &["password", "refresh_token", "password"]
        } else {
            &["password", "refresh_token"]
        };
        // The renewal runs in the background: let it finish, and nothing follow it.
        common::wait_for_calls(&upstream, expected.len() as u64).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(upstream.grant_types(), expected, "{answer:?}");
        server.shutdown().await;
    }
}
