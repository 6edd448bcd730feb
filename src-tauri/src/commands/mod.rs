//! The webview's commands, all generated from the engine's operation table
//! (`for_each_operation!`, the list the REST routes come from).
//!
//! Each command takes the same JSON object the REST handler builds (argument `request`), parses it
//! with the same function into the operation's request type, and returns the same JSON, or the
//! same `{code, message, error}` body on failure. Engine operations call
//! `ai_observer_engine::operations::<name>`; the desktop's own operations (method `DESKTOP`: folder
//! picker, tool settings, launch at login, receiving, updates) call the function of the same name
//! in `desktop`, one area per file. Operations marked `redraws_tray` ask the tray to redraw.

mod desktop;
mod folders;
mod launch_at_login;
mod receiving;
mod team_dashboard;
mod tool_setup;
mod updates;

pub use team_dashboard::saved_url as team_dashboard_saved_url;

use crate::error::CommandError;
use crate::state::DesktopState;
use ai_observer_engine::api::rest::parse_request;
use tauri::{AppHandle, Runtime, State};

/// The request object; no argument (or `null`) reads as `{}`, like a REST call without parameters.
fn request_object(request: Option<serde_json::Value>) -> serde_json::Value {
    match request {
        None | Some(serde_json::Value::Null) => serde_json::Value::Object(serde_json::Map::new()),
        Some(value) => value,
    }
}

macro_rules! redraws_tray {
    (redraws_tray) => {
        true
    };
    (keeps_tray) => {
        false
    };
}

/// Runs one operation: the engine's, or (method `DESKTOP`) the shell's own.
macro_rules! run_operation {
    (DESKTOP, $name:ident, $app:ident, $state:ident, $request:ident) => {
        desktop::$name(&$app, &$state, $request).await?
    };
    ($method:ident, $name:ident, $app:ident, $state:ident, $request:ident) => {{
        let lease = $state.engine().await?;
        ai_observer_engine::operations::$name(lease.engine.clone(), $request).await?
    }};
}

macro_rules! desktop_commands {
    ($(($name:ident, $method:ident, $path:literal, $request:ty, $response:ty, $status:literal, $tray:ident)),* $(,)?) => {
        $(
            #[tauri::command]
            async fn $name<R: Runtime>(
                app: AppHandle<R>,
                state: State<'_, DesktopState>,
                request: Option<serde_json::Value>,
            ) -> Result<$response, CommandError> {
                let request = parse_request::<$request>(request_object(request))?;
                let response = run_operation!($method, $name, app, state, request);
                if redraws_tray!($tray) {
                    state.request_tray_refresh();
                }
                let _ = &app;
                Ok(response)
            }
        )*

        /// Every command, by name (the whole operation table).
        pub const OPERATION_COMMANDS: &[&str] = &[$(stringify!($name)),*];

        /// Every command the webview may call.
        pub fn invoke_handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)*]
        }
    };
}

ai_observer_engine::for_each_operation!(desktop_commands);
