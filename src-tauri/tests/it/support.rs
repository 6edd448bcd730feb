//! A harness with both transports over one engine: the REST servers on loopback (port 0), and the
//! generated commands in a Tauri app on the mock runtime, reached through the real IPC path
//! (`get_ipc_response`). The engine holds the captured CLI telemetry, replayed to its OTLP port.

use ai_observer_desktop::commands::invoke_handler;
use ai_observer_desktop::state::DesktopState;
use ai_observer_engine::api::RunningServer;
use ai_observer_engine::{Engine, EngineConfig};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

pub struct Harness {
    pub engine: Engine,
    server: Option<RunningServer>,
    webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    _folder: tempfile::TempDir,
}

/// An HTTP answer: status and body (when it is JSON).
#[derive(Debug)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: Option<Value>,
}

fn captures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/engine/tests/fixtures/cli-captures")
}

/// A minimal HTTP/1.1 exchange (`Connection: close`, so the body is everything after the headers).
pub fn http(port: u16, method: &str, path_and_query: &str, headers: &[(&str, &str)], body: &[u8]) -> HttpAnswer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut head =
        format!("{method} {path_and_query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("write head");
    stream.write_all(body).expect("write body");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).expect("read");
    let split = answer.windows(4).position(|window| window == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head.split_whitespace().nth(1).and_then(|code| code.parse().ok()).expect("status");
    let content = &answer[split + 4..];
    assert!(!head.to_ascii_lowercase().contains("transfer-encoding: chunked"), "chunked answers are not expected here");
    let is_json = head.to_ascii_lowercase().contains("content-type: application/json");
    let body = (is_json && !content.is_empty()).then(|| serde_json::from_slice(content).expect("JSON body"));
    HttpAnswer { status, body }
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(
            |byte| {
                if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) { (byte as char).to_string() } else { format!("%{byte:02X}") }
            },
        )
        .collect()
}

impl Harness {
    pub fn start() -> Harness {
        let folder = tempfile::tempdir().expect("temp dir");
        let mut config = EngineConfig::with_database(folder.path().join("parity.duckdb"));
        (config.api_port, config.otlp_http_port) = (0, 0);
        config.grpc_enabled = false;
        config.price_overrides_path = None;
        config.default_time_zone = Some("UTC".to_owned());
        let (engine, server) = tauri::async_runtime::block_on(async {
            let engine = Engine::open(config).await.expect("engine");
            let server = ai_observer_engine::api::start(engine.clone(), None).await.expect("servers");
            (engine, server)
        });
        let app = mock_builder()
            .manage(DesktopState::with_engine(engine.clone()))
            .invoke_handler(invoke_handler())
            .build(mock_context(noop_assets()))
            .expect("mock app");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("webview");
        let harness = Harness { engine, server: Some(server), webview, _app: app, _folder: folder };
        harness.replay_captures();
        harness
    }

    pub fn api_port(&self) -> u16 {
        self.server.as_ref().map_or(0, |server| server.ports.api)
    }

    /// Every captured CLI request, as sent (path, content type, content encoding, body bytes).
    fn replay_captures(&self) {
        let port = self.server.as_ref().map_or(0, |server| server.ports.otlp_http);
        let mut metas: Vec<PathBuf> = std::fs::read_dir(captures_root())
            .expect("captures")
            .filter_map(Result::ok)
            .map(|run| run.path().join("otlp"))
            .filter(|folder| folder.is_dir())
            .flat_map(|folder| std::fs::read_dir(folder).expect("run").filter_map(Result::ok).map(|entry| entry.path()))
            .filter(|path| path.to_string_lossy().ends_with(".meta.json"))
            .collect();
        metas.sort();
        assert!(metas.len() > 20, "the captured requests are there");
        for meta_path in metas {
            let meta: Value = serde_json::from_str(&std::fs::read_to_string(&meta_path).expect("meta")).expect("meta JSON");
            let stem = meta_path.to_string_lossy().trim_end_matches(".meta.json").to_owned();
            let body_path =
                [format!("{stem}.bin"), format!("{stem}.bin.gz")].into_iter().find(|path| Path::new(path).exists()).expect("body");
            let body = std::fs::read(&body_path).expect("body");
            let header = |name: &str| {
                meta["headers"]
                    .as_object()
                    .and_then(|headers| headers.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)))
                    .and_then(|(_, value)| value.as_str())
                    .map(str::to_owned)
            };
            let mut headers = Vec::new();
            let content_type = header("content-type");
            // Large bodies are stored gzipped (`stored_as`); sending them gzip-encoded is the same request.
            let content_encoding = header("content-encoding").or_else(|| body_path.ends_with(".gz").then(|| "gzip".to_owned()));
            if let Some(value) = &content_type {
                headers.push(("Content-Type", value.as_str()));
            }
            if let Some(value) = &content_encoding {
                headers.push(("Content-Encoding", value.as_str()));
            }
            let path = meta["path"].as_str().expect("path");
            let answer = http(port, "POST", path, &headers, &body);
            assert_eq!(answer.status, 200, "{body_path}: {:?}", answer.body);
        }
    }

    /// The operation through its Tauri command: `invoke(name, { request })`.
    pub fn command(&self, name: &str, request: &Value) -> Result<Value, Value> {
        let invoke = InvokeRequest {
            cmd: name.to_owned(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(serde_json::json!({ "request": request })),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_owned(),
        };
        get_ipc_response(&self.webview, invoke).map(|body| body.deserialize::<Value>().expect("JSON answer"))
    }

    /// The operation through REST, with the same request object: path parameters filled in, the
    /// rest as the query string (GET, DELETE) or the JSON body (POST, PUT).
    pub fn rest(&self, name: &str, request: &Value) -> HttpAnswer {
        let (_, method, template, _, _, _) =
            ai_observer_engine::api::rest::OPERATIONS.iter().find(|operation| operation.0 == name).expect("operation in the table");
        let mut fields = request.as_object().cloned().unwrap_or_default();
        let mut path = template.to_string();
        while let Some(start) = path.find('{') {
            let end = path[start..].find('}').map(|offset| start + offset).expect("closing brace");
            let key = path[start + 1..end].to_owned();
            let value = fields.remove(&key).and_then(|value| value.as_str().map(str::to_owned)).expect("path parameter in the request");
            path.replace_range(start..=end, &percent_encode(&value));
        }
        let text = |value: &Value| value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        if matches!(*method, "GET" | "DELETE") {
            let query: Vec<String> =
                fields.iter().map(|(key, value)| format!("{}={}", percent_encode(key), percent_encode(&text(value)))).collect();
            if !query.is_empty() {
                path = format!("{path}?{}", query.join("&"));
            }
            http(self.api_port(), method, &path, &[], &[])
        } else {
            let body = serde_json::to_vec(&Value::Object(fields)).expect("body");
            http(self.api_port(), method, &path, &[("Content-Type", "application/json")], &body)
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let server = self.server.take();
        let engine = self.engine.clone();
        tauri::async_runtime::block_on(async move {
            if let Some(server) = server {
                server.shutdown().await;
            }
            engine.shutdown().await;
        });
    }
}
