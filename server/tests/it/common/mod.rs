//! Helpers shared by the integration tests: the sandbox, a fake Getty (token endpoint and the
//! token check, `GET /v3/countries`) that counts and can throttle, hang or refuse, and a fake
//! forward-auth service, both on loopback and counting their calls.
#![allow(dead_code)]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use getty_picker_server::{start, Config, RunningServer};
use getty_sandbox::SANDBOX_API_KEY;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// The API secret the backend is configured with; must never reach a response or a log.
pub const SECRET: &str = "very0secret0value042";
/// The Getty password used by password-grant tests.
pub const PASSWORD: &str = "hunter2pa55word";
/// Prefix of every access token the fake upstream issues.
pub const ACCESS_PREFIX: &str = "access0token0";
/// Prefix of every refresh token the fake upstream issues.
pub const REFRESH_PREFIX: &str = "refresh0token0";
/// The session cookie value the fake auth service accepts with the full scope
/// (`X-Getty-Picker-Scope: license`).
pub const GOOD_SESSION: &str = "session0cookie0good";
/// A session the fake auth service accepts as search only (`X-Getty-Picker-Scope: search`).
pub const SEARCH_SESSION: &str = "session0cookie0searcher";
/// A session the fake auth service accepts with an explicit `X-Getty-Picker-Scope: license`.
pub const LICENSE_SESSION: &str = "session0cookie0licenser";
/// A session the fake auth service accepts with a scope nobody defined (`admin`).
pub const ODD_SCOPE_SESSION: &str = "session0cookie0oddscope";
/// A session the fake auth service accepts without naming any scope (as a proxy that drops
/// the header would pass it on).
pub const NO_SCOPE_SESSION: &str = "session0cookie0noscope";
/// The API key the backends of these tests are configured with.
pub const API_KEY: &str = "my-key";

/// Starts a sandbox server on a free loopback port.
pub async fn sandbox() -> RunningServer {
    match start(Config::sandbox()).await {
        Ok(server) => server,
        Err(error) => panic!("sandbox did not start: {error}"),
    }
}

/// `http://<addr>`
pub fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// A token from the server's `/token` endpoint.
pub async fn token(client: &reqwest::Client, addr: SocketAddr) -> String {
    let answer: Value = client
        .post(format!("{}/token", base(addr)))
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token json");
    answer["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// A request to the sandbox API with both Getty headers.
pub fn authed(builder: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
    builder
        .header("Api-Key", SANDBOX_API_KEY)
        .bearer_auth(token)
}

/// Binds a loopback port and serves `app` on it in the background.
pub async fn serve(app: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// A loopback address on which nothing listens.
pub async fn closed_addr() -> SocketAddr {
    TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr")
}

/// What the fake token endpoint answers.
#[derive(Clone, Debug)]
pub enum Answer {
    /// A token with this `expires_in` (number or string); password and refresh grants also get a refresh token.
    Token(Value),
    /// This status, with a body echoing the secret (which must not be passed on).
    Status(u16),
    /// Broken JSON echoing the secret.
    Malformed,
    /// Valid JSON without `access_token`.
    NoAccessToken,
    /// Exactly this status, headers and body (e.g. an OAuth refusal, a 429 with `Retry-After`).
    Raw {
        /// The status.
        status: u16,
        /// Extra headers.
        headers: Vec<(&'static str, String)>,
        /// The body, sent as `application/json`.
        body: String,
    },
}

impl Answer {
    /// An OAuth refusal: `status` with `{"error": code, "error_description": <echoing the secret>}`.
    pub fn oauth(status: u16, code: &str) -> Self {
        Self::Raw {
            status,
            headers: Vec::new(),
            body: json!({
                "error": code,
                "error_description": format!("<b>client_secret {SECRET} is wrong</b>"),
            })
            .to_string(),
        }
    }

    /// Getty's gateway throttling: 429 with its body and, if given, this `Retry-After`.
    pub fn throttled(retry_after: Option<&str>) -> Self {
        Self::Raw {
            status: 429,
            headers: retry_after
                .map(|value| vec![("retry-after", value.to_owned())])
                .unwrap_or_default(),
            body: json!({"message": "Account Over Queries Per Second Limit"}).to_string(),
        }
    }
}

struct UpstreamState {
    answer: Mutex<Answer>,
    delay: Mutex<Duration>,
    reject_refresh: AtomicBool,
    no_refresh_tokens: AtomicBool,
    calls: AtomicU64,
    forms: Mutex<Vec<Vec<(String, String)>>>,
    checks: AtomicU64,
    check_status: Mutex<Option<u16>>,
    check_delay: Mutex<Duration>,
    checked: Mutex<Vec<String>>,
    revoked: Mutex<HashSet<String>>,
    refuse_every_token: AtomicBool,
}

/// A fake Getty at `url` (token endpoint) and `api_base` (the token check), counting calls.
#[derive(Clone)]
pub struct FakeUpstream {
    /// Its token URL.
    pub url: String,
    /// Its API base, where `GET /v3/countries` checks a token.
    pub api_base: String,
    state: Arc<UpstreamState>,
}

impl FakeUpstream {
    /// Starts one answering `answer` after 150 ms (so concurrent callers overlap with a refresh).
    pub async fn start(answer: Answer) -> Self {
        let state = Arc::new(UpstreamState {
            answer: Mutex::new(answer),
            delay: Mutex::new(Duration::from_millis(150)),
            reject_refresh: AtomicBool::new(false),
            no_refresh_tokens: AtomicBool::new(false),
            calls: AtomicU64::new(0),
            forms: Mutex::new(Vec::new()),
            checks: AtomicU64::new(0),
            check_status: Mutex::new(None),
            check_delay: Mutex::new(Duration::ZERO),
            checked: Mutex::new(Vec::new()),
            revoked: Mutex::new(HashSet::new()),
            refuse_every_token: AtomicBool::new(false),
        });
        let app = Router::new()
            .route("/oauth2/token", post(fake_token))
            .route("/v3/countries", get(fake_check))
            .with_state(state.clone());
        let addr = serve(app).await;
        Self {
            url: format!("http://{addr}/oauth2/token"),
            api_base: format!("http://{addr}"),
            state,
        }
    }

    /// A fake answering a token with `expires_in: "1800"`, as the seed does.
    pub async fn ok() -> Self {
        Self::start(Answer::Token(json!("1800"))).await
    }

    /// Number of calls so far.
    pub fn calls(&self) -> u64 {
        self.state.calls.load(Ordering::SeqCst)
    }

    /// The decoded form of every call so far.
    pub fn forms(&self) -> Vec<Vec<(String, String)>> {
        self.state.forms.lock().expect("lock").clone()
    }

    /// The `grant_type` of every call so far.
    pub fn grant_types(&self) -> Vec<String> {
        self.forms()
            .iter()
            .map(|form| field(form, "grant_type").unwrap_or_default())
            .collect()
    }

    /// Changes what later calls answer.
    pub fn set_answer(&self, answer: Answer) {
        *self.state.answer.lock().expect("lock") = answer;
    }

    /// Changes how long later calls take.
    pub fn set_delay(&self, delay: Duration) {
        *self.state.delay.lock().expect("lock") = delay;
    }

    /// Makes later `refresh_token` grants fail with `400 invalid_grant`.
    pub fn reject_refresh(&self, reject: bool) {
        self.state.reject_refresh.store(reject, Ordering::SeqCst);
    }

    /// Makes later password grants come without a refresh token, so every renewal is a login.
    pub fn omit_refresh_tokens(&self, omit: bool) {
        self.state.no_refresh_tokens.store(omit, Ordering::SeqCst);
    }

    /// Full logins so far: password and client-credentials grants (not refresh-token grants).
    pub fn logins(&self) -> usize {
        self.grant_types()
            .iter()
            .filter(|grant| *grant != "refresh_token")
            .count()
    }

    /// Number of token checks (`GET /v3/countries`) so far.
    pub fn checks(&self) -> u64 {
        self.state.checks.load(Ordering::SeqCst)
    }

    /// The bearer token of every check so far.
    pub fn checked_tokens(&self) -> Vec<String> {
        self.state.checked.lock().expect("lock").clone()
    }

    /// Revokes `token`: checks answer 401 for it.
    pub fn revoke(&self, token: &str) {
        self.state
            .revoked
            .lock()
            .expect("lock")
            .insert(token.to_owned());
    }

    /// Makes checks refuse (401) every token, issued or to come.
    pub fn refuse_every_token(&self, refuse: bool) {
        self.state
            .refuse_every_token
            .store(refuse, Ordering::SeqCst);
    }

    /// Makes later checks answer `status` (Getty's body for it) whatever the token, or verify
    /// it again (`None`).
    pub fn set_check_status(&self, status: Option<u16>) {
        *self.state.check_status.lock().expect("lock") = status;
    }

    /// Changes how long later checks take.
    pub fn set_check_delay(&self, delay: Duration) {
        *self.state.check_delay.lock().expect("lock") = delay;
    }
}

/// `GET /v3/countries`: 200 for a token this fake issued and did not revoke (with the right
/// key), 401 for any other, or the status forced by [`FakeUpstream::set_check_status`].
async fn fake_check(State(state): State<Arc<UpstreamState>>, headers: HeaderMap) -> Response {
    state.checks.fetch_add(1, Ordering::SeqCst);
    let token = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_owned();
    state.checked.lock().expect("lock").push(token.clone());
    let delay = *state.check_delay.lock().expect("lock");
    tokio::time::sleep(delay).await;
    let forced = *state.check_status.lock().expect("lock");
    if let Some(status) = forced {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let message = if status == StatusCode::TOO_MANY_REQUESTS {
            "Account Over Queries Per Second Limit"
        } else {
            status.canonical_reason().unwrap_or("Error")
        };
        return (status, axum::Json(json!({ "message": message }))).into_response();
    }
    if headers.get("api-key").map(|key| key.as_bytes()) != Some(API_KEY.as_bytes()) {
        return (
            StatusCode::FORBIDDEN,
            axum::Json(json!({"message": "Forbidden"})),
        )
            .into_response();
    }
    let valid = token.starts_with(ACCESS_PREFIX)
        && !state.refuse_every_token.load(Ordering::SeqCst)
        && !state.revoked.lock().expect("lock").contains(&token);
    if valid {
        axum::Json(
            json!({"countries": [{"iso_alpha_2": "DE", "iso_alpha_3": "DEU", "name": "Germany"}]}),
        )
        .into_response()
    } else {
        (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", r#"Bearer error="invalid_token""#)],
            axum::Json(json!({"message": "Unauthorized"})),
        )
            .into_response()
    }
}

/// The value of `name` in a decoded form.
pub fn field(form: &[(String, String)], name: &str) -> Option<String> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

async fn fake_token(State(state): State<Arc<UpstreamState>>, body: String) -> Response {
    let n = state.calls.fetch_add(1, Ordering::SeqCst) + 1;
    let form: Vec<(String, String)> = serde_urlencoded::from_str(&body).unwrap_or_default();
    let grant = field(&form, "grant_type").unwrap_or_default();
    state.forms.lock().expect("lock").push(form);
    let delay = *state.delay.lock().expect("lock");
    tokio::time::sleep(delay).await;
    if grant == "refresh_token" && state.reject_refresh.load(Ordering::SeqCst) {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    let answer = state.answer.lock().expect("lock").clone();
    match answer {
        Answer::Token(expires_in) => {
            let mut token = json!({
                "access_token": format!("{ACCESS_PREFIX}{n}"),
                "token_type": "Bearer",
                "expires_in": expires_in,
            });
            if grant != "client_credentials" && !state.no_refresh_tokens.load(Ordering::SeqCst) {
                token["refresh_token"] = json!(format!("{REFRESH_PREFIX}{n}"));
            }
            axum::Json(token).into_response()
        }
        Answer::Status(status) => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            format!("upstream exploded; client_secret={SECRET}"),
        )
            .into_response(),
        Answer::Malformed => (
            [("content-type", "application/json")],
            format!("{{\"oops\": \"{SECRET}\""),
        )
            .into_response(),
        Answer::NoAccessToken => {
            axum::Json(json!({"token_type": "Bearer", "expires_in": 1800, "note": SECRET}))
                .into_response()
        }
        Answer::Raw {
            status,
            headers,
            body,
        } => {
            let mut response = (
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                [("content-type", "application/json")],
                body,
            )
                .into_response();
            for (name, value) in headers {
                if let Ok(value) = value.parse() {
                    response.headers_mut().insert(name, value);
                }
            }
            response
        }
    }
}

/// A backend using `upstream` with client credentials (or the password grant, if `configure`
/// sets a user); anonymous tokens are allowed unless `configure` sets up authentication.
pub async fn backend(
    upstream: &FakeUpstream,
    configure: impl FnOnce(&mut Config),
) -> RunningServer {
    let mut config = Config::upstream(&upstream.url, API_KEY, SECRET);
    config.api_base = upstream.api_base.clone();
    config.allow_anonymous_tokens = true;
    configure(&mut config);
    start(config).await.expect("backend starts")
}

/// Configures the password grant with [`PASSWORD`].
pub fn password_grant(config: &mut Config) {
    config.username = Some("editor@example.com".into());
    config.password = Some(getty_picker_server::config::Secret::new(PASSWORD));
}

/// Waits (at most 10 s) until `upstream` has had `calls` token calls; background renewals end
/// a moment after the answer that started them.
pub async fn wait_for_calls(upstream: &FakeUpstream, calls: u64) {
    for _ in 0..200 {
        if upstream.calls() >= calls {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("expected {calls} token calls, saw {}", upstream.calls());
}

/// `POST /token` (with `query` appended), checking the secret is not in the answer.
pub async fn post_token(
    client: &reqwest::Client,
    addr: SocketAddr,
    query: &str,
) -> (StatusCode, Value) {
    let response = client
        .post(format!("http://{addr}/token{query}"))
        .send()
        .await
        .expect("request");
    let status = StatusCode::from_u16(response.status().as_u16()).expect("status");
    let text = response.text().await.expect("body");
    assert!(!text.contains(SECRET), "secret leaked: {text}");
    assert!(
        !text.contains(REFRESH_PREFIX),
        "refresh token leaked: {text}"
    );
    (status, serde_json::from_str(&text).expect("json body"))
}

/// A fake forward-auth service, counting its calls and recording the cookies it saw.
#[derive(Clone)]
pub struct FakeAuth {
    /// Accepts [`GOOD_SESSION`] or `Authorization: Bearer editor` (with `license`),
    /// [`SEARCH_SESSION`], [`LICENSE_SESSION`] and [`ODD_SCOPE_SESSION`] with their scope
    /// headers, [`NO_SCOPE_SESSION`] without one; redirects `session=expired` to a login page;
    /// else 401.
    pub url: String,
    /// Always answers 500.
    pub broken_url: String,
    calls: Arc<AtomicU64>,
    cookies: Arc<Mutex<Vec<String>>>,
}

impl FakeAuth {
    /// Starts the service on loopback.
    pub async fn start() -> Self {
        let calls = Arc::new(AtomicU64::new(0));
        let cookies = Arc::new(Mutex::new(Vec::new()));
        let state = (calls.clone(), cookies.clone());
        let app = Router::new()
            .route("/auth", get(fake_auth))
            .route(
                "/broken",
                get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
            )
            .route("/login", get(|| async { "please log in" }))
            .with_state(state);
        let addr = serve(app).await;
        Self {
            url: format!("http://{addr}/auth"),
            broken_url: format!("http://{addr}/broken"),
            calls,
            cookies,
        }
    }

    /// Number of checks so far.
    pub fn calls(&self) -> u64 {
        self.calls.load(Ordering::SeqCst)
    }

    /// The `Cookie` headers seen so far.
    pub fn cookies(&self) -> Vec<String> {
        self.cookies.lock().expect("lock").clone()
    }
}

type AuthState = (Arc<AtomicU64>, Arc<Mutex<Vec<String>>>);

async fn fake_auth(State((calls, cookies)): State<AuthState>, headers: HeaderMap) -> Response {
    calls.fetch_add(1, Ordering::SeqCst);
    let cookie = headers
        .get("cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    cookies.lock().expect("lock").push(cookie.clone());
    let bearer = headers
        .get("authorization")
        .is_some_and(|a| a.as_bytes() == b"Bearer editor");
    let scoped = [
        (SEARCH_SESSION, "search"),
        (LICENSE_SESSION, "license"),
        (ODD_SCOPE_SESSION, "admin"),
    ]
    .into_iter()
    .find(|(session, _)| cookie.contains(&format!("session={session}")));
    if let Some((_, scope)) = scoped {
        (StatusCode::NO_CONTENT, [("x-getty-picker-scope", scope)]).into_response()
    } else if cookie.contains(&format!("session={GOOD_SESSION}")) || bearer {
        (
            StatusCode::NO_CONTENT,
            [("x-getty-picker-scope", "license")],
        )
            .into_response()
    } else if cookie.contains(&format!("session={NO_SCOPE_SESSION}")) {
        StatusCode::NO_CONTENT.into_response()
    } else if cookie.contains("session=expired") {
        Redirect::to("/login").into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}
