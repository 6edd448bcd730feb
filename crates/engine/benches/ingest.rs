//! OTLP ingest over HTTP protobuf, end to end: a real server on loopback with a DuckDB file in a
//! temporary folder, requests shaped like the captured Claude Code and Codex exports (ids made
//! unique per request so de-duplication does not skip them). Reports spans/s and log records/s.
//!
//! A request is acknowledged once journalled and stored in DuckDB right after, so a measurement
//! that stopped the clock at the acknowledgements would leave the storing out. Each measurement
//! sends its requests `IN_FLIGHT` at a time and then waits until a read sees all of them stored
//! (`Store::read` waits for every acknowledged write): its time is that of sustained ingest,
//! storing included.
//!
//! Run: `cargo bench -p ai-observer-engine --bench ingest` (figures in docs/benchmarks.md).

use ai_observer_engine::{Engine, EngineConfig};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use prost::Message;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Requests sent at the same time, as a busy exporter (or several) would.
const IN_FLIGHT: usize = 8;

/// Sends `count` requests made by `request`, `IN_FLIGHT` at a time, and returns how long they took
/// until the store held all of them.
async fn send_until_stored<F>(store: &ai_observer_engine::store::Store, count: u64, request: impl Fn() -> F) -> Duration
where
    F: std::future::Future<Output = ()>,
{
    use futures_util::StreamExt;
    let started = Instant::now();
    futures_util::stream::iter(0..count).map(|_| request()).buffer_unordered(IN_FLIGHT).for_each(|()| async {}).await;
    store.read(|_| Ok(())).await.expect("read after the writes");
    started.elapsed()
}

fn capture(run: &str, name: &str) -> Vec<u8> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli-captures").join(run).join("otlp");
    let plain = base.join(format!("{name}.bin"));
    if plain.exists() {
        return std::fs::read(plain).expect("capture");
    }
    let mut body = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(base.join(format!("{name}.bin.gz"))).expect("capture"))
        .read_to_end(&mut body)
        .expect("gunzip");
    body
}

static COUNTER: AtomicU64 = AtomicU64::new(1);

/// A copy of the Codex traces export (hundreds of spans) with fresh span ids, moved forward in time
/// as a live exporter's would be (each request a second later than the one before).
fn unique_traces(template: &ExportTraceServiceRequest) -> (Vec<u8>, u64) {
    let mut request = template.clone();
    let mut spans = 0;
    let shift = COUNTER.fetch_add(1, Ordering::Relaxed) * 1_000_000_000;
    for span in request.resource_spans.iter_mut().flat_map(|r| r.scope_spans.iter_mut()).flat_map(|s| s.spans.iter_mut()) {
        let id = COUNTER.fetch_add(1, Ordering::Relaxed);
        span.span_id = id.to_be_bytes().to_vec();
        span.start_time_unix_nano += shift;
        span.end_time_unix_nano += shift;
        spans += 1;
    }
    (request.encode_to_vec(), spans)
}

fn bench_ingest(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let directory = tempfile::tempdir().expect("temp dir");
    let (engine, server) = runtime.block_on(async {
        let mut config = EngineConfig::with_database(directory.path().join("bench.duckdb"));
        config.api_port = 0;
        config.otlp_http_port = 0;
        config.otlp_grpc_port = 0;
        config.price_overrides_path = None;
        let engine = Engine::open(config).await.expect("engine");
        let server = ai_observer_engine::api::start(engine.clone(), None).await.expect("server");
        (engine, server)
    });
    let client = reqwest::Client::new();
    let port = server.ports.otlp_http;

    let traces_template = ExportTraceServiceRequest::decode(capture("codex-binary-toolcall", "0004-traces").as_slice()).expect("traces");
    let (_, spans_per_request) = unique_traces(&traces_template);
    let mut group = criterion.benchmark_group("otlp_http_protobuf");
    group.sample_size(20);
    group.throughput(Throughput::Elements(spans_per_request));
    let store = engine.store().clone();
    let post = |path: &'static str, body: Vec<u8>| {
        let client = client.clone();
        async move {
            let response = client
                .post(format!("http://127.0.0.1:{port}{path}"))
                .header("content-type", "application/x-protobuf")
                .body(body)
                .send()
                .await
                .expect("post");
            assert_eq!(response.status(), 200);
        }
    };
    group.bench_function("spans", |bencher| {
        bencher
            .to_async(&runtime)
            .iter_custom(|count| send_until_stored(&store, count, || post("/v1/traces", unique_traces(&traces_template).0)));
    });

    let logs_body = capture("claude-proto-toolcall", "0002-logs");
    let logs = ExportLogsServiceRequest::decode(logs_body.as_slice()).expect("logs");
    let records_per_request = logs.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len() as u64).sum::<u64>();
    group.throughput(Throughput::Elements(records_per_request));
    group.bench_function("log_records", |bencher| {
        bencher.to_async(&runtime).iter_custom(|count| send_until_stored(&store, count, || post("/v1/logs", logs_body.clone())));
    });
    group.finish();
    runtime.block_on(async {
        server.shutdown().await;
        engine.shutdown().await;
    });
}

/// The store's limit for the same rows: spans through the writer (group commit, de-duplication)
/// and through a bare DuckDB Appender into the same table, no HTTP.
fn bench_store(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let directory = tempfile::tempdir().expect("temp dir");
    let store = ai_observer_engine::store::Store::open(&directory.path().join("store.duckdb"), Default::default()).expect("store");
    let template = ExportTraceServiceRequest::decode(capture("codex-binary-toolcall", "0004-traces").as_slice()).expect("traces");
    let spans = ai_observer_engine::otlp::spans_from_request(&template).spans;
    let mut group = criterion.benchmark_group("store");
    group.sample_size(20);
    group.throughput(Throughput::Elements(spans.len() as u64));
    let fresh_batch = || ai_observer_engine::store::WriteBatch {
        spans: spans
            .iter()
            .cloned()
            .map(|mut span| {
                span.span_id = format!("{:016x}", COUNTER.fetch_add(1, Ordering::Relaxed));
                span
            })
            .collect(),
        ..Default::default()
    };
    group.bench_function("writer_spans", |bencher| {
        bencher.to_async(&runtime).iter_custom(|count| {
            send_until_stored(&store, count, || {
                let (store, batch) = (store.clone(), fresh_batch());
                async move {
                    store.write(batch).await.expect("write");
                }
            })
        });
    });
    // The same rows through a bare Appender on its own database file with the same schema.
    let raw_path = directory.path().join("raw.duckdb");
    runtime.block_on(async {
        let schema_only = ai_observer_engine::store::Store::open(&raw_path, Default::default()).expect("schema");
        schema_only.shutdown().await;
    });
    let connection = duckdb::Connection::open(&raw_path).expect("raw connection");
    group.bench_function("appender_spans", |bencher| {
        bencher.iter(|| {
            connection.execute_batch("BEGIN TRANSACTION").expect("begin");
            {
                let mut appender = connection.appender("otel_traces").expect("appender");
                ai_observer_engine::store::append_spans(&mut appender, &spans.iter().collect::<Vec<_>>()).expect("append");
                appender.flush().expect("flush");
            }
            connection.execute_batch("COMMIT").expect("commit");
        });
    });
    group.finish();
    drop(connection);
    runtime.block_on(store.shutdown());
}

criterion_group!(benches, bench_ingest, bench_store);
criterion_main!(benches);
