//! Cumulative counters into deltas.
//!
//! Gemini CLI exports every counter as a CUMULATIVE sum that restarts in each process. A series is
//! identified the way OpenTelemetry defines it: service, metric name, the full attribute set
//! (which includes `session.id`) and the point's start time. Keying without the start time (as the
//! original did) mixes a resumed session's new process with its old one and loses tokens; keying
//! without `session.id` mixes concurrent sessions.
//!
//! For each cumulative monotonic point the tracker emits `<name>.delta` = value − the value of the
//! series' previous point in time (the first point of a series with a start time is a delta from
//! zero; a drop means a reset: the delta is the new value). Each delta is keyed by its series and
//! time, so emitting it again replaces it: a point arriving late (a retried export), twice, or
//! after a failed write gives the same stored deltas as the points arriving once in order, because
//! a point that falls between two known points also emits the delta of the point after it. The
//! tracker keeps each series' points in time order; after a restart it reads them from the stored
//! cumulative points of the series.

use crate::model::{MetricKind, MetricPoint, TEMPORALITY_CUMULATIVE, TEMPORALITY_DELTA, attributes_to_json};
use crate::store::{ReaderPool, StoreError, timestamp_value};
use std::collections::{BTreeMap, HashMap};

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

    /// A stable name for the series, for the natural keys of its delta points.
    fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        for part in [&self.service_name, &self.metric_name, &self.attributes_json] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hasher.update(self.start_time.unwrap_or(i64::MIN).to_le_bytes());
        hasher.finalize().iter().take(12).map(|byte| format!("{byte:02x}")).collect()
    }
}

/// A point this request added to a series, so a failed write can take it back.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedPoint {
    key: SeriesKey,
    time: i64,
}

#[derive(Debug, Default)]
pub struct CumulativeTracker {
    /// Each series' known points, time → value.
    series: HashMap<SeriesKey, BTreeMap<i64, f64>>,
}

/// A point the tracker turns into deltas: a monotonic cumulative sum with a value.
pub fn is_cumulative_counter(point: &MetricPoint) -> bool {
    point.kind == MetricKind::Sum
        && point.temporality == Some(TEMPORALITY_CUMULATIVE)
        && point.is_monotonic != Some(false)
        && point.value.is_some()
}

/// The increase from `previous` to `value`; a drop is a restart, whose increase is the new value.
fn increase(previous: Option<f64>, value: f64, has_start: bool) -> Option<f64> {
    match previous {
        Some(previous) if value >= previous => Some(value - previous),
        Some(_) => Some(value),
        None if has_start => Some(value),
        None => None,
    }
}

impl CumulativeTracker {
    /// Delta points for the cumulative counters among `points` (keyed by series and time), and the
    /// points this added to the tracker (so a failed write can `take_back` them). Reads the store
    /// for series not seen since start.
    pub fn deltas(
        &mut self,
        points: &[MetricPoint],
        readers: Option<&ReaderPool>,
    ) -> Result<(Vec<MetricPoint>, Vec<AddedPoint>), StoreError> {
        let mut ordered: Vec<&MetricPoint> = points.iter().filter(|point| is_cumulative_counter(point)).collect();
        ordered.sort_by_key(|point| point.time);
        let mut deltas: BTreeMap<(String, i64), MetricPoint> = BTreeMap::new();
        let mut added = Vec::new();
        for point in ordered {
            let key = SeriesKey::of(point);
            if !self.series.contains_key(&key) {
                let stored = match readers {
                    Some(readers) => stored_points(readers, &key)?,
                    None => BTreeMap::new(),
                };
                self.series.insert(key.clone(), stored);
            }
            let known = self.series.get_mut(&key).expect("series loaded above");
            let value = point.value.unwrap_or(0.0);
            if known.insert(point.time, value).is_none() {
                added.push(AddedPoint { key: key.clone(), time: point.time });
            }
            let fingerprint = key.fingerprint();
            // This point's delta, and the delta of the point after it (its previous point changed).
            let next = known.range(point.time + 1..).next().map(|(time, value)| (*time, *value));
            for (time, value) in std::iter::once((point.time, value)).chain(next) {
                let previous = known.range(..time).next_back().map(|(_, value)| *value);
                if let Some(delta) = increase(previous, value, point.start_time.is_some()) {
                    let mut row = point.clone();
                    row.name = format!("{}.delta", point.name);
                    row.time = time;
                    row.temporality = Some(TEMPORALITY_DELTA);
                    row.value = Some(delta);
                    row.start_time = None;
                    row.record_key = Some(format!("delta:{fingerprint}:{time}"));
                    deltas.insert((fingerprint.clone(), time), row);
                }
            }
        }
        Ok((deltas.into_values().collect(), added))
    }

    /// Takes back the points of a request whose write failed: the next point's delta is then
    /// computed from what was stored.
    pub fn take_back(&mut self, added: &[AddedPoint]) {
        for point in added {
            if let Some(known) = self.series.get_mut(&point.key) {
                known.remove(&point.time);
            }
        }
    }
}

/// The stored cumulative points of a series, time → value.
fn stored_points(readers: &ReaderPool, key: &SeriesKey) -> Result<BTreeMap<i64, f64>, StoreError> {
    let key = key.clone();
    readers.read_blocking(move |connection| {
        let mut statement = connection.prepare_cached(
            "SELECT epoch_ns(Timestamp), Value FROM otel_metrics
             WHERE MetricName = ? AND ServiceName = ? AND Attributes::VARCHAR = ? AND StartTimestamp IS NOT DISTINCT FROM ?
               AND AggregationTemporality = 2 AND Value IS NOT NULL",
        )?;
        let start = key.start_time.map(timestamp_value);
        let mut rows = statement.query(duckdb::params![key.metric_name, key.service_name, key.attributes_json, start])?;
        let mut points = BTreeMap::new();
        while let Some(row) = rows.next()? {
            points.insert(row.get::<_, i64>(0)?, row.get::<_, f64>(1)?);
        }
        Ok(points)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Attributes;
    use proptest::prelude::*;

    fn cumulative(session: &str, start: i64, time: i64, value: f64) -> MetricPoint {
        let mut attributes = Attributes::new();
        attributes.insert("session.id".into(), session.into());
        attributes.insert("type".into(), "input".into());
        let mut point = MetricPoint::derived_sum(time, "gemini-cli", "gemini_cli.token.usage", "", "", attributes, value);
        point.temporality = Some(TEMPORALITY_CUMULATIVE);
        point.start_time = Some(start);
        point
    }

    /// What the store ends up with: the last delta emitted for each key.
    fn stored(emitted: &[MetricPoint]) -> BTreeMap<String, f64> {
        emitted.iter().map(|point| (point.record_key.clone().unwrap_or_default(), point.value.unwrap_or_default())).collect()
    }

    fn total(emitted: &[MetricPoint]) -> f64 {
        stored(emitted).values().sum()
    }

    #[test]
    fn a_resumed_session_with_a_new_start_time_is_a_new_series() {
        let mut tracker = CumulativeTracker::default();
        let (mut emitted, _) = tracker.deltas(&[cumulative("s", 100, 110, 10.0), cumulative("s", 100, 120, 25.0)], None).unwrap();
        // Same session id, new process: the counter restarts from its own start time.
        emitted.extend(tracker.deltas(&[cumulative("s", 500, 510, 7.0)], None).unwrap().0);
        assert_eq!(total(&emitted), 32.0);
        assert_eq!(stored(&emitted).len(), 3);
    }

    #[test]
    fn concurrent_sessions_do_not_mix_and_repeats_count_once() {
        let mut tracker = CumulativeTracker::default();
        let points = [cumulative("a", 100, 110, 10.0), cumulative("b", 100, 111, 4.0), cumulative("a", 100, 120, 12.0)];
        let (mut emitted, _) = tracker.deltas(&points, None).unwrap();
        emitted.extend(tracker.deltas(&[cumulative("a", 100, 120, 12.0)], None).unwrap().0);
        assert_eq!(total(&emitted), 16.0);
    }

    #[test]
    fn an_earlier_point_retried_after_a_failed_write_counts_once() {
        let mut tracker = CumulativeTracker::default();
        let (mut emitted, _) = tracker.deltas(&[cumulative("s", 100, 110, 10.0)], None).unwrap();
        // Request A (t=120) is normalised, then its write fails; request B (t=130) is stored.
        let (_, added_a) = tracker.deltas(&[cumulative("s", 100, 120, 15.0)], None).unwrap();
        let (b, _) = tracker.deltas(&[cumulative("s", 100, 130, 30.0)], None).unwrap();
        tracker.take_back(&added_a);
        emitted.extend(b);
        // The exporter retries A: B's delta is emitted again, now from A.
        emitted.extend(tracker.deltas(&[cumulative("s", 100, 120, 15.0)], None).unwrap().0);
        assert_eq!(total(&emitted), 30.0);
    }

    proptest! {
        /// Any order, with repeats and failed writes taken back, stores the deltas that sum to the
        /// last value of the series.
        #[test]
        fn any_arrival_order_stores_the_series_increase(
            increments in proptest::collection::vec(1u32..50, 1..8),
            order in proptest::collection::vec(0usize..100, 1..20),
            failures in proptest::collection::vec(any::<bool>(), 20),
        ) {
            let mut value = 0.0;
            let points: Vec<MetricPoint> = increments.iter().enumerate().map(|(index, increment)| {
                value += f64::from(*increment);
                cumulative("s", 100, 110 + index as i64 * 10, value)
            }).collect();
            let mut tracker = CumulativeTracker::default();
            let mut emitted = Vec::new();
            let mut delivered = vec![false; points.len()];
            for (step, pick) in order.iter().enumerate() {
                let index = pick % points.len();
                let (deltas, added) = tracker.deltas(std::slice::from_ref(&points[index]), None).unwrap();
                if failures[step % failures.len()] {
                    tracker.take_back(&added);
                } else {
                    emitted.extend(deltas);
                    delivered[index] = true;
                }
            }
            // The exporter retries whatever failed, until it is stored.
            for (index, point) in points.iter().enumerate() {
                if !delivered[index] {
                    emitted.extend(tracker.deltas(std::slice::from_ref(point), None).unwrap().0);
                }
            }
            prop_assert_eq!(total(&emitted), value);
        }
    }
}
