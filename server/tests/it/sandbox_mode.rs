//! The sandbox answers only in a process started with `--sandbox`: without it (same build, the
//! `sandbox` feature on), every sandbox route and test hook (`/v3/…`, `/sandbox/…`,
//! `/oauth2/token`) is the backend's own 404, preflights included. `scripts/check-no-sandbox.sh`
//! checks the same of a release build without the feature.

use getty_picker_server::RunningServer;
use reqwest::{Client, Method, StatusCode};
use serde_json::Value;

use crate::common::{backend, base, sandbox, FakeUpstream};

/// A request to each sandbox route, and to a path under each prefix that no route names.
fn sandbox_requests() -> Vec<(Method, &'static str)> {
    vec![
        (Method::GET, "/v3/search/images?phrase=cat"),
        (Method::GET, "/v3/search/images/creative?phrase=cat"),
        (Method::GET, "/v3/search/images/editorial?phrase=cat"),
        (Method::POST, "/v3/downloads/images/1"),
        (Method::GET, "/v3/products"),
        (Method::GET, "/v3/images/1/downloadhistory"),
        (Method::GET, "/v3/images/1"),
        (Method::GET, "/v3/images?ids=1"),
        (Method::GET, "/v3/images/1/similar"),
        (Method::GET, "/v3/images/1/same-series"),
        (Method::GET, "/v3/downloads"),
        (Method::GET, "/v3/countries"),
        (Method::GET, "/v3/no/such/endpoint"),
        (Method::GET, "/sandbox/media/thumb/1.png"),
        (Method::GET, "/sandbox/delivery/downloads/1?k=00&e=1"),
        (Method::POST, "/oauth2/token"),
    ]
}

/// Status and JSON body (`Null` if none) of `method path` on `server`.
async fn answer(
    client: &Client,
    server: &RunningServer,
    method: Method,
    path: &str,
) -> (StatusCode, Value) {
    let response = client
        .request(method, format!("{}{path}", base(server.addr())))
        .header("Api-Key", getty_sandbox::SANDBOX_API_KEY)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn without_the_flag_no_sandbox_route_answers() {
    let upstream = FakeUpstream::ok().await;
    let server = backend(&upstream, |_| {}).await;
    assert!(server.sandbox().is_none());
    let client = Client::new();
    for (method, path) in sandbox_requests() {
        let (status, body) = answer(&client, &server, method.clone(), path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_eq!(body["error"], "not_found", "{method} {path}: {body}");
    }
    // No CORS preflight either: the sandbox's CORS layer is not there.
    let preflight = client
        .request(
            Method::OPTIONS,
            format!("{}/v3/search/images", base(server.addr())),
        )
        .header("Origin", "http://127.0.0.1:1")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status(), StatusCode::NOT_FOUND);
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // Nothing of it reached the fake Getty either.
    assert_eq!(upstream.calls(), 0);
    server.shutdown().await;
}

#[tokio::test]
async fn with_the_flag_the_sandbox_answers_the_same_requests() {
    let server = sandbox().await;
    let client = Client::new();
    for (method, path) in sandbox_requests() {
        let (status, body) = answer(&client, &server, method.clone(), path).await;
        assert!(
            status != StatusCode::NOT_FOUND || body["error"] != "not_found",
            "{method} {path} fell through to the backend: {status} {body}"
        );
    }
    let counts = server.sandbox().expect("sandbox").counts();
    assert!(counts.search >= 3 && counts.token >= 1, "{counts:?}");
    server.shutdown().await;
}
