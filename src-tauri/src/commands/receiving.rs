//! `receiving_set_paused` (`{paused}` → `{paused}`): pauses or resumes storing OTLP telemetry, as
//! the tray's check item does. (`settings_get` reports the state as `receivingPaused`.)

use super::parse;
use crate::error::CommandError;
use crate::state::DesktopState;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};

#[derive(Debug, Deserialize, Serialize)]
pub struct Receiving {
    paused: bool,
}

#[tauri::command]
pub async fn receiving_set_paused<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, DesktopState>,
    request: Option<serde_json::Value>,
) -> Result<Receiving, CommandError> {
    let request: Receiving = parse(request)?;
    let engine = state.engine().await?;
    engine.ingestor().set_paused(request.paused);
    crate::tray::request_refresh(&app);
    Ok(Receiving { paused: engine.ingestor().is_paused() })
}
