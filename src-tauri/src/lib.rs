//! AI Observer's desktop app: the engine runs in-process, its dashboard in a window, today's spend
//! in the tray.
//!
//! `run` builds the real app; `run_app` takes any `tauri::Builder`, so tests can hand it the mock
//! runtime. Start-up (`setup`) manages one `state::DesktopState`, puts up the tray (`tray`), opens
//! the window unless started `--minimized` (`launch`; closing the window destroys it, the app goes
//! on in the tray), and opens the engine in the background
//! (`listener`: configuration from `preferences` and the environment, port conflicts through
//! `ports` and a dialog, then the OTLP and REST servers). Once the engine is ready, live messages
//! are forwarded to the webview (`live_events`), the tray starts refreshing (`tray::refresh`, which
//! also raises `budget_alerts` and `limit_alerts`), `first_telemetry` announces each assistant's
//! first telemetry, and `updates` looks for a new version at most daily.
//!
//! The webview calls `commands`: one per engine operation, generated from the engine's operation
//! table like the REST routes, plus the desktop's own (`pick_folder`, `tool_config_*` from
//! `tool_config`, `launch_at_login_*` from `autostart`, `receiving_set_paused`, `updates_check`).
//! Quit (menu, signal, or an exit request) stops the servers, then the engine, then exits.

mod autostart;
mod budget_alerts;
pub mod commands;
mod desktop_files;
mod desktop_memory;
mod dialogs;
pub mod error;
mod first_telemetry;
mod launch;
mod limit_alerts;
mod listener;
mod live_events;
mod logging;
mod ports;
mod preferences;
mod software_rendering;
pub mod state;
mod team_window;
mod tool_config;
mod tray;
mod ui_assets;
pub mod updates;
mod web_helpers;
mod window;

pub use launch::LaunchOptions;
use state::DesktopState;
use tauri::{AppHandle, Builder, Manager, RunEvent, Runtime};

/// Runs the desktop app until the user quits.
pub fn run() {
    software_rendering::prefer_software_rendering();
    ai_observer_engine::owner_only::restrict_new_files();
    logging::init();
    let launch = LaunchOptions::from_args(std::env::args());
    let app = match run_app(Builder::default(), launch).build(tauri::generate_context!()) {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(error = %error, "cannot start the desktop app");
            std::process::exit(1);
        }
    };
    app.run(on_run_event);
}

/// The app on any runtime: plugins, commands, window behaviour and start-up.
pub fn run_app<R: Runtime>(builder: Builder<R>, launch: LaunchOptions) -> Builder<R> {
    builder
        // First, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::init(|app, _arguments, _working_directory| window::show_main_window(app)))
        .plugin(tauri_plugin_autostart::Builder::new().args([autostart::MINIMIZED_ARGUMENT]).build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .invoke_handler(commands::invoke_handler())
        .on_window_event(window::on_window_event)
        .setup(move |app| {
            setup(app.handle(), launch);
            Ok(())
        })
}

fn setup<R: Runtime>(app: &AppHandle<R>, launch: LaunchOptions) {
    let memory_path = app.path().app_data_dir().ok().map(|folder| folder.join(desktop_memory::FILE_NAME));
    app.manage(DesktopState::starting(memory_path));
    app.manage(window::LastPage::default());
    let has_tray = match tray::install(app) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(error = %error, "no tray icon; the window is the way in");
            false
        }
    };
    if !launch.minimized || !has_tray {
        window::show_main_window(app);
    }
    listener::spawn_start(app.clone(), |app, engine| {
        live_events::forward(app.clone(), &engine);
        first_telemetry::spawn(app.clone(), &engine);
        let idle = engine.clone();
        tray::refresh::spawn(app.clone(), engine);
        updates::spawn_check_at_start(app.clone());
        if !window::is_open(app) {
            ai_observer_engine::cold_pages::release_soon();
        }
        let tray_only = app.clone();
        tauri::async_runtime::spawn(ai_observer_engine::cold_pages::release_when_idle(
            move || !window::is_open(&tray_only),
            async move || idle.release_idle_memory().await,
        ));
    });
    stop_on_signals(app.clone());
}

/// Stops the servers and the engine cleanly, then exits.
pub fn quit<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        app.state::<DesktopState>().stop().await;
        app.exit(0);
    });
}

/// Closing the window destroys it (`window`); with a tray the app goes on there. Any other exit
/// request (or closing the window when there is no tray) quits cleanly.
fn on_run_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::ExitRequested { api, code, .. } = event
        && app.try_state::<DesktopState>().is_some_and(|state| !state.is_stopped())
    {
        api.prevent_exit();
        let window_closed = code.is_none();
        if !(window_closed && app.tray_by_id(tray::TRAY_ID).is_some()) {
            quit(app);
        }
    }
}

/// SIGTERM (logout, `kill`) and SIGINT quit cleanly, like the Quit item.
fn stop_on_signals<R: Runtime>(app: AppHandle<R>) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut terminate), Ok(mut interrupt)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else { return };
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        tracing::info!("stopping on a signal");
        quit(&app);
    });
    #[cfg(not(unix))]
    drop(app);
}
