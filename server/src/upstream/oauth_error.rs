//! OAuth refusals (RFC 6749 §5.2): which grant was refused, the error code, and what the
//! operator should check.

use serde_json::Value;

/// Which OAuth grant a token request used; refusals are explained per grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// `client_credentials`: the API key and secret alone.
    ClientCredentials,
    /// `password`: the key and secret plus a Getty user.
    Password,
    /// `refresh_token`: renewing a password-grant token.
    RefreshToken,
}

impl GrantKind {
    /// The grant as operators know it, for messages.
    pub(super) fn label(self) -> &'static str {
        match self {
            Self::ClientCredentials => "client-credentials",
            Self::Password => "password",
            Self::RefreshToken => "refresh-token",
        }
    }
}

/// The `error` code of an OAuth refusal (RFC 6749 §5.2); anything else is `Unknown`, so no
/// text of upstream's choosing is ever passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthError {
    /// Wrong API key or secret.
    InvalidClient,
    /// Wrong username or password (or a dead refresh token).
    InvalidGrant,
    /// The key may not use this grant.
    UnauthorizedClient,
    /// The endpoint does not know this grant.
    UnsupportedGrantType,
    /// The request was malformed in the endpoint's eyes.
    InvalidRequest,
    /// A scope was refused.
    InvalidScope,
    /// No error code, or one outside RFC 6749's list.
    Unknown,
}

impl OAuthError {
    /// Reads a code as upstream sent it; only the six codes of RFC 6749 are recognised.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_request" => Self::InvalidRequest,
            "invalid_scope" => Self::InvalidScope,
            _ => Self::Unknown,
        }
    }

    /// The code as sent in our answers and logs.
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidScope => "invalid_scope",
            Self::Unknown => "unknown",
        }
    }

    /// The code of a refusal: the JSON body's `error`, else the `error="…"` of a
    /// `WWW-Authenticate` challenge (RFC 6750 style), else `Unknown`.
    pub fn from_answer(body: &[u8], www_authenticate: Option<&str>) -> Self {
        let from_body = serde_json::from_slice::<Value>(body).ok().and_then(|json| {
            json.get("error")
                .and_then(Value::as_str)
                .map(Self::from_code)
        });
        let from_header = || {
            let (_, rest) = www_authenticate?.split_once("error=\"")?;
            let (code, _) = rest.split_once('"')?;
            Some(Self::from_code(code))
        };
        from_body
            .filter(|e| *e != Self::Unknown)
            .or_else(from_header)
            .unwrap_or(Self::Unknown)
    }
}

/// What the operator should check after `error` refused a `grant` request answered with `status`.
pub(super) fn refusal_advice(status: u16, error: OAuthError, grant: GrantKind) -> String {
    let grant_label = grant.label();
    match (error, grant) {
        (OAuthError::InvalidClient, _) => "Getty refused the API key or secret (invalid_client): \
             check GETTY_API_KEY and GETTY_API_SECRET"
            .into(),
        (OAuthError::InvalidGrant, GrantKind::Password) => {
            "Getty refused the username or password (invalid_grant): \
             check GETTY_USERNAME and GETTY_PASSWORD"
                .into()
        }
        (OAuthError::InvalidGrant, GrantKind::RefreshToken) => {
            "Getty refused the refresh token (invalid_grant)".into()
        }
        (OAuthError::InvalidGrant, GrantKind::ClientCredentials) => {
            "Getty refused the client-credentials grant (invalid_grant): \
             check GETTY_API_KEY and GETTY_API_SECRET"
                .into()
        }
        (OAuthError::UnauthorizedClient, GrantKind::Password) => {
            "this API key may not use the password grant (unauthorized_client): ask Getty to \
             enable it for the key, or unset GETTY_USERNAME and GETTY_PASSWORD to run search only"
                .into()
        }
        (OAuthError::UnauthorizedClient, _) => format!(
            "this API key may not use the {grant_label} grant (unauthorized_client): \
             ask Getty to enable it for the key"
        ),
        (OAuthError::UnsupportedGrantType, _) => format!(
            "the token endpoint does not support the {grant_label} grant \
             (unsupported_grant_type): check GETTY_TOKEN_URL"
        ),
        (OAuthError::InvalidRequest, _) => "the token endpoint found the request malformed \
             (invalid_request): check GETTY_TOKEN_URL"
            .into(),
        (OAuthError::InvalidScope, _) => {
            "the token endpoint refused the scope (invalid_scope): check GETTY_TOKEN_URL".into()
        }
        (OAuthError::Unknown, _) => format!(
            "the Getty token endpoint refused the request (HTTP {status}) without a known OAuth \
             error: check GETTY_API_KEY, GETTY_API_SECRET and GETTY_TOKEN_URL"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oauth_codes_from_the_body_or_the_challenge() {
        let code = |body: &str, header: Option<&str>| {
            OAuthError::from_answer(body.as_bytes(), header).code()
        };
        assert_eq!(
            code(r#"{"error":"invalid_client"}"#, None),
            "invalid_client"
        );
        assert_eq!(
            code(r#"{"error":" invalid_grant "}"#, None),
            "invalid_grant"
        );
        assert_eq!(code(r#"{"error":"Invalid_Grant"}"#, None), "unknown");
        assert_eq!(code(r#"{"error":"server_error"}"#, None), "unknown");
        assert_eq!(
            code(r#"{"error":{"code":"invalid_client"}}"#, None),
            "unknown"
        );
        assert_eq!(code("<html>invalid_client</html>", None), "unknown");
        assert_eq!(
            code("", Some(r#"Bearer error="invalid_scope""#)),
            "invalid_scope"
        );
        assert_eq!(
            code(
                r#"{"error":"nonsense"}"#,
                Some(r#"Basic realm="x", error="invalid_client""#)
            ),
            "invalid_client"
        );
        assert_eq!(code("", Some("Bearer")), "unknown");
    }
}
