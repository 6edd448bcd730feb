//! `ai-observer`: the headless server and the command-line tools of AI Observer.
//!
//! `serve` runs the OTLP receivers, the store and the query API (with the web UI); the other
//! commands work on the same database, or hand their work to a running server when it holds it.

mod commands;
mod embedded_ui;
mod logging;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "ai-observer", version, about = "One private, local view of every AI coding assistant you use", propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the OTLP receivers (HTTP 4318, gRPC 4317) and the query API with the web UI (8080).
    Serve(commands::serve::ServeArgs),
    /// Import Claude Code, Codex CLI and Gemini CLI session files (only what is new).
    Import(commands::import::ImportArgs),
    /// Export to Parquet (plus a DuckDB file of views).
    Export(commands::export::ExportArgs),
    /// Delete telemetry in a date range.
    Delete(commands::delete::DeleteArgs),
    /// Show the price table, check it against the stored history, recompute costs.
    Prices(commands::prices::PricesArgs),
    /// Today's and this month's spend against your budgets.
    Budget(commands::budget::BudgetArgs),
    /// Serve, and import new session data as the CLIs write it (`serve --watch`).
    Watch(WatchArgs),
    /// Plan limits (5-hour and weekly windows) as the tools last reported them.
    Limits(commands::limits::LimitsArgs),
    /// Claude Code's status line: hands its rate limits to AI Observer and prints one short line.
    Statusline(commands::statusline::StatuslineArgs),
    /// MCP server over stdio: spend, plan limits and sessions for an agent to ask about.
    Mcp(commands::mcp::McpArgs),
    /// Named API tokens for the machines that send to this server (add, list, revoke).
    Tokens(commands::tokens::TokensArgs),
}

#[derive(Debug, clap::Args)]
struct WatchArgs {
    /// Which tools: claude-code, codex, gemini or all
    #[arg(value_name = "TOOL", default_value = "all")]
    tools: Vec<String>,
    /// Import the existing history first
    #[arg(long)]
    backfill: bool,
    #[command(flatten)]
    serve: commands::serve::ServeArgs,
}

fn main() -> ExitCode {
    ai_observer_engine::owner_only::restrict_new_files();
    let cli = Cli::parse();
    logging::init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve(commands::serve::ServeArgs::default())) {
            Command::Serve(args) => commands::serve::run(args).await,
            Command::Import(args) => commands::import::run(args).await,
            Command::Export(args) => commands::export::run(args).await,
            Command::Delete(args) => commands::delete::run(args).await,
            Command::Prices(args) => commands::prices::run(args).await,
            Command::Budget(args) => commands::budget::run(args).await,
            Command::Limits(args) => commands::limits::run(args).await,
            Command::Statusline(args) => commands::statusline::run(args).await,
            Command::Mcp(args) => commands::mcp::run(args).await,
            Command::Tokens(args) => commands::tokens::run(args).await,
            Command::Watch(args) => {
                let serve = commands::serve::ServeArgs {
                    watch: true,
                    backfill: args.backfill || args.serve.backfill,
                    watch_tools: args.tools,
                    ..args.serve
                };
                commands::serve::run(serve).await
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
