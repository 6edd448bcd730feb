//! `team_dashboard_get` / `team_dashboard_open`: a team server's dashboard in a window of its own.
//! The URL is kept in the preferences, so the tray's "Open team dashboard" opens it again.

use crate::error::{CommandError, DesktopError};
use crate::preferences::Preferences;
use crate::state::DesktopState;
use ai_observer_engine::operations::desktop::TeamDashboard;
use ai_observer_engine::query::stats::EmptyRequest;
use tauri::{AppHandle, Runtime};

pub async fn team_dashboard_get<R: Runtime>(
    app: &AppHandle<R>,
    _state: &DesktopState,
    _request: EmptyRequest,
) -> Result<TeamDashboard, CommandError> {
    Ok(TeamDashboard { url: saved_url(app) })
}

pub async fn team_dashboard_open<R: Runtime>(
    app: &AppHandle<R>,
    _state: &DesktopState,
    request: TeamDashboard,
) -> Result<TeamDashboard, CommandError> {
    let url = match request.url {
        Some(text) => crate::team_window::dashboard_url(&text).map_err(DesktopError::InvalidRequest)?,
        None => {
            let saved = saved_url(app)
                .ok_or_else(|| DesktopError::InvalidRequest("no team dashboard has been opened yet: give its url".to_owned()))?;
            crate::team_window::dashboard_url(&saved).map_err(DesktopError::InvalidRequest)?
        }
    };
    if let Some(path) = crate::listener::preferences_path(app) {
        let mut preferences = Preferences::load(&path);
        preferences.team_dashboard_url = Some(url.to_string());
        preferences.save(&path);
    }
    crate::team_window::open(app, url.clone()).map_err(DesktopError::Internal)?;
    Ok(TeamDashboard { url: Some(url.to_string()) })
}

/// The URL opened last, from the preferences.
pub fn saved_url<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    crate::listener::preferences_path(app).map(|path| Preferences::load(&path)).and_then(|preferences| preferences.team_dashboard_url)
}
