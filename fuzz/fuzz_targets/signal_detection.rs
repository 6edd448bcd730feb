//! Encoding and signal detection on arbitrary bodies and content types: never a panic.
#![no_main]
use ai_observer_engine::otlp::{Signal, decode_request, detect_encoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (content_type, body) = match data.iter().position(|byte| *byte == b'\n') {
        Some(split) => (std::str::from_utf8(&data[..split]).ok(), &data[split + 1..]),
        None => (None, data),
    };
    let _ = detect_encoding(body, content_type);
    for hint in [None, Some(Signal::Traces), Some(Signal::Metrics), Some(Signal::Logs)] {
        let _ = decode_request(body, content_type, hint);
    }
});
