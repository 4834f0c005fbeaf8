//! Errors of the backend's own endpoints and of server start-up.

use std::io;
use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::config::ConfigError;

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
    /// The operating system's random source failed.
    #[error("cannot generate the sandbox secret: {0}")]
    Random(getrandom::Error),
}

/// The JSON body of every error the backend itself (not the sandbox) answers.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    /// A stable machine-readable code.
    pub error: &'static str,
    /// Human-readable explanation.
    pub message: String,
}

impl ErrorBody {
    /// Builds a response with this body and the given status.
    pub fn into_response_with(self, status: StatusCode) -> Response {
        (status, Json(self)).into_response()
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

impl IntoResponse for RouteError {
    fn into_response(self) -> Response {
        let (status, error) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        };
        ErrorBody {
            error,
            message: self.to_string(),
        }
        .into_response_with(status)
    }
}

/// Fallback for unknown paths.
pub async fn not_found() -> RouteError {
    RouteError::NotFound
}

/// Fallback for known paths called with the wrong method.
pub async fn method_not_allowed() -> RouteError {
    RouteError::MethodNotAllowed
}
