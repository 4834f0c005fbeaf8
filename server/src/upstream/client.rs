//! The client of the OAuth token endpoint: one request per grant or refresh, and the answer's
//! parsing into an [`Issued`] token or a [`TokenError`].

use std::time::{Duration, SystemTime};

use axum::http::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

use super::oauth_error::{GrantKind, OAuthError};
use super::retry_after::parse_retry_after;
use super::token_error::TokenError;
use super::{Grant, Upstream};
use crate::secret::Secret;

/// Largest token answer read; a real one is a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// Reads an answer's body, refusing more than [`MAX_ANSWER_BYTES`].
async fn read_bounded(response: &mut reqwest::Response) -> Result<Vec<u8>, TokenError> {
    let mut answer = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|error| {
        tracing::warn!(error = %error.without_url(), "token response could not be read");
        TokenError::Unreachable
    })? {
        if answer.len() + chunk.len() > MAX_ANSWER_BYTES {
            tracing::warn!("token response is too large");
            return Err(TokenError::Malformed);
        }
        answer.extend_from_slice(&chunk);
    }
    Ok(answer)
}

/// A token as upstream issued it.
#[derive(Debug)]
pub struct Issued {
    /// The bearer token.
    pub access_token: Secret,
    /// How long upstream says it lives.
    pub lifetime: Duration,
    /// The refresh token, kept only for the password grant.
    pub refresh_token: Option<Secret>,
}

/// What upstream answers; only the fields the cache needs.
#[derive(Deserialize)]
struct UpstreamToken {
    access_token: String,
    #[serde(default)]
    expires_in: Value,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// Reads `expires_in`, which Getty sends as a number in some material and a string in others.
pub fn parse_expires_in(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Requests tokens from the OAuth endpoint; holds no token itself.
pub struct OAuthClient {
    http: reqwest::Client,
    upstream: Upstream,
    grant_body: Secret,
}

impl OAuthClient {
    /// A client for `upstream` using the shared, timeout-bounded `http` client.
    pub fn new(http: reqwest::Client, upstream: Upstream) -> Self {
        let grant_body = upstream.grant_body();
        Self {
            http,
            upstream,
            grant_body,
        }
    }

    /// Whether tokens come from the password grant, the only one whose refresh token is used.
    pub fn uses_refresh_tokens(&self) -> bool {
        matches!(self.upstream.grant, Grant::Password { .. })
    }

    /// Where and how tokens are obtained.
    pub fn upstream(&self) -> &Upstream {
        &self.upstream
    }

    /// A token from the configured grant.
    pub async fn grant(&self) -> Result<Issued, TokenError> {
        self.request(&self.grant_body, self.upstream.grant.kind())
            .await
    }

    /// A token in exchange for `refresh_token`.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<Issued, TokenError> {
        self.request(
            &self.upstream.refresh_body(refresh_token),
            GrantKind::RefreshToken,
        )
        .await
    }

    async fn request(&self, body: &Secret, grant: GrantKind) -> Result<Issued, TokenError> {
        let mut response = self
            .http
            .post(&self.upstream.token_url)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body.expose().to_owned())
            .send()
            .await
            .map_err(|error| {
                // Without the URL, the message is only the cause: timeout, refused, DNS.
                tracing::warn!(error = %error.without_url(), "token request failed");
                TokenError::Unreachable
            })?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, SystemTime::now()));
            tracing::warn!(
                retry_after_secs = retry_after,
                grant = grant.label(),
                "token endpoint is throttling this API key (HTTP 429)"
            );
            // 0: no usable Retry-After; the token cache then waits its failure backoff.
            return Err(TokenError::Throttled {
                retry_after: retry_after.unwrap_or(0),
            });
        }
        if status.is_client_error() {
            let challenge = response
                .headers()
                .get(WWW_AUTHENTICATE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            // Only the error code is taken from the body: its description is upstream's text,
            // which may echo what was sent (the secret among it).
            let body = read_bounded(&mut response).await.unwrap_or_default();
            let oauth_error = OAuthError::from_answer(&body, challenge.as_deref());
            let error = TokenError::Refused {
                status: status.as_u16(),
                oauth_error,
                grant,
            };
            if grant == GrantKind::RefreshToken {
                // Expected now and then (refresh tokens expire); the full grant follows.
                tracing::info!(%status, oauth_error = oauth_error.code(), "token endpoint refused the refresh token");
            } else {
                tracing::warn!(
                    %status,
                    oauth_error = oauth_error.code(),
                    grant = grant.label(),
                    "token endpoint refused the request: {error}"
                );
            }
            return Err(error);
        }
        if !status.is_success() {
            tracing::warn!(%status, "token endpoint failed");
            return Err(TokenError::Rejected(status.as_u16()));
        }
        let answer = read_bounded(&mut response).await?;
        self.parse(&answer)
    }

    fn parse(&self, answer: &[u8]) -> Result<Issued, TokenError> {
        let token: UpstreamToken = serde_json::from_slice(answer).map_err(|_| {
            tracing::warn!("token response is not the expected JSON");
            TokenError::Malformed
        })?;
        // A token that expires at once would send every request upstream: not usable.
        let lifetime = parse_expires_in(&token.expires_in)
            .filter(|secs| *secs > 0)
            .ok_or_else(|| {
                tracing::warn!("token response has no usable expires_in");
                TokenError::Malformed
            })?;
        if token.access_token.is_empty() {
            tracing::warn!("token response has an empty access_token");
            return Err(TokenError::Malformed);
        }
        Ok(Issued {
            access_token: Secret::new(token.access_token),
            lifetime: Duration::from_secs(lifetime),
            refresh_token: token
                .refresh_token
                .filter(|t| !t.is_empty() && self.uses_refresh_tokens())
                .map(Secret::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expires_in_accepts_numbers_and_strings() {
        assert_eq!(parse_expires_in(&json!(1800)), Some(1800));
        assert_eq!(parse_expires_in(&json!("1800")), Some(1800));
        assert_eq!(parse_expires_in(&json!(" 1800 ")), Some(1800));
        assert_eq!(parse_expires_in(&json!(1800.0)), Some(1800));
        assert_eq!(parse_expires_in(&json!("soon")), None);
        assert_eq!(parse_expires_in(&json!(-5)), None);
        assert_eq!(parse_expires_in(&json!(null)), None);
        assert_eq!(parse_expires_in(&json!(["1800"])), None);
    }
}
