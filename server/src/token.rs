//! The shared token cache (reuse, safety margin, single flight, forced refresh) and `POST /token`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::config::Secret;
use crate::upstream::{Issued, OAuthClient, TokenError};

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
    /// How old a token must be before a forced refresh replaces it.
    pub refresh_min_age: Duration,
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

    /// The cached token, renewed first if near expiry or, with `force`, if not brand new.
    ///
    /// `force` serves a widget whose token Getty refused (revoked, or expired early). Only a
    /// token older than `refresh_min_age` is replaced: when many widgets report the same 401
    /// at once, the first replaces the token and the others get that fresh one, so a burst of
    /// forced refreshes costs one upstream call. The per-client rate limit bounds the rest.
    pub async fn token(&self, force: bool) -> Result<TokenResponse, TokenError> {
        let arrived = Instant::now();
        // Held across the upstream call: concurrent callers wait for one refresh instead of each starting one.
        let mut state = self.state.lock().await;
        let now = Instant::now();
        let reusable = |t: &&CachedToken| {
            is_usable(t.renew_at, now)
                && !(force && now.duration_since(t.obtained_at) >= self.policy.refresh_min_age)
        };
        if let Some(cached) = state.token.as_ref().filter(reusable) {
            return Ok(issue(cached, now));
        }
        if let Some((failed_at, error)) = state.last_failure {
            // This caller waited on a refresh that just failed; retrying at once would hammer upstream.
            if failed_at >= arrived {
                return Err(error);
            }
        }
        let requested_at = Instant::now();
        match self.obtain(&mut state.refresh_token).await {
            Ok(issued) => {
                let lifetime = issued.lifetime.min(MAX_LIFETIME);
                let cached = CachedToken {
                    access_token: issued.access_token,
                    obtained_at: requested_at,
                    expires_at: requested_at + lifetime,
                    renew_at: renew_at(requested_at, lifetime, self.policy.margin),
                };
                let answer = issue(&cached, Instant::now());
                state.token = Some(cached);
                state.last_failure = None;
                tracing::info!(
                    expires_in = answer.expires_in,
                    forced = force,
                    "obtained a new upstream token"
                );
                Ok(answer)
            }
            Err(error) => {
                state.last_failure = Some((Instant::now(), error));
                Err(error)
            }
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
                // The full grant would hit the same dead endpoint and double the wait.
                Err(TokenError::Unreachable) => return Err(TokenError::Unreachable),
                Err(error) => {
                    tracing::info!(
                        code = error.code(),
                        "refresh token refused; using the full grant"
                    );
                    *refresh_token = None;
                }
            }
        }
        let issued = self.oauth.grant().await?;
        refresh_token.clone_from(&issued.refresh_token);
        Ok(issued)
    }
}

fn issue(cached: &CachedToken, now: Instant) -> TokenResponse {
    TokenResponse {
        access_token: cached.access_token.expose().to_owned(),
        token_type: "Bearer",
        expires_in: remaining_secs(cached.expires_at, now),
    }
}

/// Whether the query asks for a forced refresh (`refresh=1` or `refresh=true`).
pub fn wants_refresh(query: Option<&str>) -> bool {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .any(|(key, value)| key == "refresh" && matches!(value.as_ref(), "1" | "true"))
}

/// `POST /token[?refresh=1]`: hands the browser a bearer token for Getty's API.
pub async fn issue_token(
    State(client): State<Arc<TokenClient>>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, TokenError> {
    let token = client.token(wants_refresh(query.as_deref())).await?;
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
        assert!(wants_refresh(Some("refresh=1")));
        assert!(wants_refresh(Some("a=b&refresh=true")));
        assert!(!wants_refresh(Some("refresh=0")));
        assert!(!wants_refresh(Some("%zz&refresh")));
        assert!(!wants_refresh(None));
    }
}
