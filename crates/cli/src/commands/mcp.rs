//! `ai-observer mcp`: the MCP server over stdio, for an agent (Claude Code, Codex, Gemini CLI) to
//! ask about spend, plan limits and sessions. The tools are the engine's (`mcp::UsageTools`); each
//! call goes where the other commands' work goes (`target`): to the running app's API when it holds
//! the database, else to the database, opened for that call only so the app can still start.

use super::target::{self, Target};
use ai_observer_engine::mcp::{BackendFuture, McpBackend, UsageTools};
use anyhow::Context;
use clap::Args;
use rmcp::ServiceExt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct McpArgs {
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

/// Answers each tool call through the app's API or the database.
struct CommandBackend {
    database: Option<PathBuf>,
    api_url: Option<String>,
}

impl McpBackend for CommandBackend {
    fn call(&self, name: &'static str, request: serde_json::Value) -> BackendFuture<'_> {
        Box::pin(async move {
            let target = target::open(self.database.clone(), self.api_url.clone()).await.map_err(|error| format!("{error:#}"))?;
            let answer = match &target {
                Target::Local(engine) => engine.call(name, request).await,
                Target::Remote(client) => client.call::<serde_json::Value>(name, &request).await.map_err(|error| format!("{error:#}")),
            };
            target.close().await;
            answer
        })
    }
}

pub async fn run(args: McpArgs) -> anyhow::Result<ExitCode> {
    let backend = Arc::new(CommandBackend { database: args.database, api_url: args.api_url });
    let server = UsageTools::new(backend).serve(rmcp::transport::stdio()).await.context("the MCP client did not start a session")?;
    server.waiting().await.context("the MCP session ended with an error")?;
    Ok(ExitCode::SUCCESS)
}
