//! `ai-observer limits`: each tool's plan limits as last reported (5-hour and weekly windows, reset
//! time, pace), and `--check --min-remaining PCT [--window 5h|7d]` for scripts: exit 1 when a
//! window that has not reset yet has less left than asked.

use super::target::{self, Target};
use ai_observer_engine::model::LimitWindow;
use ai_observer_engine::query::limits::{LimitState, LimitsResponse};
use ai_observer_engine::query::stats::EmptyRequest;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct LimitsArgs {
    /// Exit with status 1 when a window has less than --min-remaining percent left
    #[arg(long)]
    pub check: bool,
    /// With --check: the least percent that must be left
    #[arg(long, default_value_t = 10.0, value_name = "PCT")]
    pub min_remaining: f64,
    /// Only this window: 5h or 7d
    #[arg(long, value_parser = ["5h", "7d"])]
    pub window: Option<String>,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Use the API of a running AI Observer at this address
    #[arg(long)]
    pub api_url: Option<String>,
}

/// One line per window: `codex     5h   47 % used, resets 2026-11-30T03:27:00Z, at this pace 80 % at reset`.
pub fn line(state: &LimitState) -> String {
    let reset = state.resets_at.as_deref().map(|reset| format!(", resets {reset}")).unwrap_or_default();
    if state.expired {
        return format!(
            "{:<12} {:<3} reset since the last report ({:.0} % before){reset}",
            state.tool.key(),
            state.window.key(),
            state.used_percent
        );
    }
    let pace = match &state.pace {
        Some(pace) => match &pace.reaches_limit_at {
            Some(at) => format!(", at this pace the limit is reached at {at}, before the reset"),
            None => format!(", at this pace {:.0} % at reset", pace.projected_percent_at_reset),
        },
        None => String::new(),
    };
    format!("{:<12} {:<3} {:.0} % used{reset}{pace}", state.tool.key(), state.window.key(), state.used_percent)
}

pub async fn run(args: LimitsArgs) -> anyhow::Result<ExitCode> {
    let target = target::open(args.database.clone(), args.api_url.clone()).await?;
    let answer: anyhow::Result<LimitsResponse> = match &target {
        Target::Local(engine) => Ok(ai_observer_engine::operations::limits_latest(engine.clone(), EmptyRequest::default()).await?),
        Target::Remote(client) => client.call("limits_latest", &EmptyRequest::default()).await,
    };
    target.close().await;
    let window = args.window.as_deref().and_then(LimitWindow::from_key);
    let states: Vec<LimitState> = answer?.limits.into_iter().filter(|state| window.is_none_or(|window| state.window == window)).collect();
    if states.is_empty() {
        println!("No plan limits reported yet (Codex writes them in its session files; Claude Code through `ai-observer statusline`).");
        return Ok(ExitCode::SUCCESS);
    }
    for state in &states {
        println!("{}", line(state));
    }
    let short = states.iter().any(|state| !state.expired && 100.0 - state.used_percent < args.min_remaining);
    Ok(if args.check && short { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
