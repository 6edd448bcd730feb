//! A team server's dashboard in a window of its own (label `team-dashboard`), next to this
//! machine's. The window shows the server's own page, which asks for a token itself; being a remote
//! origin, it gets no access to the app's commands (Tauri refuses IPC from remote URLs unless a
//! capability names them, and none does). Closing it destroys it, like the main window.

use tauri::{AppHandle, Manager, Runtime, Url, WebviewUrl, WebviewWindowBuilder};

pub const TEAM_WINDOW: &str = "team-dashboard";

/// The dashboard's URL from what the user typed: `http(s)://host[:port][/path]`, a host without
/// a scheme taken as `https://`.
pub fn dashboard_url(text: &str) -> Result<Url, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("give the team server's address, e.g. https://observer.example.com".to_owned());
    }
    let with_scheme = if text.contains("://") { text.to_owned() } else { format!("https://{text}") };
    let url = Url::parse(&with_scheme).map_err(|error| format!("{text:?} is not an address: {error}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{text:?} must be an http:// or https:// address"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("no credentials in the address: the dashboard asks for a token".to_owned());
    }
    Ok(url)
}

/// Opens (or, when open, points and focuses) the team window on `url`.
pub fn open<R: Runtime>(app: &AppHandle<R>, url: Url) -> Result<(), String> {
    let title = format!("AI Observer — team ({})", url.host_str().unwrap_or_default());
    if let Some(window) = app.get_webview_window(TEAM_WINDOW) {
        window.navigate(url).map_err(|error| error.to_string())?;
        let _ = window.set_title(&title);
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
        return Ok(());
    }
    WebviewWindowBuilder::new(app, TEAM_WINDOW, WebviewUrl::External(url))
        .title(title)
        .inner_size(1280.0, 800.0)
        .min_inner_size(800.0, 600.0)
        .build()
        .map(|_| ())
        .map_err(|error| format!("cannot open the team dashboard's window: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_http_urls_and_others_are_refused() {
        assert_eq!(dashboard_url(" observer.example.com ").unwrap().as_str(), "https://observer.example.com/");
        assert_eq!(dashboard_url("http://127.0.0.1:8080").unwrap().as_str(), "http://127.0.0.1:8080/");
        assert!(dashboard_url("").unwrap_err().contains("address"));
        assert!(dashboard_url("file:///etc/passwd").unwrap_err().contains("http"));
        assert!(dashboard_url("javascript:alert(1)").is_err());
        assert!(dashboard_url("https://ada:secret@observer.example.com").unwrap_err().contains("credentials"));
    }
}
