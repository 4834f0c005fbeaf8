//! Sandbox errors, answered in the shapes Getty's own API uses.

use axum::http::header::WWW_AUTHENTICATE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Everything the fake Getty API can refuse.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// No `Api-Key` header.
    #[error("no Api-Key header")]
    MissingApiKey,
    /// An `Api-Key` other than the sandbox's.
    #[error("unknown Api-Key")]
    UnknownApiKey,
    /// No bearer token.
    #[error("no bearer token")]
    MissingToken,
    /// A bearer token the sandbox did not issue, or one that expired.
    #[error("invalid or expired bearer token")]
    InvalidToken,
    /// A query parameter is missing or out of range.
    #[error("{0}")]
    InvalidParameter(String),
    /// The image does not offer the requested product type.
    #[error("image {id} cannot be downloaded with product type {product_type}")]
    NotEntitled {
        /// The image id.
        id: String,
        /// The requested product type.
        product_type: String,
    },
    /// No such image.
    #[error("image {0} not found")]
    ImageNotFound(String),
    /// A rendition or delivery URI whose signature is missing or does not match.
    #[error("invalid signature")]
    BadSignature,
    /// A delivery link past its expiry.
    #[error("link expired")]
    LinkExpired,
    /// The `Host` header is missing or unusable for building absolute URIs.
    #[error("missing or invalid Host header")]
    BadHost,
    /// An OAuth error from `/oauth2/token`.
    #[error("{description}")]
    OAuth {
        /// HTTP status.
        status: StatusCode,
        /// OAuth error code, e.g. `invalid_client`.
        error: &'static str,
        /// Human-readable explanation.
        description: &'static str,
    },
    /// Randomness or image encoding failed.
    #[error("internal error")]
    Internal,
}

impl IntoResponse for SandboxError {
    fn into_response(self) -> Response {
        let message = self.to_string();
        match self {
            Self::MissingApiKey => (
                StatusCode::UNAUTHORIZED,
                Json(json!({"message": "Unauthorized"})),
            )
                .into_response(),
            Self::UnknownApiKey => (
                StatusCode::FORBIDDEN,
                Json(json!({"message": "Developer Inactive"})),
            )
                .into_response(),
            Self::MissingToken => (
                StatusCode::UNAUTHORIZED,
                [(WWW_AUTHENTICATE, "Bearer")],
                Json(json!({"message": "Unauthorized"})),
            )
                .into_response(),
            Self::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                [(WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#)],
                Json(json!({"message": "Authorization has been denied for this request."})),
            )
                .into_response(),
            Self::InvalidParameter(_) | Self::BadHost => (
                StatusCode::BAD_REQUEST,
                Json(json!({"ErrorCode": "InvalidParameterValue", "ErrorMessage": message})),
            )
                .into_response(),
            Self::NotEntitled { .. } => (
                StatusCode::FORBIDDEN,
                Json(json!({"ErrorCode": "InvalidProduct", "ErrorMessage": message})),
            )
                .into_response(),
            Self::ImageNotFound(_) => (
                StatusCode::NOT_FOUND,
                Json(json!({"code": "ImageNotFound", "message": message})),
            )
                .into_response(),
            Self::BadSignature => (
                StatusCode::FORBIDDEN,
                Json(json!({"message": "Invalid signature"})),
            )
                .into_response(),
            Self::LinkExpired => (
                StatusCode::FORBIDDEN,
                Json(json!({"message": "Request has expired"})),
            )
                .into_response(),
            Self::OAuth {
                status,
                error,
                description,
            } => (
                status,
                Json(json!({"error": error, "error_description": description})),
            )
                .into_response(),
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        }
    }
}
