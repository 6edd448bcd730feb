//! `ai-observer delete`: removes telemetry in a date range (optionally one service), after showing
//! what would go.

use super::confirm::confirm;
use super::target::{self, Target};
use ai_observer_engine::retention::{DeleteCounts, DeleteRequest, DeleteScope};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Scope {
    Logs,
    Metrics,
    Traces,
    All,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// What to delete (logs also removes the requests derived from them)
    #[arg(value_enum)]
    pub scope: Scope,
    /// First day (YYYY-MM-DD, UTC)
    #[arg(long)]
    pub from: String,
    /// Last day, inclusive (YYYY-MM-DD, UTC)
    #[arg(long)]
    pub to: String,
    /// Only this tool or service (claude-code, codex, gemini, or a service name)
    #[arg(long)]
    pub service: Option<String>,
    /// Do not ask for confirmation
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

fn describe(counts: &DeleteCounts) -> String {
    format!(
        "{} log records, {} requests, {} data points, {} spans in {} traces",
        counts.logs, counts.usage_records, counts.metrics, counts.spans, counts.traces
    )
}

pub async fn run(args: DeleteArgs) -> anyhow::Result<ExitCode> {
    let scope = match args.scope {
        Scope::Logs => DeleteScope::Logs,
        Scope::Metrics => DeleteScope::Metrics,
        Scope::Traces => DeleteScope::Traces,
        Scope::All => DeleteScope::All,
    };
    let request = DeleteRequest { scope, from: args.from.clone(), to: args.to.clone(), service: args.service.clone() };
    let target = target::open(args.database.clone(), args.api_url.clone()).await?;
    let preview = match &target {
        Target::Local(engine) => ai_observer_engine::operations::delete_preview(engine.clone(), request.clone()).await?,
        Target::Remote(client) => client.call("delete_preview", &request).await?,
    };
    let nothing = preview.logs + preview.metrics + preview.spans + preview.usage_records == 0;
    if nothing {
        println!("No records found in the specified time range.");
        target.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    println!("Delete: {} ({} to {}, {})", describe(&preview), args.from, args.to, args.service.as_deref().unwrap_or("all services"));
    if !confirm("This cannot be undone. Continue?", args.yes)? {
        println!("Nothing deleted.");
        target.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let deleted = match &target {
        Target::Local(engine) => ai_observer_engine::operations::delete_data(engine.clone(), request).await?,
        Target::Remote(client) => client.call("delete_data", &request).await?,
    };
    println!("Deletion complete: {}.", describe(&deleted));
    target.close().await;
    Ok(ExitCode::SUCCESS)
}
