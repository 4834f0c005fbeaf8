//! Asking Getty whether an access token is still accepted, before a caller's word that it was
//! refused throws it away.

use axum::http::header::ACCEPT;
use axum::http::StatusCode;

use crate::config::Secret;
use crate::upstream::Upstream;

/// The endpoint asked: it needs the key and a token (any kind), answers a small constant list,
/// and spends nothing of the account.
pub const CHECK_PATH: &str = "/v3/countries";

/// What Getty said about a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx: the token works; the claim that it was refused is not believed.
    Accepted,
    /// A 401: the token is dead and must be replaced.
    Refused,
    /// Anything else (unreachable, throttled, 5xx, another refusal): no evidence against the
    /// token, so it is kept; a new one would not be had any easier.
    Unknown,
}

/// Makes the check call; one shared, timeout-bounded HTTP client.
#[derive(Debug, Clone)]
pub struct TokenChecker {
    http: reqwest::Client,
    url: String,
    api_key: String,
}

impl TokenChecker {
    /// A checker against `upstream`'s API with its key.
    pub fn new(http: reqwest::Client, upstream: &Upstream) -> Self {
        Self {
            http,
            url: format!("{}{CHECK_PATH}", upstream.api_base),
            api_key: upstream.api_key.clone(),
        }
    }

    /// Getty's verdict on `token`.
    pub async fn check(&self, token: &Secret) -> Verdict {
        let answer = self
            .http
            .get(&self.url)
            .header("Api-Key", &self.api_key)
            .header(ACCEPT, "application/json")
            .bearer_auth(token.expose())
            .send()
            .await;
        match answer {
            Ok(response) => verdict_of(response.status()),
            Err(error) => {
                tracing::warn!(error = %error.without_url(), "the token check could not reach Getty");
                Verdict::Unknown
            }
        }
    }
}

/// The verdict an answer's status carries.
pub fn verdict_of(status: StatusCode) -> Verdict {
    if status.is_success() {
        Verdict::Accepted
    } else if status == StatusCode::UNAUTHORIZED {
        Verdict::Refused
    } else {
        tracing::warn!(%status, "the token check got no verdict from Getty");
        Verdict::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_401_condemns_a_token() {
        assert_eq!(verdict_of(StatusCode::OK), Verdict::Accepted);
        assert_eq!(verdict_of(StatusCode::NO_CONTENT), Verdict::Accepted);
        assert_eq!(verdict_of(StatusCode::UNAUTHORIZED), Verdict::Refused);
        for status in [403, 404, 429, 500, 503] {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
            assert_eq!(verdict_of(status), Verdict::Unknown, "{status}");
        }
    }
}
