//! Where a command's work happens: on the database directly, or — when a running AI Observer
//! (the desktop app or `serve`) holds the database, which DuckDB allows only one process to do —
//! through that process's API, with the same requests the app's own UI sends.

use ai_observer_engine::api::rest::OPERATIONS;
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
            // a server with TLS answers https only; its own certificate is the one to trust
            let (url, client) = match &config.tls {
                Some(tls) => {
                    let url = format!("https://localhost:{api_port}");
                    let pem = std::fs::read(&tls.cert).with_context(|| format!("cannot read the certificate {}", tls.cert.display()))?;
                    (url.clone(), ApiClient::trusting(url, config.auth_token.clone(), &pem)?)
                }
                None => {
                    let url = format!("http://127.0.0.1:{api_port}");
                    (url.clone(), ApiClient::new(url, config.auth_token.clone()))
                }
            };
            if !client.is_up().await {
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

/// A client builder for `base`. The system's root certificates are left out only for a plain
/// http:// address (the app on this machine), which never needs them: loading them took a status
/// line (one process per Claude Code answer) from 13–14 to 17 ms at the median.
fn client_for(base: &str) -> reqwest::ClientBuilder {
    reqwest::Client::builder().tls_built_in_root_certs(needs_root_certificates(base))
}

/// Whether a client of `base` may need the system's root certificates: unless it is a plain
/// http:// URL (in any case, as URL schemes are), it keeps them.
fn needs_root_certificates(base: &str) -> bool {
    !reqwest::Url::parse(base).is_ok_and(|url| url.scheme() == "http")
}

/// A small client for the REST API that calls operations by their name in the engine's table
/// (`api::rest::OPERATIONS`): method and path come from there, never from a string typed here.
pub struct ApiClient {
    base: String,
    token: Option<String>,
    http: reqwest::Client,
}

impl ApiClient {
    pub fn new(base: String, token: Option<String>) -> ApiClient {
        let http = client_for(&base).build().unwrap_or_default();
        ApiClient { base: base.trim_end_matches('/').to_owned(), token, http }
    }

    /// A client that also trusts the certificates in `pem` (a server's self-signed certificate).
    pub fn trusting(base: String, token: Option<String>, pem: &[u8]) -> anyhow::Result<ApiClient> {
        let mut builder = reqwest::Client::builder();
        for certificate in reqwest::Certificate::from_pem_bundle(pem)? {
            builder = builder.add_root_certificate(certificate);
        }
        Ok(ApiClient { base: base.trim_end_matches('/').to_owned(), token, http: builder.build()? })
    }

    /// A client whose every call gives up after `timeout` (for callers that must never hang).
    pub fn with_timeout(base: String, token: Option<String>, timeout: std::time::Duration) -> ApiClient {
        let http = client_for(&base).timeout(timeout).connect_timeout(timeout).build().unwrap_or_default();
        ApiClient { base: base.trim_end_matches('/').to_owned(), token, http }
    }

    /// Whether an AI Observer answers at the base address.
    pub async fn is_up(&self) -> bool {
        self.http.get(format!("{}/health", self.base)).send().await.is_ok_and(|response| response.status().is_success())
    }

    /// Calls the operation `name` with `request`, as the UI's HTTP transport does: path parameters
    /// from the request's fields, the rest as query (GET, DELETE) or JSON body (POST, PUT).
    pub async fn call<T: DeserializeOwned>(&self, name: &str, request: &impl Serialize) -> anyhow::Result<T> {
        let Some((_, method, path, ..)) = OPERATIONS.iter().find(|operation| operation.0 == name) else {
            bail!("the engine has no operation named {name}");
        };
        let mut fields = match serde_json::to_value(request)? {
            serde_json::Value::Object(fields) => fields,
            serde_json::Value::Null => serde_json::Map::new(),
            _ => bail!("the request of {name} is not an object"),
        };
        let url = format!("{}{}", self.base, fill_path(path, &mut fields)?);
        let builder = match *method {
            "GET" => self.http.get(url).query(&query_pairs(&fields)),
            "DELETE" => self.http.delete(url).query(&query_pairs(&fields)),
            "POST" => self.http.post(url).json(&fields),
            "PUT" => self.http.put(url).json(&fields),
            other => bail!("{name} ({other}) cannot be called over the API"),
        };
        self.send(builder).await
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
}

/// The path with `{param}` replaced by (and removed from) the request's fields.
fn fill_path(path: &str, fields: &mut serde_json::Map<String, serde_json::Value>) -> anyhow::Result<String> {
    let mut filled = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|offset| start + offset).with_context(|| format!("bad path {path}"))?;
        let name = &rest[start + 1..end];
        let value = fields.remove(name).with_context(|| format!("missing path parameter {name}"))?;
        let text = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
        filled.push_str(&rest[..start]);
        filled.push_str(&url_escape(&text));
        rest = &rest[end + 1..];
    }
    filled.push_str(rest);
    Ok(filled)
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(
            |byte| {
                if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) { (byte as char).to_string() } else { format!("%{byte:02X}") }
            },
        )
        .collect()
}

fn query_pairs(fields: &serde_json::Map<String, serde_json::Value>) -> Vec<(String, String)> {
    fields
        .iter()
        .filter(|(_, value)| !value.is_null())
        .map(|(key, value)| (key.clone(), value.as_str().map_or_else(|| value.to_string(), str::to_owned)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_come_from_the_request_and_leave_it() {
        let mut fields = serde_json::json!({"jobId": "job/7", "extra": 1}).as_object().unwrap().clone();
        assert_eq!(fill_path("/api/import/jobs/{jobId}/cancel", &mut fields).unwrap(), "/api/import/jobs/job%2F7/cancel");
        assert_eq!(fields.len(), 1);
        assert!(fill_path("/api/dashboards/{id}", &mut fields).is_err());
        assert_eq!(query_pairs(&fields), vec![("extra".to_owned(), "1".to_owned())]);
    }

    #[test]
    fn only_a_plain_http_address_goes_without_root_certificates() {
        assert!(!needs_root_certificates("http://127.0.0.1:8080"));
        assert!(!needs_root_certificates("HTTP://localhost:8080/"));
        assert!(needs_root_certificates("https://team.example"));
        assert!(needs_root_certificates("HTTPS://team.example"));
        assert!(needs_root_certificates("team.example:8080"));
    }
}
