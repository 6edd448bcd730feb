//! The tray menu: today's spend (by tool, with budgets), Open dashboard, Open team dashboard, Import sessions…,
//! Pause receiving, Launch at login, Check for updates…, Quit. Built from a `TraySnapshot`; the
//! clicks are handled here and delegated to the modules that own each action.

use super::snapshot::TraySnapshot;
use crate::state::DesktopState;
use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::{AppHandle, Manager, Runtime};

const OPEN: &str = "open";
const IMPORT: &str = "import";
const TEAM: &str = "team-dashboard";
const PAUSE: &str = "pause";
const LAUNCH_AT_LOGIN: &str = "launch-at-login";
const UPDATES: &str = "updates";
const QUIT: &str = "quit";

pub fn build<R: Runtime>(app: &AppHandle<R>, snapshot: &TraySnapshot) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for (index, line) in snapshot.info_lines().into_iter().enumerate() {
        menu.append(&MenuItem::with_id(app, format!("info-{index}"), line, false, None::<&str>)?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, OPEN, "Open dashboard", true, None::<&str>)?)?;
    menu.append(&MenuItem::with_id(app, TEAM, "Open team dashboard", true, None::<&str>)?)?;
    menu.append(&MenuItem::with_id(app, IMPORT, "Import sessions…", true, None::<&str>)?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&CheckMenuItem::with_id(app, PAUSE, "Pause receiving", true, snapshot.receiving_paused, None::<&str>)?)?;
    let launch_at_login = snapshot.launch_at_login;
    menu.append(&CheckMenuItem::with_id(
        app,
        LAUNCH_AT_LOGIN,
        "Launch at login",
        launch_at_login.is_some(),
        launch_at_login.unwrap_or(false),
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(app, UPDATES, "Check for updates…", true, None::<&str>)?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(app, QUIT, "Quit AI Observer", true, None::<&str>)?)?;
    Ok(menu)
}

pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    match event.id().as_ref() {
        OPEN => crate::window::show_main_window(app),
        IMPORT => crate::window::open_page(app, "/import"),
        // the team server opened last, or the Team page, where its address is given
        TEAM => match crate::commands::team_dashboard_saved_url(app).and_then(|url| crate::team_window::dashboard_url(&url).ok()) {
            Some(url) => {
                if let Err(error) = crate::team_window::open(app, url) {
                    tracing::warn!(%error, "cannot open the team dashboard");
                }
            }
            None => crate::window::open_page(app, "/team"),
        },
        PAUSE => {
            if let Some(engine) = app.state::<DesktopState>().engine_if_ready() {
                let paused = !engine.ingestor().is_paused();
                engine.ingestor().set_paused(paused);
                tracing::info!(paused, "receiving toggled from the tray");
            }
            super::request_refresh(app);
        }
        LAUNCH_AT_LOGIN => {
            match crate::autostart::is_enabled(app).and_then(|enabled| crate::autostart::set_enabled(app, !enabled)) {
                Ok(enabled) => tracing::info!(enabled, "launch at login toggled from the tray"),
                Err(error) => tracing::warn!(error = %error, "cannot change launch at login"),
            }
            super::request_refresh(app);
        }
        UPDATES => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                let _ = crate::updates::check_on_request(&app).await;
            });
        }
        QUIT => crate::quit(app),
        _ => {}
    }
}
