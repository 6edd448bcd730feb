//! Where a command's work happens: on the database directly, or — when a running AI Observer
//! (the desktop app or `serve`) holds the database, which DuckDB allows only one process to do —
//! through that process's API, with the same requests the app's own UI sends.

use ai_observer_engine::engine::EngineError;
use ai_observer_engine::store::StoreError;
use ai_observer_engine::{Engine, EngineConfig};
use anyhow::{Context, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::PathBuf;

pub enum Target {
    Local(Engine),
    Remote(ApiClient),
}

/// Opens the database, or finds the running app that holds it.
pub async fn open(database: Option<PathBuf>, api_url: Option<String>) -> anyhow::Result<Target> {
    let mut config = EngineConfig::from_env()?;
    if let Some(database) = database {
        config.database_path = database;
    }
    let api_port = config.api_port;
    let path = config.database_path.clone();
    if let Some(url) = api_url {
        return Ok(Target::Remote(ApiClient::new(url, config.auth_token.clone())));
    }
    match Engine::open(config.clone()).await {
        Ok(engine) => Ok(Target::Local(engine)),
        Err(EngineError::Store(StoreError::Locked { .. })) => {
            let url = format!("http://127.0.0.1:{api_port}");
            let client = ApiClient::new(url.clone(), config.auth_token.clone());
            if client.get::<serde_json::Value>("/health").await.is_err() {
                bail!(
                    "the database {} is in use by another process, and no AI Observer answers at {url}: stop the other process, or pass --api-url",
                    path.display()
                );
            }
            eprintln!("The running AI Observer holds the database; working through its API at {url}.");
            Ok(Target::Remote(client))
        }
        Err(error) => Err(error).with_context(|| format!("cannot open the database {}", path.display())),
    }
}

impl Target {
    pub async fn close(self) {
        if let Target::Local(engine) = self {
            engine.shutdown().await;
        }
    }
}

/// A small client for the REST API.
pub struct ApiClient {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl ApiClient {
    pub fn new(base: String, token: Option<String>) -> ApiClient {
        ApiClient { base: base.trim_end_matches('/').to_owned(), token, http: reqwest::Client::new() }
    }

    async fn send<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> anyhow::Result<T> {
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.with_context(|| format!("cannot reach AI Observer at {}", self.base))?;
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|body| body.get("message").and_then(|message| message.as_str()).map(str::to_owned))
                .unwrap_or(text);
            bail!("{message} (HTTP {status})");
        }
        let text = if text.trim().is_empty() { "null".to_owned() } else { text };
        serde_json::from_str(&text).with_context(|| "unexpected answer from the API")
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> anyhow::Result<T> {
        self.send(self.http.get(format!("{}{path}", self.base))).await
    }

    pub async fn post<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> anyhow::Result<T> {
        self.send(self.http.post(format!("{}{path}", self.base)).json(body)).await
    }

    pub async fn put<T: DeserializeOwned>(&self, path: &str, body: &impl Serialize) -> anyhow::Result<T> {
        self.send(self.http.put(format!("{}{path}", self.base)).json(body)).await
    }
}
