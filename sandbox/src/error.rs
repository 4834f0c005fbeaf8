//! Sandbox errors, answered in the shapes Getty's own API uses.

use axum::http::header::WWW_AUTHENTICATE;
use axum::http::{HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Header Getty's API gateway explains a 429 with.
const ERROR_DETAIL: HeaderName = HeaderName::from_static("x-error-detail");

/// Everything the fake Getty API can refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
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
    /// A parameter the endpoint does not take, or a value it does not know.
    #[error("{0}")]
    InvalidParameter(String),
    /// A required query parameter is missing (named in the message).
    #[error("{0}")]
    MissingParameter(String),
    /// A client-credentials token where Getty needs a user (password or refresh grant) token.
    #[error(
        "This operation requires a user token (resource owner grant); this token has no user."
    )]
    UserTokenRequired,
    /// The product has no downloads left in this period.
    #[error("Product {0} has no downloads left in this period.")]
    OverageLimitReached(u32),
    /// The product requires a `project_code` and the body had none.
    #[error("Product {0} requires a project_code in the request body.")]
    ProjectCodeRequired(u32),
    /// A `project_code` the product does not list.
    #[error("{code:?} is not a project code of product {product_id}.")]
    InvalidProjectCode {
        /// The product charged.
        product_id: u32,
        /// The code sent.
        code: String,
    },
    /// The product requires `download_notes` and the body had none.
    #[error("Product {0} requires download_notes in the request body.")]
    DownloadNotesRequired(u32),
    /// A search asked for display sizes (named) the API key may not use.
    #[error("This API key is not authorized for the display size(s): {0}.")]
    UnauthorizedDisplaySize(String),
    /// A path the API gateway does not know (it answers before any authentication).
    #[error("Missing Authentication Token")]
    UnknownPath,
    /// Over the account's queries-per-second limit, as the gateway answers it.
    #[error("Account Over Queries Per Second Limit")]
    Throttled,
    /// A request body that is not `application/json`.
    #[error("The request body must be application/json.")]
    UnsupportedMediaType,
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
    /// An editorial image asked for its series: Getty keeps series of creative images only.
    #[error("image {0} is editorial: same-series finds creative images only")]
    NoSeries(String),
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
            // The gateway answers unknown keys before the API sees them.
            Self::UnknownApiKey => {
                (StatusCode::FORBIDDEN, Json(json!({"message": "Forbidden"}))).into_response()
            }
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
            Self::MissingParameter(_) => getty_error(
                StatusCode::BAD_REQUEST,
                "MissingRequiredQueryParameters",
                message,
            ),
            Self::UserTokenRequired => {
                getty_error(StatusCode::FORBIDDEN, "UserTokenRequired", message)
            }
            Self::OverageLimitReached(_) => {
                getty_error(StatusCode::FORBIDDEN, "OverageLimitReached", message)
            }
            Self::ProjectCodeRequired(_) => {
                getty_error(StatusCode::BAD_REQUEST, "ProjectCodeRequired", message)
            }
            Self::InvalidProjectCode { .. } => {
                getty_error(StatusCode::BAD_REQUEST, "InvalidProjectCode", message)
            }
            Self::DownloadNotesRequired(_) => {
                getty_error(StatusCode::BAD_REQUEST, "DownloadNotesRequired", message)
            }
            Self::UnauthorizedDisplaySize(_) => {
                getty_error(StatusCode::FORBIDDEN, "UnauthorizedDisplaySize", message)
            }
            Self::UnknownPath => {
                (StatusCode::FORBIDDEN, Json(json!({"message": message}))).into_response()
            }
            // Getty's gateway explains a 429 in a header too, and sends no Retry-After.
            Self::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                [(ERROR_DETAIL, message.as_str())],
                Json(json!({"message": message})),
            )
                .into_response(),
            Self::UnsupportedMediaType => getty_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UnsupportedMediaType",
                message,
            ),
            Self::NotEntitled { .. } => (
                StatusCode::FORBIDDEN,
                Json(json!({"ErrorCode": "InvalidProduct", "ErrorMessage": message})),
            )
                .into_response(),
            Self::ImageNotFound(_) | Self::NoSeries(_) => (
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

/// Getty's usual error body: `{"ErrorCode", "ErrorMessage"}`.
fn getty_error(status: StatusCode, code: &str, message: String) -> Response {
    (
        status,
        Json(json!({"ErrorCode": code, "ErrorMessage": message})),
    )
        .into_response()
}
