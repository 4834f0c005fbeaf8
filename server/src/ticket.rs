//! Tickets signed by the CMS: `Authorization: GettyPicker-Ticket <user>.<expiry>[.<scope>].<hmac>`,
//! for hosts that cannot offer a forward-auth URL.
//!
//! `<expiry>` is a Unix time in seconds, `<scope>` (optional) `search` for a search-only caller
//! (or `license`, the default), `<hmac>` the lowercase hex HMAC-SHA256 of everything before it
//! (`<user>.<expiry>` or `<user>.<expiry>.<scope>`) under the shared secret
//! (`PICKER_TICKET_SECRET`). The user only names who asked (for logs); what is checked is that
//! the CMS signed it, that it has not expired and that it does not expire too far ahead.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;
use crate::error::HttpError;
use crate::guards::scope::Scope;

/// The `Authorization` scheme of a ticket.
pub const SCHEME: &str = "GettyPicker-Ticket";

/// Longest user name accepted.
pub const MAX_USER_LEN: usize = 128;

/// Why a ticket was refused; every case is a `401` for the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// No `Authorization: GettyPicker-Ticket` header.
    #[error("this page sent no picker ticket; the CMS must render one (see docs/backend.md, \"Ticket format\")")]
    Missing,
    /// Not `<user>.<expiry>[.<scope>].<64 lowercase hex digits>`.
    #[error(
        "the picker ticket is malformed (expected <user>.<expiry>[.<scope>].<lowercase hex hmac>)"
    )]
    Malformed,
    /// The user part is empty, too long or has characters outside `A-Z a-z 0-9 . _ @ + -`.
    #[error("the picker ticket's user is not 1-128 characters of A-Z a-z 0-9 . _ @ + -")]
    BadUser,
    /// The HMAC does not match: not signed with this backend's secret, or altered.
    #[error("the picker ticket's signature is not valid")]
    BadSignature,
    /// The expiry has passed.
    #[error("the picker ticket has expired; reload the page")]
    Expired,
    /// The expiry is further ahead than the configured maximum lifetime.
    #[error("the picker ticket expires further ahead than this backend accepts (PICKER_TICKET_MAX_LIFETIME_SECS)")]
    TooLong,
    /// Validly signed, but with a scope word the backend does not know: least privilege cannot
    /// be guessed, so it gets nothing.
    #[error("the picker ticket's scope is not one this backend knows (search or license)")]
    UnknownScope,
}

impl TicketError {
    /// The stable code clients can match on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Missing => "ticket_missing",
            Self::Expired => "ticket_expired",
            Self::Malformed | Self::BadUser | Self::BadSignature | Self::TooLong => {
                "ticket_invalid"
            }
            // The same answer as forward-auth's refusal of an unknown scope.
            Self::UnknownScope => "not_authorized",
        }
    }
}

impl HttpError for TicketError {
    fn status(&self) -> StatusCode {
        match self {
            Self::UnknownScope => StatusCode::FORBIDDEN,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    fn code(&self) -> &'static str {
        TicketError::code(self)
    }
}

/// What a valid ticket says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticket {
    /// Who the CMS says asked (for logs).
    pub user: String,
    /// What the caller may do.
    pub scope: Scope,
}

/// Checks tickets against the shared secret and the longest lifetime accepted.
#[derive(Clone)]
pub struct TicketVerifier {
    secret: Secret,
    max_lifetime: Duration,
}

impl std::fmt::Debug for TicketVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketVerifier([redacted])")
    }
}

/// The full-scope ticket for `user` expiring at `expiry` (Unix seconds), as the CMS computes it.
pub fn sign(secret: &str, user: &str, expiry: u64) -> String {
    signed(secret, format!("{user}.{expiry}"))
}

/// The ticket for `user` expiring at `expiry` with the scope word `scope` (`search`), as the
/// CMS computes it.
pub fn sign_scoped(secret: &str, user: &str, expiry: u64, scope: &str) -> String {
    signed(secret, format!("{user}.{expiry}.{scope}"))
}

fn signed(secret: &str, message: String) -> String {
    let mac = mac(secret.as_bytes(), message.as_bytes())
        .finalize()
        .into_bytes();
    format!("{message}.{}", hex(&mac))
}

fn mac(key: &[u8], message: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(message);
    mac
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of lowercase hex `text`; one spelling only, so upper-case or mixed hex is refused
/// (the documentation says lower case, and every CMS library writes it).
fn unhex(text: &str) -> Option<Vec<u8>> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn is_user(user: &str) -> bool {
    (1..=MAX_USER_LEN).contains(&user.len())
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._@+-".contains(&b))
}

/// Now as Unix seconds; a clock before 1970 counts as 1970, so tickets look expired.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl TicketVerifier {
    /// A verifier for tickets signed with `secret` that expire at most `max_lifetime` ahead.
    pub fn new(secret: Secret, max_lifetime: Duration) -> Self {
        Self {
            secret,
            max_lifetime,
        }
    }

    /// The ticket in an `Authorization` header value, if it uses the ticket scheme.
    pub fn ticket_of(authorization: &str) -> Option<&str> {
        let (scheme, ticket) = authorization.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case(SCHEME).then_some(ticket.trim())
    }

    /// What a valid `ticket` says, checked at `now` (Unix seconds).
    pub fn verify(&self, ticket: &str, now: u64) -> Result<Ticket, TicketError> {
        // From the right: the user may contain dots (e-mail addresses), the other parts may not.
        let (signed, signature) = ticket.rsplit_once('.').ok_or(TicketError::Malformed)?;
        let (head, last) = signed.rsplit_once('.').ok_or(TicketError::Malformed)?;
        let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        // An expiry is all digits, a scope word all letters: the two cannot be confused.
        let (user, expiry, scope) = if is_number(last) {
            (head, last, None)
        } else {
            let (user, expiry) = head.rsplit_once('.').ok_or(TicketError::Malformed)?;
            (user, expiry, Some(last))
        };
        let signature = unhex(signature)
            .filter(|s| s.len() == 32)
            .ok_or(TicketError::Malformed)?;
        let expiry_secs: u64 = expiry
            .parse()
            .ok()
            .filter(|_| is_number(expiry))
            .ok_or(TicketError::Malformed)?;
        if scope
            .is_some_and(|word| word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()))
        {
            return Err(TicketError::Malformed);
        }
        if !is_user(user) {
            return Err(TicketError::BadUser);
        }
        // verify_slice compares in constant time, so timing reveals nothing about the right MAC.
        mac(self.secret.expose().as_bytes(), signed.as_bytes())
            .verify_slice(&signature)
            .map_err(|_| TicketError::BadSignature)?;
        if expiry_secs <= now {
            return Err(TicketError::Expired);
        }
        if expiry_secs - now > self.max_lifetime.as_secs() {
            return Err(TicketError::TooLong);
        }
        let scope = match scope {
            None => Scope::License,
            Some(word) => Scope::parse(word).map_err(|_| TicketError::UnknownScope)?,
        };
        Ok(Ticket {
            user: user.to_owned(),
            scope,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn known_vector() {
        // printf %s 'editor@example.com.1700000600' | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
        assert_eq!(
            sign(SECRET, "editor@example.com", 1_700_000_600),
            "editor@example.com.1700000600.d03ac6e6e52ad32cf879cc2d68093b5acf0289230368f3b05261484bd7da9c0a"
        );
    }

    fn verifier() -> TicketVerifier {
        TicketVerifier::new(Secret::new(SECRET), Duration::from_secs(86_400))
    }

    fn user_of(result: Result<Ticket, TicketError>) -> Result<String, TicketError> {
        result.map(|ticket| ticket.user)
    }

    #[test]
    fn valid_expired_forged_and_malformed() {
        let verifier = verifier();
        let now = 1_700_000_000;
        let ticket = sign(SECRET, "editor@example.com", now + 600);
        assert_eq!(
            verifier.verify(&ticket, now),
            Ok(Ticket {
                user: "editor@example.com".into(),
                scope: Scope::License
            })
        );
        assert_eq!(
            verifier.verify(&ticket, now + 600),
            Err(TicketError::Expired)
        );
        let forged = sign(
            "another-secret-another-secret-00",
            "editor@example.com",
            now + 600,
        );
        assert_eq!(
            verifier.verify(&forged, now),
            Err(TicketError::BadSignature)
        );
        let longer = ticket.replacen("600.", "601.", 1);
        assert_eq!(
            verifier.verify(&longer, now),
            Err(TicketError::BadSignature)
        );
        let too_long = sign(SECRET, "editor", now + 2 * 86_400);
        assert_eq!(verifier.verify(&too_long, now), Err(TicketError::TooLong));
        for bad_user in ["", "two words", "<script>", &"a".repeat(129)] {
            let ticket = sign(SECRET, bad_user, now + 600);
            assert_eq!(
                user_of(verifier.verify(&ticket, now)),
                Err(TicketError::BadUser),
                "{bad_user:?}"
            );
        }
        for malformed in [
            "",
            "editor",
            "editor.123",
            "editor.soon.abcd",
            "editor.+5.00",
            &format!("editor.{}.{}", now + 600, "zz".repeat(32)),
            &format!("editor.{}.{}", now + 600, "ab".repeat(31)),
        ] {
            assert_eq!(
                user_of(verifier.verify(malformed, now)),
                Err(TicketError::Malformed),
                "{malformed:?}"
            );
        }
    }

    #[test]
    fn only_lower_case_signatures() {
        let verifier = verifier();
        let now = 1_700_000_000;
        let ticket = sign(SECRET, "editor", now + 600);
        let (signed, signature) = ticket.rsplit_once('.').unwrap_or_default();
        let upper = format!("{signed}.{}", signature.to_ascii_uppercase());
        assert_ne!(upper, ticket, "the signature has letters");
        assert_eq!(
            user_of(verifier.verify(&upper, now)),
            Err(TicketError::Malformed)
        );
        let mut mixed = signature.to_owned();
        if let Some(i) = mixed.find(|c: char| c.is_ascii_lowercase()) {
            mixed.replace_range(i..=i, &mixed[i..=i].to_ascii_uppercase());
        }
        assert_eq!(
            user_of(verifier.verify(&format!("{signed}.{mixed}"), now)),
            Err(TicketError::Malformed)
        );
        assert_eq!(unhex("0aff"), Some(vec![0x0a, 0xff]));
        assert_eq!(unhex("0AFF"), None);
        assert_eq!(unhex("0g"), None);
        assert_eq!(unhex("abc"), None);
    }

    #[test]
    fn scoped_tickets() {
        let verifier = verifier();
        let now = 1_700_000_000;
        let search = sign_scoped(SECRET, "viewer@example.com", now + 600, "search");
        assert_eq!(
            verifier.verify(&search, now),
            Ok(Ticket {
                user: "viewer@example.com".into(),
                scope: Scope::Search
            })
        );
        let license = sign_scoped(SECRET, "editor", now + 600, "license");
        assert_eq!(
            verifier.verify(&license, now).map(|t| t.scope),
            Ok(Scope::License)
        );
        // Signed, but a word nobody defined: refused, not guessed.
        let admin = sign_scoped(SECRET, "editor", now + 600, "admin");
        assert_eq!(verifier.verify(&admin, now), Err(TicketError::UnknownScope));
        // The scope is signed: dropping or swapping it breaks the signature.
        let stripped = search.replacen(".search.", ".", 1);
        assert_eq!(
            verifier.verify(&stripped, now),
            Err(TicketError::BadSignature)
        );
        let full = sign(SECRET, "editor", now + 600);
        let (signed, signature) = full.rsplit_once('.').unwrap_or_default();
        let widened = format!("{signed}.search.{signature}");
        assert_eq!(
            verifier.verify(&widened, now),
            Err(TicketError::BadSignature)
        );
        for malformed in [
            sign_scoped(SECRET, "editor", now + 600, "Search"),
            sign_scoped(SECRET, "editor", now + 600, "se-arch"),
            format!("editor.search.{}", "ab".repeat(32)),
        ] {
            assert_eq!(
                verifier.verify(&malformed, now),
                Err(TicketError::Malformed),
                "{malformed}"
            );
        }
    }

    #[test]
    fn the_lifetime_bound_is_configurable() {
        let now = 1_700_000_000;
        let short = TicketVerifier::new(Secret::new(SECRET), Duration::from_secs(900));
        let fine = sign(SECRET, "editor", now + 900);
        assert!(short.verify(&fine, now).is_ok());
        let long = sign(SECRET, "editor", now + 901);
        assert_eq!(short.verify(&long, now), Err(TicketError::TooLong));
        assert!(verifier().verify(&long, now).is_ok());
    }

    #[test]
    fn header_scheme() {
        assert_eq!(
            TicketVerifier::ticket_of("GettyPicker-Ticket a.1.ff"),
            Some("a.1.ff")
        );
        assert_eq!(
            TicketVerifier::ticket_of("gettypicker-ticket  a.1.ff "),
            Some("a.1.ff")
        );
        assert_eq!(TicketVerifier::ticket_of("Bearer a.1.ff"), None);
        assert_eq!(TicketVerifier::ticket_of("GettyPicker-Ticket"), None);
    }
}
