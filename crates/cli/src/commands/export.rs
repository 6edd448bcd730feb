//! `ai-observer export`: ZSTD Parquet per table plus a DuckDB file of views, optionally partitioned
//! by day or zipped; `--from-files` exports straight from session files without a database.

use super::confirm::confirm;
use super::import::human_bytes;
use super::target::{self, Target};
use ai_observer_engine::export::object_storage::{ObjectExportRequest, ObjectExportResult};
use ai_observer_engine::export::{ExportRequest, ExportResult};
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::plan::ImportOptions;
use ai_observer_engine::model::UsageSource;
use ai_observer_engine::operations::{export_anywhere, plan_import, run_planned_import};
use ai_observer_engine::{Engine, EngineConfig};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// claude-code, codex, gemini, a service name, or all
    #[arg(value_name = "TOOL", default_value = "all")]
    pub tool: String,
    /// Output folder
    #[arg(long, short = 'o', required_unless_present = "bucket")]
    pub output: Option<PathBuf>,
    /// Or S3-compatible object storage (s3://bucket/prefix): hive-partitioned Parquet by day and machine, only
    /// what is new since the last export; credentials and endpoint from AWS_* variables
    #[arg(long, value_name = "s3://BUCKET/PREFIX", conflicts_with_all = ["output", "zip", "from_files", "dry_run"])]
    pub bucket: Option<String>,
    /// First day (YYYY-MM-DD, UTC)
    #[arg(long)]
    pub from: Option<String>,
    /// Last day, inclusive (YYYY-MM-DD, UTC)
    #[arg(long)]
    pub to: Option<String>,
    /// One zip file (stored, not compressed again) instead of the files
    #[arg(long)]
    pub zip: bool,
    /// Hive-style folders by day (`logs/day=2026-11-28/…parquet`)
    #[arg(long)]
    pub partitioned: bool,
    /// With --partitioned: also by the machine that sent the rows (`…/day=2026-11-28/machine=laptop/…`)
    #[arg(long, requires = "partitioned")]
    pub by_machine: bool,
    /// Read the session files directly instead of the database
    #[arg(long)]
    pub from_files: bool,
    /// Count what would be exported and stop
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask before writing into a folder that has files
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

/// `export --bucket s3://…`: through the running app when it holds the database (the upload then uses
/// its environment's credentials), else in this process.
async fn to_object_storage(url: &str, database: Option<PathBuf>, api_url: Option<String>) -> anyhow::Result<ExitCode> {
    let request = ObjectExportRequest { url: url.to_owned() };
    let target = target::open(database, api_url).await?;
    let result: anyhow::Result<ObjectExportResult> = match &target {
        Target::Local(engine) => ai_observer_engine::operations::export_object_storage(engine.clone(), request).await.map_err(Into::into),
        Target::Remote(client) => client.call("export_object_storage", &request).await,
    };
    target.close().await;
    let result = result?;
    match (result.days.first(), result.days.last()) {
        (Some(first), Some(last)) => {
            println!("Wrote {} objects ({}) to {}: days {first} to {last}.", result.objects, human_bytes(result.bytes), result.url)
        }
        _ => println!("Nothing new to write to {}.", result.url),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_result(result: &ExportResult) {
    if result.dry_run {
        println!(
            "Would export {} spans, {} log records, {} data points, {} requests.",
            result.traces, result.logs, result.metrics, result.usage
        );
        return;
    }
    println!("Exported {} spans, {} log records, {} data points, {} requests.", result.traces, result.logs, result.metrics, result.usage);
    println!("Output: {} ({} files, {})", result.output, result.files.len(), human_bytes(result.bytes));
    for file in &result.files {
        println!("  {file}");
    }
}

pub async fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.bucket {
        return to_object_storage(url, args.database.clone(), args.api_url.clone()).await;
    }
    let Some(output) = &args.output else { anyhow::bail!("give an output folder (-o) or --bucket s3://bucket/prefix") };
    let output = std::path::absolute(output)?;
    let mut request = ExportRequest {
        tool: Some(args.tool.clone()),
        output: Some(output.display().to_string()),
        from: args.from.clone(),
        to: args.to.clone(),
        zip: Some(args.zip),
        partitioned: Some(args.partitioned),
        by_machine: Some(args.by_machine),
        overwrite: Some(false),
        dry_run: Some(args.dry_run),
    };
    let target = if args.from_files { None } else { Some(target::open(args.database.clone(), args.api_url.clone()).await?) };
    let local_engine = match target {
        Some(Target::Remote(client)) => return export_through_the_app(&client, request, &output).await,
        Some(Target::Local(engine)) => Some(engine),
        None => None,
    };
    let not_empty = std::fs::read_dir(&output).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    let overwrite = not_empty && !args.dry_run && confirm(&format!("{} already has files; write into it?", output.display()), args.yes)?;
    if not_empty && !args.dry_run && !overwrite {
        if let Some(engine) = local_engine {
            engine.shutdown().await;
        }
        println!("Nothing exported.");
        return Ok(ExitCode::SUCCESS);
    }
    request.overwrite = Some(overwrite);
    let result = match local_engine {
        None => export_from_files(request).await?,
        Some(engine) => {
            let result = export_anywhere(engine.clone(), request).await;
            engine.shutdown().await;
            result?
        }
    };
    print_result(&result);
    Ok(ExitCode::SUCCESS)
}

/// The running app writes API exports only inside its export folder: asks for a folder of the same
/// name there, and says where it is.
async fn export_through_the_app(
    client: &target::ApiClient,
    mut request: ExportRequest,
    wanted: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let name = wanted.file_name().map_or_else(|| "export".to_owned(), |name| name.to_string_lossy().into_owned());
    request.output = Some(name);
    let result: ExportResult = client.call("export_data", &request).await?;
    print_result(&result);
    if !result.dry_run {
        println!(
            "The running AI Observer holds the database and writes exports only inside its export folder: this export is in {}, not {}.",
            result.output,
            wanted.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports the session files into a throw-away database and exports that.
async fn export_from_files(request: ExportRequest) -> anyhow::Result<ExportResult> {
    let scratch = tempfile::tempdir()?;
    let mut config = EngineConfig::with_database(scratch.path().join("from-files.duckdb"));
    config.price_overrides_path = ai_observer_engine::config::default_price_overrides_path();
    let engine = Engine::open(config).await?;
    let options = ImportOptions {
        tools: ai_observer_engine::model::Tool::ALL.to_vec(),
        environment: DiscoveryEnvironment::from_process(),
        force: false,
        window: None,
        source: UsageSource::Import,
        remember_skipped: false,
        always_bulk: false,
    };
    let (plan, _) = plan_import(&engine, &options).await?;
    let imported = run_planned_import(&engine, &plan, &options, None, Arc::new(AtomicBool::new(false))).await?;
    if !imported.errors.is_empty() {
        eprintln!("{} problem(s) while reading the session files; the rest is exported.", imported.errors.len());
    }
    let result = export_anywhere(engine.clone(), request).await;
    engine.shutdown().await;
    Ok(result?)
}
