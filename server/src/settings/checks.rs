//! The checks a configuration value must pass before it is used: URL shapes, hosts, origins,
//! durations and the randomness of a shared secret. Pure functions, tested here.

use std::net::IpAddr;

use crate::config::{ConfigError, MIN_TICKET_SECRET_BITS};

/// `url` without the `user:password@` part, for logs and error messages; unparseable URLs are
/// replaced entirely, since where their credentials sit cannot be known.
pub fn redact_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            if !parsed.username().is_empty() || parsed.password().is_some() {
                // Only fails for URLs that cannot carry credentials, which then have none.
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
            }
            parsed.to_string()
        }
        Err(_) => "[unparseable URL]".to_owned(),
    }
}

/// `host` or `host:port` as browsers send it in `Host`: letters, digits, dots, dashes, IPv6 brackets.
pub(super) fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-_:[]".contains(&b))
}

/// An absolute `http` or `https` URL.
pub(super) fn is_http_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// A plain `http://` URL whose host is not loopback (`localhost`, 127.0.0.0/8, `::1`):
/// whatever it carries crosses a network unencrypted.
pub fn is_insecure_url(url: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(url) else {
        return false;
    };
    if url.scheme() != "http" {
        return false;
    }
    let Some(host) = url.host_str() else {
        return true;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => !ip.is_loopback(),
        Err(_) => !bare.eq_ignore_ascii_case("localhost"),
    }
}

/// Shannon's estimate of the bits in `text`, from its character frequencies: what a guesser
/// who knows which characters occur how often must still try.
pub fn estimated_bits(text: &str) -> f64 {
    let chars: Vec<char> = text.chars().collect();
    let total = chars.len() as f64;
    let mut counts: Vec<(char, usize)> = Vec::new();
    for c in &chars {
        match counts.iter_mut().find(|(seen, _)| seen == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((*c, 1)),
        }
    }
    let per_char: f64 = counts
        .iter()
        .map(|&(_, n)| {
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum();
    per_char * total
}

/// Whether `text` repeats a shorter piece (`abab…`, `passwordpassword…`).
fn is_repetition(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=bytes.len() / 2).any(|period| {
        bytes.len().is_multiple_of(period)
            && bytes.chunks(period).all(|chunk| chunk == &bytes[..period])
    })
}

/// Whether a secret is plausibly random: enough estimated bits and no repeated pattern.
pub fn is_unpredictable(secret: &str) -> bool {
    estimated_bits(secret) >= MIN_TICKET_SECRET_BITS && !is_repetition(secret)
}

/// Zero would disable a safeguard silently, so it is refused rather than accepted.
pub(super) fn check_duration(name: &'static str, value: u64, max: u64) -> Result<(), ConfigError> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(ConfigError::InvalidDuration { name, max, value })
    }
}

/// Browsers send `Origin` as `scheme://host[:port]`, so anything with a path can never match.
pub(super) fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '@'])
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}
