//! `updates_check` (`{}` → `{currentVersion, availableVersion}`): looks for an update now; the
//! dialogs (up to date, or the offer to install) are the same as the tray's.

use crate::error::CommandError;
use crate::updates::UpdateCheck;
use tauri::{AppHandle, Runtime};

#[tauri::command]
pub async fn updates_check<R: Runtime>(app: AppHandle<R>) -> Result<UpdateCheck, CommandError> {
    Ok(crate::updates::check_on_request(&app).await?)
}
