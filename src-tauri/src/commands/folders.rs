//! `pick_folder`: the system folder dialog. With `purpose: "export"`, the folder the user picked
//! becomes a place where exports may write (the API otherwise writes only inside the export root):
//! a grant that only the user, through the native dialog, can make.

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::operations::desktop::{FolderPurpose, PickFolderRequest, PickedFolder};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::DialogExt;

pub async fn pick_folder<R: Runtime>(
    app: &AppHandle<R>,
    state: &DesktopState,
    request: PickFolderRequest,
) -> Result<PickedFolder, CommandError> {
    let for_export = request.purpose == Some(FolderPurpose::Export);
    let default_title = if for_export { "Choose a folder for the export" } else { "Choose a session folder" };
    let mut picker = app.dialog().file().set_title(request.title.unwrap_or_else(|| default_title.to_owned()));
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
    if let (Some(folder), true) = (&folder, for_export) {
        state.engine().await?.grant_export_folder(folder.clone());
    }
    Ok(PickedFolder { path: folder.map(|path| path.display().to_string()) })
}
