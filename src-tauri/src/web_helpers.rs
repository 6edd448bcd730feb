//! WebKit's network process, ended when the last window is gone. On Linux WebKitGTK keeps the
//! network process of a web context running for as long as the context lives, with or without a
//! page, and tauri-runtime-wry keeps the context for the app's whole life (tauri issue 14626), so a
//! closed dashboard left about 60 MiB behind in a process that had nothing to do. A few seconds
//! after the last window closes (time for the closing page's storage to reach the disk), the app
//! ends that process with `SIGTERM`; WebKit starts a new one with the next window. The check and
//! the signal run on the main thread, where windows are made, so a window opened meanwhile keeps
//! it. Elsewhere WebKit (macOS) or WebView2 (Windows) manage their processes themselves.
//!
//! Not while a WebDriver drives the app (`TAURI_WEBVIEW_AUTOMATION=true`, set by tauri-driver):
//! WebKit ends its automation session when the network process goes, as it would after a crash.

// Sending a signal (`libc::kill`) has no safe wrapper in the standard library.
#![allow(unsafe_code)]

use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};

/// How long after the last window is destroyed the network process is ended.
pub const GRACE: Duration = Duration::from_secs(4);

/// The name Linux gives WebKitGTK's network process (`comm` is cut at 15 bytes).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const NETWORK_PROCESS: &str = "WebKitNetworkPr";

/// Schedules the end of WebKit's network process, if no window is open by then.
pub fn end_network_process_soon<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    if std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() != Ok("true") {
        let app = app.clone();
        let spawned = std::thread::Builder::new().name("web-helpers".into()).spawn(move || {
            std::thread::sleep(GRACE);
            let on_main = app.clone();
            let scheduled = app.run_on_main_thread(move || {
                if on_main.webview_windows().is_empty() {
                    let ended = end_children_named(std::process::id(), NETWORK_PROCESS);
                    tracing::debug!(ended, "WebKit's network process ended with the last window");
                }
            });
            if let Err(error) = scheduled {
                tracing::debug!(error = %error, "network process left running");
            }
        });
        if let Err(error) = spawned {
            tracing::warn!(error = %error, "cannot schedule the end of WebKit's network process");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// The direct children of `parent` whose process name is `name`, from `/proc`.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn children_named(parent: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let field = |key: &str| status.lines().find_map(|line| line.strip_prefix(key)).map(str::trim);
            field("Name:") == Some(name) && field("PPid:").and_then(|value| value.parse::<u32>().ok()) == Some(parent)
        })
        .collect()
}

/// Sends `SIGTERM` to each direct child of `parent` named `name`; returns how many were signalled.
#[cfg(target_os = "linux")]
fn end_children_named(parent: u32, name: &str) -> usize {
    children_named(parent, name)
        .into_iter()
        .filter(|&pid| {
            let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
            // SAFETY: `kill` only sends a signal; the pid is a child of this process that WebKit
            // has not reaped yet (a child's pid cannot be reused before its parent reaps it).
            unsafe { libc::kill(pid, libc::SIGTERM) == 0 }
        })
        .count()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn children_are_found_by_name_and_ended() {
        let mut child = std::process::Command::new("sleep").arg("30").spawn().expect("sleep");
        let me = std::process::id();
        // The kernel names the child after its new program a moment after `spawn` returns.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while children_named(me, "sleep").is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert_eq!(children_named(me, "sleep"), vec![child.id()]);
        assert!(children_named(me, NETWORK_PROCESS).is_empty());
        assert!(children_named(1, "sleep").iter().all(|&pid| pid != child.id()), "only the given parent's children");
        assert_eq!(end_children_named(me, "sleep"), 1);
        let status = child.wait().expect("wait");
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(libc::SIGTERM));
        assert!(children_named(me, "sleep").is_empty());
    }
}
