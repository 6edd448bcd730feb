//! `ai-observer statusline`: a command to set as Claude Code's status line. It reads the status-line
//! JSON on stdin, hands its rate limits to the running app (which answers with every tool's latest
//! limits and today's spend) and prints one short line:
//! `Sonnet 5 · $0.08 session · $3.10 today · 5h 86% (1h12m) · wk 9%`, with `!` after a window that
//! at its pace reaches the limit before it resets. It never slows Claude Code down: one loopback call
//! with a short timeout; when the app does not answer, the line is built from stdin alone and the
//! rate limits are spooled beside the database for the app to record when it starts
//! (`ingest::statusline_spool`). With `--chain '<command>'` (what the Setup page writes when the
//! user had a status line) that command runs on the same stdin, at the same time, and its output
//! comes first.

use super::target::ApiClient;
use ai_observer_engine::EngineConfig;
use ai_observer_engine::model::{LimitWindow, Tool};
use ai_observer_engine::operations::{StatuslineAnswer, StatuslineReport};
use ai_observer_engine::query::limits::LimitState;
use clap::Args;
use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

/// The longest the app may take to answer before the line is printed without it.
const APP_TIMEOUT: Duration = Duration::from_millis(250);

/// `APP_TIMEOUT`, or the milliseconds `AI_OBSERVER_STATUSLINE_TIMEOUT_MS` names (a slow machine;
/// the tests, whose unoptimised builds run several servers at once).
fn app_timeout() -> Duration {
    std::env::var("AI_OBSERVER_STATUSLINE_TIMEOUT_MS").ok().and_then(|value| value.parse().ok()).map_or(APP_TIMEOUT, Duration::from_millis)
}

/// The longest a chained status-line command may take before the line is printed without it.
const CHAIN_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Args)]
pub struct StatuslineArgs {
    /// Use the API of a running AI Observer at this address (default: the local app's API port)
    #[arg(long)]
    pub api_url: Option<String>,
    /// Also run this status-line command (with the same input) and print its output first
    #[arg(long, value_name = "COMMAND")]
    pub chain: Option<String>,
}

pub async fn run(args: StatuslineArgs) -> anyhow::Result<ExitCode> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let status: serde_json::Value = serde_json::from_str(&input).unwrap_or(serde_json::Value::Null);
    let report = StatuslineReport { rate_limits: status.get("rate_limits").cloned() };
    let config = EngineConfig::from_env().ok();
    let base = args.api_url.unwrap_or_else(|| format!("http://127.0.0.1:{}", config.as_ref().map_or(8080, |config| config.api_port)));
    let client = ApiClient::with_timeout(base, config.as_ref().and_then(|config| config.auth_token.clone()), app_timeout());
    let chained = async {
        match &args.chain {
            Some(command) => chained_output(command, &input).await,
            None => None,
        }
    };
    let (answer, theirs) = tokio::join!(client.call::<StatuslineAnswer>("limits_statusline", &report), chained);
    let answer = answer.ok();
    if answer.is_none()
        && let (Some(config), Some(rate_limits)) = (&config, &report.rate_limits)
    {
        let now = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
        if let Err(error) = ai_observer_engine::ingest::statusline_spool::append(&config.database_path, now, rate_limits) {
            tracing::debug!(%error, "could not spool the status-line limits");
        }
    }
    println!("{}", combined(theirs.as_deref(), &line(&status, answer.as_ref())));
    Ok(ExitCode::SUCCESS)
}

/// The chained command's output (trailing whitespace removed), or nothing when it fails, prints
/// nothing or takes longer than `CHAIN_TIMEOUT`.
async fn chained_output(command: &str, input: &str) -> Option<String> {
    use tokio::io::AsyncWriteExt;
    let mut shell = if cfg!(windows) {
        let mut shell = tokio::process::Command::new("cmd");
        shell.arg("/C").arg(command);
        shell
    } else {
        let mut shell = tokio::process::Command::new("sh");
        shell.arg("-c").arg(command);
        shell
    };
    let mut child = shell
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes()).await;
    }
    let output = tokio::time::timeout(CHAIN_TIMEOUT, child.wait_with_output()).await.ok()?.ok()?;
    let text = String::from_utf8_lossy(&output.stdout).trim_end().to_owned();
    (!text.is_empty()).then_some(text)
}

/// The user's status line, then ours: on the same line after ` │ ` when theirs is one line, else
/// on a line of its own.
pub fn combined(theirs: Option<&str>, ours: &str) -> String {
    match theirs {
        None => ours.to_owned(),
        Some(theirs) if ours.is_empty() => theirs.to_owned(),
        Some(theirs) if theirs.contains('\n') => format!("{theirs}\n{ours}"),
        Some(theirs) => format!("{theirs} │ {ours}"),
    }
}

/// The status line from Claude Code's JSON and, when the app answered, its limits and spend.
pub fn line(status: &serde_json::Value, answer: Option<&StatuslineAnswer>) -> String {
    let mut parts = Vec::new();
    if let Some(model) = status.pointer("/model/display_name").and_then(serde_json::Value::as_str) {
        parts.push(model.to_owned());
    }
    if let Some(cost) = status.pointer("/cost/total_cost_usd").and_then(serde_json::Value::as_f64) {
        parts.push(format!("${cost:.2} session"));
    }
    if let Some(answer) = answer {
        parts.push(format!("${:.2} today", answer.today_cost_usd));
        let claude = |window| answer.limits.iter().find(|state| state.tool == Tool::ClaudeCode && state.window == window);
        for (label, window) in [("5h", LimitWindow::FiveHours), ("wk", LimitWindow::Week)] {
            if let Some(part) = claude(window).and_then(|state| window_part(label, state)) {
                parts.push(part);
            }
        }
    } else {
        for (label, key) in [("5h", "five_hour"), ("wk", "seven_day")] {
            if let Some(percent) = status.pointer(&format!("/rate_limits/{key}/used_percentage")).and_then(serde_json::Value::as_f64) {
                parts.push(format!("{label} {percent:.0}%"));
            }
        }
    }
    parts.join(" · ")
}

/// `5h 86% (1h12m)`, `!` when the pace reaches the limit before the reset; nothing once reset.
fn window_part(label: &str, state: &LimitState) -> Option<String> {
    if state.expired {
        return None;
    }
    let left = state
        .resets_at
        .as_deref()
        .and_then(|reset| chrono::DateTime::parse_from_rfc3339(reset).ok())
        .map(|reset| reset.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .filter(|left| left.num_minutes() >= 0)
        .map(|left| {
            if left.num_hours() >= 24 {
                format!(" ({}d)", left.num_days())
            } else {
                format!(" ({}h{:02}m)", left.num_hours(), left.num_minutes() % 60)
            }
        })
        .unwrap_or_default();
    let warn = if state.pace.as_ref().is_some_and(|pace| pace.reaches_limit_at.is_some()) { "!" } else { "" };
    Some(format!("{label} {:.0}%{warn}{left}", state.used_percent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_users_line_comes_first() {
        assert_eq!(combined(Some("main ✓ 3 files"), "5h 42%"), "main ✓ 3 files │ 5h 42%");
        assert_eq!(combined(Some("line one\nline two"), "5h 42%"), "line one\nline two\n5h 42%");
        assert_eq!(combined(None, "5h 42%"), "5h 42%");
        assert_eq!(combined(Some("theirs"), ""), "theirs");
    }

    #[tokio::test]
    async fn a_chained_command_reads_the_same_input() {
        assert_eq!(chained_output("tr a-z A-Z", "{\"x\": 1}\n").await.as_deref(), Some("{\"X\": 1}"));
        assert_eq!(chained_output("exit 3", "").await, None);
        assert_eq!(chained_output("true", "").await, None, "no output, nothing to show");
    }

    #[test]
    fn a_line_from_stdin_alone_when_the_app_is_down() {
        let status = json!({"model": {"display_name": "Sonnet 5"}, "cost": {"total_cost_usd": 0.0793866},
            "rate_limits": {"five_hour": {"used_percentage": 86, "resets_at": 1796009700}, "seven_day": {"used_percentage": 9}}});
        assert_eq!(line(&status, None), "Sonnet 5 · $0.08 session · 5h 86% · wk 9%");
        assert_eq!(line(&json!(null), None), "");
    }

    #[test]
    fn a_line_with_the_apps_spend_and_an_expired_window_left_out() {
        let state = |window, percent, expired| LimitState {
            tool: Tool::ClaudeCode,
            window,
            used_percent: percent,
            resets_at: None,
            observed_at: "2026-11-30T00:00:00Z".to_owned(),
            source: ai_observer_engine::model::LimitSource::Statusline,
            plan_type: None,
            expired,
            pace: None,
        };
        let answer = StatuslineAnswer {
            recorded: 2,
            limits: vec![state(LimitWindow::FiveHours, 86.0, true), state(LimitWindow::Week, 9.0, false)],
            today_cost_usd: 3.1,
        };
        assert_eq!(line(&json!({"model": {"display_name": "Opus 4.8"}}), Some(&answer)), "Opus 4.8 · $3.10 today · wk 9%");
    }
}
