//! The dashboard window: shown on demand, hidden (not closed) when the user closes it so the app
//! keeps receiving in the tray, and pointed at a page through the UI's own router.

use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

pub const MAIN_WINDOW: &str = "main";

pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Shows the window on `path` (e.g. `/import`): a history entry plus the `popstate` event the
/// UI's router listens to, so the page changes without a reload.
pub fn open_page<R: Runtime>(app: &AppHandle<R>, path: &str) {
    show_main_window(app);
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else { return };
    let Ok(quoted) = serde_json::to_string(path) else { return };
    let script = format!("history.pushState(null, '', {quoted}); dispatchEvent(new PopStateEvent('popstate'));");
    if let Err(error) = window.eval(script) {
        tracing::warn!(error = %error, "cannot open a page in the window");
    }
}

/// Window events: closing hides to the tray.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && window.label() == MAIN_WINDOW
    {
        api.prevent_close();
        let _ = window.hide();
    }
}
