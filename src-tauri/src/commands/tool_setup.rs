//! `tool_config_preview` / `tool_config_apply`: the telemetry settings written into Claude Code's,
//! Codex's or Gemini CLI's own settings file, or Claude Code's status line (see `tool_config`).
//! Request `{tool: "claude-code"|"codex"|"gemini", logPrompts?: bool, part?: "telemetry"|"statusLine"}`;
//! the preview answers the old and new text with a line diff, apply answers the path and the backup.

use crate::error::{CommandError, DesktopError};
use crate::state::DesktopState;
use crate::tool_config::{self, SettingsChange, TelemetryTarget};
use ai_observer_engine::Engine;
use ai_observer_engine::operations::desktop::{AppliedConfig, ConfigPart, ConfigPlan, ToolConfigRequest};
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime};

fn otlp_base_url(engine: &Engine) -> Result<String, DesktopError> {
    let port = engine.ports().otlp_http;
    if port == 0 {
        return Err(DesktopError::ReceiverNotListening);
    }
    let listen = engine.config().listen;
    let host = match listen {
        address if address.is_unspecified() || address.is_loopback() => {
            if address.is_ipv6() {
                "[::1]".to_owned()
            } else {
                "127.0.0.1".to_owned()
            }
        }
        std::net::IpAddr::V6(address) => format!("[{address}]"),
        address => address.to_string(),
    };
    Ok(format!("http://{host}:{port}"))
}

/// The `ai-observer` command the status line runs: the one installed beside the app (the packages
/// ship both), else the first on `PATH`.
fn command_program() -> Result<String, DesktopError> {
    let name = format!("ai-observer{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe().ok().map(|app| app.with_file_name(&name));
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
        .map(|folder| folder.join(&name));
    beside.into_iter().chain(on_path).find(|candidate| candidate.is_file()).map(|found| found.display().to_string()).ok_or_else(|| {
        DesktopError::InvalidRequest(format!(
            "the {name} command was not found beside the app or on PATH; install it to use the status line"
        ))
    })
}

async fn target<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: &ToolConfigRequest,
) -> Result<(PathBuf, SettingsChange), CommandError> {
    let home = app.path().home_dir().map_err(|_| DesktopError::NoHomeDirectory)?;
    let change = match request.part.unwrap_or_default() {
        ConfigPart::Telemetry => {
            let engine = state.engine().await?;
            SettingsChange::Telemetry(TelemetryTarget {
                otlp_base_url: otlp_base_url(&engine)?,
                log_prompts: request.log_prompts.unwrap_or(false),
            })
        }
        ConfigPart::StatusLine => SettingsChange::StatusLine { program: command_program()? },
    };
    Ok((home, change))
}

fn task_failed(error: impl std::fmt::Display) -> DesktopError {
    DesktopError::Internal(format!("the settings task failed: {error}"))
}

pub async fn tool_config_preview<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: ToolConfigRequest,
) -> Result<ConfigPlan, CommandError> {
    let (home, change) = target(app, state, &request).await?;
    let tool = request.tool;
    let plan = tauri::async_runtime::spawn_blocking(move || tool_config::plan(tool, &home, &change)).await.map_err(task_failed)?;
    Ok(plan.map_err(DesktopError::from)?)
}

pub async fn tool_config_apply<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: ToolConfigRequest,
) -> Result<AppliedConfig, CommandError> {
    let (home, change) = target(app, state, &request).await?;
    let tool = request.tool;
    let applied = tauri::async_runtime::spawn_blocking(move || tool_config::apply(tool, &home, &change, chrono::Utc::now()))
        .await
        .map_err(task_failed)?;
    Ok(applied.map_err(DesktopError::from)?)
}
