//! `tool_config_preview` / `tool_config_apply`: the telemetry settings written into Claude Code's,
//! Codex's or Gemini CLI's own settings file (see `tool_config`). Request
//! `{tool: "claude-code"|"codex"|"gemini", logPrompts?: bool}`; the preview answers the old and new
//! text with a line diff, apply answers the path and the backup.

use super::parse;
use crate::error::{CommandError, DesktopError};
use crate::state::DesktopState;
use crate::tool_config::{self, AppliedConfig, ConfigPlan, TelemetryTarget};
use ai_observer_engine::Engine;
use ai_observer_engine::model::Tool;
use serde::Deserialize;
use std::path::PathBuf;
use tauri::{AppHandle, Manager, Runtime, State};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolConfigRequest {
    tool: String,
    #[serde(default)]
    log_prompts: bool,
}

/// `http://127.0.0.1:<OTLP/HTTP port>` (or the listen address when it is a specific one).
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

async fn resolve<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: Option<serde_json::Value>,
) -> Result<(Tool, PathBuf, TelemetryTarget), CommandError> {
    let request: ToolConfigRequest = parse(request)?;
    let tool = Tool::from_key(&request.tool)
        .ok_or_else(|| DesktopError::InvalidRequest(format!("unknown tool {:?}: use claude-code, codex or gemini", request.tool)))?;
    let home = app.path().home_dir().map_err(|_| DesktopError::NoHomeDirectory)?;
    let engine = state.engine().await?;
    Ok((tool, home, TelemetryTarget { otlp_base_url: otlp_base_url(&engine)?, log_prompts: request.log_prompts }))
}

#[tauri::command]
pub async fn tool_config_preview<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, DesktopState>,
    request: Option<serde_json::Value>,
) -> Result<ConfigPlan, CommandError> {
    let (tool, home, target) = resolve(&app, &state, request).await?;
    let plan = tauri::async_runtime::spawn_blocking(move || tool_config::plan(tool, &home, &target))
        .await
        .map_err(|error| DesktopError::EngineUnavailable(error.to_string()))?;
    Ok(plan.map_err(DesktopError::from)?)
}

#[tauri::command]
pub async fn tool_config_apply<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, DesktopState>,
    request: Option<serde_json::Value>,
) -> Result<AppliedConfig, CommandError> {
    let (tool, home, target) = resolve(&app, &state, request).await?;
    let applied = tauri::async_runtime::spawn_blocking(move || tool_config::apply(tool, &home, &target, chrono::Utc::now()))
        .await
        .map_err(|error| DesktopError::EngineUnavailable(error.to_string()))?;
    Ok(applied.map_err(DesktopError::from)?)
}
