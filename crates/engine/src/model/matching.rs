//! Which stored usage records are the same model request, and which one of them counts.
//!
//! A request can reach the store from two sources: the tool's telemetry (OTLP) and its session
//! files (imported or watched). Within one source a request is one row already (natural keys).
//! Across sources the rows are matched here:
//!
//! 1. **By request id**, across all sessions: rows of both sources carrying the same id (Claude
//!    Code's `request_id`, Codex's response id) are one request — also when a fork or a resumed
//!    session copied it into another session file.
//! 2. **By fingerprint**, within a session: a row without an id (Codex and Gemini telemetry, old
//!    files) is paired with a row of the other source that has the same model and the same token
//!    counts (uncached input, cache reads, cache writes, output, reasoning), the nearest in time
//!    within `PAIRING_WINDOW`, one to one. Two rows that both carry ids are never paired this way:
//!    different ids are different requests.
//!
//! Every group of matched rows counts once: the telemetry row when there is one (it sees every
//! call, and Claude Code's files under-report sub-agent output), else the row with the most
//! output, then the earliest, then the smallest key. A record is never dropped: it either counts
//! or stands in a group with one that does. docs/pricing.md states the rule and its limits.

use std::collections::HashMap;

/// Fingerprint partners further apart than this are not paired (the same request reaches both
/// sources within seconds).
pub const PAIRING_WINDOW_NANOS: i64 = 15 * 60 * 1_000_000_000;

/// What matching needs of a usage record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRow {
    pub record_key: String,
    pub tool: Option<String>,
    pub session_id: Option<String>,
    pub request_id: Option<String>,
    pub from_telemetry: bool,
    pub model: String,
    /// Uncached input, cache reads, cache writes, output, reasoning.
    pub tokens: [i64; 5],
    pub time: i64,
}

/// The outcome for one record: the request it belongs to, and whether it is the one that counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchOutcome {
    pub record_key: String,
    pub match_key: String,
    pub counted: bool,
}

type Fingerprint<'a> = (Option<&'a str>, Option<&'a str>, &'a str, [i64; 5]);

/// Groups `rows` into requests and picks the row that counts in each. The answer does not depend
/// on the order of `rows`.
pub fn match_requests(rows: &[MatchRow]) -> Vec<MatchOutcome> {
    let mut match_keys: Vec<Option<String>> = vec![None; rows.len()];
    let sources_by_id = sources_of_ids(rows);
    for (index, row) in rows.iter().enumerate() {
        if let Some(id) = &row.request_id
            && sources_by_id.get(&(row.tool.as_deref(), id.as_str())).is_some_and(|(telemetry, files)| *telemetry && *files)
        {
            match_keys[index] = Some(format!("id:{}:{id}", row.tool.as_deref().unwrap_or("")));
        }
    }
    pair_fingerprints(rows, &mut match_keys);
    let match_keys: Vec<String> = rows
        .iter()
        .zip(match_keys)
        .map(|(row, key)| {
            key.unwrap_or_else(|| match &row.request_id {
                Some(id) => format!("id:{}:{id}", row.tool.as_deref().unwrap_or("")),
                None => format!("row:{}", row.record_key),
            })
        })
        .collect();
    choose_counted(rows, match_keys)
}

/// For each (tool, request id): whether telemetry rows and file rows carry it.
fn sources_of_ids(rows: &[MatchRow]) -> HashMap<(Option<&str>, &str), (bool, bool)> {
    let mut sources: HashMap<(Option<&str>, &str), (bool, bool)> = HashMap::new();
    for row in rows {
        if let Some(id) = &row.request_id {
            let entry = sources.entry((row.tool.as_deref(), id.as_str())).or_default();
            if row.from_telemetry {
                entry.0 = true;
            } else {
                entry.1 = true;
            }
        }
    }
    sources
}

/// Pairs the still unmatched rows of the two sources by fingerprint, nearest in time first.
fn pair_fingerprints(rows: &[MatchRow], match_keys: &mut [Option<String>]) {
    let mut candidates: HashMap<Fingerprint<'_>, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (index, row) in rows.iter().enumerate().filter(|(index, _)| match_keys[*index].is_none()) {
        let fingerprint = (row.tool.as_deref(), row.session_id.as_deref(), row.model.as_str(), row.tokens);
        let sides = candidates.entry(fingerprint).or_default();
        if row.from_telemetry { sides.0.push(index) } else { sides.1.push(index) }
    }
    for (telemetry, files) in candidates.into_values() {
        if telemetry.is_empty() || files.is_empty() {
            continue;
        }
        let mut pairs: Vec<(i64, &str, &str, usize, usize)> = Vec::new();
        for &left in &telemetry {
            for &right in &files {
                let (a, b) = (&rows[left], &rows[right]);
                let distance = (a.time - b.time).abs();
                if distance <= PAIRING_WINDOW_NANOS && !(a.request_id.is_some() && b.request_id.is_some()) {
                    pairs.push((distance, a.record_key.as_str(), b.record_key.as_str(), left, right));
                }
            }
        }
        // Nearest first; keys break ties so the result does not depend on input order.
        pairs.sort_unstable();
        for (_, telemetry_key, _, left, right) in pairs {
            if match_keys[left].is_none() && match_keys[right].is_none() {
                let key = format!("pair:{telemetry_key}");
                match_keys[left] = Some(key.clone());
                match_keys[right] = Some(key);
            }
        }
    }
}

/// A row's place in its group's choice, the lowest counting: telemetry first, then the most
/// output, the earliest, the smallest key.
fn rank(row: &MatchRow) -> (std::cmp::Reverse<bool>, std::cmp::Reverse<i64>, i64, &str) {
    (std::cmp::Reverse(row.from_telemetry), std::cmp::Reverse(row.tokens[3]), row.time, row.record_key.as_str())
}

/// In each group the telemetry row counts, else the one with the most output, then the earliest.
fn choose_counted(rows: &[MatchRow], match_keys: Vec<String>) -> Vec<MatchOutcome> {
    let mut best: HashMap<&str, usize> = HashMap::new();
    for (index, key) in match_keys.iter().enumerate() {
        let row = &rows[index];
        best.entry(key.as_str())
            .and_modify(|current| {
                if rank(row) < rank(&rows[*current]) {
                    *current = index;
                }
            })
            .or_insert(index);
    }
    match_keys
        .iter()
        .enumerate()
        .map(|(index, key)| MatchOutcome {
            record_key: rows[index].record_key.clone(),
            match_key: key.clone(),
            counted: best.get(key.as_str()) == Some(&index),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: i64 = 1_000_000_000;

    fn row(key: &str, telemetry: bool, session: &str, id: Option<&str>, tokens: [i64; 5], time: i64) -> MatchRow {
        MatchRow {
            record_key: key.to_owned(),
            tool: Some("codex".to_owned()),
            session_id: Some(session.to_owned()),
            request_id: id.map(str::to_owned),
            from_telemetry: telemetry,
            model: "gpt-5.5".to_owned(),
            tokens,
            time,
        }
    }

    fn counted(outcomes: &[MatchOutcome]) -> Vec<&str> {
        let mut keys: Vec<&str> = outcomes.iter().filter(|outcome| outcome.counted).map(|outcome| outcome.record_key.as_str()).collect();
        keys.sort_unstable();
        keys
    }

    #[test]
    fn telemetry_without_ids_pairs_with_file_rows_by_tokens_and_counts_once() {
        let rows = vec![
            row("otlp-1", true, "s", None, [10, 5, 0, 3, 1], 100 * SECOND),
            row("file-1", false, "s", Some("resp_1"), [10, 5, 0, 3, 1], 101 * SECOND),
            row("file-2", false, "s", Some("resp_2"), [20, 5, 0, 3, 1], 200 * SECOND),
        ];
        let outcomes = match_requests(&rows);
        assert_eq!(counted(&outcomes), vec!["file-2", "otlp-1"]);
        assert_eq!(outcomes[0].match_key, outcomes[1].match_key);
    }

    #[test]
    fn the_same_id_in_another_session_is_the_same_request() {
        let mut fork = row("file-fork", false, "fork", Some("req_1"), [1, 2, 3, 4, 0], 100 * SECOND);
        fork.tool = Some("claude-code".to_owned());
        let mut original = row("otlp", true, "original", Some("req_1"), [1, 2, 3, 9, 0], 100 * SECOND);
        original.tool = Some("claude-code".to_owned());
        let outcomes = match_requests(&[fork, original]);
        assert_eq!(counted(&outcomes), vec!["otlp"]);
    }

    #[test]
    fn different_ids_are_different_requests_even_with_equal_tokens() {
        let rows = vec![
            row("otlp", true, "s", Some("req_a"), [1, 1, 1, 1, 0], SECOND),
            row("file", false, "s", Some("req_b"), [1, 1, 1, 1, 0], SECOND),
        ];
        assert_eq!(counted(&match_requests(&rows)), vec!["file", "otlp"]);
    }

    #[test]
    fn equal_requests_pair_with_their_nearest_partner_one_to_one() {
        // The app started late: telemetry has only the second of two identical requests.
        let rows = vec![
            row("file-early", false, "s", None, [7, 0, 0, 7, 0], 100 * SECOND),
            row("file-late", false, "s", None, [7, 0, 0, 7, 0], 400 * SECOND),
            row("otlp-late", true, "s", None, [7, 0, 0, 7, 0], 401 * SECOND),
        ];
        let outcomes = match_requests(&rows);
        assert_eq!(counted(&outcomes), vec!["file-early", "otlp-late"]);
        assert_eq!(outcomes[1].match_key, outcomes[2].match_key);
    }

    #[test]
    fn partners_too_far_apart_are_not_paired() {
        let rows = vec![row("otlp", true, "s", None, [1, 0, 0, 1, 0], 0), row("file", false, "s", None, [1, 0, 0, 1, 0], 3600 * SECOND)];
        assert_eq!(counted(&match_requests(&rows)).len(), 2);
    }

    #[test]
    fn the_outcome_does_not_depend_on_the_order_of_the_rows() {
        let rows = vec![
            row("a", true, "s", None, [5, 0, 0, 5, 0], 10 * SECOND),
            row("b", false, "s", None, [5, 0, 0, 5, 0], 11 * SECOND),
            row("c", false, "s", None, [5, 0, 0, 5, 0], 12 * SECOND),
            row("d", true, "s", None, [5, 0, 0, 5, 0], 13 * SECOND),
        ];
        let forward = match_requests(&rows);
        let mut reversed_rows = rows.clone();
        reversed_rows.reverse();
        let mut backward = match_requests(&reversed_rows);
        backward.reverse();
        assert_eq!(forward, backward);
        assert_eq!(counted(&forward), vec!["a", "d"]);
    }
}
