//! Launch at login, through the autostart plugin (a login item on macOS, the `Run` registry key on
//! Windows, `~/.config/autostart/*.desktop` on Linux). Off until the user turns it on; the state
//! shown is always read back from the system, never assumed.

use crate::error::DesktopError;
use tauri::{AppHandle, Runtime};
use tauri_plugin_autostart::ManagerExt;

/// The argument the login item starts the app with: no window, just the tray.
pub const MINIMIZED_ARGUMENT: &str = "--minimized";

pub fn is_enabled<R: Runtime>(app: &AppHandle<R>) -> Result<bool, DesktopError> {
    app.autolaunch().is_enabled().map_err(|error| DesktopError::Autostart(error.to_string()))
}

/// Turns launch at login on or off; returns the state read back afterwards.
pub fn set_enabled<R: Runtime>(app: &AppHandle<R>, enabled: bool) -> Result<bool, DesktopError> {
    let manager = app.autolaunch();
    let outcome = if enabled { manager.enable() } else { manager.disable() };
    outcome.map_err(|error| DesktopError::Autostart(error.to_string()))?;
    is_enabled(app)
}
