//! Protobuf OTLP bodies through decoding and every normalisation step an ingest runs.
#![no_main]
use ai_observer_engine::otlp::{Signal, decode_request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for hint in [None, Some(Signal::Traces), Some(Signal::Metrics), Some(Signal::Logs)] {
        if let Ok((request, _)) = decode_request(data, Some("application/x-protobuf"), hint) {
            ai_observer_engine::ingest::normalise_for_fuzzing(request);
        }
    }
});
