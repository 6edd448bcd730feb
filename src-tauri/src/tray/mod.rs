//! The tray: the icon (with a badge when a budget is near or over), today's spend as its label
//! (with the tighter plan-limit window when a tool reported one), and the menu. `install` puts it up while the engine is still opening; `refresh::spawn` keeps it
//! current once the engine is ready.

mod icons;
mod limits;
mod menu;
pub mod refresh;
mod snapshot;
pub mod text;
mod today;

use crate::state::DesktopState;
use snapshot::TraySnapshot;
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, Runtime};

pub const TRAY_ID: &str = "main";

pub fn install<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let starting = TraySnapshot::starting();
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icons::image(icons::BudgetLevel::Ok)?)
        .icon_as_template(icons::IS_TEMPLATE)
        .tooltip("AI Observer")
        .menu(&menu::build(app, &starting)?)
        .show_menu_on_left_click(false)
        .on_menu_event(menu::on_event)
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click { button: MouseButton::Left, button_state: MouseButtonState::Up, .. } = event {
                crate::window::show_main_window(tray.app_handle());
            }
        })
        .build(app)?;
    Ok(())
}

/// Asks for a refresh soon.
pub fn request_refresh<R: Runtime>(app: &AppHandle<R>) {
    if let Some(state) = app.try_state::<DesktopState>() {
        state.request_tray_refresh();
    }
}

/// Shows a status (e.g. why the engine did not start) in place of the spend.
pub fn show_status<R: Runtime>(app: &AppHandle<R>, status: &str) {
    let snapshot = TraySnapshot { status: Some(status.to_owned()), ..TraySnapshot::default() };
    if let Err(error) = refresh::apply(app, &snapshot, false) {
        tracing::warn!(error = %error, "cannot update the tray");
    }
}
