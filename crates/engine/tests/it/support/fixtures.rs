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
