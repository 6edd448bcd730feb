//! Cumulative counters into deltas.
//!
//! Gemini CLI exports every counter as a CUMULATIVE sum that restarts in each process. A series is
//! identified the way OpenTelemetry defines it: service, metric name, the full attribute set
//! (which includes `session.id`) and the point's start time. Keying without the start time (as the
//! original did) mixes a resumed session's new process with its old one and loses tokens; keying
//! without `session.id` mixes concurrent sessions.
//!
//! For each cumulative monotonic point the tracker emits `<name>.delta` = value − previous value of
//! the same series. The first point of a series with a start time is a delta from zero (the counter
//! started there). A drop means a reset: the delta is the new value. The previous value comes from
//! memory, or after a restart from the newest stored row of the series.

use crate::model::{MetricKind, MetricPoint, TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA, attributes_to_json};
use crate::store::{ReaderPool, StoreError, timestamp_value};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SeriesKey {
    service_name: String,
    metric_name: String,
    attributes_json: String,
    start_time: Option<i64>,
}

impl SeriesKey {
    fn of(point: &MetricPoint) -> SeriesKey {
        SeriesKey {
            service_name: point.service_name.clone(),
            metric_name: point.name.clone(),
            attributes_json: attributes_to_json(&point.attributes),
            start_time: point.start_time,
        }
    }
}

#[derive(Debug, Default)]
pub struct CumulativeTracker {
    last_values: HashMap<SeriesKey, (i64, f64)>,
}

fn is_cumulative_counter(point: &MetricPoint) -> bool {
    point.kind == MetricKind::Sum
        && point.temporality == Some(TEMPORALITY_CUMULATIVE)
        && point.is_monotonic != Some(false)
        && point.value.is_some()
}

impl CumulativeTracker {
    /// Delta points for the cumulative counters among `points`, and the series they advanced (so a
    /// failed write can `forget` them). Reads the store only for series not seen since start.
    pub fn deltas(
        &mut self,
        points: &[MetricPoint],
        readers: Option<&ReaderPool>,
    ) -> Result<(Vec<MetricPoint>, Vec<SeriesKey>), StoreError> {
        let mut ordered: Vec<&MetricPoint> = points.iter().filter(|point| is_cumulative_counter(point)).collect();
        ordered.sort_by_key(|point| point.time);
        let mut deltas = Vec::new();
        let mut touched = Vec::new();
        for point in ordered {
            let key = SeriesKey::of(point);
            let value = point.value.unwrap_or(0.0);
            let previous = match self.last_values.get(&key) {
                Some(previous) => Some(*previous),
                None => match readers {
                    Some(readers) => stored_previous(readers, &key, point.time)?,
                    None => None,
                },
            };
            if let Some((previous_time, _)) = previous
                && previous_time >= point.time
            {
                continue; // a repeat or an out-of-order point: already accounted for
            }
            let delta = match previous {
                Some((_, previous_value)) if value >= previous_value => Some(value - previous_value),
                Some(_) => Some(value),
                None if point.start_time.is_some() => Some(value),
                None => None,
            };
            self.last_values.insert(key.clone(), (point.time, value));
            touched.push(key);
            if let Some(delta) = delta.filter(|delta| *delta > 0.0) {
                let mut row = point.clone();
                row.name = format!("{}.delta", point.name);
                row.temporality = Some(TEMPORALITY_DELTA);
                row.value = Some(delta);
                row.start_time = None;
                deltas.push(row);
            }
        }
        Ok((deltas, touched))
    }

    /// Drops remembered values (after a failed write) so the next point re-reads the store.
    pub fn forget(&mut self, keys: &[SeriesKey]) {
        for key in keys {
            self.last_values.remove(key);
        }
    }
}

fn stored_previous(readers: &ReaderPool, key: &SeriesKey, before: i64) -> Result<Option<(i64, f64)>, StoreError> {
    let key = key.clone();
    readers.read_blocking(move |connection| {
        let mut statement = connection.prepare_cached(
            "SELECT epoch_ns(Timestamp), Value FROM otel_metrics
             WHERE MetricName = ? AND ServiceName = ? AND Attributes::VARCHAR = ?
               AND StartTimestamp IS NOT DISTINCT FROM ? AND Timestamp <= ? AND Value IS NOT NULL
             ORDER BY Timestamp DESC LIMIT 1",
        )?;
        let start = key.start_time.map(timestamp_value);
        let mut rows =
            statement.query(duckdb::params![key.metric_name, key.service_name, key.attributes_json, start, timestamp_value(before)])?;
        match rows.next()? {
            Some(row) => Ok(Some((row.get::<_, i64>(0)?, row.get::<_, f64>(1)?))),
            None => Ok(None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attributes;

    fn cumulative(session: &str, start: i64, time: i64, value: f64) -> MetricPoint {
        let mut attributes = Attributes::new();
        attributes.insert("session.id".into(), session.into());
        attributes.insert("type".into(), "input".into());
        let mut point = MetricPoint::derived_sum(time, "gemini-cli", "gemini_cli.token.usage", "", "", attributes, value);
        point.temporality = Some(TEMPORALITY_CUMULATIVE);
        point.start_time = Some(start);
        point
    }

    fn values(points: &[MetricPoint]) -> Vec<f64> {
        points.iter().map(|point| point.value.unwrap_or_default()).collect()
    }

    #[test]
    fn a_resumed_session_with_a_new_start_time_is_a_new_series() {
        let mut tracker = CumulativeTracker::default();
        let first = [cumulative("s", 100, 110, 10.0), cumulative("s", 100, 120, 25.0)];
        let (deltas, _) = tracker.deltas(&first, None).unwrap();
        assert_eq!(values(&deltas), vec![10.0, 15.0]);
        // Same session id, new process: the counter restarts from its own start time.
        let resumed = [cumulative("s", 500, 510, 7.0)];
        let (deltas, _) = tracker.deltas(&resumed, None).unwrap();
        assert_eq!(values(&deltas), vec![7.0]);
    }

    #[test]
    fn concurrent_sessions_do_not_mix_and_repeats_count_once() {
        let mut tracker = CumulativeTracker::default();
        let points = [cumulative("a", 100, 110, 10.0), cumulative("b", 100, 111, 4.0), cumulative("a", 100, 120, 12.0)];
        let (deltas, _) = tracker.deltas(&points, None).unwrap();
        assert_eq!(values(&deltas), vec![10.0, 4.0, 2.0]);
        let (deltas, _) = tracker.deltas(&[cumulative("a", 100, 120, 12.0)], None).unwrap();
        assert!(deltas.is_empty());
    }
}
