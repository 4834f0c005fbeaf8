//! Reading upstream's `Retry-After`.

/// Longest `Retry-After` believed from upstream; beyond it the failure backoff applies instead.
pub const MAX_RETRY_AFTER_SECS: u64 = 3600;

/// Upstream's `Retry-After` in whole seconds (delta-seconds or an HTTP date, rounded up), when
/// it is there and no further off than [`MAX_RETRY_AFTER_SECS`].
pub fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<u64> {
    let value = value.trim();
    let secs = match value.parse::<u64>() {
        Ok(secs) => secs,
        Err(_) => {
            let at = httpdate::parse_http_date(value).ok()?;
            let wait = at.duration_since(now).unwrap_or_default();
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        }
    };
    (secs <= MAX_RETRY_AFTER_SECS).then_some(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn retry_after_in_seconds_or_as_a_date_within_an_hour() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(7));
        assert_eq!(parse_retry_after(" 0 ", now), Some(0));
        assert_eq!(parse_retry_after("3600", now), Some(3600));
        assert_eq!(parse_retry_after("3601", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        let in_90 = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(parse_retry_after(&in_90, now), Some(90));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(0));
        let tomorrow = httpdate::fmt_http_date(now + Duration::from_secs(86_400));
        assert_eq!(parse_retry_after(&tomorrow, now), None);
    }
}
