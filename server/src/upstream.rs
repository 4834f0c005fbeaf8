//! The client of Getty's OAuth token endpoint: grants, request bodies and answer parsing.

use std::time::{Duration, SystemTime};

use axum::http::header::{ACCEPT, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::{Config, ConfigError, Secret};
use crate::error::StartError;

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

impl Grant {
    /// Which grant this is, without its credentials.
    pub fn kind(&self) -> GrantKind {
        match self {
            Self::ClientCredentials => GrantKind::ClientCredentials,
            Self::Password { .. } => GrantKind::Password,
        }
    }
}

/// Where and how to obtain tokens, and where to check them.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// The OAuth token endpoint.
    pub token_url: String,
    /// The API's base URL (no trailing slash), where a token is checked.
    pub api_base: String,
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
            api_base: config.api_base.trim_end_matches('/').to_owned(),
            api_key: api_key.to_owned(),
            api_secret: api_secret.clone(),
            grant,
        })
    }

    /// The same credentials with the client-credentials grant: tokens without a user, which
    /// search but cannot download.
    pub fn client_credentials(&self) -> Self {
        Self {
            grant: Grant::ClientCredentials,
            ..self.clone()
        }
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
    fn label(self) -> &'static str {
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
fn refusal_advice(status: u16, error: OAuthError, grant: GrantKind) -> String {
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

/// Longest `Retry-After` believed from upstream; beyond it the failure backoff applies instead.
pub const MAX_RETRY_AFTER_SECS: u64 = 3600;

/// Upstream's `Retry-After` in whole seconds (delta-seconds or an HTTP date, rounded up), when
/// it is there and no further off than [`MAX_RETRY_AFTER_SECS`].
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<u64> {
    let value = value.trim();
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            let wait = at.duration_since(now).unwrap_or_default();
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        }
    };
    (secs <= MAX_RETRY_AFTER_SECS).then_some(secs)
}

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

/// The JSON body of a token failure: [`crate::error::ErrorBody`] plus the OAuth code of a refusal.
#[derive(Debug, Serialize)]
pub struct TokenErrorBody {
    /// The stable code, see [`TokenError::code`].
    pub error: &'static str,
    /// RFC 6749's code for `upstream_refused` (`unknown` when upstream gave none we know).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oauth_error: Option<&'static str>,
    /// What happened and what to check, without any upstream text.
    pub message: String,
}

impl From<&TokenError> for TokenErrorBody {
    fn from(error: &TokenError) -> Self {
        Self {
            error: error.code(),
            oauth_error: error.oauth_error().map(OAuthError::code),
            message: error.to_string(),
        }
    }
}

impl IntoResponse for TokenError {
    fn into_response(self) -> Response {
        let body = Json(TokenErrorBody::from(&self));
        let status = match self {
            // Throttling is Getty's answer to load, not a gateway failure: the client should wait.
            Self::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            // Our own bound, not Getty's: the service is briefly unable to get a token.
            Self::LoginsLimited { .. } => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_GATEWAY,
        };
        match self.retry_after() {
            Some(secs) => (status, [(RETRY_AFTER, secs.to_string())], body).into_response(),
            None => (status, body).into_response(),
        }
    }
}

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

    #[test]
    fn retry_after_in_seconds_or_as_a_date_within_an_hour() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(7));
        assert_eq!(parse_retry_after(" 0 ", now), Some(0));
        assert_eq!(parse_retry_after("3600", now), Some(3600));
        assert_eq!(parse_retry_after("3601", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        let in_90 = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(parse_retry_after(&in_90, now), Some(90));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(0));
        let tomorrow = httpdate::fmt_http_date(now + Duration::from_secs(86_400));
        assert_eq!(parse_retry_after(&tomorrow, now), None);
    }

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

    #[test]
    fn form_bodies_for_each_grant() {
        let mut upstream = Upstream {
            token_url: "http://127.0.0.1:1/token".into(),
            api_base: "http://127.0.0.1:1".into(),
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
