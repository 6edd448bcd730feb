//! Where the MCP tools get their answers: an operation of the operation table, called by name with
//! the JSON its REST route takes. The engine answers in-process; the CLI's stdio server supplies a
//! backend that goes through the running app's API.

use crate::engine::{Engine, EngineError};
use crate::operations;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// The answer of one operation call: its JSON, or a message for the agent.
pub type BackendFuture<'a> = Pin<Box<dyn Future<Output = Result<serde_json::Value, String>> + Send + 'a>>;

/// Calls read-only operations by name.
pub trait McpBackend: Send + Sync + 'static {
    /// Calls the operation `name` with `request`, the fields its REST route takes.
    fn call(&self, name: &'static str, request: serde_json::Value) -> BackendFuture<'_>;
}

impl McpBackend for Engine {
    fn call(&self, name: &'static str, request: serde_json::Value) -> BackendFuture<'_> {
        let engine = self.clone();
        Box::pin(async move { call_operation(engine, name, request).await })
    }
}

/// The operations the tools use; nothing that changes data is reachable from here.
async fn call_operation(engine: Engine, name: &str, request: serde_json::Value) -> Result<serde_json::Value, String> {
    match name {
        "spend" => answer(operations::spend(engine, parse(request)?).await),
        "spend_summary" => answer(operations::spend_summary(engine, parse(request)?).await),
        "limits_latest" => answer(operations::limits_latest(engine, parse(request)?).await),
        "sessions_list" => answer(operations::sessions_list(engine, parse(request)?).await),
        "session_transcript" => answer(operations::session_transcript(engine, parse(request)?).await),
        "blocks" => answer(operations::blocks(engine, parse(request)?).await),
        other => Err(format!("the MCP tools do not call the operation {other}")),
    }
}

fn parse<T: DeserializeOwned>(request: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(request).map_err(|error| format!("invalid arguments: {error}"))
}

fn answer<T: Serialize>(result: Result<T, EngineError>) -> Result<serde_json::Value, String> {
    let value = result.map_err(|error| error.to_string())?;
    serde_json::to_value(value).map_err(|error| error.to_string())
}
