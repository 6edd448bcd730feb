//! `tool_config_preview` / `tool_config_apply`: the telemetry settings written into Claude Code's,
//! Codex's or Gemini CLI's own settings file (see `tool_config`). Request
//! `{tool: "claude-code"|"codex"|"gemini", logPrompts?: bool}`; the preview answers the old and new
//! text with a line diff, apply answers the path and the backup.

use crate::error::{CommandError, DesktopError};
use crate::state::DesktopState;
use crate::tool_config::{self, TelemetryTarget};
use ai_observer_engine::Engine;
use ai_observer_engine::operations::desktop::{AppliedConfig, ConfigPlan, ToolConfigRequest};
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

async fn target<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: &ToolConfigRequest,
) -> Result<(PathBuf, TelemetryTarget), CommandError> {
    let home = app.path().home_dir().map_err(|_| DesktopError::NoHomeDirectory)?;
    let engine = state.engine().await?;
    Ok((home, TelemetryTarget { otlp_base_url: otlp_base_url(&engine)?, log_prompts: request.log_prompts.unwrap_or(false) }))
}

fn task_failed(error: impl std::fmt::Display) -> DesktopError {
    DesktopError::Internal(format!("the settings task failed: {error}"))
}

pub async fn tool_config_preview<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: ToolConfigRequest,
) -> Result<ConfigPlan, CommandError> {
    let (home, target) = target(app, state, &request).await?;
    let tool = request.tool;
    let plan = tauri::async_runtime::spawn_blocking(move || tool_config::plan(tool, &home, &target)).await.map_err(task_failed)?;
    Ok(plan.map_err(DesktopError::from)?)
}

pub async fn tool_config_apply<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: ToolConfigRequest,
) -> Result<AppliedConfig, CommandError> {
    let (home, target) = target(app, state, &request).await?;
    let tool = request.tool;
    let applied = tauri::async_runtime::spawn_blocking(move || tool_config::apply(tool, &home, &target, chrono::Utc::now()))
        .await
        .map_err(task_failed)?;
    Ok(applied.map_err(DesktopError::from)?)
}
