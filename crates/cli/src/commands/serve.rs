//! `ai-observer serve`: the headless server. Flags win over `AI_OBSERVER_*` variables, which win
//! over the defaults (loopback, ports 8080 / 4318 / 4317, the OS data directory).

use crate::embedded_ui;
use ai_observer_engine::api::static_ui::{UiAssets, UiFolder};
use ai_observer_engine::config::{ForwardProtocol, ForwardingConfig, TlsFiles};
use ai_observer_engine::{Engine, EngineConfig};
use anyhow::Context;
use clap::Args;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on [env: AI_OBSERVER_LISTEN; default 127.0.0.1]. Anything but loopback needs --token.
    #[arg(long)]
    pub listen: Option<IpAddr>,
    /// Query API and web UI port [env: AI_OBSERVER_API_PORT; default 8080]
    #[arg(long)]
    pub api_port: Option<u16>,
    /// OTLP/HTTP port [env: AI_OBSERVER_OTLP_PORT; default 4318]
    #[arg(long)]
    pub otlp_port: Option<u16>,
    /// OTLP/gRPC port [env: AI_OBSERVER_GRPC_PORT; default 4317]
    #[arg(long)]
    pub grpc_port: Option<u16>,
    /// Do not start the gRPC receiver
    #[arg(long)]
    pub no_grpc: bool,
    /// DuckDB file [env: AI_OBSERVER_DATABASE_PATH; default <data dir>/ai-observer/ai-observer.duckdb]
    #[arg(long)]
    pub database: Option<PathBuf>,
    /// Bearer token that clients on other machines must send [env: AI_OBSERVER_TOKEN]
    #[arg(long)]
    pub token: Option<String>,
    /// Largest accepted OTLP body in bytes, after decompression [env: AI_OBSERVER_MAX_BODY_BYTES; default 16 MiB]
    #[arg(long)]
    pub max_body_bytes: Option<usize>,
    /// Serve the web UI from this folder instead of the one built into the binary
    #[arg(long)]
    pub ui_dir: Option<PathBuf>,
    /// Also watch the session folders and import new session data as it is written
    #[arg(long)]
    pub watch: bool,
    /// With --watch: import the existing history first (otherwise only what is written from now on)
    #[arg(long)]
    pub backfill: bool,
    /// With --watch: only these tools (claude-code, codex, gemini, qwen-code, opencode, copilot, goose)
    #[arg(long = "watch-tool", value_name = "TOOL")]
    pub watch_tools: Vec<String>,
    /// Also send every accepted OTLP request to this OTLP/HTTP base URL (repeatable) [env: AI_OBSERVER_FORWARD_URL]
    #[arg(long = "forward", value_name = "URL")]
    pub forward: Vec<String>,
    /// How --forward destinations receive requests: http/protobuf (the default) or grpc [env: AI_OBSERVER_FORWARD_PROTOCOL]
    #[arg(long = "forward-protocol", value_name = "PROTOCOL", value_parser = ["http/protobuf", "grpc"])]
    pub forward_protocol: Option<String>,
    /// A header for the forwarded requests, e.g. "Authorization=Bearer aio_…" (repeatable) [env: AI_OBSERVER_FORWARD_HEADERS]
    #[arg(long = "forward-header", value_name = "KEY=VALUE")]
    pub forward_headers: Vec<String>,
    /// Forward prompt text, model output and tool content too (default: removed) [env: AI_OBSERVER_FORWARD_CONTENT=full]
    #[arg(long)]
    pub forward_full_content: bool,
    /// Require a token from every caller, from this machine too (behind a reverse proxy); needs AI_OBSERVER_TOKEN [env: AI_OBSERVER_REQUIRE_TOKEN]
    #[arg(long)]
    pub require_token: bool,
    /// Serve every port over TLS with this PEM certificate chain (with --tls-key) [env: AI_OBSERVER_TLS_CERT]
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's PEM private key [env: AI_OBSERVER_TLS_KEY]
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

impl ServeArgs {
    fn config(&self) -> anyhow::Result<EngineConfig> {
        let mut config = EngineConfig::from_env()?;
        if let Some(listen) = self.listen {
            config.listen = listen;
        }
        if let Some(port) = self.api_port {
            config.api_port = port;
        }
        if let Some(port) = self.otlp_port {
            config.otlp_http_port = port;
        }
        if let Some(port) = self.grpc_port {
            config.otlp_grpc_port = port;
        }
        if self.no_grpc {
            config.grpc_enabled = false;
        }
        if let Some(database) = &self.database {
            config.database_path = database.clone();
        }
        if let Some(token) = &self.token {
            config.auth_token = Some(token.clone());
        }
        if let Some(bytes) = self.max_body_bytes {
            config.max_body_bytes = bytes;
        }
        if !self.forward.is_empty() {
            let headers = if self.forward_headers.is_empty() {
                config.forwarding.destinations.first().map(|destination| destination.headers.clone()).unwrap_or_default()
            } else {
                ForwardingConfig::headers_from(&self.forward_headers.join(","))?
            };
            let protocol = match &self.forward_protocol {
                Some(protocol) => ForwardProtocol::parse(protocol).unwrap_or_default(),
                None => config.forwarding.destinations.first().map(|destination| destination.protocol).unwrap_or_default(),
            };
            config.forwarding.destinations = ForwardingConfig::destinations_from(&self.forward.join(","), protocol, &headers)?;
        }
        if self.require_token {
            config.require_token = true;
        }
        if self.forward_full_content {
            config.forwarding.full_content = true;
        }
        if self.tls_cert.is_some() {
            config.tls = TlsFiles::from_pair(self.tls_cert.clone(), self.tls_key.clone())?;
        }
        config.validate()?;
        Ok(config)
    }

    fn ui(&self) -> Option<Arc<dyn UiAssets>> {
        match &self.ui_dir {
            Some(root) => Some(Arc::new(UiFolder { root: root.clone() })),
            None => embedded_ui::embedded().map(|ui| Arc::new(ui) as Arc<dyn UiAssets>),
        }
    }
}

/// Ctrl-C or SIGTERM. The handlers are installed when this is called, not when it is first
/// awaited, so a signal that arrives right after the server says it is ready is not missed.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

pub async fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let config = args.config()?;
    let database = config.database_path.clone();
    let engine = Engine::open(config).await.with_context(|| format!("cannot open the database {}", database.display()))?;
    let server = match ai_observer_engine::api::start(engine.clone(), args.ui()).await {
        Ok(server) => server,
        Err(error) => {
            engine.shutdown().await;
            return Err(error.into());
        }
    };
    let watcher = if args.watch {
        let tools = ai_observer_engine::importers::parse_tools(&args.watch_tools)?;
        println!("  watching           session folders of {}", tools.iter().map(|tool| tool.display_name()).collect::<Vec<_>>().join(", "));
        Some(ai_observer_engine::operations::start_watching(
            &engine,
            ai_observer_engine::importers::watch::WatchOptions {
                tools,
                environment: ai_observer_engine::importers::discovery::DiscoveryEnvironment::from_process(),
                backfill: args.backfill,
            },
        ))
    } else {
        None
    };
    let stopped = shutdown_signal();
    let ports = server.ports;
    let listen = engine.config().listen;
    let scheme = if engine.config().tls.is_some() { "https" } else { "http" };
    println!("AI Observer {} is running", env!("CARGO_PKG_VERSION"));
    println!("  dashboard and API  {scheme}://{listen}:{}", ports.api);
    println!("  OTLP/HTTP          {scheme}://{listen}:{}", ports.otlp_http);
    if ports.otlp_grpc != 0 {
        println!("  OTLP/gRPC          {scheme}://{listen}:{}", ports.otlp_grpc);
    }
    let forwarding = engine.forwarding_status();
    for destination in &forwarding.destinations {
        let content = if forwarding.full_content { "with content" } else { "content removed" };
        println!("  forwarding to      {} ({content})", destination.url);
    }
    println!("  database           {}", database.display());
    // Idle for a while: the code pages start-up and past queries touched go back to the kernel.
    // So do the blocks DuckDB cached for them.
    let idle = engine.clone();
    let releasing =
        tokio::spawn(ai_observer_engine::cold_pages::release_when_idle(|| true, async move || idle.release_idle_memory().await));
    stopped.await;
    releasing.abort();
    tracing::info!("shutting down");
    if let Some(watcher) = watcher {
        watcher.stop().await;
    }
    server.shutdown().await;
    engine.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
