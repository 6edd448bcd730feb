//! `launch_at_login_get` / `launch_at_login_set`: whether the app starts (minimized) at login, read
//! back from the autostart plugin so the answer is what the system will do.

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::operations::desktop::LaunchAtLogin;
use ai_observer_engine::query::stats::EmptyRequest;
use tauri::{AppHandle, Runtime};

pub async fn launch_at_login_get<R: Runtime>(
    app: &AppHandle<R>,
    _state: &DesktopState,
    _request: EmptyRequest,
) -> Result<LaunchAtLogin, CommandError> {
    Ok(LaunchAtLogin { enabled: crate::autostart::is_enabled(app)? })
}

pub async fn launch_at_login_set<R: Runtime>(
    app: &AppHandle<R>,
    _state: &DesktopState,
    request: LaunchAtLogin,
) -> Result<LaunchAtLogin, CommandError> {
    Ok(LaunchAtLogin { enabled: crate::autostart::set_enabled(app, request.enabled)? })
}
