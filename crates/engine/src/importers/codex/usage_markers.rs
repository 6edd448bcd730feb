//! The byte search that tells a first import's usage-only pass which rollout lines to parse.
//!
//! Every marker is a JSON string, quotes included (text inside a message, whose quotes are
//! escaped, never matches). Because all of them begin with a quote, the most common byte of a JSON
//! line, the general Aho-Corasick automaton picks a one-byte prefilter that stops at nearly every
//! string of every line; the packed searcher (Teddy, SIMD) compares a few bytes at a time instead,
//! 2.3 times faster over the generated rollouts (docs/benchmarks.md). The automaton remains for
//! CPUs without the packed searcher's instructions.

use aho_corasick::{AhoCorasick, MatchKind, packed};
use std::sync::OnceLock;

/// The line types that `CodexParser::line` reads for anything but the transcript.
const MARKERS: [&str; 6] = [
    "\"session_meta\"",
    "\"turn_context\"",
    "\"token_usage_record\"",
    "\"token_count\"",
    "\"thread_settings_applied\"",
    "\"inter_agent_communication",
];

/// Where `MARKERS` holds the running token count's marker.
const TOKEN_COUNT: usize = 3;

/// One search for all the markers, leftmost match first, by whichever searcher this CPU runs.
enum MarkerSearch {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl MarkerSearch {
    fn build() -> MarkerSearch {
        match packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder().extend(MARKERS).build() {
            Some(searcher) => MarkerSearch::Packed(searcher),
            None => MarkerSearch::automaton(),
        }
    }

    /// The automaton, with the packed searcher's leftmost-first semantics.
    fn automaton() -> MarkerSearch {
        MarkerSearch::Automaton(AhoCorasick::builder().match_kind(MatchKind::LeftmostFirst).build(MARKERS).expect("fixed patterns"))
    }

    /// Whether `text` holds a marker `counts` accepts (given the marker's index in `MARKERS`).
    fn any(&self, text: &[u8], counts: impl Fn(usize) -> bool) -> bool {
        match self {
            MarkerSearch::Packed(searcher) => searcher.find_iter(text).any(|found| counts(found.pattern().as_usize())),
            MarkerSearch::Automaton(automaton) => automaton.find_iter(text).any(|found| counts(found.pattern().as_usize())),
        }
    }
}

fn search() -> &'static MarkerSearch {
    static SEARCH: OnceLock<MarkerSearch> = OnceLock::new();
    SEARCH.get_or_init(MarkerSearch::build)
}

/// Whether a rollout line may matter to usage: it holds a marker, and once the file has given a
/// usage record (`token_counts_count` false), a marker other than a running token count's.
pub(super) fn may_carry_usage(text: &[u8], token_counts_count: bool) -> bool {
    search().any(text, |marker| token_counts_count || marker != TOKEN_COUNT)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINES: [&str; 6] = [
        r#"{"timestamp":"2026-11-28T10:00:00Z","type":"session_meta","payload":{"id":"s"}}"#,
        r#"{"timestamp":"2026-11-28T10:00:01Z","type":"event_msg","payload":{"type":"token_count","info":null}}"#,
        r#"{"timestamp":"2026-11-28T10:00:02Z","type":"event_msg","payload":{"type":"token_usage_record","usage":{}}}"#,
        r#"{"timestamp":"2026-11-28T10:00:03Z","type":"response_item","payload":{"type":"message","content":"say \"token_usage_record\""}}"#,
        r#"{"timestamp":"2026-11-28T10:00:04Z","type":"inter_agent_communication_sent","payload":{}}"#,
        r#"{"timestamp":"2026-11-28T10:00:05Z","type":"event_msg","payload":{"type":"token_count","info":{"model":"turn_context"}}}"#,
    ];

    fn answers(search: &MarkerSearch, token_counts_count: bool) -> Vec<bool> {
        LINES.iter().map(|line| search.any(line.as_bytes(), |marker| token_counts_count || marker != TOKEN_COUNT)).collect()
    }

    #[test]
    fn both_searchers_find_the_same_lines_and_skip_escaped_markers() {
        let automaton = MarkerSearch::automaton();
        let built = MarkerSearch::build();
        for token_counts_count in [true, false] {
            assert_eq!(answers(&built, token_counts_count), answers(&automaton, token_counts_count));
        }
        assert_eq!(answers(&automaton, true), [true, true, true, false, true, true]);
        // Once usage records count, a token count counts only with another marker beside it.
        assert_eq!(answers(&automaton, false), [true, false, true, false, true, true]);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            assert!(matches!(built, MarkerSearch::Packed(_)), "the packed searcher runs on this CPU");
        }
    }
}
