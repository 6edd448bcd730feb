//! Keeping the tray current: a task that recomputes the snapshot when data arrives (any live
//! message; debounced so a burst costs one refresh and refreshes come at most once a second), at
//! local midnight (a new "today"), when asked (pause, launch at login), and once a minute (budget
//! or time-zone settings changed in the UI). The tray is only touched when the snapshot changed.
//! Budget alerts are raised from the same numbers.

use super::TRAY_ID;
use super::icons::{self, BudgetLevel};
use super::limits::{limits_level, limits_summary};
use super::menu;
use super::snapshot::{TraySnapshot, budget_summary};
use super::today::{today_and_budget, until_next_local_midnight};
use crate::budget_alerts::BudgetAlert;
use crate::limit_alerts::LimitAlert;
use crate::state::DesktopState;
use ai_observer_engine::Engine;
use ai_observer_engine::settings::LimitAlertSettings;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::time::Instant;

/// How long a burst of live messages may continue before the tray refreshes.
const SETTLE: Duration = Duration::from_millis(250);
/// At most one refresh per this interval while data keeps arriving.
const SHORTEST_INTERVAL: Duration = Duration::from_secs(1);
const HEARTBEAT: Duration = Duration::from_secs(60);
/// Wake a little after midnight so "now" is safely in the new day.
const AFTER_MIDNIGHT: Duration = Duration::from_millis(500);

pub fn spawn<R: Runtime>(app: AppHandle<R>, engine: Engine) {
    tauri::async_runtime::spawn(async move {
        if app.tray_by_id(TRAY_ID).is_none() {
            return;
        }
        let requests = app.state::<DesktopState>().tray_refresh_requests();
        let mut live = engine.live().subscribe();
        drop(engine);
        let mut shown: Option<TraySnapshot> = None;
        loop {
            // Queries only under a lease, so quitting waits for a refresh in progress.
            let Ok(lease) = app.state::<DesktopState>().engine().await else { break };
            refresh_once(&app, &lease, &mut shown).await;
            let time_zone = lease.time_zone().await;
            drop(lease);
            let refreshed_at = Instant::now();
            let until_midnight = until_next_local_midnight(time_zone, chrono::Utc::now()) + AFTER_MIDNIGHT;
            tokio::select! {
                received = live.recv() => {
                    if matches!(received, Err(RecvError::Closed)) {
                        break;
                    }
                    tokio::time::sleep(SETTLE.max(SHORTEST_INTERVAL.saturating_sub(refreshed_at.elapsed()))).await;
                    while !matches!(live.try_recv(), Err(TryRecvError::Empty | TryRecvError::Closed)) {}
                }
                () = tokio::time::sleep(until_midnight.min(HEARTBEAT)) => {}
                () = requests.notified() => {}
            }
        }
    });
}

async fn refresh_once<R: Runtime>(app: &AppHandle<R>, engine: &Engine, shown: &mut Option<TraySnapshot>) {
    let state = app.state::<DesktopState>();
    let (today, (budget_level, budget_lines)) = match today_and_budget(engine, chrono::Utc::now()).await {
        Ok((today, budget)) => {
            let alerts = state.update_memory(|memory| memory.budget_alerts.crossings(&budget));
            for alert in alerts {
                notify(app, &alert);
            }
            (Some(today), budget_summary(&budget))
        }
        Err(error) => {
            tracing::warn!(error = %error, "cannot compute today's spend and budgets for the tray");
            (None, (BudgetLevel::Ok, Vec::new()))
        }
    };
    let alert_settings = match ai_observer_engine::operations::settings_get(engine.clone(), Default::default()).await {
        Ok(settings) => settings.limit_alerts,
        Err(error) => {
            tracing::warn!(error = %error, "cannot read the plan-limit alert settings; using the defaults");
            LimitAlertSettings::default()
        }
    };
    let (limit_label, limit_lines, limit_level) =
        match ai_observer_engine::operations::limits_latest(engine.clone(), Default::default()).await {
            Ok(answer) => {
                for alert in state.update_memory(|memory| memory.limit_alerts.crossings(&answer.limits, &alert_settings)) {
                    notify_limit(app, &alert);
                }
                let (label, lines) = limits_summary(&answer.limits, engine.time_zone().await, chrono::Utc::now());
                (label, lines, limits_level(&answer.limits, alert_settings.warn_percent))
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot read the plan limits for the tray");
                (None, Vec::new(), BudgetLevel::Ok)
            }
        };
    let snapshot = TraySnapshot {
        status: today.is_none().then(|| "Spend unavailable (see the log)".to_owned()),
        today,
        budget_level,
        budget_lines,
        limit_label,
        limit_lines,
        limit_level,
        receiving_paused: engine.ingestor().is_paused(),
        launch_at_login: crate::autostart::is_enabled(app).ok(),
    };
    if shown.as_ref() == Some(&snapshot) {
        return;
    }
    let icon_changed = shown.as_ref().is_none_or(|previous| previous.icon_level() != snapshot.icon_level());
    match apply(app, &snapshot, icon_changed) {
        Ok(()) => *shown = Some(snapshot),
        Err(error) => tracing::warn!(error = %error, "cannot update the tray"),
    }
}

/// Puts a snapshot on the tray: label (Linux, macOS), tooltip (Windows), icon, menu.
pub fn apply<R: Runtime>(app: &AppHandle<R>, snapshot: &TraySnapshot, icon_changed: bool) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else { return Ok(()) };
    let title = snapshot.title();
    if !cfg!(target_os = "windows") {
        tray.set_title(Some(&title))?;
    }
    tray.set_tooltip(Some(format!("AI Observer · {title}")))?;
    if icon_changed {
        tray.set_icon_with_as_template(Some(icons::image(snapshot.icon_level())?), icons::IS_TEMPLATE)?;
    }
    tray.set_menu(Some(menu::build(app, snapshot)?))?;
    tracing::debug!("tray updated");
    Ok(())
}

fn notify_limit<R: Runtime>(app: &AppHandle<R>, alert: &LimitAlert) {
    tracing::info!(title = %alert.title(), "plan limit alert");
    if let Err(error) = app.notification().builder().title(alert.title()).body(alert.body(chrono::Utc::now())).show() {
        tracing::warn!(error = %error, "cannot show a plan-limit notification");
    }
}

fn notify<R: Runtime>(app: &AppHandle<R>, alert: &BudgetAlert) {
    tracing::info!(period = alert.period.key(), level = ?alert.level, "budget alert");
    if let Err(error) = app.notification().builder().title(alert.title()).body(alert.body()).show() {
        tracing::warn!(error = %error, "cannot show a budget notification");
    }
}
