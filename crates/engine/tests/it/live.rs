//! `/ws` pushes `{type, timestamp, payload}` after each insert; foreign origins cannot listen.

use crate::support::{TestServer, captures};
use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

#[tokio::test]
async fn every_insert_is_pushed_to_live_sockets() {
    let server = TestServer::start().await;
    let url = format!("ws://127.0.0.1:{}/ws", server.ports.api);
    let (mut socket, _) = tokio_tungstenite::connect_async(url.as_str()).await.expect("socket opens");
    let logs = captures(&["claude-json-plain"]).into_iter().find(|capture| capture.path == "/v1/logs").expect("logs capture");
    assert_eq!(logs.replay(&server.client, &server.otlp("")).await.status(), 200);
    let mut kinds = Vec::new();
    while kinds.len() < 2 {
        let message = tokio::time::timeout(std::time::Duration::from_secs(5), socket.next())
            .await
            .expect("a message arrives")
            .expect("open")
            .expect("frame");
        let Message::Text(text) = message else { continue };
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(value["timestamp"].is_string());
        if value["type"] == "logs" {
            let records = value["payload"].as_array().unwrap();
            assert!(records.iter().any(|record| record["body"] == "claude_code.api_request"));
            assert_eq!(records[0]["serviceName"], "claude-code");
        }
        if value["type"] == "usage" {
            assert_eq!(value["payload"], serde_json::json!([{"tool": "claude-code", "requests": 2}]));
        }
        kinds.push(value["type"].as_str().unwrap().to_owned());
    }
    assert!(kinds.contains(&"logs".to_owned()) && kinds.contains(&"usage".to_owned()), "{kinds:?}");

    let mut foreign = url.as_str().into_client_request().unwrap();
    foreign.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    assert!(tokio_tungstenite::connect_async(foreign).await.is_err(), "a foreign origin is refused");
    server.stop().await;
}
