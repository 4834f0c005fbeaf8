//! The shared token cache (reuse, safety margin, single flight, refresh of a refused token,
//! failure backoff) and `POST /token`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

use crate::config::Secret;
use crate::ticket::hex;
use crate::upstream::{Issued, OAuthClient, OAuthError, TokenError};

/// Longest lifetime believed from upstream; also keeps `Instant` arithmetic from overflowing.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The body of a successful `/token` answer.
#[derive(Debug, Serialize)]
pub struct TokenResponse {
    /// The bearer token for Getty's API.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Whole seconds until the token expires.
    pub expires_in: u64,
    /// Opaque id of this token (see [`token_id`]), which a refresh names as the refused one.
    pub token_id: String,
    /// True when the token has no Getty user behind it (client credentials): it searches, but
    /// Getty refuses downloads with it, so the widget need not offer them.
    pub search_only: bool,
}

/// The id of an access token: the first 16 hex digits of its SHA-256. It names the token
/// without revealing it, so the widget can say which token Getty refused.
pub fn token_id(access_token: &str) -> String {
    let digest = Sha256::digest(access_token.as_bytes());
    hex(&digest[..8])
}

/// What a `POST /token` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRequest {
    /// The cached token, renewed only near expiry (`POST /token`).
    Current,
    /// Getty refused the token with this id: replace it if it is still the cached one
    /// (`?refresh=1&refused=<token_id>`).
    Refused(String),
    /// Legacy `?refresh=1` without `refused`: replace the cached token only if it is older than
    /// `refresh_min_age`.
    Legacy,
}

/// When to stop handing out a token obtained at `obtained_at` with the given lifetime.
///
/// The margin is capped at half the lifetime so short-lived tokens are still reused at all.
pub fn renew_at(obtained_at: Instant, lifetime: Duration, margin: Duration) -> Instant {
    let lifetime = lifetime.min(MAX_LIFETIME);
    obtained_at + lifetime.saturating_sub(margin.min(lifetime / 2))
}

/// Whether a cached token may still be handed out at `now`.
pub fn is_usable(renew_at: Instant, now: Instant) -> bool {
    now < renew_at
}

/// Whole seconds left before `expires_at`, zero once past.
pub fn remaining_secs(expires_at: Instant, now: Instant) -> u64 {
    expires_at.saturating_duration_since(now).as_secs()
}

struct CachedToken {
    access_token: Secret,
    id: String,
    obtained_at: Instant,
    expires_at: Instant,
    renew_at: Instant,
}

#[derive(Default)]
struct CacheState {
    token: Option<CachedToken>,
    /// Kept apart from the access token: it outlives it (about a year at Getty).
    refresh_token: Option<Secret>,
    last_failure: Option<(Instant, TokenError)>,
}

/// Tuning of the cache.
#[derive(Debug, Clone, Copy)]
pub struct CachePolicy {
    /// How long before expiry a token is renewed.
    pub margin: Duration,
    /// How old a token must be before a legacy forced refresh replaces it.
    pub refresh_min_age: Duration,
    /// How long a failed upstream call is answered from memory instead of calling again.
    pub failure_backoff: Duration,
}

/// Obtains tokens from upstream and shares one cached token among all callers.
pub struct TokenClient {
    oauth: OAuthClient,
    policy: CachePolicy,
    state: Mutex<CacheState>,
}

impl TokenClient {
    /// A cache in front of `oauth`; nothing is requested until the first caller.
    pub fn new(oauth: OAuthClient, policy: CachePolicy) -> Self {
        Self {
            oauth,
            policy,
            state: Mutex::new(CacheState::default()),
        }
    }

    /// The cached token, renewed first if near expiry or if `request` says Getty refused it.
    ///
    /// A refusal replaces the token only while it is the cached one: when many widgets report
    /// the same 401 at once, the first replaces it (whatever its age) and the others, naming a
    /// token no longer cached, get the fresh one, so a burst costs one upstream call. The
    /// per-client rate limit bounds the rest. After a failed upstream call, callers get that
    /// failure without a new call for `failure_backoff`.
    pub async fn token(&self, request: &TokenRequest) -> Result<TokenResponse, TokenError> {
        let arrived = Instant::now();
        // Held across the upstream call: concurrent callers wait for one refresh instead of each starting one.
        let mut state = self.state.lock().await;
        let now = Instant::now();
        let replace = |t: &CachedToken| match request {
            TokenRequest::Current => false,
            TokenRequest::Refused(id) => *id == t.id,
            TokenRequest::Legacy => {
                now.duration_since(t.obtained_at) >= self.policy.refresh_min_age
            }
        };
        if let Some(cached) = state.token.as_ref() {
            if replace(cached) {
                // Getty refused it: handing it out again, even if the renewal fails, only causes more 401s.
                tracing::info!(request = ?request, "the cached token is to be replaced");
                state.token = None;
            } else if is_usable(cached.renew_at, now) {
                return Ok(self.issue(cached, now));
            }
        }
        if let Some((failed_at, error)) = state.last_failure {
            // Those that waited on the failed call, and everyone during the backoff, share its
            // failure: retrying at request rate would hammer a failing upstream.
            if failed_at >= arrived || now.duration_since(failed_at) < self.wait_after(&error) {
                return self
                    .unexpired(&state, now)
                    .ok_or_else(|| self.as_of(error, failed_at, now));
            }
        }
        let requested_at = Instant::now();
        match self.obtain(&mut state.refresh_token).await {
            Ok(issued) => {
                let lifetime = issued.lifetime.min(MAX_LIFETIME);
                let cached = CachedToken {
                    id: token_id(issued.access_token.expose()),
                    access_token: issued.access_token,
                    obtained_at: requested_at,
                    expires_at: requested_at + lifetime,
                    renew_at: renew_at(requested_at, lifetime, self.policy.margin),
                };
                let answer = self.issue(&cached, Instant::now());
                state.token = Some(cached);
                state.last_failure = None;
                tracing::info!(
                    expires_in = answer.expires_in,
                    request = ?request,
                    "obtained a new upstream token"
                );
                Ok(answer)
            }
            Err(error) => {
                let now = Instant::now();
                state.last_failure = Some((now, error));
                self.unexpired(&state, now)
                    .ok_or_else(|| self.as_of(error, now, now))
            }
        }
    }

    /// Whether tokens come without a Getty user (no password grant), so downloads will fail.
    pub fn search_only(&self) -> bool {
        !self.oauth.uses_refresh_tokens()
    }

    /// The last upstream failure while the cache still answers it from memory.
    pub async fn backing_off(&self) -> Option<TokenError> {
        let state = self.state.lock().await;
        let now = Instant::now();
        state
            .last_failure
            .filter(|(at, error)| now.duration_since(*at) < self.wait_after(error))
            .map(|(at, error)| self.as_of(error, at, now))
    }

    /// How long after `error` callers get it without a new upstream call: the failure backoff,
    /// or upstream's `Retry-After` when it throttled us for longer.
    fn wait_after(&self, error: &TokenError) -> Duration {
        let upstream = Duration::from_secs(error.retry_after().unwrap_or(0));
        self.policy.failure_backoff.max(upstream)
    }

    /// `error` (remembered since `failed_at`) as answered at `now`: a throttled answer's
    /// `Retry-After` counts down to the next upstream call, and is at least one second.
    fn as_of(&self, error: TokenError, failed_at: Instant, now: Instant) -> TokenError {
        match error {
            TokenError::Throttled { .. } => {
                let left = (failed_at + self.wait_after(&error)).saturating_duration_since(now);
                let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
                TokenError::Throttled {
                    retry_after: secs.max(1),
                }
            }
            other => other,
        }
    }

    /// A new token, by the refresh token when there is one, else (or if it is refused) by the grant.
    async fn obtain(&self, refresh_token: &mut Option<Secret>) -> Result<Issued, TokenError> {
        if let Some(current) = refresh_token.as_ref() {
            match self.oauth.refresh(current).await {
                Ok(issued) => {
                    // Getty may or may not rotate the refresh token; keep the old one if not.
                    if let Some(rotated) = &issued.refresh_token {
                        *refresh_token = Some(rotated.clone());
                    }
                    return Ok(issued);
                }
                // Only a refusal of the refresh token itself calls for the full grant; a dead,
                // failing or throttling endpoint would treat it the same and double the load.
                Err(error @ (TokenError::Refused { .. } | TokenError::Malformed)) => {
                    tracing::info!(
                        code = error.code(),
                        oauth_error = error.oauth_error().map(OAuthError::code),
                        "refresh token refused; using the full grant"
                    );
                    *refresh_token = None;
                }
                Err(error) => return Err(error),
            }
        }
        let issued = self.oauth.grant().await?;
        refresh_token.clone_from(&issued.refresh_token);
        Ok(issued)
    }

    /// The cached token if it has not expired yet: when its renewal (within the margin) fails, it
    /// still works until its real expiry. A refused token is no longer cached, so never returned.
    fn unexpired(&self, state: &CacheState, now: Instant) -> Option<TokenResponse> {
        state
            .token
            .as_ref()
            .filter(|t| now < t.expires_at)
            .map(|cached| self.issue(cached, now))
    }

    fn issue(&self, cached: &CachedToken, now: Instant) -> TokenResponse {
        TokenResponse {
            access_token: cached.access_token.expose().to_owned(),
            token_type: "Bearer",
            expires_in: remaining_secs(cached.expires_at, now),
            token_id: cached.id.clone(),
            search_only: self.search_only(),
        }
    }
}

/// What the query asks for: `refused=<token_id>` (sent with `refresh=1`) names the token Getty
/// refused; `refresh=1` or `refresh=true` alone is the legacy forced refresh.
pub fn token_request(query: Option<&str>) -> TokenRequest {
    let mut refresh = false;
    let mut refused = None;
    for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "refresh" if matches!(value.as_ref(), "1" | "true") => refresh = true,
            "refused" if !value.is_empty() => refused = Some(value.into_owned()),
            _ => {}
        }
    }
    match (refused, refresh) {
        (Some(id), _) => TokenRequest::Refused(id),
        (None, true) => TokenRequest::Legacy,
        (None, false) => TokenRequest::Current,
    }
}

/// `POST /token[?refresh=1&refused=<token_id>]`: hands the browser a bearer token for Getty's API.
pub async fn issue_token(
    State(client): State<Arc<TokenClient>>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, TokenError> {
    let token = client.token(&token_request(query.as_deref())).await?;
    // Tokens are per-deployment credentials: no shared cache may keep them.
    Ok(([(CACHE_CONTROL, "no-store")], Json(token)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_renewed_margin_before_expiry() {
        let t0 = Instant::now();
        let margin = Duration::from_secs(300);
        let renew = renew_at(t0, Duration::from_secs(1800), margin);
        assert_eq!(renew, t0 + Duration::from_secs(1500));
        assert!(is_usable(renew, t0));
        assert!(is_usable(renew, t0 + Duration::from_secs(1499)));
        assert!(!is_usable(renew, t0 + Duration::from_secs(1500)));
        assert!(!is_usable(renew, t0 + Duration::from_secs(4000)));
    }

    #[test]
    fn margin_is_capped_for_short_lifetimes() {
        let t0 = Instant::now();
        let renew = renew_at(t0, Duration::from_secs(60), Duration::from_secs(300));
        assert_eq!(renew, t0 + Duration::from_secs(30));
        assert_eq!(renew_at(t0, Duration::ZERO, Duration::from_secs(300)), t0);
    }

    #[test]
    fn huge_lifetimes_do_not_overflow() {
        let t0 = Instant::now();
        let renew = renew_at(t0, Duration::from_secs(u64::MAX), Duration::from_secs(300));
        assert_eq!(renew, t0 + MAX_LIFETIME - Duration::from_secs(300));
    }

    #[test]
    fn remaining_seconds() {
        let t0 = Instant::now();
        let expires = t0 + Duration::from_secs(1800);
        assert_eq!(remaining_secs(expires, t0), 1800);
        assert_eq!(
            remaining_secs(expires, t0 + Duration::from_millis(1500)),
            1798
        );
        assert_eq!(remaining_secs(expires, t0 + Duration::from_secs(2000)), 0);
    }

    #[test]
    fn refresh_query() {
        use TokenRequest::*;
        assert_eq!(token_request(Some("refresh=1")), Legacy);
        assert_eq!(token_request(Some("a=b&refresh=true")), Legacy);
        assert_eq!(token_request(Some("refresh=0")), Current);
        assert_eq!(token_request(Some("%zz&refresh")), Current);
        assert_eq!(token_request(None), Current);
        assert_eq!(
            token_request(Some("refresh=1&refused=0123abcd0123abcd")),
            Refused("0123abcd0123abcd".into())
        );
        assert_eq!(token_request(Some("refresh=1&refused=")), Legacy);
    }

    #[test]
    fn token_ids_are_short_hashes() {
        // printf %s abc | sha256sum
        assert_eq!(token_id("abc"), "ba7816bf8f01cfea");
        assert_ne!(token_id("access-token"), token_id("access-token2"));
        assert!(!token_id("abc").contains("abc"));
    }
}
