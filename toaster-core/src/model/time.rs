use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::ModelError;

/// A point in time, in milliseconds since the Unix epoch (UTC).
///
/// Shown and serialised to people as RFC 3339 (`2026-11-27T07:43:34.120Z`); stored as an
/// integer so that every backend orders it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time of this host's clock.
    pub fn now() -> Timestamp {
        let millis = match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_millis()).unwrap_or(i64::MAX),
        };
        Timestamp(millis)
    }

    /// The time as RFC 3339 text in UTC with millisecond precision.
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1000);
        let millis = self.0.rem_euclid(1000);
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        )
    }
}

impl Timestamp {
    /// Reads a time as people write it: `2026-11-27`, `2026-11-27T08:30`,
    /// `2026-11-27T08:30:15.250Z` (UTC), or an age before `now` such as `90m`, `12h`, `7d`.
    pub fn parse(text: &str, now: Timestamp) -> Result<Timestamp, ModelError> {
        let bad = |reason: &str| {
            ModelError::invalid(
                "time",
                text,
                reason,
                "write a UTC date or time like `2026-11-27` or `2026-11-27T08:30:00Z`, or an age like `45m`, `12h`, `7d`",
            )
        };
        let text = text.trim();
        if let Some(unit) = text
            .chars()
            .last()
            .filter(|c| matches!(c, 's' | 'm' | 'h' | 'd'))
        {
            let number = &text[..text.len() - 1];
            if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                let count: i64 = number.parse().map_err(|_| bad("the number is too large"))?;
                let unit_ms = match unit {
                    's' => 1_000,
                    'm' => 60_000,
                    'h' => 3_600_000,
                    _ => 86_400_000,
                };
                let age = count
                    .checked_mul(unit_ms)
                    .ok_or_else(|| bad("the age is too large"))?;
                return Ok(Timestamp(now.0.saturating_sub(age)));
            }
        }
        let text = text.strip_suffix('Z').unwrap_or(text);
        let (date, time) = text.split_once('T').unwrap_or((text, ""));
        let number = |s: &str, max: i64| -> Result<i64, ModelError> {
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("a part is not a number"));
            }
            let n: i64 = s.parse().map_err(|_| bad("a part is too large"))?;
            if n > max {
                return Err(bad("a part is out of range"));
            }
            Ok(n)
        };
        let parts: Vec<&str> = date.split('-').collect();
        let [y, m, d] = parts[..] else {
            return Err(bad("the date is not YEAR-MONTH-DAY"));
        };
        let (y, m, d) = (number(y, 9999)?, number(m, 12)?, number(d, 31)?);
        if m == 0 || d == 0 || y < 1970 {
            return Err(bad("the date is out of range"));
        }
        let days = days_from_civil(y, m as u32, d as u32);
        if civil_from_days(days) != (y, m as u32, d as u32) {
            return Err(bad("that day does not exist"));
        }
        let mut ms = days * 86_400_000;
        if !time.is_empty() {
            let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
            let fields: Vec<&str> = hms.split(':').collect();
            let (h, min, sec) = match fields[..] {
                [h, min] => (number(h, 23)?, number(min, 59)?, 0),
                [h, min, sec] => (number(h, 23)?, number(min, 59)?, number(sec, 59)?),
                _ => return Err(bad("the time of day is not HOURS:MINUTES[:SECONDS]")),
            };
            let millis = if frac.is_empty() {
                0
            } else {
                let digits: String = frac.chars().chain("000".chars()).take(3).collect();
                number(&digits, 999)?
            };
            ms += ((h * 60 + min) * 60 + sec) * 1000 + millis;
        }
        Ok(Timestamp(ms))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

/// Year, month and day of the proleptic Gregorian calendar for a count of days since
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of `civil_from_days`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Timestamp(1_795_765_414_120).to_rfc3339(),
            "2026-11-27T07:43:34.120Z"
        );
        assert_eq!(
            Timestamp(951_782_400_000).to_rfc3339(),
            "2000-02-29T00:00:00.000Z"
        );
        assert_eq!(Timestamp(-1).to_rfc3339(), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_dates_times_and_ages() {
        let now = Timestamp(1_795_765_414_120);
        assert_eq!(Timestamp::parse("1970-01-01", now).unwrap(), Timestamp(0));
        assert_eq!(
            Timestamp::parse("2026-11-27T07:43:34.120Z", now).unwrap(),
            now
        );
        assert_eq!(
            Timestamp::parse("2026-11-27T07:43", now)
                .unwrap()
                .to_rfc3339(),
            "2026-11-27T07:43:00.000Z"
        );
        assert_eq!(
            Timestamp::parse("2h", now).unwrap(),
            Timestamp(now.0 - 7_200_000)
        );
        assert_eq!(
            Timestamp::parse("7d", now).unwrap(),
            Timestamp(now.0 - 7 * 86_400_000)
        );
        for bad in [
            "",
            "yesterday",
            "2026-02-30",
            "2026-13-01",
            "2026-11-27T25:00",
            "5w",
            "99999999999999999999d",
        ] {
            let err = Timestamp::parse(bad, now).unwrap_err().to_string();
            assert!(err.contains("2026-11-27"), "{bad:?}: {err}");
        }
    }
}
