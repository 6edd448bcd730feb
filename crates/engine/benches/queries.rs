//! The Overview's queries and the default dashboard's on a store of `BENCH_ROWS` rows per telemetry
//! table (default 1 000 000; one usage record per 10 rows), spread over 30 days.
//!
//! Run: `BENCH_ROWS=10000000 cargo bench -p ai-observer-engine --bench queries` (figures in
//! docs/benchmarks.md); `BENCH_DATABASE=<file>` keeps the generated store.

use ai_observer_engine::model::{Attributes, LogRecord, MetricPoint, Span, Tool, UsageRecord, UsageSource};
use ai_observer_engine::query::{logs, series, spend, stats, time_range::TimeRange, traces};
use ai_observer_engine::store::{Store, WriteBatch};
use criterion::{Criterion, criterion_group, criterion_main};

const DAY_NANOS: i64 = 86_400_000_000_000;
const END: i64 = 1_795_873_621_000_000_000;

fn attributes(pairs: &[(&str, String)]) -> Attributes {
    pairs.iter().map(|(key, value)| ((*key).to_owned(), value.clone())).collect()
}

fn batch(start: u64, count: u64) -> WriteBatch {
    let mut batch = WriteBatch::default();
    let tools = [
        (Tool::ClaudeCode, "claude-code", "claude-opus-4-8"),
        (Tool::Codex, "codex_exec", "gpt-5.5"),
        (Tool::Gemini, "gemini-cli", "gemini-3.8-flash"),
    ];
    for index in start..start + count {
        let time = END - (index as i64 * 2_591_000_017) % (30 * DAY_NANOS);
        let (tool, service, model) = tools[(index % 3) as usize];
        let session = format!("session-{}", index % 5000);
        batch.spans.push(Span {
            start_time: time,
            trace_id: format!("{:032x}", index / 8),
            span_id: format!("{:016x}", index),
            parent_span_id: (index % 8 != 0).then(|| format!("{:016x}", index - index % 8)),
            trace_state: None,
            name: "claude_code.llm_request".into(),
            kind: "INTERNAL".into(),
            service_name: service.into(),
            resource_attributes: attributes(&[("service.name", service.into())]),
            scope_name: None,
            scope_version: None,
            attributes: attributes(&[("model", model.into()), ("session.id", session.clone())]),
            duration_nanos: 1_000_000 + (index % 1000) as i64 * 1000,
            status_code: if index % 97 == 0 { "ERROR".into() } else { "UNSET".into() },
            status_message: None,
            events: Vec::new(),
            links: Vec::new(),
        });
        batch.logs.push(LogRecord {
            time,
            severity_text: "INFO".into(),
            severity_number: 9,
            service_name: service.into(),
            body: "claude_code.api_request".into(),
            attributes: attributes(&[
                ("event.name", "api_request".into()),
                ("session.id", session.clone()),
                ("model", model.into()),
                ("input_tokens", "120".into()),
            ]),
            ..LogRecord::default()
        });
        let mut point = MetricPoint::derived_sum(
            time,
            service,
            "claude_code.token.usage",
            "tokens",
            "",
            attributes(&[("type", ["input", "output", "cacheRead"][(index % 3) as usize].into()), ("model", model.into())]),
            (index % 5000) as f64,
        );
        point.record_key = None;
        batch.metrics.push(point);
        if index % 10 == 0 {
            batch.usage.push(UsageRecord {
                record_key: format!("bench:{index}"),
                time,
                tool: Some(tool),
                source: Some(UsageSource::Otlp),
                service_name: service.into(),
                session_id: Some(session),
                request_id: Some(format!("req_{index}")),
                model: model.into(),
                input_tokens: 100,
                cache_read_tokens: 20_000,
                output_tokens: 500,
                computed_cost_usd: Some(0.02),
                ..UsageRecord::default()
            });
        }
    }
    batch
}

fn bench_queries(criterion: &mut Criterion) {
    // Under `cargo test` (no `--bench`) the benchmark runs once as a smoke test on a small store.
    let benchmarking = std::env::args().any(|argument| argument == "--bench");
    let default_rows = if benchmarking { 1_000_000 } else { 20_000 };
    let rows: u64 = std::env::var("BENCH_ROWS").ok().and_then(|value| value.parse().ok()).unwrap_or(default_rows);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let directory = tempfile::tempdir().expect("temp dir");
    // BENCH_DATABASE keeps the generated store (e.g. to time the UI against it).
    let path = std::env::var("BENCH_DATABASE").map(std::path::PathBuf::from).unwrap_or_else(|_| directory.path().join("queries.duckdb"));
    let store = Store::open(&path, Default::default()).expect("store");
    runtime.block_on(async {
        let mut start = 0;
        while start < rows {
            let count = (rows - start).min(100_000);
            store.write_waiting(batch(start, count)).await.expect("load");
            start += count;
        }
    });
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().expect("tz");
    let now = chrono::DateTime::from_timestamp_nanos(END);
    let month = TimeRange { from: now - chrono::Duration::days(30), to: now };
    let day = TimeRange { from: now - chrono::Duration::days(1), to: now };
    let mut group = criterion.benchmark_group(format!("queries_{rows}_rows"));
    group.sample_size(10);
    group.bench_function("overview_spend_summary", |bencher| bencher.to_async(&runtime).iter(|| spend::summary_at(&store, tz, now)));
    group.bench_function("overview_spend_by_day_30d", |bencher| {
        bencher.to_async(&runtime).iter(|| spend::spend_in_range(&store, month, spend::GroupBy::Day, tz, spend::SpendScope::default()))
    });
    group.bench_function("overview_spend_by_model_30d", |bencher| {
        bencher.to_async(&runtime).iter(|| spend::spend_in_range(&store, month, spend::GroupBy::Model, tz, spend::SpendScope::default()))
    });
    group.bench_function("overview_spend_by_session_30d", |bencher| {
        bencher.to_async(&runtime).iter(|| spend::spend_in_range(&store, month, spend::GroupBy::Session, tz, spend::SpendScope::default()))
    });
    group.bench_function("dashboard_stats", |bencher| bencher.to_async(&runtime).iter(|| stats::stats(&store, stats::EmptyRequest {})));
    group.bench_function("dashboard_recent_traces_24h", |bencher| {
        bencher.to_async(&runtime).iter(|| {
            traces::recent(
                &store,
                traces::TracesRecentRequest { limit: Some(10), from: Some(day.from_text()), to: Some(day.to_text()) },
                tz,
            )
        })
    });
    group.bench_function("traces_list_30d", |bencher| {
        bencher.to_async(&runtime).iter(|| {
            traces::list(
                &store,
                traces::TracesListRequest {
                    from: Some(month.from_text()),
                    to: Some(month.to_text()),
                    limit: Some(10),
                    ..Default::default()
                },
                tz,
            )
        })
    });
    group.bench_function("logs_list_search_30d", |bencher| {
        bencher.to_async(&runtime).iter(|| {
            logs::list(
                &store,
                logs::LogsListRequest {
                    search: Some("gpt-5.5".into()),
                    from: Some(month.from_text()),
                    to: Some(month.to_text()),
                    limit: Some(50),
                    ..Default::default()
                },
                tz,
            )
        })
    });
    group.bench_function("metric_series_30d_6h", |bencher| {
        bencher.to_async(&runtime).iter(|| {
            series::series(
                &store,
                series::SeriesRequest {
                    name: Some("claude_code.token.usage".into()),
                    from: Some(month.from_text()),
                    to: Some(month.to_text()),
                    interval: Some(21_600),
                    ..Default::default()
                },
                tz,
            )
        })
    });
    group.finish();
    runtime.block_on(store.shutdown());
}

criterion_group!(benches, bench_queries);
criterion_main!(benches);
