//! Errors of server start-up, and every error the backend's own endpoints answer: one
//! [`HttpError`] trait, one [`ApiError`] with one answer and one log line per refusal.

use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};

use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::config::ConfigError;
use crate::guards::authn::AuthRefusal;
use crate::guards::body_limit::BodyError;
use crate::guards::origin::OriginNotAllowed;
use crate::guards::rate_limit::RateLimited;
use crate::ticket::TicketError;
use crate::upstream::TokenError;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is unusable.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address from the configuration.
        addr: SocketAddr,
        /// The operating system's reason.
        source: io::Error,
    },
    /// The HTTP client for the token endpoint could not be built.
    #[error("cannot build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
    /// The operating system's random source failed (for the sandbox's secrets or the key of
    /// the credentials' hashes).
    #[error("cannot draw a random key: {0}")]
    Random(getrandom::Error),
}

/// The JSON body of every error the backend itself (not the sandbox) answers.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// A stable machine-readable code.
    pub error: &'static str,
    /// RFC 6749's code when Getty's token endpoint refused (`unknown` when it gave none we know).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<&'static str>,
    /// Human-readable explanation.
    pub message: String,
}

/// What the backend answers for an error of its own: the status, the stable code and the
/// message (the error's `Display`), and where they apply an OAuth code and `Retry-After`.
pub trait HttpError: fmt::Display {
    /// The HTTP status of the answer.
    fn status(&self) -> StatusCode;
    /// The stable code clients can match on (`error` in the body).
    fn code(&self) -> &'static str;
    /// The OAuth error code of a refusal by Getty's token endpoint.
    fn oauth_error(&self) -> Option<&'static str> {
        None
    }
    /// Seconds the client should wait (`Retry-After`).
    fn retry_after(&self) -> Option<u64> {
        None
    }
}

/// Every error the backend answers itself: routing, the guards' refusals, and token failures.
/// One answer ([`ErrorBody`], status, `Retry-After`) and one log line per refusal, here.
#[derive(Debug)]
pub enum ApiError {
    /// No route serves the request.
    Route(RouteError),
    /// A static path that must never be served (dotfiles, `//`, links out of the served
    /// directory); answered like any missing file.
    HiddenPath,
    /// The request body is too large, too slow or unreadable.
    Body(BodyError),
    /// The request's `Origin` may not ask for tokens.
    Origin(OriginNotAllowed),
    /// Authentication refused the caller.
    Auth(AuthRefusal),
    /// The client used up its allowance.
    RateLimited {
        /// The client's rate-limit key.
        client: IpAddr,
        /// When it may ask again.
        limited: RateLimited,
        /// The authentication refusal that was counted, when the refusals' allowance ran out.
        refusal: Option<AuthRefusal>,
    },
    /// No token could be had from Getty.
    Token(TokenError),
}

impl ApiError {
    /// The error the answer describes.
    fn error(&self) -> &dyn HttpError {
        match self {
            Self::Route(error) => error,
            Self::HiddenPath => &RouteError::NotFound,
            Self::Body(error) => error,
            Self::Origin(error) => error,
            Self::Auth(refusal) => refusal,
            Self::RateLimited { limited, .. } => limited,
            Self::Token(error) => error,
        }
    }

    /// Logs a refusal (never a credential); routing errors, bodies and token failures are not
    /// refusals of the caller (token failures are logged where upstream answered).
    fn log(&self) {
        match self {
            Self::Route(_) | Self::Body(_) | Self::Token(_) => {}
            Self::HiddenPath => tracing::info!("refused a static path outside the served files"),
            Self::Origin(_) => tracing::info!("refused a token request from a foreign origin"),
            Self::Auth(refusal) => log_auth_refusal(refusal),
            Self::RateLimited {
                client,
                limited,
                refusal: None,
            } => {
                tracing::info!(%client, retry_after = limited.retry_after, "rate limited a token request");
            }
            Self::RateLimited {
                client,
                limited,
                refusal: Some(refusal),
            } => {
                log_auth_refusal(refusal);
                tracing::info!(%client, retry_after = limited.retry_after, "rate limited refused token requests");
            }
        }
    }
}

/// The log line of an authentication refusal: its reason, never the ticket or the cookies.
fn log_auth_refusal(refusal: &AuthRefusal) {
    match refusal {
        AuthRefusal::Ticket(TicketError::Missing) => {
            tracing::info!("refused a token request without a ticket");
        }
        AuthRefusal::Ticket(reason) => {
            tracing::info!(reason = ?reason, "refused a token request's ticket");
        }
        AuthRefusal::Forward(reason) => {
            tracing::info!(reason = ?reason, "forward-auth refused a token request");
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let error = self.error();
        let body = ErrorBody {
            error: error.code(),
            oauth_error: error.oauth_error(),
            message: error.to_string(),
        };
        let mut response = (error.status(), Json(body)).into_response();
        if let Some(secs) = error.retry_after() {
            response
                .headers_mut()
                .insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl From<RouteError> for ApiError {
    fn from(error: RouteError) -> Self {
        Self::Route(error)
    }
}

impl From<BodyError> for ApiError {
    fn from(error: BodyError) -> Self {
        Self::Body(error)
    }
}

impl From<OriginNotAllowed> for ApiError {
    fn from(error: OriginNotAllowed) -> Self {
        Self::Origin(error)
    }
}

impl From<AuthRefusal> for ApiError {
    fn from(refusal: AuthRefusal) -> Self {
        Self::Auth(refusal)
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        Self::Token(error)
    }
}

/// Requests no route serves; JSON like every other error of the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// No endpoint at this path.
    #[error("no such endpoint")]
    NotFound,
    /// The endpoint exists but not for this method.
    #[error("this endpoint does not accept this method")]
    MethodNotAllowed,
}

impl HttpError for RouteError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
        }
    }
}

/// Fallback for unknown paths.
pub async fn not_found() -> ApiError {
    RouteError::NotFound.into()
}

/// Fallback for known paths called with the wrong method.
pub async fn method_not_allowed() -> ApiError {
    RouteError::MethodNotAllowed.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upstream::{GrantKind, OAuthError};

    /// The status, `Retry-After` and body bytes of an answer.
    async fn answer(error: ApiError) -> (u16, Option<String>, String) {
        let response = error.into_response();
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .unwrap_or_default();
        (status, retry_after, body)
    }

    #[tokio::test]
    async fn one_answer_for_every_error() {
        assert_eq!(
            answer(RouteError::NotFound.into()).await,
            (
                404,
                None,
                r#"{"error":"not_found","message":"no such endpoint"}"#.into()
            )
        );
        assert_eq!(
            answer(ApiError::HiddenPath).await,
            answer(RouteError::NotFound.into()).await
        );
        assert_eq!(
            answer(ApiError::RateLimited {
                client: IpAddr::from([192, 0, 2, 1]),
                limited: RateLimited { retry_after: 7 },
                refusal: Some(AuthRefusal::Ticket(TicketError::Expired)),
            })
            .await,
            (
                429,
                Some("7".into()),
                r#"{"error":"rate_limited","message":"too many token requests; retry in 7 s"}"#
                    .into()
            )
        );
        let (status, retry_after, body) = answer(
            TokenError::Refused {
                status: 401,
                oauth_error: OAuthError::InvalidClient,
                grant: GrantKind::Password,
            }
            .into(),
        )
        .await;
        assert_eq!((status, retry_after), (502, None));
        assert!(
            body.starts_with(
                r#"{"error":"upstream_refused","oauth_error":"invalid_client","message":"#
            ),
            "{body}"
        );
        assert_eq!(
            answer(TokenError::LoginsLimited { retry_after: 20 }.into())
                .await
                .1,
            Some("20".into())
        );
    }
}
