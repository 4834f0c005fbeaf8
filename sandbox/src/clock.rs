//! Calendar arithmetic for the sandbox's dates (UTC only, proleptic Gregorian): download times
//! as Getty writes them, the date parameters of `GET /v3/downloads`, and monthly reset dates
//! that move with the clock.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now as Unix seconds; a clock before 1970 counts as 1970.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Seconds in a day.
pub const DAY: u64 = 24 * 60 * 60;

/// A calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year, e.g. 2026.
    pub year: i64,
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31.
    pub day: u32,
}

impl Date {
    /// The day `unix` (seconds since 1970-01-01T00:00:00Z) falls on.
    pub fn of(unix: u64) -> Self {
        // Howard Hinnant's civil_from_days, on days since the epoch.
        let z = (unix / DAY) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Self { year, month, day }
    }

    /// Seconds since the epoch at the start of this day; none before 1970.
    pub fn unix(self) -> Option<u64> {
        // Hinnant's days_from_civil.
        let year = self.year - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        u64::try_from(days).ok().map(|days| days * DAY)
    }

    /// Whether the day exists (30 February does not).
    pub fn is_valid(self) -> bool {
        (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
    }

    /// The first day of the following month.
    pub fn next_month_start(self) -> Self {
        match self.month {
            12 => Self {
                year: self.year + 1,
                month: 1,
                day: 1,
            },
            month => Self {
                year: self.year,
                month: month + 1,
                day: 1,
            },
        }
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `unix` as Getty writes times: `2026-11-03T10:15:00Z`.
pub fn rfc3339(unix: u64) -> String {
    let date = Date::of(unix);
    let seconds = unix % DAY;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// When a monthly allowance that is running at `now` resets: the start of next month, UTC.
pub fn next_monthly_reset(now: u64) -> String {
    let start = Date::of(now).next_month_start().unix().unwrap_or(now);
    rfc3339(start)
}

/// A date parameter as Getty reads it: `YYYY-MM-DD`, optionally followed by a time
/// (`THH:MM[:SS]` or ` HH:MM[:SS]`) and a zone (`Z` or `±HH:MM`). Returns the start of the day
/// and, when a time was given, the instant in UTC. None when it is not such a date.
pub fn parse_date_param(value: &str) -> Option<(u64, Option<u64>)> {
    let value = value.trim();
    let number = |text: &str| -> Option<u32> {
        (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let (date, rest) = value.split_at_checked(10)?;
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let date = Date {
        year: i64::from(number(year)?),
        month: number(month)?,
        day: number(day)?,
    };
    if !date.is_valid() {
        return None;
    }
    let start = date.unix()?;
    if rest.is_empty() {
        return Some((start, None));
    }
    let time = rest.strip_prefix(['T', ' '])?;
    // The zone: `Z`, `±HH:MM`, or none (UTC).
    let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, 0i64)
    } else if let Some(at) = time.rfind(['+', '-']).filter(|at| *at >= 5) {
        let (clock, zone) = time.split_at(at);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let (hours, minutes) = zone[1..].split_once(':')?;
        let (hours, minutes) = (number(hours)?, number(minutes)?);
        if hours > 23 || minutes > 59 {
            return None;
        }
        (clock, sign * i64::from(hours * 3600 + minutes * 60))
    } else {
        (time, 0)
    };
    let mut fields = clock.split(':');
    let hours = number(fields.next()?)?;
    let minutes = number(fields.next()?)?;
    let seconds = match fields.next() {
        // Fractions of a second are read and dropped.
        Some(seconds) => number(seconds.split('.').next()?)?,
        None => 0,
    };
    if fields.next().is_some() || hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let local = i64::try_from(start).ok()? + i64::from(hours * 3600 + minutes * 60 + seconds);
    Some((start, u64::try_from(local - offset).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        let date = Date::of(1_793_700_000);
        assert_eq!(
            date,
            Date {
                year: 2026,
                month: 11,
                day: 3
            }
        );
        assert_eq!(rfc3339(1_793_700_000), "2026-11-03T10:00:00Z");
        assert_eq!(Date::of(0).unix(), Some(0));
        for unix in [0, 951_782_400, 1_709_164_800, 4_102_444_800] {
            let day_start = unix - unix % DAY;
            assert_eq!(Date::of(unix).unix(), Some(day_start), "{unix}");
        }
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn resets_at_the_start_of_next_month() {
        // 1 Dec 2026, 13:52: the allowance resets on 1 Jan 2027, not today.
        assert_eq!(next_monthly_reset(1_796_133_120), "2027-01-01T00:00:00Z");
        assert_eq!(next_monthly_reset(1_793_700_000), "2026-12-01T00:00:00Z");
    }

    #[test]
    fn date_parameters() {
        let day = Date {
            year: 2026,
            month: 11,
            day: 3,
        }
        .unix();
        assert_eq!(parse_date_param("2026-11-03"), day.map(|d| (d, None)));
        assert_eq!(
            parse_date_param("2026-11-03T10:00:00"),
            day.map(|d| (d, Some(1_793_700_000)))
        );
        assert_eq!(
            parse_date_param("2026-11-03 11:00:00+01:00"),
            day.map(|d| (d, Some(1_793_700_000)))
        );
        assert_eq!(
            parse_date_param("2026-11-03T10:00Z"),
            day.map(|d| (d, Some(1_793_700_000)))
        );
        for bad in [
            "yesterday",
            "2026-13-01",
            "2026-02-30",
            "2026-11-3",
            "2026-11-03T25:00",
            "2026-11-03X10:00",
            "2026-11-03T10:00:00+1",
            "",
        ] {
            assert_eq!(parse_date_param(bad), None, "{bad}");
        }
    }
}
