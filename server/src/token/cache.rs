//! One shared Getty token per grant: the async side of [`State`]. Renewals and checks run as
//! tasks of their own (a caller that gives up cancels nothing), one at a time each; callers
//! that must wait for one are woken when it ends. The lock is never held across an upstream
//! call.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use tokio::sync::watch;

use crate::config::Secret;
use crate::token::check::{TokenChecker, Verdict};
use crate::token::state::{Handout, Policy, State, Step};
use crate::token::TokenRequest;
use crate::upstream::{Issued, OAuthClient, OAuthError, TokenError};

/// A token cache in front of one OAuth grant.
pub struct TokenCache {
    oauth: OAuthClient,
    checker: TokenChecker,
    state: Mutex<State>,
    /// Bumped whenever a renewal or a check ends; waiting callers then decide again.
    ended: watch::Sender<u64>,
}

impl TokenCache {
    /// A cache in front of `oauth`, checking refused tokens with `checker`; nothing is
    /// requested until the first caller.
    pub fn new(oauth: OAuthClient, checker: TokenChecker, policy: Policy) -> Arc<Self> {
        Arc::new(Self {
            oauth,
            checker,
            state: Mutex::new(State::new(policy)),
            ended: watch::channel(0).0,
        })
    }

    /// Whether tokens come from the password grant: a Getty user's, which can download.
    pub fn has_user(&self) -> bool {
        self.oauth.uses_refresh_tokens()
    }

    /// The last renewal's failure while the cached token still works.
    pub fn degraded(&self) -> Option<TokenError> {
        self.lock().degraded(Instant::now())
    }

    /// A token for `request` from `client` (its rate-limit key; see [`State`] for the rules).
    pub async fn token(
        self: &Arc<Self>,
        request: &TokenRequest,
        client: IpAddr,
    ) -> Result<Handout, TokenError> {
        let arrived = Instant::now();
        loop {
            // Subscribed under the lock: an end announced after this decision wakes us.
            let (step, mut ended) = {
                let mut state = self.lock();
                let ended = self.ended.subscribe();
                (
                    state.decide(request, client, arrived, Instant::now()),
                    ended,
                )
            };
            match step {
                Step::Serve { token, refresh } => {
                    if refresh {
                        tracing::info!("renewing the token in the background");
                        self.spawn_refresh();
                    }
                    return Ok(token);
                }
                Step::Fail(error) => return Err(error),
                Step::AwaitRefresh { start } => {
                    if start {
                        self.spawn_refresh();
                    }
                }
                Step::AwaitCheck { id, start } => {
                    if let Some(token) = start {
                        tracing::info!(request = ?request, "asking Getty whether the token said to be refused really is");
                        self.spawn_check(id, token);
                    }
                }
            }
            // The sender lives as long as `self`, so this only returns once something ended.
            let _ = ended.changed().await;
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update is a few assignments that cannot panic half-way: poisoning is ignored.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn announce(&self) {
        self.ended.send_modify(|n| *n = n.wrapping_add(1));
    }

    fn spawn_refresh(self: &Arc<Self>) {
        let cache = self.clone();
        tokio::spawn(async move {
            let requested_at = Instant::now();
            let result = cache.obtain().await;
            match &result {
                Ok(issued) => tracing::info!(
                    expires_in = issued.lifetime.as_secs(),
                    "obtained a new upstream token"
                ),
                Err(error) => tracing::warn!(code = error.code(), "no new upstream token: {error}"),
            }
            cache.lock().refreshed(result, requested_at, Instant::now());
            cache.announce();
        });
    }

    fn spawn_check(self: &Arc<Self>, id: String, token: Secret) {
        let cache = self.clone();
        tokio::spawn(async move {
            let verdict = cache.checker.check(&token).await;
            match verdict {
                Verdict::Refused => tracing::info!("Getty refuses the cached token: replacing it"),
                Verdict::Accepted => {
                    tracing::info!("Getty still accepts the token said to be refused: keeping it")
                }
                Verdict::Unknown => tracing::warn!(
                    "no verdict from Getty on the token said to be refused: keeping it"
                ),
            }
            cache.lock().checked(&id, verdict);
            cache.announce();
        });
    }

    /// A new token, by the refresh token when there is one, else (or if it is refused) by a
    /// full login, within the login bound.
    async fn obtain(&self) -> Result<Issued, TokenError> {
        let refresh_token = self.lock().refresh_token();
        if let Some(current) = refresh_token {
            match self.oauth.refresh(&current).await {
                Ok(issued) => return Ok(issued),
                // Only a refusal of the refresh token itself calls for the full grant; a dead,
                // failing or throttling endpoint would treat it the same and double the load.
                Err(error @ (TokenError::Refused { .. } | TokenError::Malformed)) => {
                    tracing::info!(
                        code = error.code(),
                        oauth_error = error.oauth_error().map(OAuthError::code),
                        "refresh token refused; using the full grant"
                    );
                    self.lock().refresh_token_refused(&current);
                }
                Err(error) => return Err(error),
            }
        }
        if let Err(limited) = self.lock().admit_login(Instant::now()) {
            tracing::warn!(
                retry_after = limited.retry_after(),
                "not logging in to Getty again: PICKER_MAX_LOGINS_PER_MINUTE reached"
            );
            return Err(limited);
        }
        self.oauth.grant().await
    }
}
