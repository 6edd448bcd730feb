//! Who may talk to the servers.
//!
//! - DNS rebinding: a web page can make the browser send requests to 127.0.0.1 under a foreign host
//!   name. Requests must address a loopback name (or a host the user allowed) in their Host header.
//! - Other machines: when the user binds beyond loopback, requests from non-loopback peers must
//!   carry `Authorization: Bearer <token>` (every request must with `require_token`, the mode for a
//!   server behind a reverse proxy on the same machine; the live socket takes the token as the
//!   WebSocket subprotocol `bearer.<token>`, which browsers can set): the server's own token (`AI_OBSERVER_TOKEN`) or a named
//!   token (`team::TokenRegistry`), whose name becomes the sender of what the request brings. A
//!   request with a valid token may use any Host; a bearer token that is not valid (wrong, revoked)
//!   is refused from any peer, loopback included. A named token may send telemetry and read; it
//!   cannot change anything through the query API nor manage tokens (`limit_machine_tokens`).
//! - Browsers: CORS and the WebSocket admit only the app's own origins and the ones configured;
//!   `cross_origin` refuses state-changing requests from other pages. The UI's static files are
//!   served without a token (they hold no data), so a team server's page can ask for one.

use super::http_error::error_response;
use super::page_cookie::PageCookie;
use crate::config::EngineConfig;
use crate::error::ErrorCode;
use crate::model::Sender;
use crate::team::TokenRegistry;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, Method, header};
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
    named_tokens: Option<TokenRegistry>,
    page_cookie: PageCookie,
    /// Refuse callers without a token on loopback too.
    require_token: bool,
}

/// Who a request proved to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// No bearer token (allowed from loopback only).
    Anonymous,
    /// The server's own token.
    Admin,
    /// A named token: the machine it names.
    Machine(Sender),
}

/// Why a caller was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: &'static str,
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
            named_tokens: None,
            page_cookie: PageCookie::new(api_port),
            require_token: config.require_token,
        }
    }

    /// Accepts the named tokens in force in `registry` too.
    pub fn with_named_tokens(mut self, registry: TokenRegistry) -> AccessPolicy {
        self.named_tokens = Some(registry);
        self
    }

    /// Whether a caller without a token is let in: from loopback, unless every caller must have one.
    pub fn admits_anonymous(&self, peer_is_loopback: bool) -> bool {
        peer_is_loopback && !self.require_token
    }

    /// Who presents `authorization` (the header's value); `anonymous_allowed` says whether no token will do.
    pub fn identify(&self, authorization: Option<&str>, anonymous_allowed: bool) -> Result<Caller, Refusal> {
        let presented = authorization.and_then(|value| value.strip_prefix("Bearer ")).map(str::trim);
        let caller = match presented {
            None => Caller::Anonymous,
            Some(presented) => {
                if self.token.as_ref().is_some_and(|token| constant_time_equal(presented.as_bytes(), token.as_bytes())) {
                    Caller::Admin
                } else if let Some(sender) = self.named_tokens.as_ref().and_then(|registry| registry.authenticate(presented)) {
                    Caller::Machine(sender)
                } else {
                    return Err(Refusal { code: ErrorCode::Unauthorized, message: "the bearer token is not valid (unknown or revoked)" });
                }
            }
        };
        if caller == Caller::Anonymous && !anonymous_allowed {
            return Err(Refusal {
                code: ErrorCode::Unauthorized,
                message: if self.require_token {
                    "this server needs Authorization: Bearer <token> from every caller"
                } else {
                    "requests from other machines need Authorization: Bearer <token>"
                },
            });
        }
        Ok(caller)
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

/// Whether the request came from this machine (no peer address, as in router tests, counts as so).
fn peer_is_loopback(request: &Request) -> bool {
    request.extensions().get::<ConnectInfo<SocketAddr>>().is_none_or(|ConnectInfo(address)| address.ip().is_loopback())
}

/// The subprotocol that carries the live socket's token (`bearer.<token>`): browsers cannot set
/// headers on a WebSocket, only its subprotocols.
pub const SOCKET_TOKEN_PREFIX: &str = "bearer.";

/// Paths that answer data; every other GET is the UI's static files (or its page for a route).
const DATA_PATHS: &[&str] = &["/api", "/ws", "/mcp", "/v1"];

/// A GET for the UI's own files (or its page for a route): no data, so a page that must ask for
/// a token can load.
fn is_ui_file(request: &Request) -> bool {
    let path = request.uri().path();
    matches!(*request.method(), Method::GET | Method::HEAD)
        && !DATA_PATHS.iter().any(|prefix| path.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
}

/// The bearer token of a request: its `Authorization` header, or on the live socket the
/// `bearer.<token>` subprotocol, as an `Authorization` value.
fn authorization_of(request: &Request) -> Option<String> {
    if let Some(value) = request.headers().get(header::AUTHORIZATION).and_then(|value| value.to_str().ok()) {
        return Some(value.to_owned());
    }
    if request.uri().path() != "/ws" {
        return None;
    }
    let protocols = request.headers().get(header::SEC_WEBSOCKET_PROTOCOL).and_then(|value| value.to_str().ok())?;
    protocols
        .split(',')
        .map(str::trim)
        .find_map(|protocol| protocol.strip_prefix(SOCKET_TOKEN_PREFIX))
        .map(|token| format!("Bearer {token}"))
}

/// Middleware: refuses invalid tokens, unauthenticated remote peers and foreign Host headers, and
/// hands the caller to what follows as a request extension.
pub async fn enforce_access(State(policy): State<AccessPolicy>, mut request: Request, next: Next) -> Response {
    let peer_is_loopback = peer_is_loopback(&request);
    let authorization = authorization_of(&request);
    let anonymous_allowed = policy.admits_anonymous(peer_is_loopback) || is_ui_file(&request);
    let caller = match policy.identify(authorization.as_deref(), anonymous_allowed) {
        Ok(caller) => caller,
        Err(refusal) => return error_response(refusal.code, refusal.message),
    };
    let authenticated = caller != Caller::Anonymous;
    request.extensions_mut().insert(caller);
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

/// Query-API routes a machine token may call besides GET: reads sent as POST.
const READS_BY_POST: &[&str] = &["/api/metrics/batch-series", "/api/sql", crate::mcp::HTTP_PATH];

/// Middleware on the query API: a named (machine) token reads, nothing more; managing tokens needs
/// a process on this machine without a named token.
pub async fn limit_machine_tokens(request: Request, next: Next) -> Response {
    let caller = request.extensions().get::<Caller>().cloned().unwrap_or(Caller::Anonymous);
    let peer_is_loopback = peer_is_loopback(&request);
    let path = request.uri().path();
    if path.starts_with("/api/tokens") && (!peer_is_loopback || matches!(caller, Caller::Machine(_))) {
        return error_response(ErrorCode::Forbidden, "tokens are managed on the server itself (ai-observer tokens), not over the network");
    }
    let reads = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || READS_BY_POST.iter().any(|read| path.starts_with(read));
    if matches!(caller, Caller::Machine(_)) && !reads {
        return error_response(ErrorCode::Forbidden, "a machine token may send telemetry and read; changes need the server's own token");
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
