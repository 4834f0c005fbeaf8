//! The token cache's decisions, free of I/O and of the clock (every step takes `now`): when to
//! hand out the cached token, when to renew it beside the callers, when to ask Getty whether a
//! token said to be refused really is, and when to log in.
//!
//! The rules:
//! - A token is handed out until it expires; from `renew_at` (the margin before expiry) on, one
//!   renewal runs in the background while callers keep getting it. Only callers that find no
//!   unexpired token wait for a renewal.
//! - A claim that Getty refused the cached token (`refused=<its id>`, or a legacy refresh of a
//!   token older than the minimum age) is checked with Getty first, one check at a time. Only
//!   Getty's refusal drops the token; it is then never handed out again. A verdict answers the
//!   claims that arrived before its check began (a later claim may be about a revocation after
//!   it), and each client address has a small budget of checks (`check_burst`, one more every
//!   `check_refill`; a claim Getty bears out costs nothing): past it, its claims get the cached
//!   token unchecked, so one caller's stream of false claims costs a check every few seconds
//!   and delays nobody else. The cache as a whole has a budget too (`checks_burst`, one more
//!   every `checks_refill`), so that many addresses together cannot spend the API key's
//!   queries per second on checks either; its last `checks_reserve` checks go only to
//!   addresses that made at most one claim lately (a claim the cache cannot afford still costs
//!   its address), so a flood of claims does not leave an editor's claim after a revocation
//!   unchecked.
//! - A failed renewal keeps the token until it expires; the next try waits for the failure
//!   backoff (or Getty's `Retry-After`).
//! - Full logins (password or client-credentials grant) are bounded per `login_window`.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::config::Secret;
use crate::token::check::Verdict;
use crate::token::TokenRequest;
use crate::upstream::{Issued, TokenError};

/// Longest lifetime believed from upstream; also keeps `Instant` arithmetic from overflowing.
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Checks a client address may cause at once: an editor's claims after a transient 401 and a
/// real revocation soon after are both checked.
pub const CHECK_BURST: u32 = 3;

/// How often a client address earns another check once its burst is spent: a caller's stream
/// of claims costs Getty one call every few seconds.
pub const CHECK_REFILL: Duration = Duration::from_secs(5);

/// Checks one token cache may make at once, whoever claims: a real revocation claimed by many
/// editors costs one check, so this is slack for transient 401s.
pub const CHECKS_BURST: u32 = 10;

/// How often a token cache earns another check once its burst is spent: many addresses'
/// claims together cost Getty one call every few seconds, and a revocation is still found
/// within that time by whichever claim comes next.
pub const CHECKS_REFILL: Duration = Duration::from_secs(2);

/// The cache's last checks, kept for addresses that made at most one claim lately: a claim the
/// cache cannot afford still costs its address, so addresses that flood claims never reach
/// these, and an editor's claim after a revocation is still checked at once.
pub const CHECKS_RESERVE: u32 = 3;

/// The window of the login bound.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(60);

/// Tuning of the cache.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// How long before expiry a token is renewed.
    pub margin: Duration,
    /// How old a token must be before a legacy forced refresh (no `refused`) questions it.
    pub refresh_min_age: Duration,
    /// How long a failed upstream call is answered from memory instead of calling again.
    pub failure_backoff: Duration,
    /// Checks a client address may cause at once.
    pub check_burst: u32,
    /// How often a client address earns another check.
    pub check_refill: Duration,
    /// Checks the cache may make at once, all addresses together.
    pub checks_burst: u32,
    /// How often the cache earns another check.
    pub checks_refill: Duration,
    /// The cache's last checks, only for addresses that made at most one claim lately.
    pub checks_reserve: u32,
    /// Full logins allowed per `login_window`.
    pub max_logins: u32,
    /// The window of the login bound.
    pub login_window: Duration,
}

/// When to stop handing out a token obtained at `obtained_at` with the given lifetime.
///
/// The margin is capped at half the lifetime so short-lived tokens are still reused at all.
pub fn renew_at(obtained_at: Instant, lifetime: Duration, margin: Duration) -> Instant {
    let lifetime = lifetime.min(MAX_LIFETIME);
    obtained_at + lifetime.saturating_sub(margin.min(lifetime / 2))
}

/// Whole seconds left before `expires_at`, zero once past.
pub fn remaining_secs(expires_at: Instant, now: Instant) -> u64 {
    expires_at.saturating_duration_since(now).as_secs()
}

/// Whole seconds from `now` to `until`, rounded up and at least one: a client that waits as
/// told is never refused again for the same reason.
fn secs_until(until: Instant, now: Instant) -> u64 {
    let left = until.saturating_duration_since(now);
    (left.as_secs() + u64::from(left.subsec_nanos() > 0)).max(1)
}

/// A token as handed out to a caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handout {
    /// The bearer token.
    pub access_token: Secret,
    /// Its id (see [`crate::token::token_id`]).
    pub id: String,
    /// Whole seconds until it expires.
    pub expires_in: u64,
}

/// What the caller of [`State::decide`] does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Answer with this token; with `refresh`, also start a renewal in the background (nobody
    /// waits for it).
    Serve {
        /// The token to answer with.
        token: Handout,
        /// Whether the caller starts the background renewal.
        refresh: bool,
    },
    /// No token can be had now: answer this.
    Fail(TokenError),
    /// Wait for the renewal under way, then decide again; with `start`, the caller starts it.
    AwaitRefresh {
        /// Whether the caller starts the renewal.
        start: bool,
    },
    /// Wait for Getty's verdict on the token with id `id`, then decide again; with `start`,
    /// the caller starts the check of that token.
    AwaitCheck {
        /// The token's id.
        id: String,
        /// The token to check, when the caller starts the check.
        start: Option<Secret>,
    },
}

#[derive(Debug, Clone)]
struct Cached {
    access_token: Secret,
    id: String,
    obtained_at: Instant,
    expires_at: Instant,
    renew_at: Instant,
}

#[derive(Debug, Clone, Copy)]
struct Failure {
    at: Instant,
    error: TokenError,
}

/// A check of the token `id` that began at `started`, on a claim from `client`.
#[derive(Debug, Clone)]
struct Flight {
    id: String,
    started: Instant,
    client: IpAddr,
}

/// Getty's verdict from the check of the token `id` that began at `started`.
#[derive(Debug, Clone)]
struct Judged {
    id: String,
    started: Instant,
    verdict: Verdict,
}

/// A client address's checks left, as of `updated`.
#[derive(Debug, Clone, Copy)]
struct Budget {
    left: u32,
    updated: Instant,
}

/// Everything the cache remembers.
#[derive(Debug)]
pub struct State {
    policy: Policy,
    token: Option<Cached>,
    /// Kept apart from the access token: it outlives it (about a year at Getty).
    refresh_token: Option<Secret>,
    /// The last renewal failed (and none succeeded since).
    failure: Option<Failure>,
    refreshing: bool,
    /// The check under way.
    checking: Option<Flight>,
    /// The last check's verdict.
    verdict: Option<Judged>,
    /// Checks left per client address (only addresses that spent some).
    budgets: HashMap<IpAddr, Budget>,
    /// Checks left to the cache, all addresses together.
    budget: Budget,
    /// When the logins within the window were made.
    logins: VecDeque<Instant>,
}

impl State {
    /// An empty cache.
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            token: None,
            refresh_token: None,
            failure: None,
            refreshing: false,
            checking: None,
            verdict: None,
            budgets: HashMap::new(),
            budget: Budget {
                left: policy.checks_burst,
                updated: Instant::now(),
            },
            logins: VecDeque::new(),
        }
    }

    /// What to do about `request`, made at `arrived` by `client` (its rate-limit key), now.
    pub fn decide(
        &mut self,
        request: &TokenRequest,
        client: IpAddr,
        arrived: Instant,
        now: Instant,
    ) -> Step {
        if self.token.as_ref().is_some_and(|t| now >= t.expires_at) {
            self.token = None;
        }
        let Some(token) = self.token.clone() else {
            return self.without_token(arrived, now);
        };
        if self.claims_refusal(request, &token, now) {
            match self.verdict_since(&token.id, arrived) {
                // Getty still takes it (or could not say otherwise): the claim is not believed.
                Some(Verdict::Accepted | Verdict::Unknown) => {}
                Some(Verdict::Refused) => {
                    // Dropped when the verdict came; kept here only if a renewal put it back.
                    self.token = None;
                    return self.without_token(arrived, now);
                }
                // A check under way may have begun before this claim's 401: wait for it, then
                // decide again (its refusal settles the claim; otherwise another check).
                None if self.checking.is_some() => {
                    return Step::AwaitCheck {
                        id: token.id,
                        start: None,
                    }
                }
                None if self.spend_check(client, now) => {
                    self.checking = Some(Flight {
                        id: token.id.clone(),
                        started: now,
                        client,
                    });
                    return Step::AwaitCheck {
                        id: token.id,
                        start: Some(token.access_token),
                    };
                }
                // This address, or everyone together, has had the checks: the claim is not
                // believed unchecked.
                None => {}
            }
        }
        let refresh = now >= token.renew_at && !self.refreshing && !self.backing_off(now);
        if refresh {
            self.refreshing = true;
        }
        Step::Serve {
            token: Self::handout(&token, now),
            refresh,
        }
    }

    /// No unexpired token: wait for the renewal under way, share a failure, or start one.
    fn without_token(&mut self, arrived: Instant, now: Instant) -> Step {
        if self.refreshing {
            return Step::AwaitRefresh { start: false };
        }
        if let Some(failure) = self.failure {
            // Those who waited on the failed call, and everyone within the backoff, share its
            // failure: retrying at request rate would hammer a failing upstream.
            if failure.at >= arrived || now < failure.at + self.wait_after(&failure.error) {
                return Step::Fail(self.as_of(failure, now));
            }
        }
        self.refreshing = true;
        Step::AwaitRefresh { start: true }
    }

    /// Whether `request` says Getty refused `token`.
    fn claims_refusal(&self, request: &TokenRequest, token: &Cached, now: Instant) -> bool {
        match request {
            TokenRequest::Current => false,
            TokenRequest::Refused(id) => *id == token.id,
            TokenRequest::Legacy => {
                now.duration_since(token.obtained_at) >= self.policy.refresh_min_age
            }
        }
    }

    /// Getty's verdict on the token `id` from a check that began at or after `arrived`: only
    /// such a check answers a claim made at `arrived`, as the token may have been revoked
    /// between an earlier check and the caller's 401.
    fn verdict_since(&self, id: &str, arrived: Instant) -> Option<Verdict> {
        self.verdict
            .as_ref()
            .filter(|judged| judged.id == id && judged.started >= arrived)
            .map(|judged| judged.verdict)
    }

    /// Takes one check from `client`'s budget and from the cache's at `now`, if both have one
    /// left; the cache's reserve only for an address that made at most one claim lately. A
    /// claim the cache cannot afford still costs its address.
    fn spend_check(&mut self, client: IpAddr, now: Instant) -> bool {
        let (burst, refill) = (self.policy.check_burst, self.policy.check_refill);
        // Addresses back to a full budget need no entry; dropping them bounds the map.
        if self.budgets.len() > 1024 {
            self.budgets
                .retain(|_, budget| Self::refilled(*budget, burst, refill, now).left < burst);
        }
        let budget = self.budgets.get(&client).copied().unwrap_or(Budget {
            left: burst,
            updated: now,
        });
        let budget = Self::refilled(budget, burst, refill, now);
        self.budget = Self::refilled(
            self.budget,
            self.policy.checks_burst,
            self.policy.checks_refill,
            now,
        );
        // At most one claim lately (an editor after a transient 401 is not kept out).
        let reserve = if budget.left + 1 >= burst {
            0
        } else {
            self.policy.checks_reserve
        };
        if budget.left == 0 {
            self.budgets.insert(client, budget);
            return false;
        }
        if self.budget.left <= reserve {
            // Turned away for the cache's sake, the claim still costs its address: one that
            // keeps claiming never gets its budget back, so never reaches the reserve.
            self.budgets.insert(
                client,
                Budget {
                    left: budget.left - 1,
                    ..budget
                },
            );
            return false;
        }
        self.budgets.insert(
            client,
            Budget {
                left: budget.left - 1,
                ..budget
            },
        );
        self.budget.left -= 1;
        true
    }

    /// `budget` with the checks earned since it was updated, at most `burst`.
    fn refilled(budget: Budget, burst: u32, refill: Duration, now: Instant) -> Budget {
        if refill.is_zero() {
            return Budget {
                left: burst,
                updated: now,
            };
        }
        let earned = now.duration_since(budget.updated).as_nanos() / refill.as_nanos();
        let earned = u32::try_from(earned).unwrap_or(u32::MAX);
        if budget.left.saturating_add(earned) >= burst {
            Budget {
                left: burst,
                updated: now,
            }
        } else {
            Budget {
                left: budget.left + earned,
                updated: budget.updated + refill * earned,
            }
        }
    }

    /// Whether the last failure is still answered from memory.
    fn backing_off(&self, now: Instant) -> bool {
        self.failure
            .is_some_and(|failure| now < failure.at + self.wait_after(&failure.error))
    }

    /// How long after `error` no new upstream call is made: the failure backoff, or upstream's
    /// `Retry-After` (or the login bound's) when longer.
    fn wait_after(&self, error: &TokenError) -> Duration {
        let told = Duration::from_secs(error.retry_after().unwrap_or(0));
        self.policy.failure_backoff.max(told)
    }

    /// `failure` as answered at `now`: a `Retry-After` counts down to the next upstream call.
    fn as_of(&self, failure: Failure, now: Instant) -> TokenError {
        match failure.error.retry_after() {
            Some(_) => failure.error.with_retry_after(secs_until(
                failure.at + self.wait_after(&failure.error),
                now,
            )),
            None => failure.error,
        }
    }

    fn handout(token: &Cached, now: Instant) -> Handout {
        Handout {
            access_token: token.access_token.clone(),
            id: token.id.clone(),
            expires_in: remaining_secs(token.expires_at, now),
        }
    }

    /// The refresh token to renew with, if there is one.
    pub fn refresh_token(&self) -> Option<Secret> {
        self.refresh_token.clone()
    }

    /// Getty refused `refused` as a refresh token: forget it (unless another took its place).
    pub fn refresh_token_refused(&mut self, refused: &Secret) {
        if self.refresh_token.as_ref() == Some(refused) {
            self.refresh_token = None;
        }
    }

    /// Counts a full login at `now` if the bound allows it, else says when one will be allowed.
    pub fn admit_login(&mut self, now: Instant) -> Result<(), TokenError> {
        let window = self.policy.login_window;
        while self
            .logins
            .front()
            .is_some_and(|at| now.duration_since(*at) >= window)
        {
            self.logins.pop_front();
        }
        if self.logins.len() < self.policy.max_logins as usize {
            self.logins.push_back(now);
            return Ok(());
        }
        let oldest = self.logins.front().copied().unwrap_or(now);
        Err(TokenError::LoginsLimited {
            retry_after: secs_until(oldest + window, now),
        })
    }

    /// The renewal started at `requested_at` ended with `result`, at `now`.
    pub fn refreshed(
        &mut self,
        result: Result<Issued, TokenError>,
        requested_at: Instant,
        now: Instant,
    ) {
        self.refreshing = false;
        match result {
            Ok(issued) => {
                let lifetime = issued.lifetime.min(MAX_LIFETIME);
                self.token = Some(Cached {
                    id: crate::token::token_id(issued.access_token.expose()),
                    access_token: issued.access_token,
                    obtained_at: requested_at,
                    expires_at: requested_at + lifetime,
                    renew_at: renew_at(requested_at, lifetime, self.policy.margin),
                });
                // Getty may or may not rotate the refresh token; keep the old one if not.
                if issued.refresh_token.is_some() {
                    self.refresh_token = issued.refresh_token;
                }
                self.failure = None;
            }
            Err(error) => self.failure = Some(Failure { at: now, error }),
        }
    }

    /// Getty's `verdict` on the token `id` from the check under way; a refused token is
    /// dropped at once.
    pub fn checked(&mut self, id: &str, verdict: Verdict) {
        let Some(flight) = self.checking.take_if(|flight| flight.id == id) else {
            return;
        };
        if verdict == Verdict::Refused {
            if self.token.as_ref().is_some_and(|t| t.id == id) {
                self.token = None;
            }
            // A claim Getty bore out costs its caller, and the cache, nothing.
            if let Some(budget) = self.budgets.get_mut(&flight.client) {
                budget.left = (budget.left + 1).min(self.policy.check_burst);
            }
            self.budget.left = (self.budget.left + 1).min(self.policy.checks_burst);
        }
        self.verdict = Some(Judged {
            id: flight.id,
            started: flight.started,
            verdict,
        });
    }

    /// The last renewal's failure while an unexpired token is still handed out: the service
    /// works, for now.
    pub fn degraded(&self, now: Instant) -> Option<TokenError> {
        let failure = self.failure?;
        self.token
            .as_ref()
            .filter(|t| now < t.expires_at)
            .map(|_| self.as_of(failure, now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEC: Duration = Duration::from_secs(1);
    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    fn policy() -> Policy {
        Policy {
            margin: 300 * SEC,
            refresh_min_age: 30 * SEC,
            failure_backoff: 5 * SEC,
            check_burst: CHECK_BURST,
            check_refill: CHECK_REFILL,
            checks_burst: CHECKS_BURST,
            checks_refill: CHECKS_REFILL,
            checks_reserve: CHECKS_RESERVE,
            max_logins: 3,
            login_window: LOGIN_WINDOW,
        }
    }

    fn issued(token: &str, lifetime_secs: u64) -> Result<Issued, TokenError> {
        Ok(Issued {
            access_token: Secret::new(token),
            lifetime: Duration::from_secs(lifetime_secs),
            refresh_token: None,
        })
    }

    fn id(token: &str) -> String {
        crate::token::token_id(token)
    }

    /// A state holding `token` (1800 s) obtained at `t0`.
    fn holding(token: &str, t0: Instant) -> State {
        let mut state = State::new(policy());
        assert_eq!(
            state.decide(&TokenRequest::Current, A, t0, t0),
            Step::AwaitRefresh { start: true }
        );
        state.refreshed(issued(token, 1800), t0, t0);
        state
    }

    fn served(step: &Step) -> Option<(&str, bool)> {
        match step {
            Step::Serve { token, refresh } => Some((token.access_token.expose(), *refresh)),
            _ => None,
        }
    }

    #[test]
    fn token_is_renewed_margin_before_expiry() {
        let t0 = Instant::now();
        let margin = Duration::from_secs(300);
        let renew = renew_at(t0, Duration::from_secs(1800), margin);
        assert_eq!(renew, t0 + Duration::from_secs(1500));
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
    fn the_first_caller_starts_the_fetch_and_the_others_wait_for_it() {
        let t0 = Instant::now();
        let mut state = State::new(policy());
        let current = TokenRequest::Current;
        assert_eq!(
            state.decide(&current, A, t0, t0),
            Step::AwaitRefresh { start: true }
        );
        assert_eq!(
            state.decide(&current, A, t0, t0),
            Step::AwaitRefresh { start: false }
        );
        state.refreshed(issued("a", 1800), t0, t0 + SEC);
        let step = state.decide(&current, A, t0, t0 + SEC);
        assert_eq!(served(&step), Some(("a", false)));
        let Step::Serve { token, .. } = step else {
            unreachable!()
        };
        assert_eq!(token.id, id("a"));
        assert_eq!(token.expires_in, 1799);
    }

    #[test]
    fn within_the_margin_one_renewal_runs_beside_the_callers() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let current = TokenRequest::Current;
        let late = t0 + 1600 * SEC;
        assert_eq!(
            served(&state.decide(&current, A, late, late)),
            Some(("a", true))
        );
        // Nobody waits, nobody starts a second renewal.
        for _ in 0..10 {
            assert_eq!(
                served(&state.decide(&current, A, late, late)),
                Some(("a", false))
            );
        }
        state.refreshed(issued("b", 1800), late, late + SEC);
        assert_eq!(
            served(&state.decide(&current, A, late, late + SEC)),
            Some(("b", false))
        );
    }

    #[test]
    fn a_failed_renewal_keeps_the_token_until_it_expires_and_waits_for_the_backoff() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let current = TokenRequest::Current;
        let late = t0 + 1600 * SEC;
        assert_eq!(
            served(&state.decide(&current, A, late, late)),
            Some(("a", true))
        );
        let throttled = TokenError::Throttled { retry_after: 0 };
        state.refreshed(Err(throttled), late, late);
        // Still handed out, no new renewal within the backoff, and degraded meanwhile.
        for offset in [0, 1, 4] {
            let now = late + offset * SEC;
            assert_eq!(
                served(&state.decide(&current, A, now, now)),
                Some(("a", false))
            );
        }
        assert_eq!(
            state.degraded(late + SEC),
            Some(TokenError::Throttled { retry_after: 4 })
        );
        // After the backoff, the next caller starts one renewal.
        let after = late + 5 * SEC;
        assert_eq!(
            served(&state.decide(&current, A, after, after)),
            Some(("a", true))
        );
        // Expired with no replacement: the failure, never the dead token.
        state.refreshed(Err(TokenError::Rejected(503)), after, t0 + 1798 * SEC);
        let expired = t0 + 1800 * SEC;
        assert_eq!(
            state.decide(&current, A, expired, expired),
            Step::Fail(TokenError::Rejected(503))
        );
        assert_eq!(state.degraded(expired), None);
    }

    #[test]
    fn a_longer_retry_after_outlasts_the_backoff_and_counts_down() {
        let t0 = Instant::now();
        let mut state = State::new(policy());
        let current = TokenRequest::Current;
        state.decide(&current, A, t0, t0);
        state.refreshed(Err(TokenError::Throttled { retry_after: 30 }), t0, t0);
        let later = t0 + 10 * SEC;
        assert_eq!(
            state.decide(&current, A, later, later),
            Step::Fail(TokenError::Throttled { retry_after: 20 })
        );
        let past = t0 + 30 * SEC;
        assert_eq!(
            state.decide(&current, A, past, past),
            Step::AwaitRefresh { start: true }
        );
    }

    #[test]
    fn waiters_share_the_failure_even_without_a_backoff() {
        let t0 = Instant::now();
        let mut state = State::new(Policy {
            failure_backoff: Duration::ZERO,
            ..policy()
        });
        let current = TokenRequest::Current;
        state.decide(&current, A, t0, t0);
        state.decide(&current, A, t0, t0);
        state.refreshed(Err(TokenError::Unreachable), t0, t0 + SEC);
        // The callers that waited get the failure; a caller arriving later tries again.
        assert_eq!(
            state.decide(&current, A, t0, t0 + SEC),
            Step::Fail(TokenError::Unreachable)
        );
        let later = t0 + 2 * SEC;
        assert_eq!(
            state.decide(&current, A, later, later),
            Step::AwaitRefresh { start: true }
        );
    }

    /// Starts the check a claim about `token` asks for at `now` and says Getty's `verdict`.
    fn check(state: &mut State, token: &str, client: IpAddr, now: Instant, verdict: Verdict) {
        let claim = TokenRequest::Refused(id(token));
        assert_eq!(
            state.decide(&claim, client, now, now),
            Step::AwaitCheck {
                id: id(token),
                start: Some(Secret::new(token))
            }
        );
        state.checked(&id(token), verdict);
    }

    #[test]
    fn a_claim_of_refusal_is_checked_once_while_others_are_served() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        let now = t0 + SEC;
        assert_eq!(
            state.decide(&claim, A, now, now),
            Step::AwaitCheck {
                id: id("a"),
                start: Some(Secret::new("a"))
            }
        );
        // Claims that come meanwhile wait for that check; plain callers are served.
        for client in [A, B] {
            assert_eq!(
                state.decide(&claim, client, now, now),
                Step::AwaitCheck {
                    id: id("a"),
                    start: None
                }
            );
        }
        assert_eq!(
            served(&state.decide(&TokenRequest::Current, B, now, now)),
            Some(("a", false))
        );
        state.checked(&id("a"), Verdict::Accepted);
        // The verdict answers the claims made before the check began.
        assert_eq!(
            served(&state.decide(&claim, A, now, now)),
            Some(("a", false))
        );
    }

    #[test]
    fn a_verdict_does_not_answer_claims_made_after_its_check_began() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        check(&mut state, "a", A, t0 + SEC, Verdict::Accepted);
        // Revoked a moment later: the next claim, from anyone, is checked again.
        let later = t0 + 2 * SEC;
        check(&mut state, "a", B, later, Verdict::Refused);
        assert_eq!(
            state.decide(&TokenRequest::Refused(id("a")), B, later, later),
            Step::AwaitRefresh { start: true }
        );
    }

    #[test]
    fn a_stream_of_claims_from_one_address_costs_a_check_every_few_seconds() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        let mut now = t0;
        for _ in 0..CHECK_BURST {
            now += Duration::from_millis(10);
            check(&mut state, "a", A, now, Verdict::Accepted);
        }
        // Its budget spent: its claims get the token unchecked, at once.
        for _ in 0..1000 {
            now += Duration::from_millis(1);
            assert_eq!(
                served(&state.decide(&claim, A, now, now)),
                Some(("a", false))
            );
        }
        // Another address is checked as before, without waiting.
        check(&mut state, "a", B, now, Verdict::Accepted);
        // One more check for the first address once it has earned one.
        let refilled = t0 + CHECK_REFILL + SEC;
        check(&mut state, "a", A, refilled, Verdict::Accepted);
        assert_eq!(
            served(&state.decide(&claim, A, refilled, refilled + SEC)),
            Some(("a", false))
        );
    }

    #[test]
    fn a_claim_getty_bears_out_costs_nothing() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let mut now = t0;
        // An editor whose claims keep proving true is checked every time.
        for n in 0..10u64 {
            now += Duration::from_millis(10);
            let token = format!("t{n}");
            state.refreshed(issued(&token, 1800), now, now);
            check(&mut state, &token, A, now, Verdict::Refused);
        }
        for _ in 0..CHECK_BURST {
            assert!(state.spend_check(A, now));
        }
        assert!(!state.spend_check(A, now));
    }

    #[test]
    fn many_addresses_together_are_paced_by_the_caches_budget() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        // 198.51.100.n: every claim from an address with its own budget untouched.
        let address = |n: u32| IpAddr::V4(std::net::Ipv4Addr::from(0xC633_6400 + n));
        let mut now = t0;
        for n in 0..CHECKS_BURST {
            now += Duration::from_millis(10);
            check(&mut state, "a", address(n), now, Verdict::Accepted);
        }
        // The cache's checks are spent: claims from fresh addresses get the token unchecked.
        for n in 100..200 {
            now += Duration::from_millis(1);
            assert_eq!(
                served(&state.decide(&claim, address(n), now, now)),
                Some(("a", false))
            );
        }
        // Once the cache has earned a check, the next claim, whoever makes it, is checked and
        // finds a revocation.
        let later = now + CHECKS_REFILL;
        check(&mut state, "a", address(200), later, Verdict::Refused);
        assert_eq!(
            state.decide(&claim, address(201), later, later),
            Step::AwaitRefresh { start: true }
        );
        // That check found the truth: it cost the cache nothing.
        assert!(state.spend_check(address(202), later));
        assert!(!state.spend_check(address(203), later));
    }

    #[test]
    fn the_caches_last_checks_are_kept_for_addresses_that_made_at_most_one_claim_lately() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        let address = |n: u32| IpAddr::V4(std::net::Ipv4Addr::from(0xC633_6400 + n));
        let mut now = t0;
        // Seven addresses keep claiming for a minute: the checks the cache earns meanwhile are
        // theirs, but a claim the cache cannot afford still costs its address, so they never
        // have their budget back and never reach the cache's reserve.
        for _ in 0..120 {
            now += CHECK_REFILL / 10;
            for n in 0..CHECKS_BURST - CHECKS_RESERVE {
                if let Step::AwaitCheck { start: Some(_), .. } =
                    state.decide(&claim, address(n), now, now)
                {
                    state.checked(&id("a"), Verdict::Accepted);
                }
            }
        }
        assert_eq!(state.budget.left, CHECKS_RESERVE);
        for n in 0..CHECKS_BURST - CHECKS_RESERVE {
            assert_eq!(
                served(&state.decide(&claim, address(n), now, now)),
                Some(("a", false))
            );
        }
        // An address that made no claim lately gets one, and finds the revocation; so would
        // one that made a single claim (an editor after a transient 401).
        now += Duration::from_millis(1);
        check(&mut state, "a", address(100), now, Verdict::Accepted);
        now += Duration::from_millis(1);
        check(&mut state, "a", address(100), now, Verdict::Refused);
        assert_eq!(
            state.decide(&claim, address(0), now, now),
            Step::AwaitRefresh { start: true }
        );
    }

    #[test]
    fn budgets_refill_up_to_the_burst() {
        let t0 = Instant::now();
        let mut state = State::new(policy());
        for _ in 0..CHECK_BURST {
            assert!(state.spend_check(A, t0));
        }
        assert!(!state.spend_check(A, t0 + SEC));
        assert!(state.spend_check(A, t0 + CHECK_REFILL));
        assert!(!state.spend_check(A, t0 + CHECK_REFILL));
        // A long pause earns the burst back, not more.
        let much_later = t0 + 100 * CHECK_REFILL;
        for _ in 0..CHECK_BURST {
            assert!(state.spend_check(A, much_later));
        }
        assert!(!state.spend_check(A, much_later));
    }

    #[test]
    fn a_token_getty_refuses_is_dropped_and_replaced_for_everyone() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        let now = t0 + SEC;
        check(&mut state, "a", A, now, Verdict::Refused);
        // Revoked a second after issue: replaced at once, whatever its age.
        assert_eq!(
            state.decide(&claim, A, now, now),
            Step::AwaitRefresh { start: true }
        );
        assert_eq!(
            state.decide(&TokenRequest::Current, A, now, now),
            Step::AwaitRefresh { start: false }
        );
        state.refreshed(issued("b", 1800), now, now);
        // Claims naming the old token get the new one without another check.
        assert_eq!(
            served(&state.decide(&claim, A, now, now)),
            Some(("b", false))
        );
    }

    #[test]
    fn a_refused_token_is_not_handed_out_when_its_replacement_fails() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let now = t0 + SEC;
        check(&mut state, "a", A, now, Verdict::Refused);
        state.decide(&TokenRequest::Current, A, now, now);
        state.refreshed(Err(TokenError::Rejected(500)), now, now);
        for request in [
            TokenRequest::Current,
            TokenRequest::Refused(id("a")),
            TokenRequest::Legacy,
        ] {
            assert_eq!(
                state.decide(&request, A, now, now + SEC),
                Step::Fail(TokenError::Rejected(500))
            );
        }
        assert_eq!(state.degraded(now), None, "no token: not ready at all");
    }

    #[test]
    fn an_unknown_verdict_keeps_the_token() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        let claim = TokenRequest::Refused(id("a"));
        check(&mut state, "a", A, t0, Verdict::Unknown);
        assert_eq!(served(&state.decide(&claim, A, t0, t0)), Some(("a", false)));
    }

    #[test]
    fn stale_claims_and_young_legacy_refreshes_are_served_the_current_token() {
        let t0 = Instant::now();
        let mut state = holding("a", t0);
        for request in [
            TokenRequest::Refused(id("z")),
            TokenRequest::Refused("0000000000000000".into()),
            TokenRequest::Legacy,
        ] {
            assert_eq!(
                served(&state.decide(&request, A, t0, t0 + SEC)),
                Some(("a", false))
            );
        }
        // A legacy refresh of an older token is a claim like any other: checked first.
        let old = t0 + 30 * SEC;
        assert!(matches!(
            state.decide(&TokenRequest::Legacy, A, old, old),
            Step::AwaitCheck { start: Some(_), .. }
        ));
    }

    #[test]
    fn logins_are_bounded_per_window() {
        let t0 = Instant::now();
        let mut state = State::new(policy());
        for i in 0..3 {
            assert_eq!(state.admit_login(t0 + i * SEC), Ok(()));
        }
        assert_eq!(
            state.admit_login(t0 + 10 * SEC),
            Err(TokenError::LoginsLimited { retry_after: 50 })
        );
        assert_eq!(
            state.admit_login(t0 + 59 * SEC + Duration::from_millis(500)),
            Err(TokenError::LoginsLimited { retry_after: 1 })
        );
        assert_eq!(state.admit_login(t0 + 60 * SEC), Ok(()));
        // The refusal is remembered like Getty's throttling, counting down.
        state.refreshed(
            Err(TokenError::LoginsLimited { retry_after: 50 }),
            t0,
            t0 + 10 * SEC,
        );
        let later = t0 + 20 * SEC;
        assert_eq!(
            state.decide(&TokenRequest::Current, A, later, later),
            Step::Fail(TokenError::LoginsLimited { retry_after: 40 })
        );
    }

    #[test]
    fn refresh_tokens_rotate_or_stay() {
        let t0 = Instant::now();
        let mut state = State::new(policy());
        state.refreshed(
            Ok(Issued {
                access_token: Secret::new("a"),
                lifetime: 1800 * SEC,
                refresh_token: Some(Secret::new("r1")),
            }),
            t0,
            t0,
        );
        state.refreshed(issued("b", 1800), t0, t0);
        assert_eq!(state.refresh_token(), Some(Secret::new("r1")));
        state.refresh_token_refused(&Secret::new("other"));
        assert_eq!(state.refresh_token(), Some(Secret::new("r1")));
        state.refresh_token_refused(&Secret::new("r1"));
        assert_eq!(state.refresh_token(), None);
    }
}
