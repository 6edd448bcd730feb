//! The dashboard window: made when the user opens it and destroyed when they close it, so a closed
//! window costs no WebKit processes and no memory while the app keeps receiving in the tray. It is
//! declared in `tauri.conf.json` (`"create": false`) and built from that declaration on demand; a
//! page is opened through the UI's own router.

use tauri::{AppHandle, Manager, Runtime, WebviewWindow, WebviewWindowBuilder};

pub const MAIN_WINDOW: &str = "main";

/// Shows the window, making it first when it is closed.
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    let window = match app.get_webview_window(MAIN_WINDOW) {
        Some(window) => window,
        None => match create(app, None) {
            Some(window) => window,
            None => return,
        },
    };
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
}

/// Shows the window on `path` (e.g. `/import`). An open window gets a history entry plus the
/// `popstate` event the UI's router listens to, so the page changes without a reload; a new one
/// starts on that page.
pub fn open_page<R: Runtime>(app: &AppHandle<R>, path: &str) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        if let Some(window) = create(app, Some(path)) {
            let _ = window.show();
            let _ = window.set_focus();
        }
        return;
    };
    show_main_window(app);
    let Ok(quoted) = serde_json::to_string(path) else { return };
    let script = format!("history.pushState(null, '', {quoted}); dispatchEvent(new PopStateEvent('popstate'));");
    if let Err(error) = window.eval(script) {
        tracing::warn!(error = %error, "cannot open a page in the window");
    }
}

/// Builds the window from its declaration, on `path` when given (before the page's own scripts
/// run, once: a reload stays where the user is).
fn create<R: Runtime>(app: &AppHandle<R>, path: Option<&str>) -> Option<WebviewWindow<R>> {
    let Some(config) = app.config().app.windows.iter().find(|window| window.label == MAIN_WINDOW).cloned() else {
        tracing::warn!("the app's configuration declares no main window");
        return None;
    };
    let mut builder = match WebviewWindowBuilder::from_config(app, &config) {
        Ok(builder) => builder,
        Err(error) => {
            tracing::warn!(error = %error, "cannot prepare the window");
            return None;
        }
    };
    if let Some(quoted) = path.and_then(|path| serde_json::to_string(path).ok()) {
        builder = builder.initialization_script(format!(
            "if (!sessionStorage.getItem('ai-observer-opened')) {{ sessionStorage.setItem('ai-observer-opened', '1'); history.replaceState(null, '', {quoted}); }}"
        ));
    }
    match builder.build() {
        Ok(window) => Some(window),
        Err(error) => {
            tracing::warn!(error = %error, "cannot open the window");
            None
        }
    }
}
