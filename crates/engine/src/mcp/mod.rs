//! Ask it from the agent: a Model Context Protocol server with read-only tools over spend, plan
//! limits and sessions, built on the official Rust SDK (`rmcp`).
//!
//! The tools (`tools`) call operations of the operation table by name through an `McpBackend`: the
//! engine itself (in-process, behind `/mcp` on the REST port) or, for `ai-observer mcp` over stdio,
//! the running app's REST API. `/mcp` is served statelessly with JSON answers, behind the same
//! Host, Origin and token guard as every other route of the query API.

mod backend;
mod tools;

pub use backend::{BackendFuture, McpBackend};
pub use tools::UsageTools;

use crate::engine::Engine;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use std::sync::Arc;

/// The path of the streamable-HTTP transport on the REST port.
pub const HTTP_PATH: &str = "/mcp";

/// The streamable-HTTP service for `/mcp`, answering from `engine`.
pub fn http_service(engine: Engine) -> StreamableHttpService<UsageTools, LocalSessionManager> {
    let config = StreamableHttpServerConfig::default()
        // The query router's guard already checks Host against the app's own policy (which a team
        // server widens); rmcp's loopback-only list would refuse what the policy allows.
        .disable_allowed_hosts()
        .with_legacy_session_mode(false)
        .with_json_response(true)
        .with_sse_keep_alive(None);
    let backend: Arc<dyn McpBackend> = Arc::new(engine);
    StreamableHttpService::new(move || Ok(UsageTools::new(backend.clone())), Arc::new(LocalSessionManager::default()), config)
}
