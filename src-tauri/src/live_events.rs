//! Live updates for the webview: every message of the engine's live hub is emitted as the Tauri
//! event `live` with the JSON the `/ws` socket sends (`{type, timestamp, payload}`).

use ai_observer_engine::Engine;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::broadcast::error::RecvError;

pub const LIVE_EVENT: &str = "live";

pub fn forward<R: Runtime>(app: AppHandle<R>, engine: &Engine) {
    let mut messages = engine.live().subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            match messages.recv().await {
                Ok(message) => {
                    if let Err(error) = app.emit(LIVE_EVENT, &*message) {
                        tracing::warn!(error = %error, "cannot emit a live message");
                    }
                }
                Err(RecvError::Lagged(skipped)) => tracing::debug!(skipped, "live messages skipped; the UI re-queries"),
                Err(RecvError::Closed) => break,
            }
        }
    });
}
