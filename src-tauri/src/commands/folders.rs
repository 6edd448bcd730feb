//! `pick_folder`: the system folder picker, for adding custom session folders on the Import page.
//! Request `{title?, startAt?}`; answer `{path}` (null when the user cancelled).

use super::parse;
use crate::error::CommandError;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PickFolderRequest {
    title: Option<String>,
    start_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PickedFolder {
    path: Option<String>,
}

#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>, request: Option<serde_json::Value>) -> Result<PickedFolder, CommandError> {
    let request: PickFolderRequest = parse(request)?;
    let mut picker = app.dialog().file().set_title(request.title.unwrap_or_else(|| "Choose a session folder".to_owned()));
    if let Some(start_at) = request.start_at.filter(|path| !path.trim().is_empty()) {
        picker = picker.set_directory(start_at);
    }
    if let Some(window) = app.get_webview_window(crate::window::MAIN_WINDOW) {
        picker = picker.set_parent(&window);
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    picker.pick_folder(move |folder| {
        let _ = sender.send(folder);
    });
    let folder = receiver.await.ok().flatten().and_then(|folder| folder.into_path().ok());
    Ok(PickedFolder { path: folder.map(|path| path.display().to_string()) })
}
