//! `from`/`to` and `limit`/`offset`, parsed and defaulted the same way for every query.

use super::QueryError;
use crate::store::timestamp_value;
use chrono::{DateTime, SecondsFormat, Utc};

/// Default window when `from`/`to` are missing: the last 24 hours.
const DEFAULT_WINDOW_HOURS: i64 = 24;
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Parses an RFC 3339 time, or a bare date (`2026-11-28`, start of that day in UTC).
pub fn parse_time(text: &str, field: &str) -> Result<DateTime<Utc>, QueryError> {
    let trimmed = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = chrono::NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        if let Some(midnight) = date.and_hms_opt(0, 0, 0) {
            return Ok(midnight.and_utc());
        }
    }
    if let Ok(millis) = trimmed.parse::<i64>() {
        if let Some(time) = DateTime::from_timestamp_millis(millis) {
            return Ok(time);
        }
    }
    Err(QueryError::invalid(format!("invalid {field} {text:?}: expected an RFC 3339 time such as 2026-11-28T09:00:00Z")))
}

impl TimeRange {
    pub fn parse(from: Option<&str>, to: Option<&str>) -> Result<TimeRange, QueryError> {
        let now = Utc::now();
        let to = match to.filter(|text| !text.trim().is_empty()) {
            Some(text) => parse_time(text, "to")?,
            None => now,
        };
        let from = match from.filter(|text| !text.trim().is_empty()) {
            Some(text) => parse_time(text, "from")?,
            None => to - chrono::Duration::hours(DEFAULT_WINDOW_HOURS),
        };
        if from > to {
            return Err(QueryError::invalid("from must not be after to"));
        }
        Ok(TimeRange { from, to })
    }

    pub fn from_value(&self) -> duckdb::types::Value {
        timestamp_value(self.from.timestamp_nanos_opt().unwrap_or(i64::MIN))
    }

    pub fn to_value(&self) -> duckdb::types::Value {
        timestamp_value(self.to.timestamp_nanos_opt().unwrap_or(i64::MAX))
    }

    pub fn from_text(&self) -> String {
        format_time(self.from)
    }

    pub fn to_text(&self) -> String {
        format_time(self.to)
    }
}

pub fn format_time(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// RFC 3339 text of microseconds since the epoch (what queries select with `epoch_us`).
pub fn format_micros(micros: i64) -> String {
    DateTime::from_timestamp_micros(micros).map(format_time).unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    pub fn new(limit: Option<u32>, offset: Option<u32>) -> Page {
        Page { limit: limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT), offset: offset.unwrap_or(0) }
    }

    pub fn has_more(&self, returned: usize, total: i64) -> bool {
        i64::from(self.offset) + (returned as i64) < total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_bounds_default_to_the_last_day_and_bad_ones_are_errors() {
        let range = TimeRange::parse(None, None).unwrap();
        assert_eq!((range.to - range.from).num_hours(), 24);
        assert!(TimeRange::parse(Some("yesterday"), None).is_err());
        assert!(TimeRange::parse(Some("2026-11-28T10:00:00Z"), Some("2026-11-27T10:00:00Z")).is_err());
        let day = TimeRange::parse(Some("2026-11-27"), Some("2026-11-28T00:00:00+01:00")).unwrap();
        assert_eq!(day.from_text(), "2026-11-27T00:00:00Z");
        assert_eq!(day.to_text(), "2026-11-27T23:00:00Z");
    }

    #[test]
    fn pages_are_clamped() {
        assert_eq!(Page::new(Some(0), None).limit, 1);
        assert_eq!(Page::new(Some(5000), None).limit, 1000);
        assert_eq!(Page::new(None, None).limit, 50);
        let page = Page::new(Some(10), Some(0));
        assert!(page.has_more(10, 11));
        assert!(!page.has_more(10, 10));
    }
}
