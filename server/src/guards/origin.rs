//! Which browser origins may ask for tokens, and the CORS answers for `/token`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_MAX_AGE, HOST, ORIGIN, VARY,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ApiError, HttpError};

/// Which origins may call `/token` from a browser: the configured set, plus same-origin pages
/// of the hosts the operator listed.
#[derive(Clone, Debug)]
pub struct OriginPolicy {
    /// The cross-origin rule.
    pub origins: Origins,
    /// `host[:port]` values (lowercase) whose same-origin requests are trusted (`PICKER_PUBLIC_HOSTS`).
    pub public_hosts: Arc<[String]>,
}

/// The set of origins allowed to call `/token` from a browser.
#[derive(Clone, Debug)]
pub enum Origins {
    /// Exactly these origins (compared case-insensitively).
    Listed(Arc<[String]>),
    /// Any `http` origin on a loopback host, whatever the port (sandbox default).
    Loopback,
    /// Any origin: `*` in sandbox mode, whose tokens spend nothing (refused at start otherwise).
    Any,
}

impl OriginPolicy {
    /// Whether a request with this `Origin` (and `Host`) may get a token.
    pub fn allows(&self, origin: &str, host: Option<&str>) -> bool {
        // Browsers send Origin on same-origin POSTs too, e.g. from the widget served by
        // --static-dir. But Host is whatever name the browser resolved: after DNS rebinding,
        // evil.example's page reaches us with Host evil.example. So only listed hosts count.
        let same_origin = host
            .filter(|host| {
                self.public_hosts
                    .iter()
                    .any(|listed| listed.eq_ignore_ascii_case(host))
            })
            .is_some_and(|host| {
                ["http://", "https://"]
                    .iter()
                    .any(|scheme| origin.eq_ignore_ascii_case(&format!("{scheme}{host}")))
            });
        same_origin
            || match &self.origins {
                Origins::Listed(list) => list.iter().any(|o| o.eq_ignore_ascii_case(origin)),
                Origins::Loopback => is_loopback_origin(origin),
                Origins::Any => true,
            }
    }
}

/// `http://localhost`, `http://127.0.0.1` or `http://[::1]`, with any port or none.
pub fn is_loopback_origin(origin: &str) -> bool {
    let Some(authority) = origin.strip_prefix("http://") else {
        return false;
    };
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((host, rest)) => (host, rest),
            None => return false,
        },
        None => authority.split_at(authority.find(':').unwrap_or(authority.len())),
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok());
    port_ok
        && matches!(
            host.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "::1"
        )
}

/// Rejected because the request's `Origin` is not allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("this origin may not request tokens; add it to PICKER_ALLOWED_ORIGINS")]
pub struct OriginNotAllowed;

impl HttpError for OriginNotAllowed {
    fn status(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn code(&self) -> &'static str {
        "origin_not_allowed"
    }
}

/// Middleware for `/token`: refuses foreign origins, answers preflights, adds CORS headers.
///
/// The widget fetches with `credentials: "include"` so forward-auth cookies reach us; browsers
/// then require the exact origin (never `*`) and `Access-Control-Allow-Credentials: true`, on the
/// preflight as on the answer. Requests without `Origin` are not from a cross-origin page: CORS
/// cannot protect against them, forward-auth and the rate limit do.
pub async fn guard(
    State(policy): State<OriginPolicy>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let Some(origin) = request.headers().get(ORIGIN).cloned() else {
        // No Origin: not a cross-origin browser request, so CORS has nothing to protect.
        return Ok(next.run(request).await);
    };
    let host = request.headers().get(HOST).and_then(|h| h.to_str().ok());
    let allowed = origin
        .to_str()
        .is_ok_and(|origin| policy.allows(origin, host));
    if !allowed {
        return Err(OriginNotAllowed.into());
    }
    let mut response = if request.method() == Method::OPTIONS {
        let mut preflight = StatusCode::NO_CONTENT.into_response();
        let headers = preflight.headers_mut();
        headers.insert(
            ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST, OPTIONS"),
        );
        headers.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("accept, accept-language, authorization, content-type"),
        );
        headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
        preflight
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
    headers.append(VARY, HeaderValue::from_static("origin"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_origins() {
        for ok in [
            "http://localhost:8080",
            "http://127.0.0.1:1",
            "http://[::1]:65535",
            "http://localhost",
            "http://LOCALHOST:3000",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for bad in [
            "https://localhost:8080",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io:80",
            "http://localhost:",
            "http://localhost:80/x",
            "http://[::1",
            "http://[::2]:80",
            "http://localhost:99999",
            "http://localhost:+80",
            "null",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }

    #[test]
    fn listed_and_same_origin() {
        let policy = OriginPolicy {
            origins: Origins::Listed(vec!["https://cms.example.com".to_owned()].into()),
            public_hosts: vec!["picker.local:8787".to_owned()].into(),
        };
        assert!(policy.allows("https://cms.example.com", None));
        assert!(!policy.allows("https://evil.example.com", None));
        assert!(policy.allows("http://picker.local:8787", Some("picker.local:8787")));
        assert!(policy.allows("https://PICKER.local:8787", Some("picker.LOCAL:8787")));
        assert!(!policy.allows("http://localhost:3000", None));
        // DNS rebinding: a page on an unlisted host reaching us under its own name.
        assert!(!policy.allows("http://evil.com", Some("evil.com")));
        assert!(!policy.allows("http://picker.local:8787", Some("evil.com")));
    }
}
