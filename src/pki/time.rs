//! Time as used by certificates, CRLs, seals and reports: seconds since the Unix epoch (UTC).
//!
//! Parses UTCTime and GeneralizedTime (RFC 5280 §4.1.2.5, tolerating the fractional seconds and
//! offsets real seal producers write) and RFC 3339; formats RFC 3339 (`2026-01-01T00:00:00Z`).

use crate::error::{Error, ErrorKind, Result};
use std::fmt;

/// A point in time, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

fn bad(s: &str) -> Error {
    Error::new(ErrorKind::MalformedTime, format!("cannot parse time {s:?}"))
}

/// Days since the epoch of a proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The civil date of a day count since the epoch.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl Time {
    /// The current system time.
    pub fn now() -> Time {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Time(secs)
    }

    /// A time from civil fields, validated.
    pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<Time> {
        if !(1..=12).contains(&mo)
            || d == 0
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || s > 60
        {
            return None;
        }
        let s = s.min(59);
        Some(Time(
            days_from_civil(y, mo, d) * 86400 + (h * 3600 + mi * 60 + s) as i64,
        ))
    }

    /// Seconds since the epoch.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// Civil fields `(year, month, day, hour, minute, second)` in UTC.
    pub fn to_civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.0.div_euclid(86400);
        let secs = self.0.rem_euclid(86400) as u32;
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3600, secs / 60 % 60, secs % 60)
    }

    /// RFC 3339 in UTC, e.g. `2026-01-01T00:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let (y, m, d, h, mi, s) = self.to_civil();
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }

    /// GeneralizedTime text `YYYYMMDDHHMMSSZ`.
    pub fn to_generalized(self) -> String {
        let (y, m, d, h, mi, s) = self.to_civil();
        format!("{y:04}{m:02}{d:02}{h:02}{mi:02}{s:02}Z")
    }

    /// UTCTime text `YYMMDDHHMMSSZ` (years 1950–2049).
    pub fn to_utc_time(self) -> String {
        let (y, m, d, h, mi, s) = self.to_civil();
        format!("{:02}{m:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100)
    }

    /// Parses a UTCTime body (`YYMMDDHHMM[SS](Z|±hhmm)`); years < 50 are 20xx.
    pub fn parse_utc_time(s: &str) -> Result<Time> {
        let b = s.as_bytes();
        if b.len() < 11 || !b[..10].iter().all(u8::is_ascii_digit) {
            return Err(bad(s));
        }
        let yy = num(&b[0..2]) as i64;
        let year = if yy < 50 { 2000 + yy } else { 1900 + yy };
        let mut full = format!("{year:04}");
        full.push_str(&s[2..]);
        Self::parse_generalized(&full).map_err(|_| bad(s))
    }

    /// Parses a GeneralizedTime body (`YYYYMMDDHH[MM[SS[.fff]]](Z|±hhmm|)`), tolerating a missing
    /// zone (taken as UTC) and fractional seconds (dropped).
    pub fn parse_generalized(s: &str) -> Result<Time> {
        let b = s.as_bytes();
        if b.len() < 10 || !b[..10].iter().all(u8::is_ascii_digit) {
            return Err(bad(s));
        }
        let y = num(&b[0..4]) as i64;
        let mo = num(&b[4..6]);
        let d = num(&b[6..8]);
        let h = num(&b[8..10]);
        let mut i = 10;
        let mut mi = 0;
        let mut sec = 0;
        if b.len() >= i + 2 && b[i..i + 2].iter().all(u8::is_ascii_digit) {
            mi = num(&b[i..i + 2]);
            i += 2;
            if b.len() >= i + 2 && b[i..i + 2].iter().all(u8::is_ascii_digit) {
                sec = num(&b[i..i + 2]);
                i += 2;
            }
        }
        if i < b.len() && (b[i] == b'.' || b[i] == b',') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(bad(s));
            }
        }
        let base = Time::from_civil(y, mo, d, h, mi, sec).ok_or_else(|| bad(s))?;
        let offset = parse_zone(&b[i..]).ok_or_else(|| bad(s))?;
        Ok(Time(base.0 - offset))
    }

    /// Parses RFC 3339 (`2026-01-01T00:00:00Z`, `2026-01-01T08:00:00+08:00`, fractional seconds
    /// allowed), and also the forms seal producers write: `2026-01-01 08:00:00` (taken as UTC),
    /// a bare date `2026-01-01`, and compact `20260101080000Z`.
    pub fn parse_rfc3339(s: &str) -> Result<Time> {
        let t = s.trim();
        let b = t.as_bytes();
        if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
            let y = digits(&b[0..4]).ok_or_else(|| bad(s))? as i64;
            let mo = digits(&b[5..7]).ok_or_else(|| bad(s))?;
            let d = digits(&b[8..10]).ok_or_else(|| bad(s))?;
            if b.len() == 10 {
                return Time::from_civil(y, mo, d, 0, 0, 0).ok_or_else(|| bad(s));
            }
            if b.len() < 19
                || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
                || b[13] != b':'
                || b[16] != b':'
            {
                return Err(bad(s));
            }
            let h = digits(&b[11..13]).ok_or_else(|| bad(s))?;
            let mi = digits(&b[14..16]).ok_or_else(|| bad(s))?;
            let sec = digits(&b[17..19]).ok_or_else(|| bad(s))?;
            let mut i = 19;
            if i < b.len() && b[i] == b'.' {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let base = Time::from_civil(y, mo, d, h, mi, sec).ok_or_else(|| bad(s))?;
            let rest: Vec<u8> = b[i..].iter().filter(|&&c| c != b':').copied().collect();
            let offset = parse_zone(&rest).ok_or_else(|| bad(s))?;
            return Ok(Time(base.0 - offset));
        }
        Self::parse_generalized(t)
    }
}

/// Zone suffix: empty or `Z` → 0; `+hhmm`/`-hhmm` → offset seconds.
fn parse_zone(b: &[u8]) -> Option<i64> {
    match b {
        [] | [b'Z'] | [b'z'] => Some(0),
        [sign @ (b'+' | b'-'), rest @ ..] if rest.len() == 4 || rest.len() == 2 => {
            let h = digits(&rest[0..2])? as i64;
            let m = if rest.len() == 4 {
                digits(&rest[2..4])? as i64
            } else {
                0
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            Some(if *sign == b'+' { off } else { -off })
        }
        _ => None,
    }
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, &c| a * 10 + (c - b'0') as u32)
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.iter().all(u8::is_ascii_digit) {
        Some(num(b))
    } else {
        None
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Time::parse_rfc3339("2021-01-01T00:00:00Z").unwrap();
        assert_eq!(t.0, 1609459200);
        assert_eq!(t.to_rfc3339(), "2021-01-01T00:00:00Z");
        assert_eq!(Time::parse_rfc3339("2021-01-01T08:00:00+08:00").unwrap(), t);
        assert_eq!(Time::parse_generalized("20210101000000Z").unwrap(), t);
        assert_eq!(
            Time::parse_generalized("20210101080000.123+0800").unwrap(),
            t
        );
        assert_eq!(Time::parse_utc_time("210101000000Z").unwrap(), t);
        assert_eq!(
            Time::parse_utc_time("991231235959Z").unwrap().to_rfc3339(),
            "1999-12-31T23:59:59Z"
        );
        assert_eq!(Time::parse_rfc3339("2021-01-01 00:00:00").unwrap(), t);
        assert_eq!(
            Time::parse_rfc3339("2020-01-25T07:31:56.377Z")
                .unwrap()
                .to_rfc3339(),
            "2020-01-25T07:31:56Z"
        );
        assert!(Time::parse_rfc3339("2021-02-30T00:00:00Z").is_err());
        assert!(Time::parse_generalized("2021").is_err());
        assert!(Time::parse_utc_time("").is_err());
        assert!(Time::parse_rfc3339("garbage").is_err());
        for d in [-1000000i64, -1, 0, 1, 20000, 3000000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
