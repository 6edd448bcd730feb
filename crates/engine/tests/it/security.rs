//! Security checks: loopback by default, a token beyond loopback, foreign hosts refused, user input
//! never becoming SQL, export paths fixed, hostile JSON refused without harm.

use crate::support::{TestServer, captures};
use ai_observer_engine::EngineConfig;
use serde_json::json;
use std::net::{IpAddr, UdpSocket};

/// This machine's address on its default route, if it has one (no packet is sent).
fn non_loopback_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let address = socket.local_addr().ok()?.ip();
    (!address.is_loopback() && !address.is_unspecified()).then_some(address)
}

#[tokio::test]
async fn the_default_binding_is_loopback_only() {
    let config = EngineConfig::with_database("unused.duckdb".into());
    assert!(config.listen.is_loopback());
    let server = TestServer::start().await;
    if let Some(address) = non_loopback_address() {
        let reached = tokio::net::TcpStream::connect((address, server.ports.api)).await;
        assert!(reached.is_err(), "the API port must not be reachable on {address}");
        let reached = tokio::net::TcpStream::connect((address, server.ports.otlp_http)).await;
        assert!(reached.is_err(), "the OTLP port must not be reachable on {address}");
    }
    server.stop().await;
}

#[tokio::test]
async fn listening_beyond_loopback_requires_a_token_and_remote_requests_must_send_it() {
    let mut config = EngineConfig::with_database("unused.duckdb".into());
    config.listen = "0.0.0.0".parse().unwrap();
    assert!(config.validate().is_err(), "no token, no exposure");
    config.auth_token = Some("s3cret-token".into());
    assert!(config.validate().is_ok());

    let Some(address) = non_loopback_address() else {
        eprintln!("skipped the remote part: this machine has no non-loopback address");
        return;
    };
    let directory = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(&directory.path().join("remote.duckdb"), |config| {
        config.listen = "0.0.0.0".parse().unwrap();
        config.auth_token = Some("s3cret-token".into());
    })
    .await;
    let remote = format!("http://{address}:{}/api/stats", server.ports.api);
    let refused = server.client.get(&remote).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 401);
    let wrong = server.client.get(&remote).bearer_auth("guess").send().await.unwrap();
    assert_eq!(wrong.status().as_u16(), 401);
    let allowed = server.client.get(&remote).bearer_auth("s3cret-token").send().await.unwrap();
    assert_eq!(allowed.status().as_u16(), 200);
    let otlp = server
        .client
        .post(format!("http://{address}:{}/v1/logs", server.ports.otlp_http))
        .header("content-type", "application/json")
        .body(r#"{"resourceLogs":[]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(otlp.status().as_u16(), 401, "the OTLP port needs the token too");
    // A named token (a team's machine) is accepted from afar; managing tokens is not, whatever the token.
    let made = server.engine.tokens().add("remote-laptop").await.unwrap();
    let named = server.client.get(&remote).bearer_auth(&made.token).send().await.unwrap();
    assert_eq!(named.status().as_u16(), 200);
    let manage = server
        .client
        .post(format!("http://{address}:{}/api/tokens", server.ports.api))
        .bearer_auth("s3cret-token")
        .json(&json!({"name": "intruder"}))
        .send()
        .await
        .unwrap();
    assert_eq!(manage.status().as_u16(), 403, "tokens are managed on the server itself");
    assert_eq!(server.engine.tokens().list().await.unwrap().tokens.len(), 1);
    // Local clients need no token.
    assert_eq!(server.client.get(server.api("/api/stats")).send().await.unwrap().status().as_u16(), 200);
    server.stop().await;
}

#[tokio::test]
async fn user_input_never_becomes_sql() {
    let server = TestServer::start().await;
    for capture in captures(&["claude-json-plain"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let before = server.row_counts().await;
    let day = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";
    let hostile = ["'; DROP TABLE otel_logs; --", "%' OR '1'='1", "\\' OR 1=1 --", "x\") OR 1=1 --"];
    for attack in hostile {
        let encoded: String = url_encode(attack);
        let (status, logs) = server.get_status(&format!("/api/logs?search={encoded}&{day}")).await;
        assert_eq!((status, logs["total"].as_i64()), (200, Some(0)), "search {attack:?}");
        let (status, series) = server.get_status(&format!("/api/metrics/series?name={encoded}&{day}")).await;
        assert_eq!((status, series["series"].as_array().map(Vec::len)), (200, Some(0)), "series {attack:?}");
        let (status, _) =
            server.get_status(&format!("/api/metrics/breakdown-values?name=claude_code.token.usage&attribute={encoded}")).await;
        assert_eq!(status, 400, "attribute key {attack:?}");
        let (status, traces) = server.get_status(&format!("/api/traces?service={encoded}&{day}")).await;
        assert_eq!((status, traces["total"].as_i64()), (200, Some(0)));
        let (status, _) = server.get_status(&format!("/api/sessions/{encoded}/transcript")).await;
        assert_eq!(status, 404);
    }
    // A search term with LIKE wildcards matches them literally.
    let (_, literal) = server.get_status(&format!("/api/logs?search=%25&{day}")).await;
    assert_eq!(literal["total"], 0);
    assert_eq!(server.row_counts().await, before, "nothing was dropped or changed");
    server.stop().await;
}

fn url_encode(text: &str) -> String {
    text.bytes().map(|byte| if byte.is_ascii_alphanumeric() { (byte as char).to_string() } else { format!("%{byte:02X}") }).collect()
}

#[tokio::test]
async fn export_paths_come_from_the_user_and_never_from_data() {
    let server = TestServer::start().await;
    // API exports are written inside the export folder.
    let folder = server.engine.export_root().await;
    let output = folder.join("out").display().to_string();
    for tool in ["../../etc", "codex'; COPY", "a/b"] {
        let (status, body) = server.send_json(reqwest::Method::POST, "/api/export", &json!({"output": output, "tool": tool})).await;
        assert_eq!(status, 400, "tool {tool:?}: {body}");
    }
    let (status, result) = server.send_json(reqwest::Method::POST, "/api/export", &json!({"output": output, "tool": "codex"})).await;
    assert_eq!(status, 200);
    let mut written: Vec<String> =
        std::fs::read_dir(folder.join("out")).unwrap().flatten().map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
    written.sort();
    assert_eq!(
        written,
        vec!["ai-observer-export-codex-all.duckdb", "logs.parquet", "metrics.parquet", "traces.parquet", "usage.parquet"],
        "{result}"
    );
    let escaped: Vec<_> = std::fs::read_dir(folder).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(escaped.len(), 1, "nothing was written beside the chosen folder");
    server.stop().await;
}

#[tokio::test]
async fn hostile_json_is_refused_without_harm() {
    let server = TestServer::start().await;
    // 10 000 nested arrays in an attribute value: refused (depth limit), not a crash.
    let mut value = String::from("{\"stringValue\":\"x\"}");
    for _ in 0..10_000 {
        value = format!("{{\"arrayValue\":{{\"values\":[{value}]}}}}");
    }
    let body = format!(
        r#"{{"resourceLogs":[{{"scopeLogs":[{{"logRecords":[{{"timeUnixNano":"1","attributes":[{{"key":"deep","value":{value}}}]}}]}}]}}]}}"#
    );
    let response = server.client.post(server.otlp("/v1/logs")).header("content-type", "application/json").body(body).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    // An oversized REST body is refused.
    let huge = json!({"name": "x".repeat(3 * 1024 * 1024)});
    let response = server.client.post(server.api("/api/dashboards")).json(&huge).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 413);
    // Wrong JSON types in a request are a 400 with a message.
    let (status, body) = server.send_json(reqwest::Method::POST, "/api/metrics/batch-series", &json!({"queries": "nope"})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("invalid request"));
    assert_eq!(server.client.get(server.otlp("/health")).send().await.unwrap().status().as_u16(), 200);
    assert_eq!(server.row_counts().await, (0, 0, 0, 0));
    server.stop().await;
}
