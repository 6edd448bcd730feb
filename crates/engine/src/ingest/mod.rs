//! Ingest: decoded OTLP requests into stored rows.
//!
//! `Ingestor::ingest` normalises a request (decode results into model rows, per-tool derivations,
//! cumulative-to-delta, pricing; off the async runtime for cumulative metrics and large requests),
//! hands one `WriteBatch` to the store, waits until its acknowledgement journal holds it
//! (`Store::write`), then publishes live messages. An OTLP request is acknowledged only after this returns `Ok`.

pub mod claude_code;
pub mod codex;
pub mod cumulative;
pub mod forwarded_usage;
pub mod gemini;
pub mod genai;
pub mod statusline;
pub mod statusline_spool;

use crate::error::{ErrorCode, HasErrorCode};
use crate::model::identity::stamp_machine;
use crate::model::{LogRecord, MetricPoint, Sender, Tool, UsageRecord};
use crate::otlp::{ExportRequest, data_point_count, holds_cumulative_counter, logs_from_request, metrics_from_request, spans_from_request};
use crate::pricing::{PriceTable, apply_price};
use crate::store::{Store, StoreError, WriteBatch, WriteOutcome};
use crate::wire::live::{LIVE_PAYLOAD_LIMIT, LiveHub, LiveMessage, UsageNotice, now_stamp};
use crate::wire::telemetry;
use cumulative::{AddedPoint, CumulativeTracker};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("receiving is paused in AI Observer; resume it to store telemetry")]
    Paused,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("ingest task failed: {0}")]
    Task(String),
}

impl HasErrorCode for IngestError {
    fn code(&self) -> ErrorCode {
        match self {
            IngestError::Paused => ErrorCode::Unavailable,
            IngestError::Store(error) => match error {
                StoreError::Query(_) => ErrorCode::Unavailable,
                other => other.code(),
            },
            IngestError::Task(_) => ErrorCode::Internal,
        }
    }
}

/// What happened to one request: rows stored and records refused (for `partial_success`).
#[derive(Debug, Clone, Default)]
pub struct IngestReport {
    pub stored: WriteOutcome,
    pub rejected: i64,
    pub rejection_message: Option<String>,
    pub usage_records: usize,
}

/// Shared handle to the current price table; replaced as a whole when prices change.
pub type SharedPrices = Arc<RwLock<Arc<PriceTable>>>;

#[derive(Clone)]
pub struct Ingestor {
    store: Store,
    prices: SharedPrices,
    tracker: Arc<Mutex<CumulativeTracker>>,
    live: LiveHub,
    paused: Arc<AtomicBool>,
}

/// A request turned into rows, before it is written.
#[derive(Debug, Default)]
pub struct Normalised {
    pub batch: WriteBatch,
    pub rejected: i64,
    pub rejection_message: Option<String>,
    added_points: Vec<AddedPoint>,
}

impl Ingestor {
    pub fn new(store: Store, prices: SharedPrices, live: LiveHub) -> Ingestor {
        Ingestor { store, prices, tracker: Arc::default(), live, paused: Arc::new(AtomicBool::new(false)) }
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::SeqCst);
    }

    pub fn is_paused(&self) -> bool {
        self.paused.load(Ordering::SeqCst)
    }

    pub fn live(&self) -> &LiveHub {
        &self.live
    }

    pub fn current_prices(&self) -> Arc<PriceTable> {
        self.prices.read().map(|prices| Arc::clone(&prices)).unwrap_or_else(|poisoned| Arc::clone(&poisoned.into_inner()))
    }

    /// Normalises, stores and publishes one OTLP request this machine sent.
    pub async fn ingest(&self, request: ExportRequest) -> Result<IngestReport, IngestError> {
        self.ingest_from(request, None).await
    }

    /// Normalises, stores and publishes one OTLP request; `sender` is the machine its named token
    /// names, written on every row it brings (`model::identity`).
    pub async fn ingest_from(&self, request: ExportRequest, sender: Option<Sender>) -> Result<IngestReport, IngestError> {
        if self.is_paused() {
            return Err(IngestError::Paused);
        }
        let normalised = if normalised_in_place(&request) {
            self.normalise(request, sender.as_ref())?
        } else {
            let worker = self.clone();
            tokio::task::spawn_blocking(move || worker.normalise(request, sender.as_ref()))
                .await
                .map_err(|error| IngestError::Task(error.to_string()))??
        };
        let Normalised { batch, rejected, rejection_message, added_points } = normalised;
        let live_messages = if self.live.has_listeners() { live_messages(&batch) } else { Vec::new() };
        let usage_records = batch.usage.len();
        let stored = match self.store.write(batch).await {
            Ok(stored) => stored,
            Err(error) => {
                if let Ok(mut tracker) = self.tracker.lock() {
                    tracker.take_back(&added_points);
                }
                return Err(error.into());
            }
        };
        for message in live_messages {
            self.live.publish(message);
        }
        Ok(IngestReport { stored, rejected, rejection_message, usage_records })
    }

    fn normalise(&self, request: ExportRequest, sender: Option<&Sender>) -> Result<Normalised, IngestError> {
        let prices = self.current_prices();
        let mut normalised = normalise(request, &prices, &self.tracker, Some(self.store.readers()))?;
        stamp_sender(&mut normalised.batch, sender);
        Ok(normalised)
    }
}

/// Rows a request may hold to be normalised on the async worker that decoded it: for a request
/// this size the hand-off to the blocking pool and back (two thread wake-ups) cost more than the
/// work (docs/benchmarks.md). A metric request goes to the pool when it holds a cumulative counter,
/// since the cumulative tracker may then read the store for a series it has not seen since start;
/// delta counters and gauges (what Claude Code and Codex send) never touch the tracker.
const IN_PLACE_ROWS: usize = 1_000;

fn normalised_in_place(request: &ExportRequest) -> bool {
    match request {
        ExportRequest::Metrics(request) => {
            let metrics = || request.resource_metrics.iter().flat_map(|resource| &resource.scope_metrics).flat_map(|scope| &scope.metrics);
            metrics().map(data_point_count).sum::<usize>() <= IN_PLACE_ROWS && !metrics().any(holds_cumulative_counter)
        }
        ExportRequest::Logs(request) => {
            request.resource_logs.iter().flat_map(|resource| &resource.scope_logs).map(|scope| scope.log_records.len()).sum::<usize>()
                <= IN_PLACE_ROWS
        }
        ExportRequest::Traces(request) => {
            request.resource_spans.iter().flat_map(|resource| &resource.scope_spans).map(|scope| scope.spans.len()).sum::<usize>()
                <= IN_PLACE_ROWS
        }
    }
}

/// A request turned into rows: decoded model values plus every per-tool derivation, priced.
/// `readers` lets the cumulative tracker look up series it has not seen since start; the tracker
/// is locked for a metric request with cumulative counters only, so other requests never wait on
/// one another.
pub fn normalise(
    request: ExportRequest,
    prices: &PriceTable,
    tracker: &Mutex<CumulativeTracker>,
    readers: Option<&crate::store::ReaderPool>,
) -> Result<Normalised, IngestError> {
    let mut normalised = Normalised::default();
    match request {
        ExportRequest::Traces(request) => {
            let decoded = spans_from_request(&request);
            let mut usage = genai::usage_from_spans(&decoded.spans);
            for record in &mut usage {
                apply_price(prices, record);
            }
            normalised.batch.usage = usage;
            normalised.batch.spans = decoded.spans;
            normalised.rejected = decoded.rejected;
            normalised.rejection_message = decoded.rejection_reason;
        }
        ExportRequest::Logs(request) => {
            let decoded = logs_from_request(request);
            let (records, usage, metrics) = derive_from_logs(decoded.records, prices);
            normalised.batch.logs = records;
            normalised.batch.usage = usage;
            normalised.batch.metrics = metrics;
            normalised.rejected = decoded.rejected;
            normalised.rejection_message = decoded.rejection_reason;
        }
        ExportRequest::Metrics(request) => {
            let decoded = metrics_from_request(request);
            let mut points = decoded.points;
            let mut derived = claude_code::user_facing_points(&points);
            let (deltas, added) = if points.iter().any(cumulative::is_cumulative_counter) {
                let mut tracker = tracker.lock().map_err(|_| IngestError::Store(StoreError::Poisoned))?;
                tracker.deltas(&points, readers)?
            } else {
                (Vec::new(), Vec::new())
            };
            derived.extend(gemini::cost_points_from_deltas(&deltas, prices));
            derived.extend(deltas);
            points.extend(derived);
            normalised.batch.metrics = points;
            normalised.added_points = added;
            normalised.rejected = decoded.rejected;
            normalised.rejection_message = decoded.rejection_reason;
        }
    }
    Ok(normalised)
}

/// Writes the sender on every row of a request: the machine attribute on each resource (removed
/// when the request had no named token, so the data cannot name a machine) and the usage's machine.
pub fn stamp_sender(batch: &mut WriteBatch, sender: Option<&Sender>) {
    for span in &mut batch.spans {
        stamp_machine(&mut span.resource_attributes, sender);
    }
    for record in &mut batch.logs {
        stamp_machine(&mut record.resource_attributes, sender);
    }
    for point in &mut batch.metrics {
        stamp_machine(&mut point.resource_attributes, sender);
    }
    for usage in &mut batch.usage {
        usage.machine = sender.map(|sender| sender.machine.clone());
    }
}

/// Every normalisation step without a store, for the fuzz targets. The price table is parsed once
/// per process: parsing it for every input cost more than the step under test.
pub fn normalise_for_fuzzing(request: ExportRequest) {
    static PRICES: std::sync::OnceLock<Option<PriceTable>> = std::sync::OnceLock::new();
    if let Some(prices) = PRICES.get_or_init(|| PriceTable::builtin().ok()) {
        let tracker = Mutex::new(CumulativeTracker::default());
        if let Ok(normalised) = normalise(request, prices, &tracker, None) {
            let _ = live_messages(&normalised.batch);
        }
    }
}

/// Per-tool derivations on log records: usage records (priced), Codex's derived token metrics, and
/// the records that are kept (Codex SSE chunks are not).
pub fn derive_from_logs(mut records: Vec<LogRecord>, prices: &PriceTable) -> (Vec<LogRecord>, Vec<UsageRecord>, Vec<MetricPoint>) {
    let mut usage = forwarded_usage::take_usage(&mut records);
    usage.extend(codex::take_sse_usage(&mut records));
    usage.extend(claude_code::usage_from_logs(&records));
    usage.extend(gemini::usage_from_logs(&records));
    usage.extend(genai::usage_from_events(&records));
    for record in &mut usage {
        apply_price(prices, record);
    }
    let metrics = codex::derived_points(&usage);
    (records, usage, metrics)
}

/// Live messages announcing the rows of a batch (payloads capped at `LIVE_PAYLOAD_LIMIT` rows).
pub fn live_messages(batch: &WriteBatch) -> Vec<LiveMessage> {
    let mut messages = Vec::new();
    let timestamp = now_stamp();
    if !batch.spans.is_empty() {
        let payload = batch.spans.iter().take(LIVE_PAYLOAD_LIMIT).map(telemetry::Span::from).collect();
        messages.push(LiveMessage::Traces { timestamp: timestamp.clone(), payload });
    }
    if !batch.logs.is_empty() {
        let payload = batch.logs.iter().take(LIVE_PAYLOAD_LIMIT).map(telemetry::LogRecord::from).collect();
        messages.push(LiveMessage::Logs { timestamp: timestamp.clone(), payload });
    }
    if !batch.metrics.is_empty() {
        let payload = batch.metrics.iter().take(LIVE_PAYLOAD_LIMIT).map(telemetry::MetricDataPoint::from).collect();
        messages.push(LiveMessage::Metrics { timestamp: timestamp.clone(), payload });
    }
    if !batch.usage.is_empty() {
        messages.push(LiveMessage::Usage { timestamp, payload: usage_summary(&batch.usage) });
    }
    messages
}

/// New requests per tool, for a `usage` live message.
fn usage_summary(usage: &[UsageRecord]) -> Vec<UsageNotice> {
    let mut counts: std::collections::BTreeMap<Option<Tool>, u64> = std::collections::BTreeMap::new();
    for record in usage {
        *counts.entry(record.tool).or_default() += 1;
    }
    counts.into_iter().map(|(tool, requests)| UsageNotice { tool, requests }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otlp::{decode_metrics_json, decode_metrics_protobuf};

    const CAPTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cli-captures");

    fn capture(path: &str) -> Vec<u8> {
        std::fs::read(format!("{CAPTURES}/{path}")).expect("capture file")
    }

    #[test]
    fn delta_metric_requests_stay_on_the_worker_and_cumulative_ones_go_to_the_pool() {
        let claude = decode_metrics_protobuf(&capture("claude-proto-toolcall/otlp/0003-metrics.bin")).unwrap();
        let gemini = decode_metrics_json(&capture("gemini-plain/otlp/0002-metrics.bin")).unwrap();
        assert!(normalised_in_place(&ExportRequest::Metrics(claude.clone())), "Claude Code's delta counters need no tracker");
        assert!(!normalised_in_place(&ExportRequest::Metrics(gemini.clone())), "Gemini CLI's cumulative counters may read the store");

        let mut large = claude;
        let points: usize =
            large.resource_metrics.iter().flat_map(|r| &r.scope_metrics).flat_map(|s| &s.metrics).map(data_point_count).sum();
        let copies = IN_PLACE_ROWS / points + 1;
        let resource = large.resource_metrics[0].clone();
        large.resource_metrics = vec![resource; copies];
        assert!(!normalised_in_place(&ExportRequest::Metrics(large)), "{} points go to the pool", points * copies);

        // The cumulative request still gets its deltas from the tracker; a delta request
        // normalised with a poisoned tracker still succeeds, because it never locks it.
        let prices = PriceTable::builtin().unwrap();
        let tracker = Mutex::new(CumulativeTracker::default());
        let normalised = normalise(ExportRequest::Metrics(gemini), &prices, &tracker, None).unwrap();
        assert!(normalised.batch.metrics.iter().any(|point| point.name.ends_with(".delta")));
        let poisoned = Mutex::new(CumulativeTracker::default());
        let _ = std::panic::catch_unwind(|| {
            let _guard = poisoned.lock().unwrap();
            panic!("poison the tracker");
        });
        // Both metric requests of the capture: 12 token points, 61 382 tokens (its summary.json).
        let mut tokens = Vec::new();
        for file in ["0003-metrics.bin", "0006-metrics.bin"] {
            let request = decode_metrics_protobuf(&capture(&format!("claude-proto-toolcall/otlp/{file}"))).unwrap();
            let normalised = normalise(ExportRequest::Metrics(request), &prices, &poisoned, None).unwrap();
            assert!(normalised.batch.metrics.iter().all(|point| !point.name.ends_with(".delta")));
            tokens.extend(
                normalised.batch.metrics.into_iter().filter(|point| point.name == "claude_code.token.usage").map(|point| point.value),
            );
        }
        assert_eq!(tokens.len(), 12);
        assert_eq!(tokens.iter().map(|value| value.unwrap()).sum::<f64>(), 61_382.0);
    }
}
