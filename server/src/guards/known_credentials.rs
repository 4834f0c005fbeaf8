//! The credentials that passed forward-auth lately, per client, kept as keyed hashes: once a
//! client has used up its allowance of refusals, a request reaches the auth service only if it
//! carries one of them. So a stream of made-up cookies from an address costs the auth service
//! at most the refusal allowance per window, while an editor behind the same address (a NAT, an
//! office proxy) who got a token before goes on being heard.
//!
//! Each credential item counts on its own: every `name=value` pair of the `Cookie` headers and
//! every `Authorization` value. A browser's other cookies change between requests (a CSRF
//! token, a flash message), its session cookie does not, and an attacker cannot guess it. A
//! pair that is easy to guess (`lang=en`) could be sent by anyone, so an item is forgotten as
//! soon as a request carrying it is refused: it then opens the door at most once per time an
//! editor passes with it again.
//!
//! Nothing is kept in clear: an item is remembered as the first 16 bytes of its HMAC-SHA256
//! under a key drawn at start, which is never logged and dies with the process.

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How long a credential that passed stays known: a working day. The picker asks for a token
/// about every half hour while it is open, and once per page it is opened on, so remembering
/// only the rate-limit window would forget every editor between two of their requests.
pub const KNOWN_FOR: Duration = Duration::from_secs(12 * 60 * 60);

/// Credential items remembered per client at most; the ones seen longest ago go first.
pub const MAX_PER_CLIENT: usize = 64;

/// Items of one request looked at at most (cookie pairs, then `Authorization` values).
pub const MAX_ITEMS_PER_REQUEST: usize = 32;

/// Clients remembered at most; beyond, new clients are not remembered until others expire.
pub const MAX_CLIENTS: usize = 65_536;

/// How often expired entries are swept.
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// A credential item's keyed hash.
type Fingerprint = [u8; 16];

struct Known {
    by_client: HashMap<IpAddr, Vec<(Fingerprint, Instant)>>,
    swept_at: Instant,
}

/// The credential items that passed authentication lately, per client key.
pub struct KnownCredentials {
    key: [u8; 32],
    known: Mutex<Known>,
}

impl fmt::Debug for KnownCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KnownCredentials")
            .field("clients", &self.clients())
            .finish_non_exhaustive()
    }
}

impl KnownCredentials {
    /// An empty memory with a fresh random key.
    pub fn new() -> Result<Self, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key)?;
        Ok(Self {
            key,
            known: Mutex::new(Known {
                by_client: HashMap::new(),
                swept_at: Instant::now(),
            }),
        })
    }

    /// The fingerprints of the credential items of `headers`: each cookie pair, each
    /// `Authorization` value, at most [`MAX_ITEMS_PER_REQUEST`].
    fn fingerprints(&self, headers: &HeaderMap) -> Vec<Fingerprint> {
        let cookies = headers
            .get_all(COOKIE)
            .iter()
            .flat_map(|value| value.as_bytes().split(|b| *b == b';'))
            .map(<[u8]>::trim_ascii)
            .filter(|pair| !pair.is_empty())
            .map(|pair| self.fingerprint(b"cookie", pair));
        let authorization = headers
            .get_all(AUTHORIZATION)
            .iter()
            .map(|value| value.as_bytes().trim_ascii())
            .filter(|value| !value.is_empty())
            .map(|value| self.fingerprint(b"authorization", value));
        cookies
            .chain(authorization)
            .take(MAX_ITEMS_PER_REQUEST)
            .collect()
    }

    fn fingerprint(&self, kind: &[u8], item: &[u8]) -> Fingerprint {
        // HMAC accepts keys of any length.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(kind);
        mac.update(b"\0");
        mac.update(item);
        let mut out = [0u8; 16];
        out.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        out
    }

    /// Nothing can leave the map inconsistent mid-update, so a poisoned lock is still usable.
    fn lock(&self) -> std::sync::MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Remembers the credential items of `headers`, which passed authentication for `client`
    /// at `now`.
    pub fn learn(&self, client: IpAddr, headers: &HeaderMap, now: Instant) {
        let prints = self.fingerprints(headers);
        if prints.is_empty() {
            return;
        }
        let mut known = self.lock();
        sweep(&mut known, now);
        if !known.by_client.contains_key(&client) && known.by_client.len() >= MAX_CLIENTS {
            return;
        }
        let entries = known.by_client.entry(client).or_default();
        for print in prints {
            match entries.iter_mut().find(|(known, _)| *known == print) {
                Some(entry) => entry.1 = now,
                None => entries.push((print, now)),
            }
        }
        if entries.len() > MAX_PER_CLIENT {
            entries.sort_unstable_by_key(|(_, seen)| std::cmp::Reverse(*seen));
            entries.truncate(MAX_PER_CLIENT);
        }
    }

    /// Whether `headers` carry a credential item that passed authentication for `client` less
    /// than [`KNOWN_FOR`] before `now`.
    pub fn recognises(&self, client: IpAddr, headers: &HeaderMap, now: Instant) -> bool {
        let prints = self.fingerprints(headers);
        let known = self.lock();
        known.by_client.get(&client).is_some_and(|entries| {
            entries.iter().any(|(print, seen)| {
                now.saturating_duration_since(*seen) < KNOWN_FOR && prints.contains(print)
            })
        })
    }

    /// Forgets every credential item of `headers` for `client`: a request carrying them was
    /// refused, so none of them vouches for anyone any more.
    pub fn forget(&self, client: IpAddr, headers: &HeaderMap) {
        let prints = self.fingerprints(headers);
        let mut known = self.lock();
        if let Some(entries) = known.by_client.get_mut(&client) {
            entries.retain(|(print, _)| !prints.contains(print));
            if entries.is_empty() {
                known.by_client.remove(&client);
            }
        }
    }

    /// How many clients have credentials remembered.
    pub fn clients(&self) -> usize {
        self.lock().by_client.len()
    }
}

/// Drops what expired, at most once per [`SWEEP_EVERY`].
fn sweep(known: &mut Known, now: Instant) {
    if now.saturating_duration_since(known.swept_at) < SWEEP_EVERY {
        return;
    }
    known.by_client.retain(|_, entries| {
        entries.retain(|(_, seen)| now.saturating_duration_since(*seen) < KNOWN_FOR);
        !entries.is_empty()
    });
    known.swept_at = now;
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use std::net::Ipv4Addr;

    const A: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2));

    fn with(cookies: &[&'static str], authorization: Option<&'static str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for cookie in cookies {
            headers.append(COOKIE, HeaderValue::from_static(cookie));
        }
        if let Some(value) = authorization {
            headers.append(AUTHORIZATION, HeaderValue::from_static(value));
        }
        headers
    }

    fn known() -> KnownCredentials {
        KnownCredentials::new().expect("a random key")
    }

    #[test]
    fn a_session_that_passed_is_recognised_whatever_else_changed() {
        let memory = known();
        let t0 = Instant::now();
        memory.learn(A, &with(&["session=s3cr3t; csrftoken=one"], None), t0);
        let later = t0 + Duration::from_secs(3600);
        // Other cookies changed, split over two headers: the session is still there.
        let editor = with(&["csrftoken=two", "session=s3cr3t; messages=saved"], None);
        assert!(memory.recognises(A, &editor, later));
        for stranger in [
            with(&["session=guess"], None),
            with(&[], None),
            with(&["session=s3cr3t2"], None),
        ] {
            assert!(!memory.recognises(A, &stranger, later));
        }
        // Per client: the same session from another address is not known there.
        assert!(!memory.recognises(B, &editor, later));
        // Until it expires.
        assert!(!memory.recognises(A, &editor, t0 + KNOWN_FOR));
    }

    #[test]
    fn an_item_seen_in_a_refused_request_is_forgotten() {
        let memory = known();
        let t0 = Instant::now();
        memory.learn(A, &with(&["session=s3cr3t; lang=en"], None), t0);
        let guess = with(&["lang=en"], None);
        assert!(memory.recognises(A, &guess, t0));
        memory.forget(A, &guess);
        assert!(!memory.recognises(A, &guess, t0));
        assert!(memory.recognises(A, &with(&["session=s3cr3t"], None), t0));
        memory.forget(A, &with(&["session=s3cr3t"], None));
        assert_eq!(memory.clients(), 0);
    }

    #[test]
    fn authorization_values_count_and_are_told_apart_from_cookies() {
        let memory = known();
        let t0 = Instant::now();
        memory.learn(A, &with(&[], Some("Bearer editor")), t0);
        assert!(memory.recognises(A, &with(&[], Some("Bearer editor")), t0));
        assert!(!memory.recognises(A, &with(&[], Some("Bearer editors")), t0));
        // The same bytes as a cookie are another item.
        assert!(!memory.recognises(A, &with(&["Bearer editor"], None), t0));
    }

    #[test]
    fn memory_is_bounded_and_keeps_no_credential_in_clear() {
        let memory = known();
        let t0 = Instant::now();
        memory.learn(A, &with(&["session=first"], None), t0);
        for batch in 1..=3u64 {
            // More items than a request is looked at for: the rest are ignored.
            let many: Vec<String> = (0..100).map(|n| format!("junk{batch}x{n}={n}")).collect();
            let mut headers = HeaderMap::new();
            headers.append(
                COOKIE,
                HeaderValue::from_str(&many.join("; ")).expect("a header"),
            );
            memory.learn(A, &headers, t0 + Duration::from_secs(batch));
        }
        let stored = memory.lock().by_client[&A].len();
        assert_eq!(stored, MAX_PER_CLIENT);
        // The oldest went first.
        assert!(!memory.recognises(A, &with(&["session=first"], None), t0));
        // Only fingerprints, and Debug shows neither them nor the key.
        let debug = format!("{memory:?}");
        assert!(
            !debug.contains("first") && !debug.contains("junk"),
            "{debug}"
        );
        // Expired clients are swept.
        memory.learn(B, &with(&["session=b"], None), t0 + KNOWN_FOR + SWEEP_EVERY);
        assert_eq!(memory.clients(), 1);
    }
}
