//! The bare-Appender baseline for OTLP ingest: the spans of the captured Codex traces request
//! appended straight into `otel_traces` of a new store with DuckDB's Appender,
//! one transaction per request, for a given time. `scripts/bench.sh` runs it in the same run as
//! `otlp-load --signal traces` against `ai-observer serve`: ingest's spans/s over this one is how
//! close ingest comes to the store's limit.
//!
//! Usage: `appender_baseline DATABASE SECONDS`; prints `{"requests", "spans", "seconds",
//! "spans_per_second"}`.

use ai_observer_engine::store::{Store, append_spans};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;
use std::io::Read;
use std::time::{Duration, Instant};

const CAPTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli-captures/codex-binary-toolcall/otlp/0004-traces");

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(database), Some(seconds)) = (args.next(), args.next()) else {
        return Err("usage: appender_baseline DATABASE SECONDS".into());
    };
    let duration = Duration::from_secs_f64(seconds.parse()?);
    let database = std::path::PathBuf::from(database);

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        Store::open(&database, Default::default())?.shutdown().await;
        Ok::<_, Box<dyn std::error::Error>>(())
    })?;

    let mut body = Vec::new();
    match std::fs::read(format!("{CAPTURE}.bin")) {
        Ok(bytes) => body = bytes,
        Err(_) => {
            flate2::read::GzDecoder::new(std::fs::File::open(format!("{CAPTURE}.bin.gz"))?).read_to_end(&mut body)?;
        }
    }
    let template = ai_observer_engine::otlp::spans_from_request(&ExportTraceServiceRequest::decode(body.as_slice())?).spans;

    let connection = duckdb::Connection::open(&database)?;
    let rows: Vec<_> = template.iter().collect();
    let (mut requests, mut spans) = (0u64, 0u64);
    let started = Instant::now();
    while started.elapsed() < duration {
        connection.execute_batch("BEGIN TRANSACTION")?;
        {
            let mut appender = connection.appender("otel_traces")?;
            append_spans(&mut appender, &rows)?;
            appender.flush()?;
        }
        connection.execute_batch("COMMIT")?;
        requests += 1;
        spans += rows.len() as u64;
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"requests": requests, "spans": spans, "seconds": seconds, "spans_per_second": spans as f64 / seconds})
    );
    Ok(())
}
