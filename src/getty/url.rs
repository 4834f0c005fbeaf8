//! Just enough URL handling for the picker's safety rules, without shipping a URL crate.

/// Percent-encodes `text` for a query string value, like JavaScript's `encodeURIComponent`.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The origin (`scheme://host[:port]`) of an absolute http(s) URL, normalised for comparison.
///
/// Returns `None` for anything that is not an absolute http(s) URL, including URLs with
/// credentials, which browsers treat specially and an API never needs.
pub fn http_origin(url: &str) -> Option<String> {
    let url = url.trim();
    // A char pattern, not "://": a str searcher would bring its panic path into the bundle.
    let (scheme, rest) = url.split_once(':')?;
    let rest = rest.strip_prefix("//")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') || authority.contains('\\') {
        return None;
    }
    let authority = authority.to_ascii_lowercase();
    let (host, port) = match authority.rsplit_once(':') {
        // An IPv6 literal such as `[::1]` has colons of its own.
        Some((host, port)) if !port.contains(']') => (host, port),
        _ => (authority.as_str(), default_port),
    };
    if host.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(if port == default_port || port.is_empty() {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}:{port}")
    })
}

/// Whether `url` is an absolute http(s) URL, the only kind the picker opens or fetches.
pub fn is_http_url(url: &str) -> bool {
    http_origin(url).is_some()
}

/// Whether two URLs share an origin; `false` if either is not an http(s) URL.
pub fn same_origin(a: &str, b: &str) -> bool {
    matches!((http_origin(a), http_origin(b)), (Some(a), Some(b)) if a == b)
}

/// Appends `key=value` pairs to `url`, keeping any query it already has.
pub fn with_query(url: &str, pairs: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let mut out = String::from(base);
    let mut separator = if base.contains('?') { '&' } else { '?' };
    if base.ends_with('?') || base.ends_with('&') {
        separator = '\0';
    }
    for (key, value) in pairs {
        if separator != '\0' {
            out.push(separator);
        }
        out.push_str(&encode_component(key));
        out.push('=');
        out.push_str(&encode_component(value));
        separator = '&';
    }
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encode_component("kitties"), "kitties");
        assert_eq!(encode_component("red cat & dog"), "red%20cat%20%26%20dog");
        assert_eq!(encode_component("a+b=c/d?"), "a%2Bb%3Dc%2Fd%3F");
        assert_eq!(encode_component("café"), "caf%C3%A9");
    }

    #[test]
    fn origins() {
        assert_eq!(
            http_origin("https://API.gettyimages.com/v3/x?y#z").as_deref(),
            Some("https://api.gettyimages.com")
        );
        assert_eq!(
            http_origin("https://api.gettyimages.com:443/v3").as_deref(),
            Some("https://api.gettyimages.com")
        );
        assert_eq!(
            http_origin("http://127.0.0.1:8787").as_deref(),
            Some("http://127.0.0.1:8787")
        );
        assert_eq!(
            http_origin("http://[::1]:9000/a").as_deref(),
            Some("http://[::1]:9000")
        );
        assert_eq!(
            http_origin("http://[::1]/a").as_deref(),
            Some("http://[::1]")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://example.com/",
            "/relative",
            "https://",
            "https://user:pw@evil.example/",
            "https://host:80x/",
            "",
        ] {
            assert_eq!(http_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn same_origin_checks() {
        assert!(same_origin(
            "https://api.gettyimages.com/v3/downloads/images/1",
            "https://api.gettyimages.com"
        ));
        assert!(!same_origin(
            "https://api.gettyimages.com.evil.example/v3",
            "https://api.gettyimages.com"
        ));
        assert!(!same_origin(
            "http://api.gettyimages.com/v3",
            "https://api.gettyimages.com"
        ));
        assert!(!same_origin("http://127.0.0.1:1/", "http://127.0.0.1:2/"));
        assert!(!same_origin("javascript:x", "javascript:x"));
    }

    #[test]
    fn appends_query_pairs() {
        assert_eq!(
            with_query("https://a/b", &[("x", "1 2")]),
            "https://a/b?x=1%202"
        );
        assert_eq!(
            with_query("https://a/b?s=sig", &[("x", "1"), ("y", "2")]),
            "https://a/b?s=sig&x=1&y=2"
        );
        assert_eq!(with_query("https://a/b?", &[("x", "1")]), "https://a/b?x=1");
        assert_eq!(
            with_query("https://a/b#f", &[("x", "1")]),
            "https://a/b?x=1#f"
        );
    }
}
