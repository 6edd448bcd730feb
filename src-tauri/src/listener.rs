//! Starts the engine and its servers inside the app, and stops them on quit.
//!
//! Start: build the configuration (defaults, saved preferences, `AI_OBSERVER_*`), look for ports
//! another program holds and offer free ones (a dialog), open the store, then bind the OTLP/HTTP,
//! OTLP/gRPC and REST listeners. If the user declines the free ports, or binding fails anyway, the
//! app runs without listeners: the dashboard still works through the commands. Stop: the servers
//! finish in-flight requests (`RunningServer::shutdown`), then the engine commits what is queued
//! and closes the store (`Engine::shutdown`).

use crate::dialogs::{ask, inform};
use crate::preferences::{self, Preferences};
use crate::state::DesktopState;
use crate::ui_assets::EmbeddedAssets;
use ai_observer_engine::api::RunningServer;
use ai_observer_engine::{Engine, EngineConfig, Ports};
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::MessageDialogKind;

pub fn preferences_path<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    app.path().app_config_dir().ok().map(|folder| folder.join(preferences::FILE_NAME))
}

/// Opens the engine and starts the servers in the background; the returned task ends when the
/// engine is ready (or failed), after `on_ready` ran.
pub fn spawn_start<R: Runtime>(app: AppHandle<R>, on_ready: impl FnOnce(&AppHandle<R>, Engine) + Send + 'static) {
    tauri::async_runtime::spawn(async move {
        match start(&app).await {
            Ok(engine) => on_ready(&app, engine),
            Err(message) => {
                tracing::error!(error = %message, "the engine did not start");
                app.state::<DesktopState>().set_failed(message.clone());
                crate::tray::show_status(&app, "AI Observer could not start");
                inform(&app, "AI Observer could not start", &message, MessageDialogKind::Error);
            }
        }
    });
}

async fn start<R: Runtime>(app: &AppHandle<R>) -> Result<Engine, String> {
    let preferences_path = preferences_path(app);
    let mut preferences = preferences_path.as_deref().map(Preferences::load).unwrap_or_default();
    let mut config = preferences.engine_config().map_err(|error| error.to_string())?;
    let receive = choose_ports(app, &mut config, &mut preferences, preferences_path.as_deref()).await;
    let database = config.database_path.clone();
    let engine = Engine::open(config).await.map_err(|error| format!("cannot open the database {}: {error}", database.display()))?;
    let server = if receive { start_servers(app, &engine).await } else { None };
    if server.is_none() {
        engine.set_ports(Ports { api: 0, otlp_http: 0, otlp_grpc: 0 });
    }
    app.state::<DesktopState>().set_ready(engine.clone(), server).await;
    Ok(engine)
}

/// Offers free ports when configured ones are taken; false when the user prefers not to listen.
async fn choose_ports<R: Runtime>(
    app: &AppHandle<R>,
    config: &mut EngineConfig,
    preferences: &mut Preferences,
    path: Option<&std::path::Path>,
) -> bool {
    let conflicts = crate::ports::find_conflicts(config);
    if conflicts.is_empty() {
        return true;
    }
    let mut proposed = config.clone();
    let changes = match crate::ports::use_free_ports(&mut proposed, &conflicts) {
        Ok(changes) => changes,
        Err(error) => {
            tracing::warn!(error = %error, "cannot find free ports");
            return true; // binding will fail and say why
        }
    };
    tracing::warn!(taken = ?conflicts.iter().map(|conflict| conflict.port).collect::<Vec<_>>(), "configured ports are in use");
    if !ask(app, "Ports in use", &crate::ports::conflict_message(&changes), "Use free ports", "Not now").await {
        return false;
    }
    for change in &changes {
        match change.listener {
            crate::ports::Listener::Api => preferences.api_port = Some(change.free),
            crate::ports::Listener::OtlpHttp => preferences.otlp_http_port = Some(change.free),
            crate::ports::Listener::OtlpGrpc => preferences.otlp_grpc_port = Some(change.free),
        }
    }
    if let Some(path) = path {
        preferences.save(path);
    }
    *config = proposed;
    true
}

async fn start_servers<R: Runtime>(app: &AppHandle<R>, engine: &Engine) -> Option<RunningServer> {
    let ui = Arc::new(EmbeddedAssets { resolver: app.asset_resolver() });
    match ai_observer_engine::api::start(engine.clone(), Some(ui)).await {
        Ok(server) => {
            let listen = engine.config().listen;
            let ports = server.ports;
            println!("AI Observer desktop {} is running", app.package_info().version);
            println!("  dashboard and API  http://{listen}:{}", ports.api);
            println!("  OTLP/HTTP          http://{listen}:{}", ports.otlp_http);
            if ports.otlp_grpc != 0 {
                println!("  OTLP/gRPC          http://{listen}:{}", ports.otlp_grpc);
            }
            println!("  database           {}", engine.config().database_path.display());
            Some(server)
        }
        Err(error) => {
            tracing::error!(error = %error, "cannot start the receiver");
            inform(
                app,
                "The receiver is not running",
                &format!("{error}\n\nThe dashboard still works; telemetry cannot arrive until AI Observer is restarted."),
                MessageDialogKind::Warning,
            );
            None
        }
    }
}
