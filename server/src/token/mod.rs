//! `POST /token`: the token caches (the user token, and a search-only one), the answer, and
//! the refresh protocol's query.

pub mod cache;
pub mod check;
pub mod state;

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::header::CACHE_CONTROL;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::guards::scope::Scope;
use crate::settings::Mode;
use crate::ticket::hex;
use crate::upstream::TokenError;
use cache::TokenCache;

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
    /// Why the token is search only; absent when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_only_reason: Option<SearchOnlyReason>,
}

/// Why a `/token` answer is search only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchOnlyReason {
    /// This caller may only search (the CMS said so); others may license.
    Role,
    /// The service has no Getty user: nobody's token can download.
    NoUser,
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
    /// The cached token (`POST /token`).
    Current,
    /// Getty refused the token with this id (`?refresh=1&refused=<token_id>`): if it is the
    /// cached one, Getty is asked, and only Getty's refusal replaces it.
    Refused(String),
    /// Legacy `?refresh=1` without `refused`: a claim about the cached token if it is older
    /// than `refresh_min_age`, checked like [`TokenRequest::Refused`].
    Legacy,
}

/// The service's token caches: the user token, and for search-only callers a
/// client-credentials token from a cache of its own.
pub struct Tokens {
    user: Arc<TokenCache>,
    /// `None` when the service has no Getty user: its one cache is client credentials already.
    search: Option<Arc<TokenCache>>,
}

impl Tokens {
    /// `user` for full-scope callers, `search` (if any) for search-only ones.
    pub fn new(user: Arc<TokenCache>, search: Option<Arc<TokenCache>>) -> Self {
        Self { user, search }
    }

    /// Whether even full-scope tokens cannot download (no Getty user).
    pub fn search_only(&self) -> bool {
        !self.user.has_user()
    }

    /// Whether these tokens can download, as `/readyz` reports it.
    pub fn mode(&self) -> Mode {
        if self.search_only() {
            Mode::SearchOnly
        } else {
            Mode::Downloads
        }
    }

    /// The cache behind full-scope callers, on which readiness depends.
    pub fn user(&self) -> &Arc<TokenCache> {
        &self.user
    }

    /// A failed renewal in either cache while its token still works.
    pub fn degraded(&self) -> Option<TokenError> {
        self.user
            .degraded()
            .or_else(|| self.search.as_ref().and_then(|cache| cache.degraded()))
    }

    /// The answer for a caller of `scope` at `client` (its rate-limit key) asking `request`.
    pub async fn issue(
        &self,
        scope: Scope,
        client: IpAddr,
        request: &TokenRequest,
    ) -> Result<TokenResponse, TokenError> {
        let (cache, reason) = match scope {
            Scope::Search => (
                self.search.as_ref().unwrap_or(&self.user),
                Some(SearchOnlyReason::Role),
            ),
            Scope::License => (
                &self.user,
                self.search_only().then_some(SearchOnlyReason::NoUser),
            ),
        };
        let token = cache.token(request, client).await?;
        Ok(TokenResponse {
            access_token: token.access_token.expose().to_owned(),
            token_type: "Bearer",
            expires_in: token.expires_in,
            token_id: token.id,
            search_only: reason.is_some(),
            search_only_reason: reason,
        })
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

/// The caller's rate-limit key, which authentication puts in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientKey(pub IpAddr);

/// `POST /token[?refresh=1&refused=<token_id>]`: hands the browser a bearer token for Getty's
/// API, of the scope authentication granted.
pub async fn issue_token(
    State(tokens): State<Arc<Tokens>>,
    scope: Option<Extension<Scope>>,
    client: Option<Extension<ClientKey>>,
    RawQuery(query): RawQuery,
) -> Result<impl IntoResponse, ApiError> {
    // Authentication always grants one; were it missing, the least privilege.
    let scope = scope.map_or(Scope::Search, |Extension(scope)| scope);
    let client = client.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |Extension(key)| key.0);
    let token = tokens
        .issue(scope, client, &token_request(query.as_deref()))
        .await?;
    // Tokens are per-deployment credentials: no shared cache may keep them.
    Ok(([(CACHE_CONTROL, "no-store")], Json(token)))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_reason_is_said_only_when_search_only() {
        let answer = |reason: Option<SearchOnlyReason>| {
            serde_json::to_value(TokenResponse {
                access_token: "t".into(),
                token_type: "Bearer",
                expires_in: 1,
                token_id: "i".into(),
                search_only: reason.is_some(),
                search_only_reason: reason,
            })
            .unwrap_or_default()
        };
        assert!(answer(None).get("search_only_reason").is_none());
        assert_eq!(
            answer(Some(SearchOnlyReason::Role))["search_only_reason"],
            "role"
        );
        assert_eq!(
            answer(Some(SearchOnlyReason::NoUser))["search_only_reason"],
            "no_user"
        );
    }
}
