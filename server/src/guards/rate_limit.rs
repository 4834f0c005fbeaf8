//! The per-client rate limit on `/token`: a fixed window per client address and bucket.
//! Requests that pass authentication and requests that fail it count in buckets of their own,
//! so refusals from a shared address cannot use up the allowance of an editor behind it.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;

use super::client_ip::{client_ip, limit_key};
use crate::error::HttpError;

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    count: u32,
}

/// Which allowance a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Requests that passed authentication (all of them where none is required).
    Authenticated,
    /// Requests that failed authentication.
    Refused,
}

#[derive(Debug)]
struct Windows {
    by_client: HashMap<(IpAddr, Bucket), Window>,
    pruned_at: Instant,
}

/// Counts `/token` requests per client and refuses those over the limit.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    trusted_proxies: Arc<[IpAddr]>,
    windows: Mutex<Windows>,
}

/// Refused because the client made too many requests in the current window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many token requests; retry in {retry_after} s")]
pub struct RateLimited {
    /// Whole seconds until the client's window ends (at least 1).
    pub retry_after: u64,
}

impl HttpError for RateLimited {
    fn status(&self) -> StatusCode {
        StatusCode::TOO_MANY_REQUESTS
    }

    fn code(&self) -> &'static str {
        "rate_limited"
    }

    fn retry_after(&self) -> Option<u64> {
        Some(self.retry_after)
    }
}

impl RateLimiter {
    /// `limit` requests per client per `window`; a limit of 0 lets everything through.
    pub fn new(limit: u32, window: Duration, trusted_proxies: &[IpAddr]) -> Self {
        Self {
            limit,
            window,
            trusted_proxies: trusted_proxies.into(),
            windows: Mutex::new(Windows {
                by_client: HashMap::new(),
                pruned_at: Instant::now(),
            }),
        }
    }

    /// Counts one request from `client` in `bucket` at `now`.
    pub fn check(&self, client: IpAddr, bucket: Bucket, now: Instant) -> Result<(), RateLimited> {
        self.count(client, bucket, now, true)
    }

    /// Whether `client` has used up `bucket` at `now`, without counting anything.
    pub fn exhausted(&self, client: IpAddr, bucket: Bucket, now: Instant) -> Option<RateLimited> {
        self.count(client, bucket, now, false).err()
    }

    /// The key a request's client is limited under: the peer, or the client a trusted proxy
    /// names, IPv6 by /64.
    pub fn client_of(&self, request: &Request) -> IpAddr {
        // Absent only when the router is served without connect info; all such callers then share one key.
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        limit_key(client_ip(peer, request.headers(), &self.trusted_proxies))
    }

    fn count(
        &self,
        client: IpAddr,
        bucket: Bucket,
        now: Instant,
        counting: bool,
    ) -> Result<(), RateLimited> {
        if self.limit == 0 {
            return Ok(());
        }
        // Nothing can leave the map inconsistent mid-update, so a poisoned lock is still usable.
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        // Dropping finished windows once per window bounds the map by the clients of one window.
        if now.duration_since(windows.pruned_at) >= self.window {
            let length = self.window;
            windows
                .by_client
                .retain(|_, w| now.duration_since(w.started) < length);
            windows.pruned_at = now;
        }
        let window = windows.by_client.entry((client, bucket)).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(window.started) >= self.window {
            *window = Window {
                started: now,
                count: 0,
            };
        }
        if window.count >= self.limit {
            let left = (window.started + self.window).saturating_duration_since(now);
            // Rounded up so a client that waits as told is never refused again.
            let retry_after = left.as_secs() + u64::from(left.subsec_nanos() > 0);
            return Err(RateLimited {
                retry_after: retry_after.max(1),
            });
        }
        if counting {
            window.count += 1;
        }
        Ok(())
    }

    /// How many clients are currently tracked.
    pub fn tracked(&self) -> usize {
        self.windows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .by_client
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    const IN: Bucket = Bucket::Authenticated;
    const OUT: Bucket = Bucket::Refused;

    #[test]
    fn fixed_window_per_client() {
        let limiter = RateLimiter::new(2, Duration::from_secs(60), &[]);
        let t0 = Instant::now();
        assert_eq!(limiter.check(A, IN, t0), Ok(()));
        assert_eq!(limiter.exhausted(A, IN, t0), None);
        assert_eq!(limiter.check(A, IN, t0), Ok(()));
        assert_eq!(
            limiter.exhausted(A, IN, t0),
            Some(RateLimited { retry_after: 60 })
        );
        assert_eq!(
            limiter.check(A, IN, t0 + Duration::from_millis(500)),
            Err(RateLimited { retry_after: 60 })
        );
        assert_eq!(limiter.check(B, IN, t0), Ok(()));
        assert_eq!(
            limiter.check(A, IN, t0 + Duration::from_secs(59)),
            Err(RateLimited { retry_after: 1 })
        );
        assert_eq!(limiter.check(A, IN, t0 + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn refusals_have_an_allowance_of_their_own() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60), &[]);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(A, OUT, t0), Ok(()));
        }
        assert!(limiter.check(A, OUT, t0).is_err());
        assert_eq!(limiter.exhausted(A, IN, t0), None);
        assert_eq!(limiter.check(A, IN, t0), Ok(()));
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = RateLimiter::new(0, Duration::from_secs(60), &[]);
        let t0 = Instant::now();
        assert!((0..1000).all(|_| limiter.check(A, IN, t0).is_ok()));
        assert_eq!(limiter.exhausted(A, IN, t0), None);
        assert_eq!(limiter.tracked(), 0);
    }

    #[test]
    fn finished_windows_are_pruned() {
        let limiter = RateLimiter::new(5, Duration::from_secs(10), &[]);
        let t0 = Instant::now();
        for i in 0..100u8 {
            let _ = limiter.check(IpAddr::V4(Ipv4Addr::new(10, 0, 0, i)), IN, t0);
        }
        assert_eq!(limiter.tracked(), 100);
        let _ = limiter.check(A, IN, t0 + Duration::from_secs(11));
        assert_eq!(limiter.tracked(), 1);
    }
}
