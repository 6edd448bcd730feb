//! Arbitrary session-file content through the ClaudeCode parser, line by line: never a panic.
#![no_main]
use ai_observer_engine::importers::fuzzing::parse_session_bytes;
use ai_observer_engine::model::Tool;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    parse_session_bytes(Tool::ClaudeCode, "/fuzz/session.jsonl", data);
});
