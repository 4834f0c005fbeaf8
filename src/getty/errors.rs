//! Everything that can go wrong talking to Getty or the token backend, as one error type, and
//! which of the services the picker talks to an error came from.

use std::fmt;

use serde::Deserialize;
use thiserror::Error;

use super::lenient;

/// An error body in any of the shapes Getty uses (`ErrorMessage`, `message`, `error_description`);
/// every field is optional, so a body of any other shape reads as one with none.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ErrorBody {
    /// Getty's v3 shape: `{"ErrorCode": ..., "ErrorMessage": ...}`.
    #[serde(default, rename = "ErrorCode", deserialize_with = "lenient::text")]
    pub error_code: Option<String>,
    /// Getty's v3 shape, human text.
    #[serde(default, rename = "ErrorMessage", deserialize_with = "lenient::text")]
    pub error_message: Option<String>,
    /// `{"code": "ImageNotFound", "message": ...}` and the gateway's `{"message": ...}`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub code: Option<String>,
    /// See `code`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub message: Option<String>,
    /// OAuth's and the token backend's `{"error": ..., "error_description"|"message": ...}`.
    #[serde(default, deserialize_with = "lenient::text")]
    pub error: Option<String>,
    /// OAuth's human text.
    #[serde(default, deserialize_with = "lenient::text")]
    pub error_description: Option<String>,
}

impl ErrorBody {
    /// The human message, whichever field carries it.
    pub fn message(&self) -> Option<&str> {
        self.error_message
            .as_deref()
            .or(self.message.as_deref())
            .or(self.error_description.as_deref())
    }

    /// The machine-readable code, whichever field carries it.
    pub fn code(&self) -> Option<&str> {
        self.error_code
            .as_deref()
            .or(self.code.as_deref())
            .or(self.error.as_deref())
    }
}

/// A service the picker sends requests to: where a network or decoding error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// Getty's API.
    Getty,
    /// The token backend (`data-token-url`).
    TokenService,
    /// The host's library (`data-library-url`).
    HostLibrary,
    /// A locale file of the release folder.
    LocaleFile,
}

impl Service {
    /// The service's name in English messages and console warnings (the UI's own texts name it
    /// through `Strings::error`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Getty => "Getty Images",
            Self::TokenService => "the token service",
            Self::HostLibrary => "the host's library",
            Self::LocaleFile => "the locale file",
        }
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What went wrong, with a message fit to show an editor.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// The server answered with an error status.
    #[error("{message} (HTTP {status})")]
    Status {
        /// HTTP status.
        status: u16,
        /// Getty's error code, if any.
        code: Option<String>,
        /// Getty's message, or the status text.
        message: String,
    },
    /// The request did not get an answer (network down, CORS refusal, server unreachable).
    #[error("could not reach {service}: {detail}")]
    Network {
        /// Which service.
        service: Service,
        /// What the browser said.
        detail: String,
    },
    /// The answer came but could not be read.
    #[error("{service} sent an answer the picker cannot read ({detail})")]
    Malformed {
        /// Which service.
        service: Service,
        /// What was wrong with it.
        detail: String,
    },
    /// A URL from the API points somewhere the picker will not send a token or navigate to.
    #[error("refused to use an unsafe link: {0}")]
    UnsafeUrl(String),
    /// Getty downloads only with a user's token, and the token service has no user configured.
    #[error(
        "downloads need a Getty user: set GETTY_USERNAME and GETTY_PASSWORD on the token service"
    )]
    SearchOnly,
}

impl ApiError {
    /// An error for a non-2xx answer, reading the message from whichever body shape Getty used.
    pub fn from_status(status: u16, status_text: &str, body: Option<ErrorBody>) -> Self {
        let body = body.unwrap_or_default();
        if body.code() == Some("UserTokenRequired") {
            return Self::SearchOnly;
        }
        let message = body
            .message()
            .map(str::to_owned)
            .or_else(|| (!status_text.trim().is_empty()).then(|| status_text.trim().to_owned()))
            .unwrap_or_else(|| default_status_text(status).to_owned());
        Self::Status {
            status,
            code: body.code().map(str::to_owned),
            message,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Fallback text when neither the body nor the browser gives a status text (HTTP/2 has none).
fn default_status_text(status: u16) -> &'static str {
    match status {
        400 => "Bad request",
        401 => "Not signed in to Getty Images",
        403 => "Not allowed",
        404 => "Not found",
        429 => "Too many requests, try again shortly",
        500..=599 => "Getty Images had a problem",
        _ => "Request failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> Option<ErrorBody> {
        Some(serde_json::from_str(json).expect("test JSON"))
    }

    #[test]
    fn reads_every_body_shape() {
        let v3 = ApiError::from_status(
            400,
            "Bad Request",
            body(
                r#"{"ErrorCode":"InvalidParameterValue","ErrorMessage":"product_type is required"}"#,
            ),
        );
        assert_eq!(
            v3,
            ApiError::Status {
                status: 400,
                code: Some("InvalidParameterValue".into()),
                message: "product_type is required".into()
            }
        );
        let not_found = ApiError::from_status(
            404,
            "",
            body(r#"{"code":"ImageNotFound","message":"Image 1 not found"}"#),
        );
        assert_eq!(not_found.to_string(), "Image 1 not found (HTTP 404)");
        let gateway =
            ApiError::from_status(401, "Unauthorized", body(r#"{"message":"Unauthorized"}"#));
        assert_eq!(gateway.to_string(), "Unauthorized (HTTP 401)");
        let oauth = ApiError::from_status(
            400,
            "",
            body(r#"{"error":"invalid_client","error_description":"Bad key"}"#),
        );
        assert_eq!(oauth.to_string(), "Bad key (HTTP 400)");
    }

    #[test]
    fn a_client_credentials_token_refused_for_a_download_means_search_only() {
        let refused = ApiError::from_status(
            403,
            "Forbidden",
            body(r#"{"ErrorCode":"UserTokenRequired","ErrorMessage":"A user token is required"}"#),
        );
        assert_eq!(refused, ApiError::SearchOnly);
        assert!(refused
            .to_string()
            .contains("GETTY_USERNAME and GETTY_PASSWORD"));
    }

    #[test]
    fn falls_back_to_status_text() {
        assert_eq!(
            ApiError::from_status(403, "Forbidden", None).to_string(),
            "Forbidden (HTTP 403)"
        );
        assert_eq!(
            ApiError::from_status(429, "", body("{}")).to_string(),
            "Too many requests, try again shortly (HTTP 429)"
        );
        assert_eq!(
            ApiError::from_status(403, "", body(r#"{"ErrorMessage":null,"message":5}"#))
                .to_string(),
            "Not allowed (HTTP 403)"
        );
    }

    #[test]
    fn services_keep_their_english_names() {
        let names = [
            (Service::Getty, "Getty Images"),
            (Service::TokenService, "the token service"),
            (Service::HostLibrary, "the host's library"),
            (Service::LocaleFile, "the locale file"),
        ];
        for (service, name) in names {
            assert_eq!(service.name(), name);
            assert_eq!(service.to_string(), name);
        }
    }

    #[test]
    fn network_and_decoding_errors_name_their_service() {
        let network = ApiError::Network {
            service: Service::TokenService,
            detail: "NetworkError when attempting to fetch resource.".into(),
        };
        assert_eq!(
            network.to_string(),
            "could not reach the token service: NetworkError when attempting to fetch resource."
        );
        assert_eq!(network.status(), None);
        let malformed = ApiError::Malformed {
            service: Service::Getty,
            detail: "not JSON".into(),
        };
        assert_eq!(
            malformed.to_string(),
            "Getty Images sent an answer the picker cannot read (not JSON)"
        );
        let locale = ApiError::Malformed {
            service: Service::LocaleFile,
            detail: "not a JSON object".into(),
        };
        assert_eq!(
            locale.to_string(),
            "the locale file sent an answer the picker cannot read (not a JSON object)"
        );
        assert_ne!(
            network,
            ApiError::Network {
                service: Service::Getty,
                detail: "NetworkError when attempting to fetch resource.".into(),
            }
        );
    }
}
