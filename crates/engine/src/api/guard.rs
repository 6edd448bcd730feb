//! Who may talk to the servers.
//!
//! - DNS rebinding: a web page can make the browser send requests to 127.0.0.1 under a foreign host
//!   name. Requests must address a loopback name (or a host the user allowed) in their Host header.
//! - Other machines: when the user binds beyond loopback, requests from non-loopback peers must
//!   carry `Authorization: Bearer <token>`. A request with the right token may use any Host.
//! - Browsers: CORS and the WebSocket admit only the app's own origins and the ones configured;
//!   `cross_origin` refuses state-changing requests from other pages.

use super::http_error::error_response;
use super::page_cookie::PageCookie;
use crate::config::EngineConfig;
use crate::error::ErrorCode;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};

#[derive(Debug, Clone)]
pub struct AccessPolicy {
    allowed_hosts: Arc<Vec<String>>,
    allowed_origins: Arc<Vec<String>>,
    token: Option<Arc<String>>,
    page_cookie: PageCookie,
}

const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "::1", "[::1]", "tauri.localhost"];

impl AccessPolicy {
    /// The app's own origins: the API port under each loopback name and each allowed host, the
    /// desktop webview, and the configured ones (`AI_OBSERVER_FRONTEND_URL`, e.g. a UI dev server).
    pub fn from_config(config: &EngineConfig, api_port: u16) -> AccessPolicy {
        let mut origins: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|host| host.to_string())
            .chain(config.allowed_hosts.iter().map(|host| host.to_ascii_lowercase()))
            .flat_map(|host| [format!("http://{host}:{api_port}"), format!("https://{host}:{api_port}")])
            .collect();
        origins.extend(["tauri://localhost", "http://tauri.localhost", "https://tauri.localhost"].map(str::to_owned));
        origins.extend(config.allowed_origins.iter().map(|origin| origin.trim_end_matches('/').to_owned()));
        AccessPolicy {
            allowed_hosts: Arc::new(config.allowed_hosts.iter().map(|host| host.to_ascii_lowercase()).collect()),
            allowed_origins: Arc::new(origins),
            token: config.auth_token.clone().filter(|token| !token.is_empty()).map(Arc::new),
            page_cookie: PageCookie::new(api_port),
        }
    }

    pub fn page_cookie(&self) -> &PageCookie {
        &self.page_cookie
    }

    fn host_is_allowed(&self, host: &str) -> bool {
        let host = host.trim().to_ascii_lowercase();
        let name = if host.starts_with('[') {
            host.split(']').next().map(|inner| format!("{inner}]")).unwrap_or_default()
        } else {
            host.rsplit_once(':')
                .map_or(host.clone(), |(name, port)| if port.chars().all(|c| c.is_ascii_digit()) { name.to_owned() } else { host.clone() })
        };
        LOOPBACK_HOSTS.contains(&name.as_str()) || self.allowed_hosts.contains(&name)
    }

    fn has_valid_token(&self, headers: &HeaderMap) -> bool {
        let Some(token) = &self.token else { return false };
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .is_some_and(|presented| constant_time_equal(presented.trim().as_bytes(), token.as_bytes()))
    }

    pub fn origin_is_allowed(&self, origin: &str) -> bool {
        let origin = origin.trim_end_matches('/');
        self.allowed_origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
    }

    /// CORS for the query API: the app's origins only.
    pub fn cors_layer(&self) -> CorsLayer {
        let origins: Vec<HeaderValue> = self.allowed_origins.iter().filter_map(|origin| HeaderValue::from_str(origin).ok()).collect();
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
            .allow_headers([header::ACCEPT, header::CONTENT_TYPE, header::CONTENT_ENCODING, header::AUTHORIZATION])
            .max_age(std::time::Duration::from_secs(300))
    }
}

pub(crate) fn constant_time_equal(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len() && left.iter().zip(right).fold(0u8, |difference, (a, b)| difference | (a ^ b)) == 0
}

/// Middleware: refuses foreign Host headers and unauthenticated remote peers.
pub async fn enforce_access(State(policy): State<AccessPolicy>, request: Request, next: Next) -> Response {
    let peer_is_loopback =
        request.extensions().get::<ConnectInfo<SocketAddr>>().is_none_or(|ConnectInfo(address)| address.ip().is_loopback());
    let authenticated = policy.has_valid_token(request.headers());
    if !peer_is_loopback && !authenticated {
        return error_response(ErrorCode::Unauthorized, "requests from other machines need Authorization: Bearer <token>");
    }
    if !authenticated {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request.uri().authority().map(|authority| authority.to_string()));
        if let Some(host) = host
            && !policy.host_is_allowed(&host)
        {
            return error_response(ErrorCode::Forbidden, format!("host {host:?} is not allowed; add it to AI_OBSERVER_ALLOWED_HOSTS"));
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> AccessPolicy {
        let mut config = EngineConfig::with_database("x.duckdb".into());
        config.allowed_hosts = vec!["observer.lan".into()];
        AccessPolicy::from_config(&config, 8080)
    }

    #[test]
    fn loopback_names_with_any_port_are_allowed_and_others_are_not() {
        let policy = policy();
        for host in ["localhost:8080", "127.0.0.1", "[::1]:4318", "LOCALHOST", "observer.lan:8080"] {
            assert!(policy.host_is_allowed(host), "{host}");
        }
        for host in ["evil.example", "127.0.0.1.evil.example:8080", "localhost.evil.example"] {
            assert!(!policy.host_is_allowed(host), "{host}");
        }
    }

    #[test]
    fn origins_are_matched_exactly() {
        let policy = policy();
        assert!(policy.origin_is_allowed("http://localhost:8080"));
        assert!(!policy.origin_is_allowed("http://localhost:8080.evil.example"));
        assert!(!policy.origin_is_allowed("https://evil.example"));
    }
}
