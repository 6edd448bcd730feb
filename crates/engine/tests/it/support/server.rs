//! A real engine with its servers on free loopback ports and a fresh DuckDB file.

use ai_observer_engine::api::RunningServer;
use ai_observer_engine::{Engine, EngineConfig, Ports};
use serde_json::Value;
use std::path::Path;

pub struct TestServer {
    pub engine: Engine,
    pub ports: Ports,
    pub client: reqwest::Client,
    server: Option<RunningServer>,
    _directory: Option<tempfile::TempDir>,
}

impl TestServer {
    pub async fn start() -> TestServer {
        let directory = tempfile::tempdir().expect("temp dir");
        let database = directory.path().join("test.duckdb");
        let mut server = TestServer::start_on(&database).await;
        server._directory = Some(directory);
        server
    }

    pub async fn start_on(database: &Path) -> TestServer {
        TestServer::start_with(database, |_| {}).await
    }

    pub async fn start_with(database: &Path, adjust: impl FnOnce(&mut EngineConfig)) -> TestServer {
        let mut config = EngineConfig::with_database(database.to_owned());
        config.api_port = 0;
        config.otlp_http_port = 0;
        config.otlp_grpc_port = 0;
        config.price_overrides_path = None;
        config.default_time_zone = Some("UTC".to_owned());
        adjust(&mut config);
        let engine = Engine::open(config).await.expect("engine opens");
        let server = ai_observer_engine::api::start(engine.clone(), None).await.expect("servers start");
        TestServer { engine, ports: server.ports, client: reqwest::Client::new(), server: Some(server), _directory: None }
    }

    pub fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.ports.api, path)
    }

    pub fn otlp(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.ports.otlp_http, path)
    }

    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.client.get(self.api(path)).send().await.expect("request");
        let status = response.status();
        let body = response.text().await.expect("body");
        assert!(status.is_success(), "GET {path} answered {status}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|error| panic!("GET {path} returned invalid JSON ({error}): {body}"))
    }

    pub async fn get_status(&self, path: &str) -> (u16, Value) {
        let response = self.client.get(self.api(path)).send().await.expect("request");
        let status = response.status().as_u16();
        let body = response.text().await.expect("body");
        (status, serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    pub async fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> (u16, Value) {
        let response = self.client.request(method, self.api(path)).json(body).send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Row counts of the three telemetry tables and the usage table.
    pub async fn row_counts(&self) -> (i64, i64, i64, i64) {
        self.engine
            .store()
            .read(|connection| {
                Ok(connection.query_row(
                    "SELECT (SELECT count(*) FROM otel_traces), (SELECT count(*) FROM otel_logs), (SELECT count(*) FROM otel_metrics), (SELECT count(*) FROM usage_records)",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )?)
            })
            .await
            .expect("counts")
    }

    /// The one value `sql` selects, read through the store.
    pub async fn scalar<T: duckdb::types::FromSql + Send + 'static>(&self, sql: &'static str) -> T {
        self.engine.store().read(move |connection| Ok(connection.query_row(sql, [], |row| row.get(0))?)).await.expect(sql)
    }

    /// Stops the servers and the writer (everything acknowledged is committed).
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        self.engine.shutdown().await;
    }
}
