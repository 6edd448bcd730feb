//! `ai-observer budget`: today's and this month's spend against the budgets, with `--check` for
//! scripts (exit 1 when a budget is exceeded), and `--daily` / `--monthly` to set them.

use super::target::{self, Target};
use ai_observer_engine::query::budget::{BudgetResponse, BudgetState, BudgetStatus};
use ai_observer_engine::settings::SettingsUpdate;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// Exit with status 1 when a budget is exceeded (2 when one is above 80 %)
    #[arg(long)]
    pub check: bool,
    /// Set the daily budget in USD (0 removes it)
    #[arg(long)]
    pub daily: Option<f64>,
    /// Set the monthly budget in USD (0 removes it)
    #[arg(long)]
    pub monthly: Option<f64>,
    /// IANA time zone for "today" and "this month" (default: the configured one)
    #[arg(long)]
    pub tz: Option<String>,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

fn line(status: &BudgetStatus) -> String {
    let projection = if status.period == ai_observer_engine::query::budget::BudgetPeriod::Monthly {
        format!(", on track for ${:.2}", status.projected_usd)
    } else {
        String::new()
    };
    format!(
        "{:<8} ${:.2} of ${:.2} ({:.0} %, {:?}){projection}",
        status.period.key(),
        status.spent_usd,
        status.budget_usd,
        status.percent,
        status.state
    )
}

pub async fn run(args: BudgetArgs) -> anyhow::Result<ExitCode> {
    let target = target::open(args.database.clone(), args.api_url.clone()).await?;
    let outcome = run_on(&target, &args).await;
    target.close().await;
    outcome
}

async fn run_on(target: &Target, args: &BudgetArgs) -> anyhow::Result<ExitCode> {
    if args.daily.is_some() || args.monthly.is_some() {
        let update = SettingsUpdate {
            daily_budget_usd: args.daily.map(Some),
            monthly_budget_usd: args.monthly.map(Some),
            ..SettingsUpdate::default()
        };
        match target {
            Target::Local(engine) => {
                ai_observer_engine::operations::settings_update(engine.clone(), update).await?;
            }
            Target::Remote(client) => {
                let _: serde_json::Value = client.call("settings_update", &update).await?;
            }
        }
    }
    let request = ai_observer_engine::query::budget::BudgetRequest { tz: args.tz.clone() };
    let budget: BudgetResponse = match target {
        Target::Local(engine) => ai_observer_engine::operations::budget(engine.clone(), request).await?,
        Target::Remote(client) => client.call("budget", &request).await?,
    };
    let statuses: Vec<&BudgetStatus> = [budget.daily.as_ref(), budget.monthly.as_ref()].into_iter().flatten().collect();
    if statuses.is_empty() {
        println!("No budget set. Set one with --daily or --monthly (USD).");
        return Ok(ExitCode::SUCCESS);
    }
    for status in &statuses {
        println!("{}", line(status));
    }
    if args.check {
        if statuses.iter().any(|status| status.state == BudgetState::Over) {
            return Ok(ExitCode::from(1));
        }
        if statuses.iter().any(|status| status.state == BudgetState::Warning) {
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}
