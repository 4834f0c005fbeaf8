//! The picker's configuration, read once from the mount element's data attributes.

use thiserror::Error;

use crate::getty::query::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::getty::url::is_http_url;
use crate::getty::{AssetFamily, FilterKind, Filters};
use crate::i18n::Language;

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
    /// Whether a download opens its delivery URI in a new tab (`data-open-tab`, default true);
    /// the card's link and the host's download event happen either way.
    pub open_tab: bool,
    /// Images per page (`data-page-size`, 1 to 100, default 30).
    pub page_size: u32,
    /// The filters a new picker starts with (`data-asset-family`, `data-sort-order`, ...).
    pub filters: Filters,
    /// The host's language (`data-locale`, e.g. `de`), for the UI and Getty's `Accept-Language`.
    pub locale: Option<String>,
    /// The language the picker speaks: chosen from `locale` here, and from the browser's
    /// preferred languages too when the picker is mounted ([`Language::choose`]).
    pub language: Language,
    /// Host overrides of UI texts, a JSON object (`data-strings`), read by the widget.
    pub strings: Option<String>,
    /// A ticket the CMS signed for the editor (`data-ticket`), sent to the token backend as
    /// `Authorization: GettyPicker-Ticket <ticket>`.
    pub ticket: Option<String>,
    /// The host's library (`data-library-url`, absolute or a path on the page's origin): asked
    /// once per page of results which of its images the host already holds.
    pub library_url: Option<String>,
    /// A Getty image id whose details open at mount (`data-open-image`), with its licensing
    /// controls, as if the editor had opened its card.
    pub open_image: Option<String>,
}

/// Why a picker's configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// A required attribute is absent or blank.
    #[error("the picker needs a `{0}` attribute")]
    Missing(&'static str),
    /// A URL attribute is not an http(s) URL.
    #[error("`{attribute}` must be an http(s) URL, not \"{value}\"")]
    NotHttp {
        /// The attribute's name.
        attribute: &'static str,
        /// What it held.
        value: String,
    },
    /// An option has a value the picker does not know.
    #[error("`{attribute}` must be {expected}, not \"{value}\"")]
    Invalid {
        /// The attribute's name.
        attribute: &'static str,
        /// What it held.
        value: String,
        /// What would have been accepted.
        expected: &'static str,
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
        let token_url = http_or_path("data-token-url", token_url)?;
        let library_url = read("data-library-url")
            .map(|url| http_or_path("data-library-url", url))
            .transpose()?;
        let api_key = read("data-api-key").ok_or(ConfigError::Missing("data-api-key"))?;
        let api_base = read("data-api-base").unwrap_or_else(|| DEFAULT_API_BASE.to_owned());
        if !is_http_url(&api_base) {
            return Err(ConfigError::NotHttp {
                attribute: "data-api-base",
                value: api_base,
            });
        }
        // Only an explicit "false" turns it off: a typo must not silently change behaviour.
        let open_tab =
            !read("data-open-tab").is_some_and(|value| value.eq_ignore_ascii_case("false"));
        let invalid = |attribute, value: String, expected| ConfigError::Invalid {
            attribute,
            value,
            expected,
        };
        let page_size = match read("data-page-size") {
            None => DEFAULT_PAGE_SIZE,
            Some(value) => value
                .parse()
                .ok()
                .filter(|size| (1..=MAX_PAGE_SIZE).contains(size))
                .ok_or_else(|| invalid("data-page-size", value, "a number from 1 to 100"))?,
        };
        let mut filters = Filters {
            family: match read("data-asset-family") {
                None => AssetFamily::default(),
                Some(value) => AssetFamily::parse(&value).ok_or_else(|| {
                    invalid("data-asset-family", value, "all, creative or editorial")
                })?,
            },
            exclude_nudity: read("data-exclude-nudity").is_some_and(|v| v == "true"),
            safe_search: read("data-safe-search").is_some_and(|v| v == "true"),
            ..Filters::default()
        };
        for kind in FilterKind::ALL {
            if let Some(value) = read(kind.attribute()) {
                if kind.parse(&value).is_none() {
                    return Err(invalid(kind.attribute(), value, "one of Getty's values"));
                }
                filters.set(kind, Some(&value));
            }
        }
        // It becomes a request header, so only what a language tag can hold.
        let locale = read("data-locale");
        if let Some(tag) = &locale {
            let valid =
                tag.len() <= 35 && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !valid {
                return Err(invalid(
                    "data-locale",
                    tag.clone(),
                    "a language tag such as de-DE",
                ));
            }
        }
        // It becomes a request header too: `user.expiry.signature`, printable ASCII only.
        let ticket = read("data-ticket");
        if let Some(ticket) = &ticket {
            if ticket.len() > 512 || !ticket.chars().all(|c| c.is_ascii_graphic()) {
                return Err(invalid(
                    "data-ticket",
                    ticket.clone(),
                    "the ticket the CMS signed (user.expiry.signature)",
                ));
            }
        }
        // It becomes a path segment of a request to Getty: an id's characters only.
        let open_image = read("data-open-image");
        if let Some(id) = &open_image {
            let valid = id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !valid {
                return Err(invalid(
                    "data-open-image",
                    id.clone(),
                    "a Getty image id such as 83454804",
                ));
            }
        }
        Ok(Self {
            token_url,
            api_key,
            api_base: api_base.trim_end_matches('/').to_owned(),
            open_tab,
            page_size,
            filters,
            language: Language::choose(locale.as_deref(), &[]),
            locale,
            strings: read("data-strings"),
            ticket,
            library_url,
            open_image,
        })
    }
}

/// `url` if it is an absolute http(s) URL or a path on the page's origin (not `//host/...`).
fn http_or_path(attribute: &'static str, url: String) -> Result<String, ConfigError> {
    let is_path = url.starts_with('/') && !url.starts_with("//");
    if is_path || is_http_url(&url) {
        Ok(url)
    } else {
        Err(ConfigError::NotHttp {
            attribute,
            value: url,
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
        assert!(
            config.open_tab,
            "downloads open a tab unless told otherwise"
        );
    }

    #[test]
    fn only_false_turns_off_the_new_tab() {
        let with = |value: &str| {
            config(&[
                ("data-token-url", "/t"),
                ("data-api-key", "k"),
                ("data-open-tab", value),
            ])
            .expect("valid")
            .open_tab
        };
        assert!(!with("false"));
        assert!(!with(" FALSE "));
        assert!(with("true"));
        assert!(with(""));
        assert!(with("no"));
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

    #[test]
    fn library_url_is_http_or_a_path() {
        let with = |url: &str| {
            config(&[
                ("data-token-url", "/t"),
                ("data-api-key", "k"),
                ("data-library-url", url),
            ])
        };
        assert_eq!(
            with("/getty-picker/library/").map(|c| c.library_url),
            Ok(Some("/getty-picker/library/".into()))
        );
        assert_eq!(
            with(" https://cms.example.com/library ").map(|c| c.library_url),
            Ok(Some("https://cms.example.com/library".into()))
        );
        assert_eq!(with("  ").map(|c| c.library_url), Ok(None));
        for bad in [
            "javascript:alert(1)",
            "//evil.example/x",
            "library",
            "ftp://x/y",
        ] {
            assert!(
                matches!(
                    with(bad),
                    Err(ConfigError::NotHttp {
                        attribute: "data-library-url",
                        ..
                    })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn search_options_and_their_errors() {
        let base = [("data-token-url", "/t"), ("data-api-key", "k")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut pairs = base.to_vec();
            pairs.extend_from_slice(extra);
            config(&pairs)
        };
        let defaults = with(&[]).expect("valid");
        assert_eq!(defaults.page_size, DEFAULT_PAGE_SIZE);
        assert_eq!(defaults.filters, Filters::default());
        assert_eq!(defaults.locale, None);
        let set = with(&[
            ("data-page-size", "100"),
            ("data-asset-family", "creative"),
            ("data-orientation", "square"),
            ("data-graphical-style", "vector"),
            ("data-safe-search", "true"),
            ("data-locale", "de-DE"),
            ("data-strings", r#"{"download":"Use"}"#),
            ("data-ticket", "editor@example.com.1700000600.d03ac6e6"),
        ])
        .expect("valid");
        assert_eq!(set.page_size, 100);
        assert_eq!(set.filters.family, AssetFamily::Creative);
        assert_eq!(set.filters.get(FilterKind::Orientation), Some("square"));
        assert_eq!(set.filters.get(FilterKind::GraphicalStyle), Some("vector"));
        assert!(set.filters.safe_search && !set.filters.exclude_nudity);
        assert_eq!(set.locale.as_deref(), Some("de-DE"));
        assert_eq!(set.language.locale.tag(), "de");
        assert_eq!(set.language.accept_language, Some("de"));
        assert_eq!(defaults.language, Language::default());
        assert_eq!(set.strings.as_deref(), Some(r#"{"download":"Use"}"#));
        assert_eq!(
            set.ticket.as_deref(),
            Some("editor@example.com.1700000600.d03ac6e6")
        );
        assert_eq!(defaults.ticket, None);
        assert_eq!(defaults.open_image, None);
        let opened = with(&[("data-open-image", " 83454804 ")]).expect("valid");
        assert_eq!(opened.open_image.as_deref(), Some("83454804"));
        for bad in [
            ("data-page-size", "101"),
            ("data-page-size", "lots"),
            ("data-asset-family", "stock"),
            ("data-sort-order", "cheapest"),
            ("data-locale", "de\r\nX-Evil: 1"),
            ("data-ticket", "a.1.b\r\nX-Evil: 1"),
            ("data-open-image", "../v3/downloads/images/7"),
            ("data-open-image", "7?fields=x"),
        ] {
            assert!(
                matches!(with(&[bad]), Err(ConfigError::Invalid { attribute, .. }) if attribute == bad.0),
                "{bad:?}"
            );
        }
    }
}
