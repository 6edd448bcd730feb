//! A team server behind a reverse proxy on the same machine: every request arrives from loopback,
//! so `require_token` makes every caller present a token there too — on the REST API, OTLP/HTTP,
//! OTLP/gRPC and the live socket (whose token rides as the `bearer.<token>` subprotocol, as a
//! browser sends it) — while the UI's own files still load, so its page can ask for one.

use crate::support::{TestServer, captures};
use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
use prost::Message;
use reqwest::Method;
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const RANGE: &str = "from=2026-11-01&to=2100-01-01&tz=UTC";
const ADMIN: &str = "admin-secret-for-the-test";

#[tokio::test]
async fn behind_a_proxy_every_caller_needs_a_token_and_the_ui_still_loads() {
    let directory = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(&directory.path().join("team.duckdb"), |config| {
        config.auth_token = Some(ADMIN.to_owned());
        config.require_token = true;
    })
    .await;
    let laptop = server.engine.tokens().add("laptop").await.unwrap().token;

    // Without a token, from loopback: nothing answers data, nothing is stored.
    let anonymous = server.client.get(server.api(&format!("/api/spend?{RANGE}"))).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("every caller"), "{body}");
    let logs = captures(&["claude-json-plain"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    assert_eq!(logs.replay(&server.client, &server.otlp("")).await.status(), 401);
    let proto = captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    let request = ExportLogsServiceRequest::decode(proto.body.as_slice()).unwrap();
    let mut grpc = LogsServiceClient::connect(format!("http://127.0.0.1:{}", server.ports.otlp_grpc)).await.unwrap();
    assert_eq!(grpc.export(request.clone()).await.unwrap_err().code(), tonic::Code::Unauthenticated);
    let socket = format!("ws://127.0.0.1:{}/ws", server.ports.api);
    assert!(tokio_tungstenite::connect_async(socket.as_str()).await.is_err(), "the live socket wants a token too");
    assert_eq!(server.row_counts().await, (0, 0, 0, 0));

    // The UI's files need none (they hold no data), nor the health check.
    for path in ["/", "/team", "/assets/index.js", "/health"] {
        let status = server.client.get(server.api(path)).send().await.unwrap().status();
        assert_ne!(status, 401, "{path} must load without a token, so the page can ask for one");
    }

    // With a machine token: it sends and reads, as that machine; changes stay the admin's.
    assert_eq!(logs.replay_as(&server.client, &server.otlp(""), &laptop).await.status(), 200);
    let mut as_laptop = tonic::Request::new(request);
    as_laptop.metadata_mut().insert("authorization", format!("Bearer {laptop}").parse().unwrap());
    grpc.export(as_laptop).await.unwrap();
    let read = server.client.get(server.api(&format!("/api/spend?groupBy=machine&{RANGE}"))).bearer_auth(&laptop).send().await.unwrap();
    assert_eq!(read.status(), 200);
    let by_machine: serde_json::Value = read.json().await.unwrap();
    assert_eq!(by_machine["groups"][0]["key"], "laptop");
    assert_eq!(by_machine["groups"].as_array().unwrap().len(), 1, "everything arrived as the laptop");
    assert_eq!(by_machine["groups"][0]["requests"], 5, "Claude Code's two calls over HTTP and three over gRPC");
    let change =
        server.client.put(server.api("/api/settings")).bearer_auth(&laptop).json(&json!({"dailyBudgetUsd": 5})).send().await.unwrap();
    assert_eq!(change.status(), 403);
    let change =
        server.client.request(Method::PUT, server.api("/api/settings")).bearer_auth(ADMIN).json(&json!({"dailyBudgetUsd": 5})).send().await;
    assert_eq!(change.unwrap().status(), 200, "the server's own token changes settings");

    // The live socket takes the token as a subprotocol and answers with its own.
    let mut with_token = socket.as_str().into_client_request().unwrap();
    with_token.headers_mut().insert("sec-websocket-protocol", format!("ai-observer, bearer.{laptop}").parse().unwrap());
    let (_socket, response) = tokio_tungstenite::connect_async(with_token).await.expect("the socket opens with the token");
    assert_eq!(response.headers()["sec-websocket-protocol"], "ai-observer");
    let mut wrong = socket.as_str().into_client_request().unwrap();
    wrong.headers_mut().insert("sec-websocket-protocol", "ai-observer, bearer.aio_wrong".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(wrong).await.is_err(), "a wrong token is refused");
    server.stop().await;
}

#[test]
fn requiring_a_token_needs_the_server_s_own() {
    let mut config = ai_observer_engine::EngineConfig::with_database("team.duckdb".into());
    config.require_token = true;
    let refused = config.validate().unwrap_err().to_string();
    assert!(refused.contains("AI_OBSERVER_TOKEN"), "{refused}");
    config.auth_token = Some(ADMIN.to_owned());
    config.validate().unwrap();
}
