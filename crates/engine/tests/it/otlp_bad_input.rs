//! Bad OTLP input gets the status the OTLP specification asks for and a message, the server keeps
//! serving, and nothing from a refused request is stored.

use crate::support::{TestServer, captures};
use ai_observer_engine::otlp::RpcStatus;
use flate2::Compression;
use flate2::write::GzEncoder;
use prost::Message;
use std::io::Write;

async fn post(
    server: &TestServer,
    path: &str,
    content_type: Option<&str>,
    encoding: Option<&str>,
    body: Vec<u8>,
) -> (u16, Option<String>, Vec<u8>) {
    let mut request = server.client.post(server.otlp(path)).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    if let Some(encoding) = encoding {
        request = request.header("content-encoding", encoding);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|value| value.to_str().ok()).map(str::to_owned);
    (status, content_type, response.bytes().await.expect("body").to_vec())
}

fn protobuf_logs_capture() -> Vec<u8> {
    captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/logs").expect("capture").body
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

#[tokio::test]
async fn each_kind_of_bad_request_gets_its_status_and_a_message_and_nothing_is_stored() {
    let server =
        TestServer::start_with(&tempfile::tempdir().unwrap().keep().join("bad.duckdb"), |config| config.max_body_bytes = 1024 * 1024).await;
    let valid = protobuf_logs_capture();

    // Truncated protobuf: 400 with a google.rpc.Status in protobuf.
    let (status, content_type, body) =
        post(&server, "/v1/logs", Some("application/x-protobuf"), None, valid[..valid.len() / 2].to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(content_type.as_deref(), Some("application/x-protobuf"));
    let rpc = RpcStatus::decode(body.as_slice()).expect("status message");
    assert_eq!(rpc.code, RpcStatus::INVALID_ARGUMENT);
    assert!(rpc.message.contains("failed to decode"), "{}", rpc.message);

    // Invalid JSON: 400 with a JSON status.
    let (status, content_type, body) = post(&server, "/v1/logs", Some("application/json"), None, br#"{"resourceLogs": ["#.to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&body).expect("json status");
    assert_eq!(json["code"], 3);
    assert!(json["message"].as_str().unwrap().contains("JSON"), "{json}");

    // A media type that is neither protobuf nor JSON: 415.
    let (status, _, body) = post(&server, "/v1/logs", Some("text/plain"), None, br#"{"resourceLogs": []}"#.to_vec()).await;
    assert_eq!(status, 415);
    assert!(String::from_utf8_lossy(&body).contains("unsupported content type"));

    // An unsupported content encoding: 415.
    let (status, _, _) = post(&server, "/v1/logs", Some("application/x-protobuf"), Some("br"), valid.clone()).await;
    assert_eq!(status, 415);

    // Over the body limit: 413.
    let (status, _, body) = post(&server, "/v1/traces", Some("application/x-protobuf"), None, vec![0x0a; 2 * 1024 * 1024]).await;
    assert_eq!(status, 413);
    assert!(RpcStatus::decode(body.as_slice()).expect("status").message.contains("exceeds the limit"));

    // A gzip bomb (64 MiB of zeros in ~64 KiB) is refused without inflating it all: 413.
    let bomb = gzip(&vec![0u8; 64 * 1024 * 1024]);
    assert!(bomb.len() < 1024 * 1024);
    let (status, _, _) = post(&server, "/v1/logs", Some("application/x-protobuf"), Some("gzip"), bomb).await;
    assert_eq!(status, 413);

    // Not gzip although it says so: 400.
    let (status, _, _) = post(&server, "/v1/logs", Some("application/x-protobuf"), Some("gzip"), b"not gzip".to_vec()).await;
    assert_eq!(status, 400);

    // Empty body: 400.
    let (status, _, body) = post(&server, "/v1/metrics", Some("application/x-protobuf"), None, Vec::new()).await;
    assert_eq!(status, 400);
    assert!(RpcStatus::decode(body.as_slice()).expect("status").message.contains("empty"));

    // JSON that is no OTLP request: 400.
    let (status, _, _) = post(&server, "/", Some("application/json"), None, br#"{"hello": "world"}"#.to_vec()).await;
    assert_eq!(status, 400);

    // Unknown path: 404; wrong method: 405.
    let (status, _, body) = post(&server, "/v2/traces", Some("application/x-protobuf"), None, valid.clone()).await;
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("no OTLP endpoint"));
    let response = server.client.get(server.otlp("/v1/traces")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);

    // Nothing of the refused requests was stored.
    assert_eq!(server.row_counts().await, (0, 0, 0, 0));

    // The server keeps serving: health and a valid gzip request.
    let response = server.client.get(server.otlp("/health")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let (status, content_type, body) = post(&server, "/v1/logs", Some("application/x-protobuf"), Some("gzip"), gzip(&valid)).await;
    assert_eq!(status, 200);
    assert_eq!(content_type.as_deref(), Some("application/x-protobuf"));
    assert!(body.is_empty(), "an empty ExportLogsServiceResponse encodes to no bytes");
    assert!(server.row_counts().await.1 > 0);
    server.stop().await;
}

#[tokio::test]
async fn a_signal_on_the_wrong_path_or_on_root_is_detected_from_the_body() {
    let server = TestServer::start().await;
    let traces = captures(&["codex-binary-toolcall"]).into_iter().find(|capture| capture.path == "/v1/traces").expect("traces capture");
    // Codex used to send traces to the logs URL; a bare endpoint sends everything to `/`.
    let (status, _, _) = post(&server, "/v1/logs", Some("application/x-protobuf"), None, traces.body.clone()).await;
    assert_eq!(status, 200);
    let metrics = captures(&["gemini-plain"]).into_iter().find(|capture| capture.path == "/v1/metrics").expect("metrics capture");
    let (status, content_type, body) = post(&server, "/", Some("application/json"), None, metrics.body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    assert_eq!(body, b"{}");
    let (spans, logs, points, _) = server.row_counts().await;
    assert!(spans > 0, "traces posted to /v1/logs were stored as spans");
    assert_eq!(logs, 0);
    assert!(points > 0, "metrics posted to / were stored as metrics");
    server.stop().await;
}

#[tokio::test]
async fn records_without_ids_are_refused_with_partial_success() {
    let server = TestServer::start().await;
    let body = serde_json::json!({
        "resourceSpans": [{
            "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "probe"}}]},
            "scopeSpans": [{"spans": [
                {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "kept", "startTimeUnixNano": "1795873621000000000", "endTimeUnixNano": "1795873622000000000"},
                {"traceId": "", "spanId": "", "name": "refused", "startTimeUnixNano": "1795873621000000000"}
            ]}]
        }]
    });
    let (status, _, response) = post(&server, "/v1/traces", Some("application/json"), None, body.to_string().into_bytes()).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_slice(&response).unwrap();
    assert_eq!(json["partialSuccess"]["rejectedSpans"], "1");
    assert!(json["partialSuccess"]["errorMessage"].as_str().unwrap().contains("trace id"));
    assert_eq!(server.row_counts().await.0, 1);
    server.stop().await;
}

#[tokio::test]
async fn a_repeated_span_is_stored_once() {
    let server = TestServer::start().await;
    let traces = captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/traces").expect("traces capture");
    for _ in 0..3 {
        let response = traces.replay(&server.client, &server.otlp("")).await;
        assert_eq!(response.status(), 200);
    }
    let request = opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest::decode(traces.body.as_slice()).unwrap();
    let spans = request.resource_spans.iter().flat_map(|r| &r.scope_spans).map(|s| s.spans.len() as i64).sum::<i64>();
    assert_eq!(server.row_counts().await.0, spans);
    server.stop().await;
}
