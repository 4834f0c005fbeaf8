//! Why no token could be obtained, and the HTTP answer saying so.

use axum::http::StatusCode;

use crate::error::HttpError;

use super::oauth_error::{refusal_advice, GrantKind, OAuthError};

/// Why no token could be obtained; carries no upstream text so nothing sensitive can leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Connection failure or timeout.
    #[error("the Getty token endpoint could not be reached")]
    Unreachable,
    /// Upstream refused the request (a 4xx other than 429): an OAuth refusal.
    #[error("{}", refusal_advice(*status, *oauth_error, *grant))]
    Refused {
        /// Upstream's status.
        status: u16,
        /// The OAuth error code upstream gave, if one of RFC 6749's.
        oauth_error: OAuthError,
        /// The grant that was refused.
        grant: GrantKind,
    },
    /// Upstream failed (5xx or another non-success status that is no refusal).
    #[error("the Getty token endpoint failed (HTTP {0}); the backend tries again after its failure backoff")]
    Rejected(u16),
    /// Upstream answered 429: too many token requests for this API key.
    #[error("Getty is throttling this API key's token requests (HTTP 429): try again in {retry_after} s")]
    Throttled {
        /// Seconds until the backend asks upstream again.
        retry_after: u64,
    },
    /// Upstream answered success with something that is not a usable token.
    #[error("the Getty token endpoint answered with something that is not a token")]
    Malformed,
    /// The backend's own bound on full logins to Getty (`PICKER_MAX_LOGINS_PER_MINUTE`) was
    /// reached: it waits rather than risk the account being locked.
    #[error("the backend has logged in to Getty as often as it may within a minute (PICKER_MAX_LOGINS_PER_MINUTE); try again in {retry_after} s")]
    LoginsLimited {
        /// Seconds until a login is allowed again.
        retry_after: u64,
    },
}

impl TokenError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable => "upstream_unreachable",
            Self::Refused { .. } => "upstream_refused",
            Self::Rejected(_) => "upstream_rejected",
            Self::Throttled { .. } => "upstream_throttled",
            Self::Malformed => "upstream_malformed",
            Self::LoginsLimited { .. } => "logins_limited",
        }
    }

    /// The OAuth error code of a refusal.
    pub fn oauth_error(&self) -> Option<OAuthError> {
        match self {
            Self::Refused { oauth_error, .. } => Some(*oauth_error),
            _ => None,
        }
    }

    /// The `Retry-After` seconds of a throttled answer or of the login bound.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Self::Throttled { retry_after } | Self::LoginsLimited { retry_after } => {
                Some(*retry_after)
            }
            _ => None,
        }
    }

    /// The same error, its `Retry-After` replaced by `secs`.
    pub fn with_retry_after(self, secs: u64) -> Self {
        match self {
            Self::Throttled { .. } => Self::Throttled { retry_after: secs },
            Self::LoginsLimited { .. } => Self::LoginsLimited { retry_after: secs },
            other => other,
        }
    }
}

impl HttpError for TokenError {
    fn status(&self) -> StatusCode {
        match self {
            // Throttling is Getty's answer to load, not a gateway failure: the client should wait.
            Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            // Our own bound, not Getty's: the service is briefly unable to get a token.
            Self::LoginsLimited { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_GATEWAY,
        }
    }

    fn code(&self) -> &'static str {
        TokenError::code(self)
    }

    fn oauth_error(&self) -> Option<&'static str> {
        TokenError::oauth_error(self).map(OAuthError::code)
    }

    fn retry_after(&self) -> Option<u64> {
        TokenError::retry_after(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advice_never_repeats_upstream_and_names_what_to_check() {
        let refused = |oauth_error, grant| {
            TokenError::Refused {
                status: 400,
                oauth_error,
                grant,
            }
            .to_string()
        };
        assert!(refused(OAuthError::InvalidGrant, GrantKind::Password).contains("GETTY_PASSWORD"));
        assert!(
            refused(OAuthError::InvalidClient, GrantKind::Password).contains("GETTY_API_SECRET")
        );
        assert!(refused(OAuthError::Unknown, GrantKind::ClientCredentials).contains("HTTP 400"));
        assert_eq!(
            TokenError::Throttled { retry_after: 9 }.code(),
            "upstream_throttled"
        );
        assert_eq!(
            TokenError::Throttled { retry_after: 9 }.retry_after(),
            Some(9)
        );
    }
}
