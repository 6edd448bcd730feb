//! `receiving_set_paused`: pause or resume storing OTLP telemetry (exporters get 503 meanwhile).

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::operations::desktop::Receiving;
use tauri::{AppHandle, Runtime};

pub async fn receiving_set_paused<R: Runtime>(
    _app: &AppHandle<R>,
    state: &DesktopState,
    request: Receiving,
) -> Result<Receiving, CommandError> {
    let engine = state.engine().await?;
    engine.ingestor().set_paused(request.paused);
    Ok(Receiving { paused: engine.ingestor().is_paused() })
}
