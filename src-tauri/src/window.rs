//! The dashboard window: made when the user opens it and destroyed when they close it, so a closed
//! window costs no WebKit processes and no memory while the app keeps receiving in the tray (its
//! cold pages are released afterwards, `ai_observer_engine::cold_pages`, and WebKit's network
//! process ended, `web_helpers`). It is declared in `tauri.conf.json`
//! (`"create": false`) and built from that declaration on demand; a page is opened through the UI's
//! own router. Opened again, it shows the page it was closed on.

use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime, WebviewWindow, WebviewWindowBuilder, Window, WindowEvent};

pub const MAIN_WINDOW: &str = "main";

/// The page (path, query and fragment) the window showed when it was last closed.
#[derive(Debug, Default)]
pub struct LastPage(Mutex<Option<String>>);

impl LastPage {
    fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut page| page.take())
    }

    fn set(&self, page: Option<String>) {
        if let Ok(mut last) = self.0.lock() {
            *last = page;
        }
    }
}

/// The app's page in a web view URL, when it is one worth returning to (not the start page).
fn page_of(url: &tauri::Url) -> Option<String> {
    let mut page = url.path().to_owned();
    if let Some(query) = url.query() {
        page.push('?');
        page.push_str(query);
    }
    if let Some(fragment) = url.fragment() {
        page.push('#');
        page.push_str(fragment);
    }
    (page != "/" && page.starts_with('/')).then_some(page)
}

pub fn is_open<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window(MAIN_WINDOW).is_some()
}

/// The main window's close request remembers its page; once it is gone, its memory goes back.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if matches!(event, WindowEvent::Destroyed) {
        // Any window (the dashboard or a team server's): the last one gone ends WebKit's network process.
        crate::web_helpers::end_network_process_soon(window.app_handle());
    }
    if window.label() != MAIN_WINDOW {
        return;
    }
    match event {
        WindowEvent::CloseRequested { .. } => {
            let app = window.app_handle();
            let page = app.get_webview_window(MAIN_WINDOW).and_then(|webview| webview.url().ok()).and_then(|url| page_of(&url));
            if let Some(last) = app.try_state::<LastPage>() {
                last.set(page);
            }
        }
        WindowEvent::Destroyed => ai_observer_engine::cold_pages::release_soon(),
        _ => {}
    }
}

/// Shows the window, making it first when it is closed (on the page it was closed on).
pub fn show_main_window<R: Runtime>(app: &AppHandle<R>) {
    let window = match app.get_webview_window(MAIN_WINDOW) {
        Some(window) => window,
        None => match create(app, app.try_state::<LastPage>().and_then(|last| last.take()).as_deref()) {
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
        if let Some(last) = app.try_state::<LastPage>() {
            last.set(None);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_to_return_to_keeps_path_query_and_fragment() {
        let page = |url: &str| page_of(&url.parse().expect("url"));
        assert_eq!(page("tauri://localhost/logs?range=7d&tool=codex"), Some("/logs?range=7d&tool=codex".into()));
        assert_eq!(page("http://tauri.localhost/sessions/abc#turn-3"), Some("/sessions/abc#turn-3".into()));
        assert_eq!(page("tauri://localhost/"), None);
        assert_eq!(page("http://localhost:5173/"), None);
    }
}
