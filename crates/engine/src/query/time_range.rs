//! `from`/`to` and `limit`/`offset`, parsed and defaulted the same way for every query.

use super::QueryError;
use crate::model::time::{format_time, parse_instant};
use crate::store::timestamp_value;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Default window when `from`/`to` are missing: the last 24 hours.
const DEFAULT_WINDOW_HOURS: i64 = 24;
pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl TimeRange {
    /// `from`/`to` as RFC 3339, epoch milliseconds or bare dates (the start of that day in `tz`);
    /// a missing `to` is now, a missing `from` a day before `to`.
    pub fn parse(from: Option<&str>, to: Option<&str>, tz: Tz) -> Result<TimeRange, QueryError> {
        let parse = |text: &str, field: &str| parse_instant(text, field, tz).map_err(|error| QueryError::invalid(error.0));
        let to = match to.filter(|text| !text.trim().is_empty()) {
            Some(text) => parse(text, "to")?,
            None => Utc::now(),
        };
        let from = match from.filter(|text| !text.trim().is_empty()) {
            Some(text) => parse(text, "from")?,
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
        let utc = chrono_tz::UTC;
        let range = TimeRange::parse(None, None, utc).unwrap();
        assert_eq!((range.to - range.from).num_hours(), 24);
        assert!(TimeRange::parse(Some("yesterday"), None, utc).is_err());
        assert!(TimeRange::parse(Some("2026-11-28T10:00:00Z"), Some("2026-11-27T10:00:00Z"), utc).is_err());
        let day = TimeRange::parse(Some("2026-11-27"), Some("2026-11-28T00:00:00+01:00"), utc).unwrap();
        assert_eq!(day.from_text(), "2026-11-27T00:00:00Z");
        assert_eq!(day.to_text(), "2026-11-27T23:00:00Z");
        // A bare date is the user's day.
        let new_york: Tz = "America/New_York".parse().unwrap();
        let local = TimeRange::parse(Some("2026-11-27"), Some("2026-11-28"), new_york).unwrap();
        assert_eq!((local.from_text().as_str(), local.to_text().as_str()), ("2026-11-27T05:00:00Z", "2026-11-28T05:00:00Z"));
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
