//! Request bodies: at most 64 KiB, fully read before any handler runs, within a time limit.
//!
//! Checking `Content-Length` alone lets chunked bodies through, and a handler that never reads
//! its body (like `/token`) never trips a lazy limit; reading every body up front closes both.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::LengthLimitError;

use crate::error::{ApiError, HttpError};

/// Largest request body accepted; no endpoint needs more than a small form.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why a request body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Over [`BODY_LIMIT`], announced or chunked.
    #[error("request bodies are limited to 64 KiB")]
    TooLarge,
    /// Not fully received within the header timeout.
    #[error("the request body did not arrive in time")]
    TooSlow,
    /// Broken framing (bad chunk sizes) or the client hung up.
    #[error("the request body could not be read")]
    Unreadable,
}

impl HttpError for BodyError {
    fn status(&self) -> StatusCode {
        match self {
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooSlow => StatusCode::REQUEST_TIMEOUT,
            Self::Unreadable => StatusCode::BAD_REQUEST,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::TooLarge => "payload_too_large",
            Self::TooSlow => "request_timeout",
            Self::Unreadable => "bad_request",
        }
    }
}

/// Middleware: reads the whole body (within `timeout`) and refuses it over [`BODY_LIMIT`].
pub async fn limit(
    State(timeout): State<Duration>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let announced = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > BODY_LIMIT as u64) {
        return Err(BodyError::TooLarge.into());
    }
    let (parts, body) = request.into_parts();
    let bytes = tokio::time::timeout(timeout, axum::body::to_bytes(body, BODY_LIMIT))
        .await
        .map_err(|_| BodyError::TooSlow)?
        .map_err(|error| {
            let too_large = std::error::Error::source(&error)
                .is_some_and(|source| source.is::<LengthLimitError>());
            if too_large {
                BodyError::TooLarge
            } else {
                BodyError::Unreadable
            }
        })?;
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}
