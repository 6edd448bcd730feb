//! `ai-observer prices`: the price table (version, date, every model and where its price comes
//! from), `--check` for models seen without a price and costs that disagree with the tools' own,
//! and `--recompute` to re-price the stored history after the table or the overrides changed.

use super::target::{self, Target};
use ai_observer_engine::operations::PricesResponse;
use ai_observer_engine::query::price_check::PriceCheck;
use ai_observer_engine::store::repricing::RecomputeOutcome;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PricesArgs {
    /// List models seen in the store that have no price, and computed costs that differ from the
    /// tool's reported cost by more than 1 %; exits 1 when there are any
    #[arg(long)]
    pub check: bool,
    /// Re-read the overrides and recompute the cost of every stored request
    #[arg(long)]
    pub recompute: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

fn rate(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |value| format!("{value}"))
}

pub async fn run(args: PricesArgs) -> anyhow::Result<ExitCode> {
    let target = target::open(args.database.clone(), args.api_url.clone()).await?;
    let outcome = run_on(&target, &args).await;
    target.close().await;
    outcome
}

async fn run_on(target: &Target, args: &PricesArgs) -> anyhow::Result<ExitCode> {
    if args.recompute {
        let outcome: RecomputeOutcome = match target {
            Target::Local(engine) => ai_observer_engine::operations::prices_recompute(engine.clone(), Default::default()).await?,
            Target::Remote(client) => client.call("prices_recompute", &serde_json::json!({})).await?,
        };
        println!("Recomputed {} requests ({} of models without a price).", outcome.records, outcome.unpriced);
        if !args.check {
            return Ok(ExitCode::SUCCESS);
        }
    }
    if args.check {
        let check: PriceCheck = match target {
            Target::Local(engine) => ai_observer_engine::operations::prices_check(engine.clone(), Default::default()).await?,
            Target::Remote(client) => client.call("prices_check", &serde_json::json!({})).await?,
        };
        if args.json {
            println!("{}", serde_json::to_string_pretty(&check)?);
        } else {
            print_check(&check);
        }
        let clean = check.unpriced.is_empty() && check.disagreements.is_empty();
        return Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let table: PricesResponse = match target {
        Target::Local(engine) => ai_observer_engine::operations::prices(engine.clone(), Default::default()).await?,
        Target::Remote(client) => client.call("prices", &serde_json::json!({})).await?,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&table)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("Price table {} ({}), USD per million tokens", table.version, table.date);
    println!(
        "{:<40} {:<10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:<9}",
        "model", "vendor", "input", "output", "cache rd", "write 5m", "write 1h", "long ctx", "source"
    );
    for model in &table.models {
        println!(
            "{:<40} {:<10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:<9}",
            model.model,
            model.vendor,
            model.input,
            model.output,
            rate(model.cache_read),
            rate(model.cache_write5m),
            rate(model.cache_write1h),
            model.long_context_threshold.map_or_else(|| "-".to_owned(), |threshold| format!(">{}k", threshold / 1000.0)),
            model.source
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `prices --check` as text: models without a price and costs that disagree with the tool's own.
fn print_check(check: &PriceCheck) {
    println!("Price table {}", check.table_version);
    if check.unpriced.is_empty() {
        println!("Every model seen has a price.");
    } else {
        println!("Models seen without a price (add them to your prices.toml):");
        for model in &check.unpriced {
            println!("  {:<12} {:<36} {:>7} requests  {} … {}", model.tool, model.model, model.requests, model.first_seen, model.last_seen);
        }
    }
    if check.disagreements.is_empty() {
        println!("Computed costs agree with the reported ones (within 1 %).");
    } else {
        println!("Computed costs that differ from the tool's reported cost by more than 1 %:");
        for row in &check.disagreements {
            println!(
                "  {:<12} {:<36} {}/{} requests  reported ${:.4}  computed ${:.4}  up to {:.1} %",
                row.tool, row.model, row.requests, row.compared_requests, row.reported_usd, row.computed_usd, row.max_difference_percent
            );
        }
    }
}
