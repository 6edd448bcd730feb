//! The webview's commands, in one list.
//!
//! One command per engine operation is generated from the engine's operation table
//! (`for_each_operation!`, the list the REST routes come from): it takes the same JSON object the
//! REST handler builds (argument `request`), parses it with the same function, calls the same
//! operation and returns the same JSON, or the same `{code, message, error}` body on failure. The
//! desktop's own commands (folder picker, tool settings, launch at login, receiving, updates)
//! follow the same convention and live one area per file.

mod folders;
mod launch_at_login;
mod receiving;
mod tool_setup;
mod updates;

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::api::rest::parse_request;
use serde::de::DeserializeOwned;

/// The request object; no argument (or `null`) reads as `{}`, like a REST call without parameters.
fn request_object(request: Option<serde_json::Value>) -> serde_json::Value {
    match request {
        None | Some(serde_json::Value::Null) => serde_json::Value::Object(serde_json::Map::new()),
        Some(value) => value,
    }
}

/// Parses a desktop command's request the way operations parse theirs.
fn parse<T: DeserializeOwned>(request: Option<serde_json::Value>) -> Result<T, CommandError> {
    Ok(parse_request(request_object(request))?)
}

/// Operations after which the tray must redraw (the live channel does not announce them).
const CHANGES_WHAT_THE_TRAY_SHOWS: &[&str] = &["settings_update", "delete_data", "prices_recompute"];

macro_rules! desktop_commands {
    ($(($name:ident, $method:ident, $path:literal, $request:ty, $response:ty, $status:literal)),* $(,)?) => {
        $(
            #[tauri::command]
            async fn $name(state: tauri::State<'_, DesktopState>, request: Option<serde_json::Value>) -> Result<$response, CommandError> {
                let lease = state.engine().await?;
                let request = parse_request::<$request>(request_object(request))?;
                let response = ai_observer_engine::operations::$name(lease.engine.clone(), request).await?;
                if CHANGES_WHAT_THE_TRAY_SHOWS.contains(&stringify!($name)) {
                    state.request_tray_refresh();
                }
                Ok(response)
            }
        )*

        /// The commands generated from the operation table, by name.
        pub const OPERATION_COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Every command the webview may call.
        pub fn invoke_handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![
                $($name,)*
                folders::pick_folder,
                tool_setup::tool_config_preview,
                tool_setup::tool_config_apply,
                launch_at_login::launch_at_login_get,
                launch_at_login::launch_at_login_set,
                receiving::receiving_set_paused,
                updates::updates_check,
            ]
        }
    };
}

ai_observer_engine::for_each_operation!(desktop_commands);
