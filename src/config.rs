//! The picker's configuration, read once from the mount element's data attributes.

use thiserror::Error;

use crate::getty::url::is_http_url;

/// Getty's production API, used when the host sets no `data-api-base`.
pub const DEFAULT_API_BASE: &str = "https://api.gettyimages.com";

/// Validated settings of one picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The token backend's `POST` endpoint (absolute, or a path on the host page's origin).
    pub token_url: String,
    /// The Getty API key, sent as `Api-Key` (public by Getty's design; the secret stays server-side).
    pub api_key: String,
    /// Getty's API root; bearer tokens are only ever sent to this origin.
    pub api_base: String,
}

/// Why a picker's configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A required attribute is absent or blank.
    #[error("the picker needs a `{0}` attribute")]
    Missing(&'static str),
    /// A URL attribute is not an http(s) URL.
    #[error("`{attribute}` must be an http(s) URL, not {value:?}")]
    NotHttp {
        /// The attribute's name.
        attribute: &'static str,
        /// What it held.
        value: String,
    },
}

impl Config {
    /// Reads the settings through `attribute(name)`, which returns the `data-*` attribute `name`.
    pub fn from_attributes(
        attribute: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let read = |name: &'static str| {
            attribute(name)
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let token_url = read("data-token-url").ok_or(ConfigError::Missing("data-token-url"))?;
        // A path is fine: the backend often sits on the CMS's own origin.
        let is_path = token_url.starts_with('/') && !token_url.starts_with("//");
        if !is_path && !is_http_url(&token_url) {
            return Err(ConfigError::NotHttp {
                attribute: "data-token-url",
                value: token_url,
            });
        }
        let api_key = read("data-api-key").ok_or(ConfigError::Missing("data-api-key"))?;
        let api_base = read("data-api-base").unwrap_or_else(|| DEFAULT_API_BASE.to_owned());
        if !is_http_url(&api_base) {
            return Err(ConfigError::NotHttp {
                attribute: "data-api-base",
                value: api_base,
            });
        }
        Ok(Self {
            token_url,
            api_key,
            api_base: api_base.trim_end_matches('/').to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_attributes(|name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn minimal_config_defaults_to_getty() {
        let config = config(&[
            ("data-token-url", "/getty/token"),
            ("data-api-key", " key "),
        ])
        .expect("valid");
        assert_eq!(config.token_url, "/getty/token");
        assert_eq!(config.api_key, "key");
        assert_eq!(config.api_base, DEFAULT_API_BASE);
    }

    #[test]
    fn api_base_is_normalised() {
        let config = config(&[
            ("data-token-url", "http://127.0.0.1:8787/token"),
            ("data-api-key", "k"),
            ("data-api-base", "http://127.0.0.1:8787/"),
        ])
        .expect("valid");
        assert_eq!(config.api_base, "http://127.0.0.1:8787");
    }

    #[test]
    fn refuses_missing_and_unsafe_values() {
        assert_eq!(
            config(&[("data-api-key", "k")]),
            Err(ConfigError::Missing("data-token-url"))
        );
        assert_eq!(
            config(&[("data-token-url", "/t"), ("data-api-key", "  ")]),
            Err(ConfigError::Missing("data-api-key"))
        );
        assert!(matches!(
            config(&[
                ("data-token-url", "javascript:alert(1)"),
                ("data-api-key", "k")
            ]),
            Err(ConfigError::NotHttp {
                attribute: "data-token-url",
                ..
            })
        ));
        assert!(matches!(
            config(&[
                ("data-token-url", "//evil.example/t"),
                ("data-api-key", "k")
            ]),
            Err(ConfigError::NotHttp { .. })
        ));
        assert!(matches!(
            config(&[
                ("data-token-url", "/t"),
                ("data-api-key", "k"),
                ("data-api-base", "ftp://x")
            ]),
            Err(ConfigError::NotHttp {
                attribute: "data-api-base",
                ..
            })
        ));
    }
}
