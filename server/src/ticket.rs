//! Tickets signed by the CMS: `Authorization: GettyPicker-Ticket <user>.<expiry>.<hmac>`, for
//! hosts that cannot offer a forward-auth URL.
//!
//! `<expiry>` is a Unix time in seconds, `<hmac>` the lowercase hex HMAC-SHA256 of
//! `<user>.<expiry>` under the shared secret (`PICKER_TICKET_SECRET`). The user only names who
//! asked (for logs); what is checked is that the CMS signed it and that it has not expired.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Secret;
use crate::error::ErrorBody;

/// The `Authorization` scheme of a ticket.
pub const SCHEME: &str = "GettyPicker-Ticket";

/// Longest time ahead a ticket may expire: a leaked ticket must not be good for long.
pub const MAX_TICKET_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Longest user name accepted.
pub const MAX_USER_LEN: usize = 128;

/// Why a ticket was refused; every case is a `401` for the widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketError {
    /// No `Authorization: GettyPicker-Ticket` header.
    #[error("this page sent no picker ticket; the CMS must render one (see docs/backend.md, \"Ticket format\")")]
    Missing,
    /// Not `<user>.<expiry>.<64 hex digits>`.
    #[error("the picker ticket is malformed (expected <user>.<expiry>.<hex hmac>)")]
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
    /// The expiry is further ahead than [`MAX_TICKET_LIFETIME`].
    #[error("the picker ticket expires more than 24 hours ahead")]
    TooLong,
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
        }
    }
}

impl IntoResponse for TicketError {
    fn into_response(self) -> Response {
        ErrorBody {
            error: self.code(),
            message: self.to_string(),
        }
        .into_response_with(StatusCode::UNAUTHORIZED)
    }
}

/// Checks tickets against the shared secret.
#[derive(Clone)]
pub struct TicketVerifier {
    secret: Secret,
}

impl std::fmt::Debug for TicketVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TicketVerifier([redacted])")
    }
}

/// The ticket for `user` expiring at `expiry` (Unix seconds), as the CMS computes it.
pub fn sign(secret: &str, user: &str, expiry: u64) -> String {
    let message = format!("{user}.{expiry}");
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

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
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
    /// A verifier for tickets signed with `secret`.
    pub fn new(secret: Secret) -> Self {
        Self { secret }
    }

    /// The ticket in an `Authorization` header value, if it uses the ticket scheme.
    pub fn ticket_of(authorization: &str) -> Option<&str> {
        let (scheme, ticket) = authorization.trim().split_once(' ')?;
        scheme.eq_ignore_ascii_case(SCHEME).then_some(ticket.trim())
    }

    /// The user a valid `ticket` names, checked at `now` (Unix seconds).
    pub fn verify(&self, ticket: &str, now: u64) -> Result<String, TicketError> {
        // From the right: the user may contain dots (e-mail addresses), the other two parts may not.
        let mut parts = ticket.rsplitn(3, '.');
        let (Some(signature), Some(expiry), Some(user)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(TicketError::Malformed);
        };
        let signature = unhex(signature)
            .filter(|s| s.len() == 32)
            .ok_or(TicketError::Malformed)?;
        let expiry_secs: u64 = expiry
            .parse()
            .ok()
            .filter(|_| expiry.bytes().all(|b| b.is_ascii_digit()))
            .ok_or(TicketError::Malformed)?;
        if !is_user(user) {
            return Err(TicketError::BadUser);
        }
        let signed = format!("{user}.{expiry}");
        // verify_slice compares in constant time, so timing reveals nothing about the right MAC.
        mac(self.secret.expose().as_bytes(), signed.as_bytes())
            .verify_slice(&signature)
            .map_err(|_| TicketError::BadSignature)?;
        if expiry_secs <= now {
            return Err(TicketError::Expired);
        }
        if expiry_secs - now > MAX_TICKET_LIFETIME.as_secs() {
            return Err(TicketError::TooLong);
        }
        Ok(user.to_owned())
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

    #[test]
    fn valid_expired_forged_and_malformed() {
        let verifier = TicketVerifier::new(Secret::new(SECRET));
        let now = 1_700_000_000;
        let ticket = sign(SECRET, "editor@example.com", now + 600);
        assert_eq!(
            verifier.verify(&ticket, now).as_deref(),
            Ok("editor@example.com")
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
                verifier.verify(&ticket, now),
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
                verifier.verify(malformed, now),
                Err(TicketError::Malformed),
                "{malformed:?}"
            );
        }
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
