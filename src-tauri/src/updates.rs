//! Updates through tauri-plugin-updater: the release's `latest.json` on GitHub lists a signed
//! installer per platform; the public key in `tauri.conf.json` verifies it.
//!
//! At start the app looks at most once a day (the last check is remembered) and only offers: the
//! update is installed after the user agrees in a dialog, then the app stops the engine cleanly and
//! restarts. The tray's "Check for updates…" looks now and always answers. Set
//! `AI_OBSERVER_UPDATE_CHECK=off` to turn the automatic check off (packagers, tests). The flow itself,
//! [`look_and_install`], is exercised against a local update server in `tests/it/updates.rs`.

use crate::dialogs::{ask, inform};
use crate::error::DesktopError;
use crate::state::DesktopState;
use chrono::{DateTime, Utc};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::MessageDialogKind;
use tauri_plugin_updater::{Update, Updater, UpdaterExt};

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

/// What came of looking for an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// The endpoint announced nothing newer.
    UpToDate,
    /// A newer version exists and the user said "Later": nothing was downloaded.
    Declined { version: String },
    /// The package was downloaded, its signature checked, and it was installed.
    Installed { version: String },
}

/// Looks for an update and, only when `consent` agrees, downloads it, verifies it and installs it.
///
/// Nothing is downloaded before the user agrees. The package must carry a signature made with the
/// key whose public half is in `tauri.conf.json`, for the version the endpoint announced
/// (`requireSignedVersion`, so an old signed release cannot be passed off as a new one); a package
/// that fails the check is refused before anything on disk is touched.
pub async fn look_and_install(updater: &Updater, consent: impl AsyncFnOnce(&Update) -> bool) -> Result<UpdateOutcome, DesktopError> {
    let Some(update) = updater.check().await.map_err(|error| DesktopError::Updater(error.to_string()))? else {
        return Ok(UpdateOutcome::UpToDate);
    };
    let version = update.version.clone();
    if !consent(&update).await {
        return Ok(UpdateOutcome::Declined { version });
    }
    tracing::info!(version = version.as_str(), "installing update");
    update.download_and_install(|_, _| {}, || {}).await.map_err(install_error)?;
    Ok(UpdateOutcome::Installed { version })
}

/// A refused signature is said as such: it is the one failure the user should not retry.
fn install_error(error: tauri_plugin_updater::Error) -> DesktopError {
    use tauri_plugin_updater::Error;
    match error {
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => DesktopError::UpdateRefused(error.to_string()),
        other => DesktopError::Updater(other.to_string()),
    }
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<Updater, DesktopError> {
    app.state::<DesktopState>().update_memory(|memory| memory.last_update_check = Some(Utc::now()));
    app.updater().map_err(|error| DesktopError::Updater(error.to_string()))
}

/// Asks in a dialog whether to install `update` now.
async fn ask_consent<R: Runtime>(app: &AppHandle<R>, update: &Update) -> bool {
    let question = format!(
        "AI Observer {} is available (you have {}).\n\nInstall it now? AI Observer restarts afterwards; data received meanwhile is kept.",
        update.version, update.current_version
    );
    ask(app, "Update available", &question, "Install and restart", "Later").await
}

/// Looks, asks, installs; after an install the engine stops cleanly and the app restarts.
async fn look_and_offer<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateOutcome, DesktopError> {
    let outcome = look_and_install(&updater(app)?, async |update| ask_consent(app, update).await).await;
    match &outcome {
        Ok(UpdateOutcome::Installed { .. }) => {
            app.state::<DesktopState>().stop().await;
            app.restart();
        }
        Err(error @ DesktopError::UpdateRefused(_)) => {
            tracing::warn!(error = %error, "update refused");
            inform(app, "Update refused", &format!("{error}. Nothing was installed."), MessageDialogKind::Error);
        }
        _ => {}
    }
    outcome
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
        match look_and_offer(&app).await {
            Ok(UpdateOutcome::UpToDate) => tracing::info!("no update available"),
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "update check failed"),
        }
    });
}

/// The menu's (and the UI's) check: always tells the user the outcome.
pub async fn check_on_request<R: Runtime>(app: &AppHandle<R>) -> Result<UpdateCheck, DesktopError> {
    let current_version = app.package_info().version.to_string();
    match look_and_offer(app).await {
        Ok(UpdateOutcome::UpToDate) => {
            inform(app, "No update", &format!("AI Observer {current_version} is the newest version."), MessageDialogKind::Info);
            Ok(UpdateCheck { current_version, available_version: None })
        }
        Ok(UpdateOutcome::Declined { version } | UpdateOutcome::Installed { version }) => {
            Ok(UpdateCheck { current_version, available_version: Some(version) })
        }
        Err(error) => {
            if !matches!(error, DesktopError::UpdateRefused(_)) {
                inform(app, "Update check failed", &error.to_string(), MessageDialogKind::Warning);
            }
            Err(error)
        }
    }
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
