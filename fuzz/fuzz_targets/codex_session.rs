//! Arbitrary session-file content through the Codex parser, line by line: never a panic.
#![no_main]
use ai_observer_engine::importers::fuzzing::parse_session_bytes;
use ai_observer_engine::model::Tool;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parse_session_bytes(Tool::Codex, "/fuzz/rollout-2026-11-28T13-47-08-01a22268-e163-7b90-80b5-06ec8ebe16c4.jsonl", data);
});
