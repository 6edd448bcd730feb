//! `otlp-load`: sends real OTLP — the captured Claude Code and Codex exports, with fresh ids per
//! request — over HTTP protobuf, HTTP JSON or gRPC at a fixed request rate, for a bounded count and
//! time, to a receiver on this machine only. Prints throughput and acknowledgement latency as JSON.

use clap::{Parser, ValueEnum};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
use opentelemetry_proto::tonic::collector::metrics::v1::metrics_service_client::MetricsServiceClient;
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_client::TraceServiceClient;
use opentelemetry_proto::tonic::common::v1::{AnyValue, any_value};
use opentelemetry_proto::tonic::metrics::v1::{Metric, metric};
use prost::Message;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Protocol {
    HttpProtobuf,
    HttpJson,
    Grpc,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Signal {
    Traces,
    Logs,
    Metrics,
}

#[derive(Debug, Parser)]
#[command(about = "Send captured OTLP exports to a local receiver at a fixed rate")]
struct Args {
    /// Receiver base URL (loopback only): http://127.0.0.1:4318 for HTTP, http://127.0.0.1:4317 for gRPC
    #[arg(long)]
    target: String,
    #[arg(long, value_enum, default_value = "http-protobuf")]
    protocol: Protocol,
    #[arg(long, value_enum, default_value = "traces")]
    signal: Signal,
    /// Requests per second (0 = as fast as the concurrency allows)
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Stop after this many requests
    #[arg(long, default_value_t = 1000)]
    count: u64,
    /// Stop after this many seconds
    #[arg(long, default_value_t = 60.0)]
    duration: f64,
    /// Requests in flight at most
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Send as this bearer token (repeatable: requests take the tokens in turn, as several machines
    /// sending to one team server would)
    #[arg(long = "token")]
    tokens: Vec<String>,
    /// For an https:// target: trust this PEM certificate (a server's self-signed one)
    #[arg(long, value_name = "PEM")]
    ca: Option<std::path::PathBuf>,
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/fixtures/cli-captures");

fn capture(run: &str, name: &str) -> Vec<u8> {
    let base = std::path::Path::new(FIXTURES).join(run).join("otlp");
    let plain = base.join(format!("{name}.bin"));
    if let Ok(bytes) = std::fs::read(&plain) {
        return bytes;
    }
    let mut bytes = Vec::new();
    let file = std::fs::File::open(base.join(format!("{name}.bin.gz"))).expect("capture file");
    flate2::read::GzDecoder::new(file).read_to_end(&mut bytes).expect("gunzip capture");
    bytes
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static SESSION_REQUESTS: AtomicU64 = AtomicU64::new(0);

fn fresh_id(bytes: &mut [u8]) {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    let length = bytes.len();
    if length >= 8 {
        bytes[length - 8..].copy_from_slice(&id);
    }
}

/// One request's worth of data, with fresh ids so nothing is de-duplicated away.
enum Payload {
    Traces(ExportTraceServiceRequest),
    Logs(ExportLogsServiceRequest),
    Metrics(ExportMetricsServiceRequest),
}

fn data_points(metric: &Metric) -> u64 {
    let points = match &metric.data {
        Some(metric::Data::Gauge(gauge)) => gauge.data_points.len(),
        Some(metric::Data::Sum(sum)) => sum.data_points.len(),
        Some(metric::Data::Histogram(histogram)) => histogram.data_points.len(),
        Some(metric::Data::ExponentialHistogram(histogram)) => histogram.data_points.len(),
        Some(metric::Data::Summary(summary)) => summary.data_points.len(),
        None => 0,
    };
    points as u64
}

impl Payload {
    /// Spans, log records or metric data points (a metric holds one point per attribute set, so
    /// counting metrics would undercount what a receiver stores).
    fn records(&self) -> u64 {
        match self {
            Payload::Traces(request) => request.resource_spans.iter().flat_map(|r| &r.scope_spans).map(|s| s.spans.len() as u64).sum(),
            Payload::Logs(request) => request.resource_logs.iter().flat_map(|r| &r.scope_logs).map(|s| s.log_records.len() as u64).sum(),
            Payload::Metrics(request) => {
                request.resource_metrics.iter().flat_map(|r| &r.scope_metrics).flat_map(|s| &s.metrics).map(data_points).sum()
            }
        }
    }
}

fn template(signal: Signal) -> Payload {
    match signal {
        Signal::Traces => Payload::Traces(
            ExportTraceServiceRequest::decode(capture("codex-binary-toolcall", "0004-traces").as_slice()).expect("traces capture"),
        ),
        Signal::Logs => {
            Payload::Logs(ExportLogsServiceRequest::decode(capture("claude-proto-toolcall", "0002-logs").as_slice()).expect("logs capture"))
        }
        Signal::Metrics => Payload::Metrics(
            ExportMetricsServiceRequest::decode(capture("claude-proto-toolcall", "0003-metrics").as_slice()).expect("metrics capture"),
        ),
    }
}

fn fresh(template: &Payload) -> Payload {
    match template {
        Payload::Traces(request) => {
            let mut request = request.clone();
            for span in request.resource_spans.iter_mut().flat_map(|r| r.scope_spans.iter_mut()).flat_map(|s| s.spans.iter_mut()) {
                fresh_id(&mut span.span_id);
            }
            Payload::Traces(request)
        }
        Payload::Logs(request) => {
            let mut request = request.clone();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |duration| duration.as_nanos() as u64);
            // a session of 20 requests, as a working session has tens: every request of one session
            // would make each write re-match an ever larger session, which no real traffic does
            let session = format!("load_session_{}", SESSION_REQUESTS.fetch_add(1, Ordering::Relaxed) / 20);
            for record in request.resource_logs.iter_mut().flat_map(|r| r.scope_logs.iter_mut()).flat_map(|s| s.log_records.iter_mut()) {
                record.time_unix_nano = now;
                for attribute in record.attributes.iter_mut().filter(|attribute| attribute.key == "session.id") {
                    attribute.value = Some(AnyValue { value: Some(any_value::Value::StringValue(session.clone())) });
                }
                for attribute in record.attributes.iter_mut().filter(|attribute| attribute.key == "request_id") {
                    attribute.value = Some(AnyValue {
                        value: Some(any_value::Value::StringValue(format!("req_load_{}", NEXT_ID.fetch_add(1, Ordering::Relaxed)))),
                    });
                }
            }
            Payload::Logs(request)
        }
        Payload::Metrics(request) => Payload::Metrics(request.clone()),
    }
}

enum Sender {
    Http { client: reqwest::Client, url: String, json: bool },
    Grpc { channel: tonic::transport::Channel },
}

impl Sender {
    async fn send(&self, payload: Payload, token: Option<&str>) -> Result<(), String> {
        match self {
            Sender::Http { client, url, json } => {
                let (path, body) = match (&payload, json) {
                    (Payload::Traces(request), false) => ("/v1/traces", request.encode_to_vec()),
                    (Payload::Logs(request), false) => ("/v1/logs", request.encode_to_vec()),
                    (Payload::Metrics(request), false) => ("/v1/metrics", request.encode_to_vec()),
                    (Payload::Traces(request), true) => ("/v1/traces", serde_json::to_vec(request).map_err(|error| error.to_string())?),
                    (Payload::Logs(request), true) => ("/v1/logs", serde_json::to_vec(request).map_err(|error| error.to_string())?),
                    (Payload::Metrics(request), true) => ("/v1/metrics", serde_json::to_vec(request).map_err(|error| error.to_string())?),
                };
                let content_type = if *json { "application/json" } else { "application/x-protobuf" };
                let mut request = client.post(format!("{url}{path}")).header("content-type", content_type).body(body);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let response = request.send().await.map_err(|error| error.to_string())?;
                if response.status().is_success() { Ok(()) } else { Err(format!("HTTP {}", response.status())) }
            }
            Sender::Grpc { channel } => {
                fn with_token<T>(message: T, token: Option<&str>) -> tonic::Request<T> {
                    let mut request = tonic::Request::new(message);
                    if let Some(value) = token.and_then(|token| format!("Bearer {token}").parse().ok()) {
                        request.metadata_mut().insert("authorization", value);
                    }
                    request
                }
                let result = match payload {
                    Payload::Traces(request) => {
                        TraceServiceClient::new(channel.clone()).export(with_token(request, token)).await.map(|_| ())
                    }
                    Payload::Logs(request) => LogsServiceClient::new(channel.clone()).export(with_token(request, token)).await.map(|_| ()),
                    Payload::Metrics(request) => {
                        MetricsServiceClient::new(channel.clone()).export(with_token(request, token)).await.map(|_| ())
                    }
                };
                result.map_err(|status| status.to_string())
            }
        }
    }
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * fraction).round() as usize]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let url = reqwest::Url::parse(&args.target)?;
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let loopback = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        return Err(format!("refusing to send load to {host}: loopback targets only").into());
    }
    let base = args.target.trim_end_matches('/').to_owned();
    let ca = args.ca.as_ref().map(std::fs::read).transpose()?;
    let http_client = || -> Result<reqwest::Client, reqwest::Error> {
        let mut builder = reqwest::Client::builder();
        if let Some(pem) = &ca {
            builder = builder.add_root_certificate(reqwest::Certificate::from_pem(pem)?);
        }
        builder.build()
    };
    let sender = Arc::new(match args.protocol {
        Protocol::HttpProtobuf => Sender::Http { client: http_client()?, url: base, json: false },
        Protocol::HttpJson => Sender::Http { client: http_client()?, url: base, json: true },
        Protocol::Grpc => {
            let mut endpoint = tonic::transport::Endpoint::from_shared(base)?;
            if let Some(pem) = &ca {
                endpoint = endpoint
                    .tls_config(tonic::transport::ClientTlsConfig::new().ca_certificate(tonic::transport::Certificate::from_pem(pem)))?;
            }
            Sender::Grpc { channel: endpoint.connect().await? }
        }
    });
    let template = Arc::new(template(args.signal));
    let tokens = Arc::new(args.tokens.clone());
    let records_per_request = template.records();
    let limit = Arc::new(tokio::sync::Semaphore::new(args.concurrency.max(1)));
    let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let failures = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.duration);
    let interval = (args.rate > 0.0).then(|| Duration::from_secs_f64(1.0 / args.rate));
    let mut tasks = Vec::new();
    for index in 0..args.count {
        if Instant::now() >= deadline {
            break;
        }
        if let Some(interval) = interval {
            let due = started + interval.mul_f64(index as f64);
            tokio::time::sleep_until(tokio::time::Instant::from_std(due)).await;
        }
        let permit = Arc::clone(&limit).acquire_owned().await?;
        let (sender, template, latencies, failures, tokens) =
            (Arc::clone(&sender), Arc::clone(&template), Arc::clone(&latencies), Arc::clone(&failures), Arc::clone(&tokens));
        tasks.push(tokio::spawn(async move {
            let payload = fresh(&template);
            let token = (!tokens.is_empty()).then(|| tokens[(index % tokens.len() as u64) as usize].as_str());
            let sent = Instant::now();
            let outcome = sender.send(payload, token).await;
            drop(permit);
            match outcome {
                Ok(()) => latencies.lock().map(|mut all| all.push(sent.elapsed().as_secs_f64() * 1000.0)).unwrap_or(()),
                Err(_) => {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = latencies.lock().map(|all| all.clone()).unwrap_or_default();
    latencies.sort_by(f64::total_cmp);
    let ok = latencies.len() as u64;
    let report = serde_json::json!({
        "protocol": format!("{:?}", args.protocol), "signal": format!("{:?}", args.signal), "machines": args.tokens.len(),
        "requests_ok": ok, "requests_failed": failures.load(Ordering::Relaxed), "records_per_request": records_per_request,
        "seconds": elapsed, "requests_per_second": ok as f64 / elapsed, "records_per_second": (ok * records_per_request) as f64 / elapsed,
        "latency_ms": {"p50": percentile(&latencies, 0.5), "p99": percentile(&latencies, 0.99), "max": latencies.last().copied().unwrap_or(0.0)}
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_metrics_request_counts_its_data_points_not_its_metrics() {
        // Claude Code's captured export: four metrics, twelve points (token usage by type and
        // model, cost by model, active time, session count).
        let metrics = template(Signal::Metrics);
        let Payload::Metrics(request) = &metrics else { panic!("a metrics request") };
        assert_eq!(request.resource_metrics.iter().flat_map(|r| &r.scope_metrics).map(|s| s.metrics.len()).sum::<usize>(), 4);
        assert_eq!(metrics.records(), 12);
        assert_eq!(template(Signal::Logs).records(), 9);
    }
}
