//! `updates_check`: look for a newer version now (the menu's "Check for updates…").

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::operations::desktop::UpdateCheck;
use ai_observer_engine::query::stats::EmptyRequest;
use tauri::{AppHandle, Runtime};

pub async fn updates_check<R: Runtime>(
    app: &AppHandle<R>,
    _state: &DesktopState,
    _request: EmptyRequest,
) -> Result<UpdateCheck, CommandError> {
    Ok(crate::updates::check_on_request(app).await?)
}
