//! The servers: OTLP/HTTP (4318), OTLP/gRPC (4317), and the query API with the web UI and the live
//! socket (8080). `start` binds all three on the configured address and returns a handle whose
//! `shutdown` stops them gracefully; `query_router` and `otlp_router` are plain functions, which
//! `router_tests` drives without sockets.

pub mod cross_origin;
pub mod guard;
pub mod http_error;
pub mod live_socket;
pub mod otlp_grpc;
pub mod otlp_http;
pub mod page_cookie;
pub mod rest;
#[cfg(test)]
mod router_tests;
pub mod static_ui;
pub mod tls;
pub mod typescript;

use crate::engine::{Engine, Ports};
use axum::Router;
use axum::http::Request;
use axum::middleware::from_fn_with_state;
use axum::routing::{any, get};
use guard::AccessPolicy;
use static_ui::UiAssets;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("port {port} ({purpose}) is already in use on {address}: stop the other program or choose another port ({variable})")]
    PortInUse { port: u16, purpose: &'static str, address: String, variable: &'static str },
    #[error("cannot listen on {address} ({purpose}): {message}")]
    Bind { address: String, purpose: &'static str, message: String },
    #[error("cannot serve TLS with the certificate {cert} and the key {key}: {message}")]
    Tls { cert: String, key: String, message: String },
}

async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Request spans carry method and path only: query strings can hold search terms.
fn trace_layer() -> TraceLayer<
    tower_http::classify::SharedClassifier<tower_http::classify::ServerErrorsAsFailures>,
    impl Fn(&Request<axum::body::Body>) -> tracing::Span + Clone,
> {
    TraceLayer::new_for_http().make_span_with(
        |request: &Request<axum::body::Body>| tracing::debug_span!("request", method = %request.method(), path = %request.uri().path()),
    )
}

/// The query API: operations, `/ws`, `/health`, `/mcp`, and the UI for every other GET.
pub fn query_router(engine: Engine, policy: AccessPolicy, ui: Option<Arc<dyn UiAssets>>) -> Router {
    let operations = rest::operation_routes().with_state(engine.clone());
    let engine_for_mcp = engine.clone();
    let socket = Router::new().route("/ws", get(live_socket::upgrade)).with_state((engine, policy.clone()));
    Router::new()
        .route("/health", get(health))
        .merge(operations)
        .merge(socket)
        .nest_service(crate::mcp::HTTP_PATH, crate::mcp::http_service(engine_for_mcp))
        .fallback(move |method, uri| static_ui::serve(ui.clone(), method, uri))
        .layer(axum::middleware::from_fn(guard::limit_machine_tokens))
        .layer(policy.cors_layer())
        .layer(from_fn_with_state(policy.clone(), cross_origin::guard_query_api))
        .layer(from_fn_with_state(policy, guard::enforce_access))
        .layer(trace_layer())
}

/// The OTLP/HTTP receiver.
pub fn otlp_router(engine: Engine, policy: AccessPolicy) -> Router {
    let max_body_bytes = engine.config().max_body_bytes;
    let state = otlp_http::OtlpState { engine, max_body_bytes };
    Router::new()
        .route("/health", get(health))
        .fallback(any(otlp_http::receive))
        .with_state(state)
        .layer(from_fn_with_state(policy.clone(), cross_origin::guard_otlp))
        .layer(from_fn_with_state(policy, guard::enforce_access))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(trace_layer())
}

/// Running servers; `shutdown` stops accepting, finishes in-flight requests, and returns.
pub struct RunningServer {
    pub ports: Ports,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl RunningServer {
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        }
    }
}

async fn bind(engine: &Engine, port: u16, purpose: &'static str, variable: &'static str) -> Result<TcpListener, ServeError> {
    let address = SocketAddr::new(engine.config().listen, port);
    TcpListener::bind(address).await.map_err(|error| {
        if error.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse { port, purpose, address: address.to_string(), variable }
        } else {
            ServeError::Bind { address: address.to_string(), purpose, message: error.to_string() }
        }
    })
}

fn local_port(listener: &TcpListener) -> u16 {
    listener.local_addr().map(|address| address.port()).unwrap_or(0)
}

async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await;
}

/// Serves an HTTP router on a bound listener until `stop`, over TLS when `tls` is given.
fn serve_http(
    listener: TcpListener,
    app: axum::extract::connect_info::IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    tls: Option<tls::TlsMaterial>,
    stop: watch::Receiver<bool>,
    purpose: &'static str,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let served = match tls {
            None => axum::serve(listener, app).with_graceful_shutdown(stopped(stop)).await,
            Some(tls) => match listener.into_std() {
                Ok(listener) => {
                    let handle = axum_server::Handle::new();
                    let stopper = handle.clone();
                    tokio::spawn(async move {
                        stopped(stop).await;
                        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
                    });
                    axum_server::from_tcp_rustls(listener, tls.http).handle(handle).serve(app).await
                }
                Err(error) => Err(error),
            },
        };
        if let Err(error) = served {
            tracing::error!(error = %error, server = purpose, "server failed");
        }
    })
}

/// Binds the three listeners and serves until `shutdown`.
pub async fn start(engine: Engine, ui: Option<Arc<dyn UiAssets>>) -> Result<RunningServer, ServeError> {
    let config = engine.config().clone();
    let api_listener = bind(&engine, config.api_port, "query API", "AI_OBSERVER_API_PORT").await?;
    let otlp_listener = bind(&engine, config.otlp_http_port, "OTLP/HTTP", "AI_OBSERVER_OTLP_PORT").await?;
    let grpc_listener =
        if config.grpc_enabled { Some(bind(&engine, config.otlp_grpc_port, "OTLP/gRPC", "AI_OBSERVER_GRPC_PORT").await?) } else { None };
    let ports = Ports {
        api: local_port(&api_listener),
        otlp_http: local_port(&otlp_listener),
        otlp_grpc: grpc_listener.as_ref().map_or(0, local_port),
    };
    engine.set_ports(ports);
    let policy = AccessPolicy::from_config(&config, ports.api).with_named_tokens(engine.tokens().clone());
    let tls = config.tls.as_ref().map(tls::load).transpose()?;
    let (stop, stop_receiver) = watch::channel(false);
    let mut tasks = Vec::new();

    let api = query_router(engine.clone(), policy.clone(), ui).into_make_service_with_connect_info::<SocketAddr>();
    tasks.push(serve_http(api_listener, api, tls.clone(), stop_receiver.clone(), "query API"));
    let otlp = otlp_router(engine.clone(), policy.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tasks.push(serve_http(otlp_listener, otlp, tls.clone(), stop_receiver.clone(), "OTLP/HTTP"));

    if let Some(listener) = grpc_listener {
        let grpc = otlp_grpc::grpc_server(engine.clone(), policy.clone(), config.max_body_bytes, tls.as_ref())?;
        let signal = stopped(stop_receiver);
        tasks.push(tokio::spawn(async move {
            let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener);
            if let Err(error) = grpc.serve_with_incoming_shutdown(incoming, signal).await {
                tracing::error!(error = %error, "OTLP/gRPC server failed");
            }
        }));
    }
    tracing::info!(api = ports.api, otlp_http = ports.otlp_http, otlp_grpc = ports.otlp_grpc, listen = %config.listen, tls = tls.is_some(), "listening");
    Ok(RunningServer { ports, stop, tasks })
}
