//! Optional forward-auth (like nginx `auth_request` or Traefik ForwardAuth): the CMS decides who
//! may get a token, and with `X-Getty-Picker-Scope` on its 2xx answer, of which scope:
//! `license` for the full scope, `search` (or no header at all) for search only.

use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};

use super::scope::Scope;
use crate::error::HttpError;

/// The auth service asked about each token request.
#[derive(Debug, Clone)]
pub struct ForwardAuth {
    http: reqwest::Client,
    url: String,
}

/// Why forward-auth refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// The auth service answered 401: the caller is not logged in.
    #[error("log in to the CMS to use the image picker")]
    NotAuthenticated,
    /// The auth service answered another non-2xx status (403, a redirect to a login page...).
    #[error("this account may not use the image picker")]
    Forbidden,
    /// The auth service could not be reached, timed out or answered 5xx.
    #[error("the login check is unavailable; try again later")]
    Unavailable,
}

impl HttpError for AuthError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotAuthenticated => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::Unavailable => StatusCode::BAD_GATEWAY,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::NotAuthenticated => "not_authenticated",
            Self::Forbidden => "not_authorized",
            Self::Unavailable => "auth_unavailable",
        }
    }
}

impl ForwardAuth {
    /// Asks `url` through `http`, which must not follow redirects.
    pub fn new(http: reqwest::Client, url: String) -> Self {
        Self { http, url }
    }

    /// Asks the auth service whether, and with which scope, the caller sending `headers` may
    /// get a token.
    pub async fn check(&self, headers: &HeaderMap) -> Result<Scope, AuthError> {
        let mut ask = self.http.get(&self.url);
        // Only the credentials: other headers (Host, Content-Length...) describe our request, not the caller.
        if let Some(cookie) = joined_cookies(headers) {
            ask = ask.header(COOKIE, cookie);
        }
        for value in headers.get_all(AUTHORIZATION) {
            ask = ask.header(AUTHORIZATION, value);
        }
        let answer = ask.send().await.map_err(|error| {
            tracing::warn!(error = %error.without_url(), "forward-auth request failed");
            AuthError::Unavailable
        })?;
        let status = answer.status();
        match status.as_u16() {
            // Least privilege: a scope the backend does not know grants nothing.
            200..=299 => Scope::from_headers(answer.headers()).map_err(|unknown| {
                tracing::warn!(%unknown, "forward-auth answered a scope this backend does not know");
                AuthError::Forbidden
            }),
            401 => Err(AuthError::NotAuthenticated),
            500..=599 => {
                tracing::warn!(%status, "forward-auth service failed");
                Err(AuthError::Unavailable)
            }
            _ => Err(AuthError::Forbidden),
        }
    }
}

/// All `Cookie` headers as one, joined by `; `: HTTP/2 clients and some proxies split cookies
/// over several headers (RFC 9113 8.2.3), and most auth services read only the first.
pub fn joined_cookies(headers: &HeaderMap) -> Option<HeaderValue> {
    let parts: Vec<&[u8]> = headers
        .get_all(COOKIE)
        .iter()
        .map(HeaderValue::as_bytes)
        .filter(|v| !v.is_empty())
        .collect();
    if parts.is_empty() {
        return None;
    }
    let joined = parts.join(&b"; "[..]);
    // Joining valid header values with "; " gives a valid header value.
    HeaderValue::from_bytes(&joined).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_joined() {
        let mut headers = HeaderMap::new();
        assert_eq!(joined_cookies(&headers), None);
        headers.append(COOKIE, HeaderValue::from_static("a=1"));
        headers.append(COOKIE, HeaderValue::from_static("session=s; b=2"));
        assert_eq!(
            joined_cookies(&headers),
            Some(HeaderValue::from_static("a=1; session=s; b=2"))
        );
    }
}
