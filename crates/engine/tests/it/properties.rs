//! Property tests of the derivations that turn what CLIs report into counts: cumulative-to-delta,
//! Codex's cumulative totals, Claude's repeated lines, and price tiers.

use ai_observer_engine::importers::discovery::SessionFile;
use ai_observer_engine::importers::projects::ProjectResolver;
use ai_observer_engine::importers::{Emitted, ParseContext, importer_for};
use ai_observer_engine::ingest::cumulative::CumulativeTracker;
use ai_observer_engine::model::{Attributes, MetricPoint, TEMPORALITY_CUMULATIVE, Tool, UsageRecord, UsageSource};
use ai_observer_engine::pricing::{PriceTable, cost_of_usage};
use proptest::prelude::*;
use std::collections::HashMap;

fn cumulative_point(session: usize, start: i64, time: i64, value: f64) -> MetricPoint {
    let mut attributes = Attributes::new();
    attributes.insert("session.id".into(), format!("s{session}"));
    attributes.insert("type".into(), "input".into());
    let mut point = MetricPoint::derived_sum(time, "gemini-cli", "gemini_cli.token.usage", "", "", attributes, value);
    point.temporality = Some(TEMPORALITY_CUMULATIVE);
    point.start_time = Some(start);
    point
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Concurrent sessions, each restarted (resumed) several times, their exports interleaved and
    /// sometimes repeated: the deltas add up to every process's final counter.
    #[test]
    fn gemini_deltas_add_up_to_every_process_final_value(
        processes in proptest::collection::vec((0usize..3, proptest::collection::vec(0u32..500, 1..8)), 1..6),
        repeat_every in 2usize..5,
    ) {
        let mut points = Vec::new();
        let mut expected: HashMap<usize, f64> = HashMap::new();
        for (process, (session, increments)) in processes.iter().enumerate() {
            let start = 1_000 + process as i64 * 10_000;
            let mut value = 0.0;
            for (step, increment) in increments.iter().enumerate() {
                value += f64::from(*increment);
                points.push(cumulative_point(*session, start, start + 1 + step as i64 * 10, value));
                if step % repeat_every == 0 {
                    points.push(cumulative_point(*session, start, start + 1 + step as i64 * 10, value));
                }
            }
            *expected.entry(*session).or_default() += value;
        }
        // Deliver in several requests, in time order across all series.
        points.sort_by_key(|point| point.time);
        let mut tracker = CumulativeTracker::default();
        // The store keeps one delta per key (an emitted-again delta replaces the earlier one).
        let mut stored: HashMap<String, (String, f64)> = HashMap::new();
        for chunk in points.chunks(3) {
            let (deltas, _) = tracker.deltas(chunk, None).unwrap();
            for delta in deltas {
                stored.insert(delta.record_key.clone().unwrap(), (delta.attributes["session.id"].clone(), delta.value.unwrap()));
            }
        }
        let mut totals: HashMap<String, f64> = HashMap::new();
        for (session, value) in stored.into_values() {
            *totals.entry(session).or_default() += value;
        }
        for (session, value) in expected {
            prop_assert_eq!(totals.get(&format!("s{session}")).copied().unwrap_or(0.0), value);
        }
    }
}

fn parse_lines(tool: Tool, path: &str, lines: &[String]) -> Vec<UsageRecord> {
    let file = SessionFile { tool, path: path.into(), size: 0, modified_ms: 0 };
    let prices = PriceTable::builtin().unwrap();
    let projects = ProjectResolver::default();
    let context = ParseContext {
        file: &file,
        source: UsageSource::Import,
        prices: &prices,
        projects: &projects,
        window: None,
        usage_only: false,
        counters_owed: false,
    };
    let mut parser = importer_for(tool).expect("an importer").parser(&file, None);
    let mut emitted = Emitted::default();
    for (number, line) in lines.iter().enumerate() {
        parser.line(&context, number as u64 + 1, line.as_bytes(), &mut emitted).unwrap();
    }
    parser.finish(&context, &mut emitted);
    // The store keeps one row per key, the one with the most output.
    let mut by_key: HashMap<String, UsageRecord> = HashMap::new();
    for record in emitted.batch.usage {
        let keep = by_key.get(&record.record_key).is_none_or(|kept| record.output_tokens > kept.output_tokens);
        if keep {
            by_key.insert(record.record_key.clone(), record);
        }
    }
    by_key.into_values().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Codex files with only cumulative totals, re-emitted unchanged at random: the diffs add up to
    /// the responses, never more.
    #[test]
    fn codex_cumulative_totals_diff_to_the_responses(
        responses in proptest::collection::vec((1i64..50_000, 0i64..100, 1i64..5_000), 1..20),
        repeats in proptest::collection::vec(0usize..3, 20),
    ) {
        let mut lines = vec![
            r#"{"timestamp":"2026-11-28T10:00:00.000Z","type":"session_meta","payload":{"id":"s-1"}}"#.to_owned(),
            r#"{"timestamp":"2026-11-28T10:00:00.100Z","type":"turn_context","payload":{"model":"gpt-5.5"}}"#.to_owned(),
        ];
        let (mut input, mut cached, mut output) = (0i64, 0i64, 0i64);
        let (mut expected_input, mut expected_output) = (0i64, 0i64);
        for (index, (response_input, cached_percent, response_output)) in responses.iter().enumerate() {
            let response_cached = response_input * cached_percent / 100;
            input += response_input;
            cached += response_cached;
            output += response_output;
            expected_input += response_input - response_cached;
            expected_output += response_output;
            for repeat in 0..=repeats[index] {
                lines.push(format!(
                    r#"{{"timestamp":"2026-11-28T10:{:02}:{:02}.000Z","type":"event_msg","payload":{{"type":"token_count","info":{{"total_token_usage":{{"input_tokens":{input},"cached_input_tokens":{cached},"output_tokens":{output},"reasoning_output_tokens":0,"total_tokens":{}}}}}}}}}"#,
                    index / 60 + 1, index % 60 + repeat, input + output
                ));
            }
        }
        let records = parse_lines(Tool::Codex, "/tmp/rollout-x.jsonl", &lines);
        prop_assert_eq!(records.len(), responses.len());
        prop_assert_eq!(records.iter().map(|r| r.input_tokens).sum::<i64>(), expected_input);
        prop_assert_eq!(records.iter().map(|r| r.output_tokens).sum::<i64>(), expected_output);
    }

    /// Claude responses written as several lines each, the first with a partial output count: one
    /// request per response, with its final output count.
    #[test]
    fn claude_repeated_lines_count_once_with_the_final_output(
        responses in proptest::collection::vec((1usize..4, 1i64..2_000, 0i64..50_000), 1..15),
    ) {
        let mut lines = Vec::new();
        let mut expected_output = 0;
        for (index, (blocks, output, cache_read)) in responses.iter().enumerate() {
            expected_output += output;
            for block in 0..*blocks {
                let shown = if block == 0 && *blocks > 1 { (*output).min(8) } else { *output };
                lines.push(format!(
                    r#"{{"type":"assistant","timestamp":"2026-11-28T10:00:{:02}.{:03}Z","sessionId":"s","uuid":"u{index}-{block}","requestId":"req_{index}","message":{{"id":"msg_{index}","model":"claude-opus-4-8","content":[{{"type":"text","text":"t"}}],"usage":{{"input_tokens":5,"output_tokens":{shown},"cache_read_input_tokens":{cache_read},"cache_creation_input_tokens":0}}}}}}"#,
                    index % 60, block
                ));
            }
        }
        let records = parse_lines(Tool::ClaudeCode, "/tmp/s.jsonl", &lines);
        prop_assert_eq!(records.len(), responses.len());
        prop_assert_eq!(records.iter().map(|r| r.output_tokens).sum::<i64>(), expected_output);
        prop_assert_eq!(records.iter().map(|r| r.cache_read_tokens).sum::<i64>(), responses.iter().map(|r| r.2).sum::<i64>());
    }

    /// Long-context tiers: every token of a request is billed at the tier its whole input falls in.
    #[test]
    fn price_tiers_apply_to_the_whole_request(input in 0i64..400_000, cache_read in 0i64..200_000, output in 0i64..50_000) {
        let table = PriceTable::builtin().unwrap();
        let price = table.lookup("claude-sonnet-4-5").unwrap();
        let usage = UsageRecord { model: "claude-sonnet-4-5".into(), input_tokens: input, cache_read_tokens: cache_read, output_tokens: output, ..UsageRecord::default() };
        let (rate_in, rate_read, rate_out) = if input + cache_read > 200_000 { (6.0, 0.6, 22.5) } else { (3.0, 0.3, 15.0) };
        let by_hand = (input as f64 * rate_in + cache_read as f64 * rate_read + output as f64 * rate_out) / 1e6;
        let computed = cost_of_usage(price, &usage).total();
        prop_assert!((computed - by_hand).abs() < 1e-9, "{} vs {}", computed, by_hand);
    }
}
