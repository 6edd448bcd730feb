//! The captured CLI requests: bodies with their recorded path and headers, and `expected.json`.

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The main capture set: plain and tool-call runs of each CLI.
pub fn fixtures_root() -> PathBuf {
    capture_set("cli-captures")
}

/// A capture set under `tests/fixtures` (`cli-captures`, `fork-subagent-captures`, …).
pub fn capture_set(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The captured HOMEs of the main capture set (`<run>/sessions`), in name order.
pub fn captured_homes() -> Vec<PathBuf> {
    let root = fixtures_root();
    let mut homes: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures")
        .flatten()
        .map(|entry| entry.path().join("sessions"))
        .filter(|home| home.is_dir())
        .collect();
    homes.sort();
    homes
}

/// Copies a directory tree (a captured HOME, or part of one) to `to`, to be changed there.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn expected() -> Value {
    expected_in(&fixtures_root())
}

/// The `expected.json` of a capture set.
pub fn expected_in(root: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(root.join("expected.json")).expect("expected.json")).expect("valid expected.json")
}

/// One recorded request.
#[derive(Debug, Clone)]
pub struct Capture {
    pub run: String,
    pub name: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Capture {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    /// Replays the request as the CLI sent it (same path, content type, encoding).
    /// Bodies the CLI sent chunked (no Content-Length) are sent chunked again.
    pub async fn replay(&self, client: &reqwest::Client, base: &str) -> reqwest::Response {
        self.replay_with(client, base, None).await
    }

    /// `replay` with `Authorization: Bearer <token>`, as an exporter configured with
    /// `OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer <token>` sends it.
    pub async fn replay_as(&self, client: &reqwest::Client, base: &str, token: &str) -> reqwest::Response {
        self.replay_with(client, base, Some(token)).await
    }

    /// The same request with one more resource attribute on every resource, as the CLI sends it
    /// when the user sets `OTEL_RESOURCE_ATTRIBUTES=<key>=<value>` (uncompressed bodies only).
    pub fn with_resource_attribute(&self, key: &str, value: &str) -> Capture {
        use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
        use opentelemetry_proto::tonic::collector::metrics::v1::ExportMetricsServiceRequest;
        use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
        use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
        use opentelemetry_proto::tonic::resource::v1::Resource;
        use prost::Message;
        assert!(self.header("content-encoding").is_none(), "{}: compressed bodies are not rewritten", self.name);
        let attribute = KeyValue {
            key: key.to_owned(),
            value: Some(AnyValue { value: Some(any_value::Value::StringValue(value.to_owned())) }),
            ..KeyValue::default()
        };
        let add = |resource: &mut Option<Resource>| resource.get_or_insert_with(Resource::default).attributes.push(attribute.clone());
        let body = if self.body.first() == Some(&b'{') {
            let mut request: Value = serde_json::from_slice(&self.body).expect("JSON body");
            for list in ["resourceLogs", "resourceSpans", "resourceMetrics"] {
                for entry in request[list].as_array_mut().into_iter().flatten() {
                    let attributes = &mut entry["resource"]["attributes"];
                    if !attributes.is_array() {
                        *attributes = Value::Array(Vec::new());
                    }
                    attributes.as_array_mut().unwrap().push(serde_json::json!({"key": key, "value": {"stringValue": value}}));
                }
            }
            serde_json::to_vec(&request).unwrap()
        } else if self.path.ends_with("/v1/logs") {
            let mut request = ExportLogsServiceRequest::decode(self.body.as_slice()).expect("protobuf logs");
            request.resource_logs.iter_mut().for_each(|entry| add(&mut entry.resource));
            request.encode_to_vec()
        } else if self.path.ends_with("/v1/traces") {
            let mut request = ExportTraceServiceRequest::decode(self.body.as_slice()).expect("protobuf traces");
            request.resource_spans.iter_mut().for_each(|entry| add(&mut entry.resource));
            request.encode_to_vec()
        } else {
            let mut request = ExportMetricsServiceRequest::decode(self.body.as_slice()).expect("protobuf metrics");
            request.resource_metrics.iter_mut().for_each(|entry| add(&mut entry.resource));
            request.encode_to_vec()
        };
        let headers = self.headers.iter().filter(|(name, _)| !name.eq_ignore_ascii_case("content-length")).cloned().collect();
        Capture { body, headers, ..self.clone() }
    }

    async fn replay_with(&self, client: &reqwest::Client, base: &str, token: Option<&str>) -> reqwest::Response {
        let chunked = self.header("transfer-encoding").is_some_and(|value| value.eq_ignore_ascii_case("chunked"));
        let body = if chunked {
            let pieces: Vec<Result<Vec<u8>, std::io::Error>> = self.body.chunks(4096).map(|piece| Ok(piece.to_vec())).collect();
            reqwest::Body::wrap_stream(futures_util::stream::iter(pieces))
        } else {
            reqwest::Body::from(self.body.clone())
        };
        let mut request = client.post(format!("{base}{}", self.path)).body(body);
        for name in ["content-type", "content-encoding"] {
            if let Some(value) = self.header(name) {
                request = request.header(name, value);
            }
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("replay request")
    }
}

/// Every captured request of every run, in capture order (or of the runs named).
pub fn captures(runs: &[&str]) -> Vec<Capture> {
    captures_in(&fixtures_root(), runs)
}

/// `captures` of another capture set.
pub fn captures_in(root: &Path, runs: &[&str]) -> Vec<Capture> {
    let root = root.to_path_buf();
    let mut run_names: Vec<String> = std::fs::read_dir(&root)
        .expect("fixtures")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().join("otlp").is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|run| runs.is_empty() || runs.contains(&run.as_str()))
        .collect();
    run_names.sort();
    let mut all = Vec::new();
    for run in run_names {
        let otlp = root.join(&run).join("otlp");
        let mut metas: Vec<PathBuf> = std::fs::read_dir(&otlp)
            .expect("otlp dir")
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.to_string_lossy().ends_with(".meta.json"))
            .collect();
        metas.sort();
        for meta_path in metas {
            let meta: Value = serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta")).expect("meta json");
            let stem = meta_path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(|name| name.strip_suffix(".meta.json"))
                .expect("stem")
                .to_owned();
            let plain = otlp.join(format!("{stem}.bin"));
            let body = if plain.exists() {
                std::fs::read(&plain).expect("body")
            } else {
                let mut inflated = Vec::new();
                flate2::read::GzDecoder::new(std::fs::File::open(otlp.join(format!("{stem}.bin.gz"))).expect("gz body"))
                    .read_to_end(&mut inflated)
                    .expect("gunzip");
                inflated
            };
            let headers = meta["headers"]
                .as_object()
                .map(|object| object.iter().map(|(key, value)| (key.clone(), value.as_str().unwrap_or_default().to_owned())).collect())
                .unwrap_or_default();
            all.push(Capture { run: run.clone(), name: stem, path: meta["path"].as_str().unwrap_or("/").to_owned(), headers, body });
        }
    }
    all
}
