//! What a caller may do with the Getty token it gets: license (the user token) or only search
//! (a client-credentials token), as the CMS says through forward-auth or a ticket.

use axum::http::HeaderMap;

/// The header a forward-auth service sets on its 2xx answer to name the caller's scope.
pub const SCOPE_HEADER: &str = "x-getty-picker-scope";

/// What a caller may do with its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Search and license: the service's user token (password grant).
    License,
    /// Search only: a client-credentials token from a cache of its own, never the user token.
    Search,
}

/// A scope word the backend does not know; refused (`403 not_authorized`), as least privilege
/// cannot be guessed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown picker scope {0:?} (expected \"search\" or \"license\")")]
pub struct UnknownScope(pub String);

impl Scope {
    /// Reads one scope word: exactly `search` or `license`.
    pub fn parse(word: &str) -> Result<Self, UnknownScope> {
        match word.trim() {
            "search" => Ok(Self::Search),
            "license" => Ok(Self::License),
            other => Err(UnknownScope(other.chars().take(40).collect())),
        }
    }

    /// The scope a forward-auth answer's headers grant: [`Scope::License`] only when
    /// [`SCOPE_HEADER`] says `license`; without it, [`Scope::Search`], so that a proxy or a CMS
    /// answer that drops the header never turns a searcher into a licensor. Every value
    /// (repeated headers, comma-separated lists) must be known, and any `search` among them
    /// makes it [`Scope::Search`].
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, UnknownScope> {
        let mut values = headers.get_all(SCOPE_HEADER).iter().peekable();
        if values.peek().is_none() {
            return Ok(Self::Search);
        }
        let mut scope = Self::License;
        for value in values {
            let text = value
                .to_str()
                .map_err(|_| UnknownScope("(not text)".into()))?;
            for word in text.split(',') {
                if Self::parse(word)? == Self::Search {
                    scope = Self::Search;
                }
            }
        }
        Ok(scope)
    }

    /// The word for logs and tickets.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::License => "license",
            Self::Search => "search",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(values: &[&'static str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(SCOPE_HEADER, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn only_license_is_the_full_scope_and_absent_is_search() {
        assert_eq!(Scope::from_headers(&headers(&[])), Ok(Scope::Search));
        assert_eq!(
            Scope::from_headers(&headers(&["license"])),
            Ok(Scope::License)
        );
        assert_eq!(
            Scope::from_headers(&headers(&["license", " license"])),
            Ok(Scope::License)
        );
        assert_eq!(
            Scope::from_headers(&headers(&[" search "])),
            Ok(Scope::Search)
        );
    }

    #[test]
    fn the_least_privilege_wins_and_unknown_words_are_refused() {
        assert_eq!(
            Scope::from_headers(&headers(&["license", "search"])),
            Ok(Scope::Search)
        );
        assert_eq!(
            Scope::from_headers(&headers(&["license, search"])),
            Ok(Scope::Search)
        );
        for bad in [&["admin"][..], &["Search"], &[""], &["search", "all"]] {
            assert!(Scope::from_headers(&headers(bad)).is_err(), "{bad:?}");
        }
        let long = Scope::parse(&"x".repeat(500)).expect_err("unknown");
        assert_eq!(long.0.len(), 40);
    }
}
