//! Liveness and readiness probes.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

pub use crate::settings::Mode;
use crate::token::{TokenRequest, Tokens};
use crate::upstream::OAuthError;

/// What the start-up log and `/readyz` say when tokens have no Getty user behind them.
pub const SEARCH_ONLY_WARNING: &str =
    "search only: downloads need GETTY_USERNAME and GETTY_PASSWORD";

/// What readiness depends on.
#[derive(Clone)]
pub enum Readiness {
    /// The sandbox issues its own tokens, so the process being up is enough.
    /// Whether its tokens are client-credentials ones (`--sandbox-search-only`).
    Sandbox(Mode),
    /// Ready when a Getty token can be had (from the cache, or fetched now); degraded while
    /// a cached token is served after its renewal failed.
    Upstream(Arc<Tokens>),
}

/// The body of every `/readyz` answer.
#[derive(Debug, Serialize)]
struct ReadyBody {
    /// `ready`, `degraded` (tokens are served, but their renewal failed) or `not_ready`.
    status: &'static str,
    mode: Mode,
    /// [`SEARCH_ONLY_WARNING`] in search-only mode, so a probe's output says what to configure.
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<&'static str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sandbox: bool,
    /// The token error's code when not ready or degraded.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
    /// The OAuth code when Getty refused the credentials.
    #[serde(skip_serializing_if = "Option::is_none")]
    oauth_error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl ReadyBody {
    fn ready(mode: Mode, sandbox: bool) -> Self {
        Self {
            status: "ready",
            mode,
            warning: (mode == Mode::SearchOnly).then_some(SEARCH_ONLY_WARNING),
            sandbox,
            error: None,
            oauth_error: None,
            message: None,
        }
    }
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: `200` when a token can be had (`degraded`, with the reason, while the cached
/// one is served after a failed renewal), else `503` with the token error's code; all say
/// whether the backend is search only.
///
/// Goes through the token cache, so probes cost no upstream call while a token is cached (and
/// never wait for a renewal then), and at most one per failure backoff while upstream fails.
pub async fn readyz(State(readiness): State<Readiness>) -> Response {
    let tokens = match readiness {
        Readiness::Sandbox(mode) => return Json(ReadyBody::ready(mode, true)).into_response(),
        Readiness::Upstream(tokens) => tokens,
    };
    let mode = tokens.mode();
    // A probe claims nothing, so whose address it is does not matter.
    let probe = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    match tokens.user().token(&TokenRequest::Current, probe).await {
        Ok(_) => match tokens.degraded() {
            None => Json(ReadyBody::ready(mode, false)).into_response(),
            Some(error) => Json(ReadyBody {
                status: "degraded",
                error: Some(error.code()),
                oauth_error: error.oauth_error().map(OAuthError::code),
                message: Some(error.to_string()),
                ..ReadyBody::ready(mode, false)
            })
            .into_response(),
        },
        Err(error) => {
            let body = ReadyBody {
                status: "not_ready",
                error: Some(error.code()),
                oauth_error: error.oauth_error().map(OAuthError::code),
                message: Some(error.to_string()),
                ..ReadyBody::ready(mode, false)
            };
            let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response();
            if let Some(secs) = error.retry_after() {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(secs));
            }
            response
        }
    }
}
