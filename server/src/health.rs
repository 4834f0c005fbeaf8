//! Liveness and readiness probes.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::ErrorBody;
use crate::token::{TokenClient, TokenRequest};

/// What readiness depends on.
#[derive(Clone)]
pub enum Readiness {
    /// The sandbox issues its own tokens, so the process being up is enough.
    Sandbox,
    /// Ready when a Getty token can be had (from the cache, or fetched now).
    Upstream(Arc<TokenClient>),
}

/// `GET /healthz`: the process is up.
pub async fn healthz() -> &'static str {
    "ok"
}

/// `GET /readyz`: `200` when a token can be had, else `503` with the token error's code.
///
/// Goes through the token cache, so probes cost no upstream call while a token is cached, and
/// at most one per failure backoff while upstream fails.
pub async fn readyz(State(readiness): State<Readiness>) -> Response {
    let Readiness::Upstream(tokens) = readiness else {
        return Json(json!({"status": "ready", "sandbox": true})).into_response();
    };
    match tokens.token(&TokenRequest::Current).await {
        Ok(_) => Json(json!({"status": "ready"})).into_response(),
        Err(error) => ErrorBody {
            error: error.code(),
            message: error.to_string(),
        }
        .into_response_with(StatusCode::SERVICE_UNAVAILABLE),
    }
}
