//! The sandbox's token bookkeeping and its `Api-Key` / bearer checks.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::SandboxError;
use crate::secret::Secret;
use crate::SANDBOX_API_KEY;

/// Lifetime of sandbox access tokens, as Getty's.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(1800);

/// Lifetime of delivery links, as Getty's ("valid about 24 hours").
pub const DELIVERY_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The `k` of a delivery link for image `id` expiring at `expires` (Unix seconds): the first
/// 32 hex digits of an HMAC-SHA256 under the sandbox's per-run key. The link is opened as a
/// top-level navigation without any header, so the proof of the download is in the URI, as in
/// Getty's signed delivery links.
pub fn delivery_signature(key: &Secret, id: &str, expires: u64) -> String {
    // HMAC accepts keys of any length.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose().as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(format!("delivery:{id}:{expires}").as_bytes());
    hex(&mac.finalize().into_bytes()[..16])
}

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex of `bytes` random bytes from the operating system.
pub fn random_hex(bytes: usize) -> Result<String, getrandom::Error> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf)?;
    Ok(hex(&buf))
}

/// Whom an access token speaks for, from the grant that issued it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// `client_credentials`: searches, but Getty refuses its downloads and products.
    Client,
    /// `password` or `refresh_token`: this user of the account (the grant's `username`).
    User(String),
}

/// Access tokens (with expiry and kind) and refresh tokens (with their user) the sandbox has
/// issued.
#[derive(Debug, Default)]
pub struct TokenStore {
    access: HashMap<String, (Instant, TokenKind)>,
    refresh: HashMap<String, String>,
}

impl TokenStore {
    /// Issues a new access token of `kind` valid for [`TOKEN_LIFETIME`].
    pub fn issue_access(
        &mut self,
        now: Instant,
        kind: TokenKind,
    ) -> Result<String, getrandom::Error> {
        // Pruning on issue keeps the map bounded by the tokens alive at once.
        self.access.retain(|_, (expires, _)| *expires > now);
        let token = random_hex(24)?;
        self.access
            .insert(token.clone(), (now + TOKEN_LIFETIME, kind));
        Ok(token)
    }

    /// Issues a new refresh token for `user`.
    pub fn issue_refresh(&mut self, user: &str) -> Result<String, getrandom::Error> {
        let token = random_hex(24)?;
        self.refresh.insert(token.clone(), user.to_owned());
        Ok(token)
    }

    /// The kind of `token` if it was issued here and has not expired at `now`.
    pub fn kind(&self, token: &str, now: Instant) -> Option<TokenKind> {
        self.access
            .get(token)
            .filter(|(expires, _)| *expires > now)
            .map(|(_, kind)| kind.clone())
    }

    /// Whether `token` was issued here and has not expired at `now`.
    pub fn is_valid(&self, token: &str, now: Instant) -> bool {
        self.kind(token, now).is_some()
    }

    /// Revokes every access token, as Getty does when credentials are rotated.
    pub fn revoke_all(&mut self) -> usize {
        let revoked = self.access.len();
        self.access.clear();
        revoked
    }

    /// Revokes one access token; whether it was known.
    pub fn revoke(&mut self, token: &str) -> bool {
        self.access.remove(token).is_some()
    }

    /// The user of `token` if it is a refresh token issued here.
    pub fn refresh_user(&self, token: &str) -> Option<&str> {
        self.refresh.get(token).map(String::as_str)
    }
}

/// Checks the `Api-Key` header and extracts the bearer token; validity is checked by the caller.
pub fn credentials(headers: &HeaderMap) -> Result<&str, SandboxError> {
    // HeaderMap lookups are case-insensitive, so `api-key` and `Api-Key` both work.
    let api_key = headers.get("api-key").ok_or(SandboxError::MissingApiKey)?;
    if api_key.as_bytes() != SANDBOX_API_KEY.as_bytes() {
        return Err(SandboxError::UnknownApiKey);
    }
    let authorization = headers
        .get(AUTHORIZATION)
        .ok_or(SandboxError::MissingToken)?
        .to_str()
        .map_err(|_| SandboxError::InvalidToken)?;
    let (scheme, token) = authorization
        .trim()
        .split_once(' ')
        .ok_or(SandboxError::InvalidToken)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(SandboxError::InvalidToken);
    }
    Ok(token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_expire() {
        let mut store = TokenStore::default();
        let t0 = Instant::now();
        let user = TokenKind::User("editor".into());
        let token = store.issue_access(t0, user.clone()).unwrap_or_default();
        assert_eq!(token.len(), 48);
        assert_eq!(store.kind(&token, t0), Some(user));
        let client = store
            .issue_access(t0, TokenKind::Client)
            .unwrap_or_default();
        assert_eq!(store.kind(&client, t0), Some(TokenKind::Client));
        assert!(store.is_valid(&token, t0 + Duration::from_secs(1799)));
        assert!(!store.is_valid(&token, t0 + TOKEN_LIFETIME));
        assert!(!store.is_valid("made-up", t0));
        assert!(store.revoke(&token));
        assert!(!store.is_valid(&token, t0));
    }

    #[test]
    fn delivery_signatures_bind_id_and_expiry() {
        let key = Secret::new("k");
        let sig = delivery_signature(&key, "1", 10);
        assert_eq!(sig.len(), 32);
        assert_eq!(sig, delivery_signature(&key, "1", 10));
        assert_ne!(sig, delivery_signature(&key, "2", 10));
        assert_ne!(sig, delivery_signature(&key, "1", 11));
        assert_ne!(sig, delivery_signature(&Secret::new("j"), "1", 10));
    }
}
