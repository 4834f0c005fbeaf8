//! Getty's OAuth token endpoint, as the backend uses it: where tokens come from ([`Upstream`],
//! [`Grant`]), the HTTP client, the token client, OAuth refusals, `Retry-After`, and
//! [`TokenError`] with its HTTP answer.

mod client;
mod http;
mod oauth_error;
mod retry_after;
mod token_error;

pub use client::{parse_expires_in, Issued, OAuthClient};
pub use http::http_client;
pub use oauth_error::{GrantKind, OAuthError};
pub use retry_after::{parse_retry_after, MAX_RETRY_AFTER_SECS};
pub use token_error::TokenError;

use crate::secret::Secret;

/// The OAuth grant used to obtain tokens.
#[derive(Clone, Debug)]
pub enum Grant {
    /// Application-only token: search works, downloads of real assets do not.
    ClientCredentials,
    /// Resource-owner token for a Getty user: needed for download links.
    Password {
        /// Getty username.
        username: String,
        /// Getty password.
        password: Secret,
    },
}

impl Grant {
    /// Which grant this is, without its credentials.
    pub fn kind(&self) -> GrantKind {
        match self {
            Self::ClientCredentials => GrantKind::ClientCredentials,
            Self::Password { .. } => GrantKind::Password,
        }
    }
}

/// Where and how to obtain tokens, and where to check them.
#[derive(Clone, Debug)]
pub struct Upstream {
    /// The OAuth token endpoint.
    pub token_url: String,
    /// The API's base URL (no trailing slash), where a token is checked.
    pub api_base: String,
    /// The API key (OAuth client id).
    pub api_key: String,
    /// The API secret (OAuth client secret).
    pub api_secret: Secret,
    /// The grant to use.
    pub grant: Grant,
}

impl Upstream {
    /// The same credentials with the client-credentials grant: tokens without a user, which
    /// search but cannot download.
    pub fn client_credentials(&self) -> Self {
        Self {
            grant: Grant::ClientCredentials,
            ..self.clone()
        }
    }

    /// The form-urlencoded request body for the configured grant.
    pub(super) fn grant_body(&self) -> Secret {
        match &self.grant {
            Grant::ClientCredentials => self.form(&[("grant_type", "client_credentials")]),
            Grant::Password { username, password } => self.form(&[
                ("grant_type", "password"),
                ("username", username),
                ("password", password.expose()),
            ]),
        }
    }

    /// The form-urlencoded request body exchanging `refresh_token` for a new access token.
    pub(super) fn refresh_body(&self, refresh_token: &Secret) -> Secret {
        self.form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose()),
        ])
    }

    /// `grant_type` first, then the client credentials, then the grant's own fields.
    fn form(&self, fields: &[(&str, &str)]) -> Secret {
        let mut form = form_urlencoded::Serializer::new(String::new());
        let (grant_type, rest) = fields
            .split_first()
            .map_or((None, fields), |(g, r)| (Some(g), r));
        form.extend_pairs(grant_type);
        form.append_pair("client_id", &self.api_key);
        form.append_pair("client_secret", self.api_secret.expose());
        form.extend_pairs(rest);
        Secret::new(form.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_for_each_grant() {
        let mut upstream = Upstream {
            token_url: "http://127.0.0.1:1/token".into(),
            api_base: "http://127.0.0.1:1".into(),
            api_key: "key".into(),
            api_secret: Secret::new("s&cret"),
            grant: Grant::ClientCredentials,
        };
        assert_eq!(
            upstream.grant_body().expose(),
            "grant_type=client_credentials&client_id=key&client_secret=s%26cret"
        );
        upstream.grant = Grant::Password {
            username: "me@example.com".into(),
            password: Secret::new("p w"),
        };
        assert_eq!(
            upstream.grant_body().expose(),
            "grant_type=password&client_id=key&client_secret=s%26cret&username=me%40example.com&password=p+w"
        );
        assert_eq!(
            upstream.refresh_body(&Secret::new("r/1=")).expose(),
            "grant_type=refresh_token&client_id=key&client_secret=s%26cret&refresh_token=r%2F1%3D"
        );
    }
}
