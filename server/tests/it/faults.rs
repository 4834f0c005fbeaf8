//! Fault injection into the sandbox and its per-endpoint request counts.

use crate::common;
use crate::sandbox_tokens;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use getty_picker_server::RunningServer;
use getty_sandbox::data::{self, AssetFamily};
use getty_sandbox::{Endpoint, Fault};
use getty_sandbox::{Sandbox, SandboxCounts, SANDBOX_API_KEY};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

use common::{authed, base};
use sandbox_tokens::user_token;

const ORIGIN: &str = "http://localhost:5173";

struct Fixture {
    server: RunningServer,
    client: Client,
    token: String,
}

impl Fixture {
    /// A sandbox and a user token obtained straight from its `/oauth2/token`.
    async fn start() -> Self {
        let server = common::sandbox().await;
        let client = Client::new();
        let token = user_token(&client, &server).await;
        Self {
            server,
            client,
            token,
        }
    }

    fn sandbox(&self) -> &Sandbox {
        sandbox(&self.server)
    }

    fn counts(&self) -> SandboxCounts {
        self.sandbox().counts()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", base(self.server.addr()))
    }

    /// A browser-like search (with an `Origin`, so CORS headers are expected).
    async fn search(&self) -> reqwest::Result<Response> {
        authed(self.client.get(self.url("/v3/search/images")), &self.token)
            .header("Origin", ORIGIN)
            .query(&[("phrase", "kitties"), ("page_size", "2")])
            .send()
            .await
    }

    async fn search_ok(&self) -> Response {
        self.search().await.expect("search answered")
    }

    /// A download the default account may make: an editorial image on its subscription.
    async fn download(&self) -> Response {
        let page = data::search_family("kitties", Some(AssetFamily::Editorial), 1, 1);
        let url = self.url(&format!("/v3/downloads/images/{}", page.images[0].asset.id));
        authed(self.client.post(url), &self.token)
            .query(&[
                ("auto_download", "false"),
                ("product_type", "editorialsubscription"),
            ])
            .send()
            .await
            .expect("download answered")
    }
}

fn sandbox(server: &RunningServer) -> &Sandbox {
    server.sandbox().expect("sandbox mode")
}

/// `POST /oauth2/token` on the sandbox itself with its client credentials.
async fn sandbox_token(client: &Client, addr: SocketAddr, sandbox: &Sandbox) -> Response {
    let form = serde_urlencoded::to_string([
        ("grant_type", "client_credentials"),
        ("client_id", SANDBOX_API_KEY),
        ("client_secret", sandbox.client_secret()),
    ])
    .expect("form");
    client
        .post(format!("{}/oauth2/token", base(addr)))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("token answered")
}

/// A normal search answer: 200 with images.
async fn assert_normal(response: Response) {
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["images"].as_array().map(Vec::len), Some(2));
}

fn assert_cors(response: &Response) {
    assert!(
        response
            .headers()
            .contains_key("access-control-allow-origin"),
        "no CORS header on {}",
        response.status()
    );
}

#[tokio::test]
async fn status_faults_answer_getty_error_shapes_with_cors() {
    let f = Fixture::start().await;
    for status in [401, 403, 404, 429, 500, 503] {
        f.sandbox()
            .inject(Endpoint::Search, Fault::Status(status), 1);
        let response = f.search_ok().await;
        assert_eq!(response.status().as_u16(), status);
        assert_cors(&response);
        let headers = response.headers().clone();
        let body: Value = response.json().await.expect("json error body");
        match status {
            401 => {
                assert_eq!(body, json!({"message": "Unauthorized"}));
                assert_eq!(
                    headers["www-authenticate"],
                    r#"Bearer error="invalid_token""#
                );
            }
            403 => {
                assert_eq!(body["ErrorCode"], "OverageLimitReached");
                assert!(body["ErrorMessage"].is_string());
            }
            404 => {
                assert_eq!(body["code"], "ImageNotFound");
                assert!(body["message"].is_string());
            }
            429 => {
                assert_eq!(
                    body,
                    json!({"message": "Account Over Queries Per Second Limit"})
                );
                assert!(headers.contains_key("x-error-detail"));
                assert!(!headers.contains_key("retry-after"));
            }
            _ => assert!(body["message"].is_string()),
        }
    }
    assert_normal(f.search_ok().await).await;
}

#[tokio::test]
async fn forbidden_download_is_not_entitled() {
    let f = Fixture::start().await;
    f.sandbox()
        .inject(Endpoint::Download, Fault::Status(403), 1);
    let response = f.download().await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["ErrorCode"], "NotEntitled");
}

#[tokio::test]
async fn raw_fault_answers_exactly_that() {
    let f = Fixture::start().await;
    let fault = Fault::Raw {
        status: 403,
        body: String::new(),
        content_type: "text/plain",
    };
    f.sandbox().inject(Endpoint::Search, fault, 1);
    let response = f.search_ok().await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_cors(&response);
    assert_eq!(response.headers()["content-type"], "text/plain");
    assert_eq!(response.text().await.expect("body"), "");
}

#[tokio::test]
async fn delay_delays_then_answers_normally() {
    let f = Fixture::start().await;
    let delay = Duration::from_millis(300);
    f.sandbox().inject(Endpoint::Search, Fault::Delay(delay), 1);
    let started = Instant::now();
    let response = f.search_ok().await;
    assert!(
        started.elapsed() >= delay,
        "answered after {:?}",
        started.elapsed()
    );
    assert_normal(response).await;
}

#[tokio::test]
async fn a_client_giving_up_during_a_delay_harms_nothing() {
    let f = Fixture::start().await;
    f.sandbox()
        .inject(Endpoint::Search, Fault::Delay(Duration::from_secs(30)), 1);
    let impatient = authed(f.client.get(f.url("/v3/search/images")), &f.token)
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(impatient.is_err());
    assert_normal(f.search_ok().await).await;
    assert_eq!(f.counts().search, 2);
}

#[tokio::test]
async fn malformed_json_is_a_200_that_does_not_parse() {
    let f = Fixture::start().await;
    f.sandbox()
        .inject(Endpoint::Search, Fault::MalformedJson, 1);
    let response = f.search_ok().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_cors(&response);
    let text = response.text().await.expect("body");
    assert!(serde_json::from_str::<Value>(&text).is_err(), "{text}");
}

#[tokio::test]
async fn dropped_connection_is_a_client_error_not_a_response() {
    let f = Fixture::start().await;
    f.sandbox()
        .inject(Endpoint::Search, Fault::DropConnection, 1);
    match f.search().await {
        Ok(response) => panic!("got a response: {}", response.status()),
        Err(error) => assert!(!error.is_status(), "{error}"),
    }
    assert_normal(f.search_ok().await).await;
    assert_eq!(f.counts().search, 2);
}

#[tokio::test]
async fn json_fault_replaces_the_body() {
    let f = Fixture::start().await;
    let hostile = json!({
        "result_count": u64::MAX,
        "images": [{"id": null, "title": "<script>alert(1)</script>"}],
    });
    f.sandbox()
        .inject(Endpoint::Search, Fault::Json(hostile.clone()), 1);
    let response = f.search_ok().await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_cors(&response);
    assert_eq!(response.json::<Value>().await.expect("json"), hostile);
}

#[tokio::test]
async fn faults_are_consumed_n_times_in_order() {
    let f = Fixture::start().await;
    f.sandbox().inject(Endpoint::Search, Fault::Status(500), 2);
    f.sandbox().inject(Endpoint::Search, Fault::Status(429), 1);
    for expected in [500, 500, 429, 200] {
        assert_eq!(f.search_ok().await.status().as_u16(), expected);
    }
}

#[tokio::test]
async fn counts_include_faulted_requests_but_not_preflights() {
    let f = Fixture::start().await;
    let before = f.counts();
    let preflight = f
        .client
        .request(Method::OPTIONS, f.url("/v3/search/images"))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization,api-key")
        .send()
        .await
        .expect("preflight");
    assert!(preflight.status().is_success());
    // The CORS layer answers any OPTIONS itself; none may reach the counters.
    f.client
        .request(Method::OPTIONS, f.url("/v3/search/images"))
        .send()
        .await
        .expect("options");
    assert_eq!(f.counts(), before);

    f.sandbox().inject(Endpoint::Search, Fault::Status(500), 1);
    f.search_ok().await;
    f.search_ok().await;
    assert_eq!(
        f.counts(),
        SandboxCounts {
            search: before.search + 2,
            ..before
        }
    );
}

#[tokio::test]
async fn faults_are_per_endpoint() {
    let f = Fixture::start().await;
    f.sandbox().inject(Endpoint::Search, Fault::Status(500), 1);
    let download = f.download().await;
    assert_eq!(download.status(), StatusCode::OK);
    assert!(download.json::<Value>().await.expect("json")["uri"].is_string());
    assert_eq!(
        f.search_ok().await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(f.counts().download, 1);
    assert_eq!(f.counts().search, 1);
}

#[tokio::test]
async fn token_rendition_and_delivery_endpoints_can_fail_too() {
    let f = Fixture::start().await;
    let tokens_before = f.counts().token;
    f.sandbox().inject(Endpoint::Token, Fault::Status(503), 1);
    let token = sandbox_token(&f.client, f.server.addr(), f.sandbox()).await;
    assert_eq!(token.status(), StatusCode::SERVICE_UNAVAILABLE);
    let token = sandbox_token(&f.client, f.server.addr(), f.sandbox()).await;
    assert_eq!(token.status(), StatusCode::OK);
    assert_eq!(f.counts().token, tokens_before + 2);

    for (endpoint, path) in [
        (Endpoint::Thumbnail, "/sandbox/media/thumb/nope.png"),
        (Endpoint::Delivery, "/sandbox/delivery/downloads/nope"),
    ] {
        f.sandbox().inject(endpoint, Fault::Status(500), 1);
        let get = || f.client.get(f.url(path)).send();
        assert_eq!(
            get().await.expect("faulted").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
        // Unfaulted, the made-up file is simply not found.
        assert_eq!(get().await.expect("normal").status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(f.counts().thumbnail, 2);
    assert_eq!(f.counts().delivery, 2);
}

#[tokio::test]
async fn clear_faults_drops_pending_injections() {
    let f = Fixture::start().await;
    f.sandbox().inject(Endpoint::Search, Fault::Status(500), 3);
    f.sandbox()
        .inject(Endpoint::Download, Fault::DropConnection, 1);
    f.sandbox().clear_faults();
    assert_normal(f.search_ok().await).await;
    assert_eq!(f.download().await.status(), StatusCode::OK);
}

#[tokio::test]
async fn gateway_and_licence_faults_answer_as_getty() {
    let f = Fixture::start().await;
    let search_faults = [
        (
            Fault::Throttled,
            429,
            json!({"message": "Account Over Queries Per Second Limit"}),
        ),
        (
            Fault::GatewayForbidden,
            403,
            json!({"message": "Forbidden"}),
        ),
    ];
    for (fault, status, body) in search_faults {
        f.sandbox().inject(Endpoint::Search, fault.clone(), 1);
        let response = f.search_ok().await;
        assert_eq!(response.status().as_u16(), status, "{fault:?}");
        assert_cors(&response);
        assert!(!response.headers().contains_key("retry-after"));
        assert_eq!(response.json::<Value>().await.expect("json"), body);
    }
    let coded = [
        (
            Endpoint::Search,
            Fault::UnauthorizedDisplaySize,
            "UnauthorizedDisplaySize",
        ),
        (
            Endpoint::Download,
            Fault::OverageLimitReached,
            "OverageLimitReached",
        ),
        (
            Endpoint::Download,
            Fault::UserTokenRequired,
            "UserTokenRequired",
        ),
    ];
    for (endpoint, fault, code) in coded {
        f.sandbox().inject(endpoint, fault, 1);
        let response = match endpoint {
            Endpoint::Search => f.search_ok().await,
            _ => f.download().await,
        };
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{code}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["ErrorCode"], code);
        assert!(body["ErrorMessage"].is_string());
    }
    // One-shot: the next answers are normal, and nothing was spent by the faulted downloads.
    assert_normal(f.search_ok().await).await;
    assert_eq!(f.download().await.status(), StatusCode::OK);
    assert_eq!(f.sandbox().downloads_log().len(), 1);
}
