//! Native message dialogs, awaited without blocking a thread (the plugin calls back on the main
//! thread; a blocking wait there would deadlock).

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

/// Asks a question with two buttons; true when the user chose `accept`.
pub async fn ask<R: Runtime>(app: &AppHandle<R>, title: &str, message: &str, accept: &str, decline: &str) -> bool {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    app.dialog()
        .message(message)
        .title(title)
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(accept.to_owned(), decline.to_owned()))
        .show(move |accepted| {
            let _ = sender.send(accepted);
        });
    receiver.await.unwrap_or(false)
}

/// Tells the user something; returns at once.
pub fn inform<R: Runtime>(app: &AppHandle<R>, title: &str, message: &str, kind: MessageDialogKind) {
    app.dialog().message(message).title(title).kind(kind).buttons(MessageDialogButtons::Ok).show(|_| {});
}
