//! Optional forward-auth (like nginx `auth_request` or Traefik ForwardAuth): the CMS decides who
//! may get a token.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ErrorBody;

/// The auth service asked about each token request.
#[derive(Debug, Clone)]
pub struct ForwardAuth {
    http: reqwest::Client,
    url: String,
}

/// Why forward-auth refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The auth service answered 401: the caller is not logged in.
    #[error("log in to the CMS to use the image picker")]
    NotAuthenticated,
    /// The auth service answered another non-2xx status (403, a redirect to a login page...).
    #[error("this account may not use the image picker")]
    Forbidden,
    /// The auth service could not be reached, timed out or answered 5xx.
    #[error("the login check is unavailable; try again later")]
    Unavailable,
}

impl IntoResponse for AuthError {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Self::NotAuthenticated => (StatusCode::UNAUTHORIZED, "not_authenticated"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "not_authorized"),
            Self::Unavailable => (StatusCode::BAD_GATEWAY, "auth_unavailable"),
        };
        ErrorBody {
            error,
            message: self.to_string(),
        }
        .into_response_with(status)
    }
}

impl ForwardAuth {
    /// Asks `url` through `http`, which must not follow redirects.
    pub fn new(http: reqwest::Client, url: String) -> Self {
        Self { http, url }
    }

    /// Asks the auth service whether the caller sending `headers` may get a token.
    pub async fn check(&self, headers: &HeaderMap) -> Result<(), AuthError> {
        let mut ask = self.http.get(&self.url);
        // Only the credentials: other headers (Host, Content-Length...) describe our request, not the caller.
        for name in [COOKIE, AUTHORIZATION] {
            for value in headers.get_all(&name) {
                ask = ask.header(&name, value);
            }
        }
        let status = ask
            .send()
            .await
            .map_err(|error| {
                tracing::warn!(error = %error.without_url(), "forward-auth request failed");
                AuthError::Unavailable
            })?
            .status();
        match status.as_u16() {
            200..=299 => Ok(()),
            401 => Err(AuthError::NotAuthenticated),
            500..=599 => {
                tracing::warn!(%status, "forward-auth service failed");
                Err(AuthError::Unavailable)
            }
            _ => Err(AuthError::Forbidden),
        }
    }
}

/// Middleware: with forward-auth configured, lets through only callers the auth service accepts.
pub async fn require(
    State(auth): State<Option<Arc<ForwardAuth>>>,
    request: Request,
    next: Next,
) -> Result<Response, AuthError> {
    if let Some(auth) = auth {
        if let Err(refused) = auth.check(request.headers()).await {
            tracing::info!(reason = ?refused, "forward-auth refused a token request");
            return Err(refused);
        }
    }
    Ok(next.run(request).await)
}
