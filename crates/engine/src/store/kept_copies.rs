//! Which copy of a usage record a write keeps, chosen in memory before the rows are staged.
//!
//! A write group may hold one request's record several times (Claude Code writes a partial count
//! first and the final count later, and a request's usage on each of its content blocks' lines; a
//! request resent). The store keeps the copy with the most output tokens, the earliest of those on
//! a tie. Choosing it here, with one hash lookup per record, lets the upsert read its staged rows
//! as they are instead of ranking them with a window; a file's spend-first read uses the same
//! choice (`importers::spend_first`).

use crate::model::UsageRecord;
use std::borrow::Borrow;
use std::collections::HashMap;

/// One record per key: the one with the most output tokens, then the earliest, then the first
/// given. Keys keep the order of their first copy. Takes records or references to them.
pub(crate) fn kept_copies<R: Borrow<UsageRecord>>(records: impl IntoIterator<Item = R>) -> Vec<R> {
    let records = records.into_iter();
    let mut kept: Vec<R> = Vec::with_capacity(records.size_hint().0);
    let mut position_of_key: HashMap<String, usize> = HashMap::with_capacity(records.size_hint().0);
    for record in records {
        let copy = record.borrow();
        match position_of_key.get(copy.record_key.as_str()) {
            Some(&position) => {
                let held = kept[position].borrow();
                if (copy.output_tokens, std::cmp::Reverse(copy.time)) > (held.output_tokens, std::cmp::Reverse(held.time)) {
                    kept[position] = record;
                }
            }
            None => {
                position_of_key.insert(copy.record_key.clone(), kept.len());
                kept.push(record);
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use duckdb::Connection;
    use proptest::prelude::*;

    fn record(key: &str, output_tokens: i64, time: i64) -> UsageRecord {
        UsageRecord { record_key: key.to_owned(), output_tokens, time, model: "m".to_owned(), ..UsageRecord::default() }
    }

    fn kept(records: &[UsageRecord]) -> Vec<(String, i64, i64)> {
        kept_copies(records).into_iter().map(|record| (record.record_key.clone(), record.output_tokens, record.time)).collect()
    }

    #[test]
    fn the_copy_with_most_output_then_the_earliest_then_the_first_is_kept() {
        let records = [
            record("a", 5, 30),
            record("b", 1, 10),
            record("a", 9, 20),
            record("a", 9, 10),
            record("a", 9, 10),
            record("b", 1, 5),
            record("c", 0, 1),
            record("a", 8, 1),
        ];
        assert_eq!(kept(&records), [("a".to_owned(), 9, 10), ("b".to_owned(), 1, 5), ("c".to_owned(), 0, 1)]);
        assert!(std::ptr::eq(kept_copies(&records)[0], &records[3]), "the first of two equal copies");
        let owned: Vec<(String, i64, i64)> =
            kept_copies(records.to_vec()).into_iter().map(|record| (record.record_key, record.output_tokens, record.time)).collect();
        assert_eq!(owned, kept(&records), "records given by value");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The same copies as DuckDB's ranking the upsert used before (`row_number()` by output
        /// tokens, then time), on records whose (output, time) never tie within a key.
        #[test]
        fn the_same_copies_as_ranking_them_in_sql(
            picks in prop::collection::vec((0..6usize, 0..4i64, 0..1_000i64), 0..40),
        ) {
            let mut seen = std::collections::HashSet::new();
            let records: Vec<UsageRecord> = picks
                .into_iter()
                .filter(|(key, output, time)| seen.insert((*key, *output, *time)))
                .map(|(key, output, time)| record(&format!("k{key}"), output, time))
                .collect();
            let connection = Connection::open_in_memory().unwrap();
            connection.execute_batch("CREATE TABLE stage (RecordKey VARCHAR, OutputTokens BIGINT, Time BIGINT)").unwrap();
            for record in &records {
                connection.execute("INSERT INTO stage VALUES (?, ?, ?)", duckdb::params![record.record_key, record.output_tokens, record.time]).unwrap();
            }
            let ranked: Vec<(String, i64, i64)> = connection
                .prepare("SELECT * FROM stage QUALIFY row_number() OVER (PARTITION BY RecordKey ORDER BY OutputTokens DESC, Time) = 1 ORDER BY RecordKey")
                .unwrap()
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut chosen = kept(&records);
            chosen.sort();
            prop_assert_eq!(chosen, ranked);
        }
    }
}
