//! Updates through tauri-plugin-updater: the release's `latest.json` on GitHub lists a signed
//! installer per platform; the public key in `tauri.conf.json` verifies it.
//!
//! At start the app looks at most once a day (the last check is remembered) and only offers: the
//! update is installed after the user agrees in a dialog, then the app stops the engine cleanly and
//! restarts. The tray's "Check for updates…" looks now and always answers. Set
//! `AI_OBSERVER_UPDATE_CHECK=off` to turn the automatic check off (packagers, tests).

use crate::dialogs::{ask, inform};
use crate::error::DesktopError;
use crate::state::DesktopState;
use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::MessageDialogKind;
use tauri_plugin_updater::{Update, UpdaterExt};

pub const CHECK_INTERVAL: chrono::Duration = chrono::Duration::hours(24);

/// Whether an automatic check is due: never checked, a day has passed, or the clock went back.
pub fn check_is_due(last_check: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_check.is_none_or(|last| now - last >= CHECK_INTERVAL || last > now)
}

pub fn automatic_checks_enabled() -> bool {
    std::env::var("AI_OBSERVER_UPDATE_CHECK")
        .map_or(true, |value| !matches!(value.trim().to_ascii_lowercase().as_str(), "off" | "0" | "false" | "no"))
}

pub use ai_observer_engine::operations::desktop::UpdateCheck;

async fn look<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, DesktopError> {
    app.state::<DesktopState>().update_memory(|memory| memory.last_update_check = Some(Utc::now()));
    let updater = app.updater().map_err(|error| DesktopError::Updater(error.to_string()))?;
    updater.check().await.map_err(|error| DesktopError::Updater(error.to_string()))
}

/// The start-up check: silent unless there is an update to offer.
pub fn spawn_check_at_start<R: Runtime>(app: AppHandle<R>) {
    if !automatic_checks_enabled() {
        return;
    }
    let last_check = app.state::<DesktopState>().memory().last_update_check;
    if !check_is_due(last_check, Utc::now()) {
        return;
    }
    tauri::async_runtime::spawn(async move {
        match look(&app).await {
            Ok(Some(update)) => offer(&app, update).await,
            Ok(None) => tracing::info!("no update available"),
            Err(error) => tracing::warn!(error = %error, "update check failed"),
        }
    });
}

/// The menu's (and the UI's) check: always tells the user the outcome.
pub async fn check_on_request<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateCheck, DesktopError> {
    let current_version = app.package_info().version.to_string();
    match look(app).await {
        Ok(Some(update)) => {
            let available_version = Some(update.version.clone());
            offer(app, update).await;
            Ok(UpdateCheck { current_version, available_version })
        }
        Ok(None) => {
            inform(app, "No update", &format!("AI Observer {current_version} is the newest version."), MessageDialogKind::Info);
            Ok(UpdateCheck { current_version, available_version: None })
        }
        Err(error) => {
            inform(app, "Update check failed", &error.to_string(), MessageDialogKind::Warning);
            Err(error)
        }
    }
}

async fn offer<R: Runtime>(app: &AppHandle<R>, update: Update) {
    let question = format!(
        "AI Observer {} is available (you have {}).\n\nInstall it now? AI Observer restarts afterwards; data received meanwhile is kept.",
        update.version, update.current_version
    );
    if !ask(app, "Update available", &question, "Install and restart", "Later").await {
        return;
    }
    tracing::info!(version = update.version.as_str(), "installing update");
    if let Err(error) = update.download_and_install(|_, _| {}, || {}).await {
        tracing::warn!(error = %error, "update failed");
        inform(app, "Update failed", &error.to_string(), MessageDialogKind::Error);
        return;
    }
    app.state::<DesktopState>().stop().await;
    app.restart();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    #[test]
    fn the_automatic_check_runs_at_most_daily() {
        let now = at("2026-11-28T12:00:00Z");
        assert!(check_is_due(None, now));
        assert!(!check_is_due(Some(at("2026-11-28T08:00:00Z")), now));
        assert!(check_is_due(Some(at("2026-11-27T12:00:00Z")), now));
        assert!(check_is_due(Some(at("2026-12-01T00:00:00Z")), now), "a last check in the future (clock changed) does not block checks");
    }
}
