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
}

fn main() -> ExitCode {
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
