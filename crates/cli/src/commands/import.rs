//! `ai-observer import`: Claude Code, Codex CLI and Gemini CLI history into the store, reading only
//! what is new since the last import. Hands the work to the running app when it holds the database.

use super::confirm::confirm;
use super::progress::ProgressDisplay;
use super::target::{self, Target};
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::parse_tools;
use ai_observer_engine::importers::plan::ImportOptions;
use ai_observer_engine::model::UsageSource;
use ai_observer_engine::operations::{
    ImportJobRequest, ImportScanRequest, ImportStartRequest, ImportStartResponse, import_window, plan_import, run_planned_import,
};
use ai_observer_engine::wire::import::{ImportJob, ImportJobState, ImportProgress, ImportResult, ScanResponse};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Which tools: claude-code, codex, gemini, qwen-code, opencode, copilot, goose or all
    #[arg(value_name = "TOOL", default_value = "all")]
    pub tools: Vec<String>,
    /// First day to import (YYYY-MM-DD, local time)
    #[arg(long)]
    pub from: Option<String>,
    /// Last day to import, inclusive (YYYY-MM-DD, local time)
    #[arg(long)]
    pub to: Option<String>,
    /// Show what would be imported and stop
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation
    #[arg(long, short = 'y', alias = "skip-confirm")]
    pub yes: bool,
    /// Read every file again, even unchanged ones (rows are replaced, never doubled)
    #[arg(long)]
    pub force: bool,
    /// List every problem, not only the first ones
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address instead of the database
    #[arg(long)]
    pub api_url: Option<String>,
}

fn print_scan(scan: &ScanResponse) {
    println!("Found:");
    for tool in &scan.tools {
        let name = ai_observer_engine::model::Tool::from_key(&tool.tool).map_or(tool.tool.as_str(), |tool| tool.display_name());
        println!(
            "  {name:<12} {:>6} files {:>10}   {} new, {} changed, {} already imported   to read: {}",
            tool.files,
            human_bytes(tool.bytes),
            tool.new_files,
            tool.changed_files,
            tool.imported_files.saturating_sub(tool.changed_files),
            human_bytes(tool.bytes_to_read)
        );
    }
    let retention = &scan.claude_retention;
    if retention.is_default {
        println!(
            "Note: Claude Code deletes transcripts older than {} days (cleanupPeriodDays in {}); import regularly, or raise it.",
            retention.cleanup_period_days, retention.settings_path
        );
    }
}

fn print_result(result: &ImportResult, verbose: bool) {
    println!("Imported:");
    for tool in &result.tools {
        let name = ai_observer_engine::model::Tool::from_key(&tool.tool).map_or(tool.tool.as_str(), |tool| tool.display_name());
        let unpriced =
            if tool.unpriced_requests > 0 { format!(" ({} requests of unpriced models)", tool.unpriced_requests) } else { String::new() };
        println!(
            "  {name:<12} {:>7} records {:>6} requests   in {} cached {} out {}   ${:.4}{unpriced}",
            tool.records, tool.requests, tool.tokens.input, tool.tokens.cache_read, tool.tokens.output, tool.cost_usd
        );
    }
    if result.cancelled {
        println!("Cancelled: run the import again to continue where it stopped.");
    }
    if !result.errors.is_empty() {
        println!("{} problem(s); everything else was imported:", result.errors.len());
        let shown = if verbose { result.errors.len() } else { result.errors.len().min(10) };
        for problem in &result.errors[..shown] {
            match problem.line {
                Some(line) => println!("  {}:{line}: {}", problem.file, problem.message),
                None => println!("  {}: {}", problem.file, problem.message),
            }
        }
        if shown < result.errors.len() {
            println!("  … and {} more (--verbose lists them all)", result.errors.len() - shown);
        }
    }
}

pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{bytes} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

fn nothing_to_do(scan: &ScanResponse) -> bool {
    scan.tools.iter().all(|tool| tool.bytes_to_read == 0)
}

pub async fn run(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let tools = parse_tools(&args.tools)?;
    match target::open(args.database.clone(), args.api_url.clone()).await? {
        Target::Local(engine) => {
            let outcome = run_local(&engine, &args, tools).await;
            engine.shutdown().await;
            outcome
        }
        Target::Remote(client) => run_remote(&client, &args).await,
    }
}

async fn run_local(
    engine: &ai_observer_engine::Engine,
    args: &ImportArgs,
    tools: Vec<ai_observer_engine::model::Tool>,
) -> anyhow::Result<ExitCode> {
    let window = import_window(engine, args.from.as_deref(), args.to.as_deref()).await?;
    let options = ImportOptions {
        tools,
        environment: DiscoveryEnvironment::from_process(),
        force: args.force,
        window,
        source: UsageSource::Import,
        remember_skipped: false,
        always_bulk: false,
    };
    let (plan, scan) = plan_import(engine, &options).await?;
    print_scan(&scan);
    if nothing_to_do(&scan) {
        println!("No new or modified files found to import.");
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        println!("Dry run - no changes made.");
        return Ok(ExitCode::SUCCESS);
    }
    if !confirm("Import these files?", args.yes)? {
        println!("Nothing imported.");
        return Ok(ExitCode::SUCCESS);
    }
    let total: u64 = scan.tools.iter().map(|tool| tool.bytes_to_read).sum();
    let display = Arc::new(ProgressDisplay::new(total));
    let sink_display = Arc::clone(&display);
    let cancel = Arc::new(AtomicBool::new(false));
    let interrupt = Arc::clone(&cancel);
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("stopping after the current file…");
            interrupt.store(true, Ordering::SeqCst);
        }
    });
    let result =
        run_planned_import(engine, &plan, &options, Some(Arc::new(move |progress: &ImportProgress| sink_display.update(progress))), cancel)
            .await?;
    watcher.abort();
    display.finish();
    print_result(&result, args.verbose);
    Ok(ExitCode::SUCCESS)
}

async fn run_remote(client: &target::ApiClient, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let scan: ScanResponse =
        client.call("import_scan", &ImportScanRequest { tools: Some(args.tools.clone()), paths: None, force: Some(args.force) }).await?;
    print_scan(&scan);
    if nothing_to_do(&scan) {
        println!("No new or modified files found to import.");
        return Ok(ExitCode::SUCCESS);
    }
    if args.dry_run {
        println!("Dry run - no changes made.");
        return Ok(ExitCode::SUCCESS);
    }
    if !confirm("Import these files?", args.yes)? {
        println!("Nothing imported.");
        return Ok(ExitCode::SUCCESS);
    }
    let start = ImportStartRequest {
        tools: Some(args.tools.clone()),
        from: args.from.clone(),
        to: args.to.clone(),
        force: Some(args.force),
        paths: None,
    };
    let started: ImportStartResponse = client.call("import_start", &start).await?;
    let job = ImportJobRequest { job_id: started.job_id };
    let display = ProgressDisplay::new(scan.tools.iter().map(|tool| tool.bytes_to_read).sum());
    loop {
        let job: ImportJob = client.call("import_job", &job).await?;
        display.update(&job.progress);
        if job.state != ImportJobState::Running {
            display.finish();
            if let Some(error) = job.error {
                anyhow::bail!("the import failed: {error}");
            }
            if let Some(result) = job.result {
                print_result(&result, args.verbose);
            }
            return Ok(ExitCode::SUCCESS);
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
}
