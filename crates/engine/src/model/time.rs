//! Time as the API writes it and as users type it.
//!
//! Instants go out as RFC 3339 in UTC. Coming in, a time is RFC 3339, epoch milliseconds, or a bare
//! date (`2026-11-28`), which always means the user's day: midnight in their time zone, not in
//! UTC. Day windows (`from`/`to` of imports, exports and deletes) are whole local days, both ends
//! included. Every module parses with these functions, so a date means the same everywhere.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use chrono_tz::Tz;

/// A time or date the user gave that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeParseError(pub String);

/// RFC 3339 in UTC with as many fraction digits as needed.
pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// RFC 3339 text of microseconds since the epoch (what queries select with `epoch_us`).
pub fn format_micros(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros).map(format_time).unwrap_or_default()
}

/// RFC 3339 with nanoseconds, the way telemetry times are shown and kept in JSON arrays.
pub fn rfc3339_nanos(nanos: i64) -> String {
    DateTime::from_timestamp_nanos(nanos).to_rfc3339_opts(SecondsFormat::Nanos, true)
}

/// Nanoseconds since the epoch, saturating at the ends of the representable range.
pub fn nanos(time: DateTime<Utc>) -> i64 {
    time.timestamp_nanos_opt().unwrap_or(if time.timestamp() < 0 { i64::MIN } else { i64::MAX })
}

/// When `date` begins in `tz` (the first valid minute after midnight when DST skips it).
pub fn start_of_local_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(time) => time.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(earliest, _) => earliest.with_timezone(&Utc),
        chrono::LocalResult::None => (1..=180)
            .find_map(|minutes| tz.from_local_datetime(&(midnight + Duration::minutes(minutes))).earliest())
            .map_or_else(|| midnight.and_utc(), |time| time.with_timezone(&Utc)),
    }
}

/// An IANA time zone name such as `Europe/Berlin`.
pub fn parse_time_zone(text: &str) -> Result<Tz, TimeParseError> {
    text.trim().parse::<Tz>().map_err(|_| TimeParseError(format!("unknown time zone {text:?}: use an IANA name such as Europe/Berlin")))
}

/// A `YYYY-MM-DD` date.
pub fn parse_date(text: &str, field: &str) -> Result<NaiveDate, TimeParseError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| TimeParseError(format!("invalid date for {field}: {text:?} (expected YYYY-MM-DD)")))
}

/// An instant: RFC 3339, epoch milliseconds, or a bare date meaning the start of that day in `tz`.
pub fn parse_instant(text: &str, field: &str, tz: Tz) -> Result<DateTime<Utc>, TimeParseError> {
    let trimmed = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return Ok(start_of_local_day(date, tz));
    }
    if let Some(time) = trimmed.parse::<i64>().ok().and_then(DateTime::from_timestamp_millis) {
        return Ok(time);
    }
    Err(TimeParseError(format!("invalid {field} {text:?}: expected an RFC 3339 time such as 2026-11-28T09:00:00Z or a date")))
}

/// Whole local days `[from, to]`: from the start of `from` to the end of `to` (exclusive: the start
/// of the next day). Either end may be open; `None` when both are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    pub start: Option<DateTime<Utc>>,
    pub end_exclusive: Option<DateTime<Utc>>,
}

impl DayWindow {
    pub fn parse(from: Option<&str>, to: Option<&str>, tz: Tz) -> Result<Option<DayWindow>, TimeParseError> {
        let from = from.map(str::trim).filter(|text| !text.is_empty()).map(|text| parse_date(text, "from")).transpose()?;
        let to = to.map(str::trim).filter(|text| !text.is_empty()).map(|text| parse_date(text, "to")).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(TimeParseError("the first day must not be after the last day".to_owned()));
        }
        if from.is_none() && to.is_none() {
            return Ok(None);
        }
        Ok(Some(DayWindow {
            start: from.map(|day| start_of_local_day(day, tz)),
            end_exclusive: to.and_then(|day| day.succ_opt()).map(|next| start_of_local_day(next, tz)),
        }))
    }

    /// Unix nanoseconds, both ends inclusive, open ends at the extremes.
    pub fn nanos_inclusive(&self) -> (i64, i64) {
        (self.start.map_or(i64::MIN, nanos), self.end_exclusive.map_or(i64::MAX, |end| nanos(end) - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_date_is_the_users_day() {
        let new_york: Tz = "America/New_York".parse().unwrap();
        assert_eq!(format_time(parse_instant("2026-11-27", "from", new_york).unwrap()), "2026-11-27T05:00:00Z");
        assert_eq!(format_time(parse_instant("2026-11-27", "from", chrono_tz::UTC).unwrap()), "2026-11-27T00:00:00Z");
        assert_eq!(format_time(parse_instant("2026-11-27T10:00:00+01:00", "from", new_york).unwrap()), "2026-11-27T09:00:00Z");
        assert_eq!(format_time(parse_instant("1795873621000", "from", new_york).unwrap()), "2026-11-28T13:47:01Z");
        assert!(parse_instant("yesterday", "from", new_york).is_err());
    }

    #[test]
    fn day_windows_are_whole_local_days_with_both_ends_included() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let window = DayWindow::parse(Some("2026-11-28"), Some("2026-11-28"), tokyo).unwrap().unwrap();
        assert_eq!(window.start.map(format_time).as_deref(), Some("2026-11-27T15:00:00Z"));
        assert_eq!(window.end_exclusive.map(format_time).as_deref(), Some("2026-11-28T15:00:00Z"));
        let (start, end) = window.nanos_inclusive();
        assert_eq!(end - start, 24 * 3600 * 1_000_000_000 - 1);
        assert_eq!(DayWindow::parse(None, Some(" "), tokyo).unwrap(), None);
        let open = DayWindow::parse(Some("2026-11-28"), None, tokyo).unwrap().unwrap();
        assert_eq!(open.nanos_inclusive().1, i64::MAX);
        assert!(DayWindow::parse(Some("2026-11-29"), Some("2026-11-28"), tokyo).is_err());
        assert!(DayWindow::parse(Some("28.11.2026"), None, tokyo).is_err());
    }

    #[test]
    fn a_day_that_starts_in_a_dst_gap_starts_at_its_first_minute() {
        // Santiago skips midnight on the first Sunday of September.
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let start = start_of_local_day(NaiveDate::from_ymd_opt(2026, 9, 6).unwrap(), santiago);
        assert_eq!(format_time(start), "2026-09-06T04:00:00Z");
    }
}
