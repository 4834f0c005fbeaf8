//! The client of Getty's OAuth token endpoint: grants, request bodies and answer parsing.

use std::time::Duration;

use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use crate::config::{Config, ConfigError, Secret};
use crate::error::{ErrorBody, StartError};

/// Largest token answer read; a real one is a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The HTTP client for every upstream call, bounded by `timeout`.
pub fn http_client(timeout: Duration) -> Result<reqwest::Client, StartError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        // A forward-auth service redirecting to its login page means "not logged in", never 2xx.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(StartError::HttpClient)
}

/// The OAuth grant used to obtain tokens.
#[derive(Clone, Debug)]
pub enum Grant {
    /// Application-only token: search works, downloads of real assets do not.
    ClientCredentials,
    /// Resource-owner token for a Getty user: needed for download links.
    Password {
        /// Getty username.
        username: String,
        /// Getty password.
        password: Secret,
    },
}

/// Where and how to obtain tokens.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// The OAuth token endpoint.
    pub token_url: String,
    /// The API key (OAuth client id).
    pub api_key: String,
    /// The API secret (OAuth client secret).
    pub api_secret: Secret,
    /// The grant to use.
    pub grant: Grant,
}

impl Upstream {
    /// The configured Getty credentials; the password grant when a user is configured.
    pub fn from_config(config: &Config) -> Result<Self, ConfigError> {
        let (Some(api_key), Some(api_secret)) = (config.api_key(), config.api_secret()) else {
            return Err(ConfigError::MissingCredentials);
        };
        let grant = match (config.username(), config.password()) {
            (Some(username), Some(password)) => Grant::Password {
                username: username.to_owned(),
                password: password.clone(),
            },
            (None, None) => Grant::ClientCredentials,
            _ => return Err(ConfigError::IncompleteUser),
        };
        Ok(Self {
            token_url: config.token_url.clone(),
            api_key: api_key.to_owned(),
            api_secret: api_secret.clone(),
            grant,
        })
    }

    /// The form-urlencoded request body for the configured grant.
    fn grant_body(&self) -> Secret {
        match &self.grant {
            Grant::ClientCredentials => self.form(&[("grant_type", "client_credentials")]),
            Grant::Password { username, password } => self.form(&[
                ("grant_type", "password"),
                ("username", username),
                ("password", password.expose()),
            ]),
        }
    }

    /// The form-urlencoded request body exchanging `refresh_token` for a new access token.
    fn refresh_body(&self, refresh_token: &Secret) -> Secret {
        self.form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ])
    }

    /// `grant_type` first, then the client credentials, then the grant's own fields.
    fn form(&self, fields: &[(&str, &str)]) -> Secret {
        let mut form = form_urlencoded::Serializer::new(String::new());
        let (grant_type, rest) = fields
            .split_first()
            .map_or((None, fields), |(g, r)| (Some(g), r));
        form.extend_pairs(grant_type);
        form.append_pair("client_id", &self.api_key);
        form.append_pair("client_secret", self.api_secret.expose());
        form.extend_pairs(rest);
        Secret::new(form.finish())
    }
}

/// Why no token could be obtained; carries no upstream text so nothing sensitive can leak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Connection failure or timeout.
    #[error("the Getty token endpoint could not be reached")]
    Unreachable,
    /// Upstream answered with a non-success status.
    #[error("the Getty token endpoint refused the request (HTTP {0})")]
    Rejected(u16),
    /// Upstream answered success with something that is not a usable token.
    #[error("the Getty token endpoint answered with something that is not a token")]
    Malformed,
}

impl TokenError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreachable => "upstream_unreachable",
            Self::Rejected(_) => "upstream_rejected",
            Self::Malformed => "upstream_malformed",
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        ErrorBody {
            error: self.code(),
            message: self.to_string(),
        }
        .into_response_with(StatusCode::BAD_GATEWAY)
    }
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

    /// A token from the configured grant.
    pub async fn grant(&self) -> Result<Issued, TokenError> {
        self.request(&self.grant_body).await
    }

    /// A token in exchange for `refresh_token`.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<Issued, TokenError> {
        self.request(&self.upstream.refresh_body(refresh_token))
            .await
    }

    async fn request(&self, body: &Secret) -> Result<Issued, TokenError> {
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
        if !status.is_success() {
            tracing::warn!(%status, "token endpoint refused the request");
            return Err(TokenError::Rejected(status.as_u16()));
        }
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

    #[test]
    fn form_bodies_for_each_grant() {
        let mut upstream = Upstream {
            token_url: "http://127.0.0.1:1/token".into(),
            api_key: "key".into(),
            api_secret: Secret::new("s&cret"),
            grant: Grant::ClientCredentials,
        };
        assert_eq!(
            upstream.grant_body().expose(),
            "grant_type=client_credentials&client_id=key&client_secret=s%26cret"
        );
        upstream.grant = Grant::Password {
            username: "me@example.com".into(),
            password: Secret::new("p w"),
        };
        assert_eq!(
            upstream.grant_body().expose(),
            "grant_type=password&client_id=key&client_secret=s%26cret&username=me%40example.com&password=p+w"
        );
        assert_eq!(
            upstream.refresh_body(&Secret::new("r/1=")).expose(),
            "grant_type=refresh_token&client_id=key&client_secret=s%26cret&refresh_token=r%2F1%3D"
        );
    }
}
