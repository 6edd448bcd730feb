//! `launch_at_login_get` / `launch_at_login_set` (`{enabled}`): the Settings page's switch; both
//! answer `{enabled}` as read back from the system.

use super::parse;
use crate::error::CommandError;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime};

#[derive(Debug, Deserialize)]
pub struct LaunchAtLoginRequest {
    enabled: bool,
}

#[derive(Debug, Serialize)]
pub struct LaunchAtLogin {
    enabled: bool,
}

#[tauri::command]
pub async fn launch_at_login_get<R: Runtime>(app: AppHandle<R>) -> Result<LaunchAtLogin, CommandError> {
    Ok(LaunchAtLogin { enabled: crate::autostart::is_enabled(&app)? })
}

#[tauri::command]
pub async fn launch_at_login_set<R: Runtime>(app: AppHandle<R>, request: Option<serde_json::Value>) -> Result<LaunchAtLogin, CommandError> {
    let request: LaunchAtLoginRequest = parse(request)?;
    let enabled = crate::autostart::set_enabled(&app, request.enabled)?;
    crate::tray::request_refresh(&app);
    Ok(LaunchAtLogin { enabled })
}
