//! Forwarding: every OTLP request the app accepts is also sent to the configured destinations (a
//! team's server, a company's collector) over OTLP/HTTP or OTLP/gRPC, after it is acknowledged
//! locally.
//!
//! Destinations come from where the app was started (environment, `serve` flags) and from Settings
//! (`settings`), which can change them while it runs (`Forwarder::apply`). Each destination has a
//! durable disk queue beside the database (`queue`), bounded in bytes, and a sender task (`sender`,
//! `grpc`) that delivers it in order with retries, so a destination that is down or a restart loses
//! nothing. By default content is removed first (`redact`): only usage, timing and identity leave
//! the machine. Enqueueing happens off the request's path and never delays the local acknowledgement.

pub mod grpc;
pub mod queue;
pub mod redact;
pub mod sender;
pub mod settings;
pub mod status;

use crate::config::{ForwardDestination, ForwardProtocol, ForwardingConfig};
use crate::otlp::ExportRequest;
use sender::{Destination, Transport, lock};
use sha2::{Digest, Sha256};
pub use status::{DestinationSource, DestinationStatus, ForwardingStatus};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    #[error("cannot open the forwarding queue {path}: {message}")]
    Queue { path: String, message: String },
    #[error("cannot use the certificates to trust for forwarding ({path}): {message}")]
    Certificates { path: String, message: String },
    #[error("cannot forward to {url}: {message}")]
    Destination { url: String, message: String },
}

impl crate::error::HasErrorCode for ForwardError {
    fn code(&self) -> crate::error::ErrorCode {
        match self {
            ForwardError::Destination { .. } => crate::error::ErrorCode::BadRequest,
            _ => crate::error::ErrorCode::Internal,
        }
    }
}

/// Redacts a request (unless content is forwarded in full), encodes it once, and appends it to
/// every destination's queue.
fn write_to_queues(mut request: ExportRequest, destinations: &[Arc<Destination>], full_content: bool) {
    if !full_content {
        redact::redact(&mut request);
    }
    let signal = request.signal();
    let body = request.encode_protobuf();
    for destination in destinations {
        let pushed = lock(&destination.queue).push(signal, &body);
        match pushed {
            Ok(dropped) if dropped > 0 => {
                tracing::warn!(destination = %destination.url(), dropped, "the forwarding queue is full; dropped the oldest requests");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(destination = %destination.url(), error = %error, "cannot queue a request for forwarding"),
        }
        destination.wake.notify_one();
    }
}

/// A destination in force: what it shares with the writer, where it came from, and its sender.
struct Running {
    destination: Arc<Destination>,
    source: DestinationSource,
    task: JoinHandle<()>,
}

/// What the ordered writer reads for each request.
#[derive(Clone, Default)]
struct Targets {
    destinations: Vec<Arc<Destination>>,
    full_content: bool,
}

/// The destinations in force and their senders, changed by `apply`.
pub struct Forwarder {
    /// As the app was started: these destinations are always in force.
    startup: ForwardingConfig,
    database: PathBuf,
    /// Built when the first destination starts (`http_client`), not before: loading the system's
    /// root certificates took a tenth of the CPU of a command that forwards nothing (an import that
    /// finds nothing new, about 0.09 s in all).
    http: OnceLock<reqwest::Client>,
    extra_roots: Option<Vec<u8>>,
    running: Mutex<Vec<Running>>,
    targets: Arc<RwLock<Targets>>,
    /// Accepted requests on their way to the queues, in the order they were accepted.
    accepted: tokio::sync::mpsc::UnboundedSender<ExportRequest>,
    writer: JoinHandle<()>,
}

impl std::fmt::Debug for Forwarder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Forwarder").field("destinations", &lock(&self.running).len()).finish_non_exhaustive()
    }
}

/// The queue folder of a destination: `<database>.forward/<first 16 hex digits of the SHA-256 of
/// the URL>` (of `grpc <URL>` for a gRPC destination).
pub fn queue_folder(database: &Path, destination: &ForwardDestination) -> PathBuf {
    let key = match destination.protocol {
        ForwardProtocol::HttpProtobuf => destination.url.clone(),
        ForwardProtocol::Grpc => format!("grpc {}", destination.url),
    };
    let digest: String = Sha256::digest(key.as_bytes()).iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let mut folder = database.as_os_str().to_owned();
    folder.push(".forward");
    PathBuf::from(folder).join(digest)
}

fn same_destination(a: &ForwardDestination, b: &ForwardDestination) -> bool {
    a.url == b.url && a.protocol == b.protocol
}

impl Forwarder {
    /// Starts the ordered writer and the destinations the app was started with.
    pub fn start(config: &ForwardingConfig, database: &Path) -> Result<Forwarder, ForwardError> {
        let extra_roots = match &config.ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|error| ForwardError::Certificates { path: path.display().to_string(), message: error.to_string() })?,
            ),
            None => None,
        };
        let targets = Arc::new(RwLock::new(Targets::default()));
        let (accepted, mut incoming) = tokio::sync::mpsc::unbounded_channel::<ExportRequest>();
        let shared = Arc::clone(&targets);
        // One writer keeps the queues in the order requests were accepted (cumulative metrics need it).
        let writer = tokio::spawn(async move {
            while let Some(request) = incoming.recv().await {
                let targets = shared.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
                if targets.destinations.is_empty() {
                    continue;
                }
                let _ = tokio::task::spawn_blocking(move || write_to_queues(request, &targets.destinations, targets.full_content)).await;
            }
        });
        let forwarder = Forwarder {
            startup: config.clone(),
            database: database.to_path_buf(),
            http: OnceLock::new(),
            extra_roots,
            running: Mutex::new(Vec::new()),
            targets,
            accepted,
            writer,
        };
        if forwarder.extra_roots.is_some() {
            // A certificate file that does not parse stops the start, destinations or not.
            forwarder.http_client()?;
        }
        forwarder.apply(&settings::ForwardingSettings::default())?;
        Ok(forwarder)
    }

    /// The HTTP client of every destination, built the first time one needs it.
    fn http_client(&self) -> Result<&reqwest::Client, ForwardError> {
        if let Some(client) = self.http.get() {
            return Ok(client);
        }
        let client = sender::client(self.extra_roots.as_deref()).map_err(|error| ForwardError::Certificates {
            path: self.startup.ca_file.as_ref().map(|path| path.display().to_string()).unwrap_or_default(),
            message: error.to_string(),
        })?;
        Ok(self.http.get_or_init(|| client))
    }

    /// Puts in force the startup destinations plus those of `settings`: new ones get a queue and a
    /// sender, removed ones stop (their queue stays on disk, and is sent if they come back),
    /// changed headers apply to the next send.
    pub fn apply(&self, settings: &settings::ForwardingSettings) -> Result<(), ForwardError> {
        let mut wanted: Vec<(ForwardDestination, DestinationSource)> =
            self.startup.destinations.iter().map(|destination| (destination.clone(), DestinationSource::Startup)).collect();
        for destination in &settings.destinations {
            if !wanted.iter().any(|(known, _)| same_destination(known, destination)) {
                wanted.push((destination.clone(), DestinationSource::Settings));
            }
        }
        let mut running = lock(&self.running);
        let mut next: Vec<Running> = Vec::new();
        for (config, source) in wanted {
            if let Some(index) = running.iter().position(|kept| same_destination(&kept.destination.current(), &config)) {
                let mut kept = running.remove(index);
                *kept.destination.config.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = config;
                kept.source = source;
                next.push(kept);
                continue;
            }
            let folder = queue_folder(&self.database, &config);
            let queue = queue::DiskQueue::open(&folder, self.startup.queue_limit_bytes)
                .map_err(|error| ForwardError::Queue { path: folder.display().to_string(), message: error.to_string() })?;
            let transport = Transport::for_destination(&config, self.http_client()?, self.extra_roots.as_deref())
                .map_err(|message| ForwardError::Destination { url: config.url.clone(), message })?;
            let status = DestinationStatus { url: config.url.clone(), protocol: config.protocol, ..DestinationStatus::default() };
            let destination = Arc::new(Destination {
                config: RwLock::new(config),
                queue: Mutex::new(queue),
                status: Mutex::new(status),
                wake: tokio::sync::Notify::new(),
            });
            let task = tokio::spawn(sender::run(Arc::clone(&destination), transport));
            next.push(Running { destination, source, task });
        }
        for removed in running.drain(..) {
            removed.task.abort();
        }
        *running = next;
        let full_content = settings.full_content.unwrap_or(self.startup.full_content);
        *self.targets.write().unwrap_or_else(|poisoned| poisoned.into_inner()) =
            Targets { destinations: running.iter().map(|kept| Arc::clone(&kept.destination)).collect(), full_content };
        if !running.is_empty() {
            tracing::info!(destinations = running.len(), full_content, "forwarding accepted telemetry");
        }
        Ok(())
    }

    /// Whether any destination is in force (the receivers keep a copy of each request only then).
    pub fn is_active(&self) -> bool {
        !self.targets.read().unwrap_or_else(|poisoned| poisoned.into_inner()).destinations.is_empty()
    }

    /// Queues an accepted request for every destination, off the caller's path.
    pub fn enqueue(&self, request: ExportRequest) {
        let _ = self.accepted.send(request);
    }

    pub fn status(&self) -> ForwardingStatus {
        let full_content = self.targets.read().unwrap_or_else(|poisoned| poisoned.into_inner()).full_content;
        let destinations = lock(&self.running)
            .iter()
            .map(|running| {
                let destination = &running.destination;
                let mut status = lock(&destination.status).clone();
                let config = destination.current();
                status.header_names = config.headers.iter().map(|(name, _)| name.clone()).collect();
                status.source = running.source;
                let queue = lock(&destination.queue);
                status.queued = queue.len() as u64;
                status.queued_bytes = queue.queued_bytes();
                status.dropped = queue.dropped();
                status
            })
            .collect();
        ForwardingStatus { full_content, destinations }
    }

    /// Stops the senders (what is queued stays on disk for the next start).
    pub fn stop(&self) {
        for running in lock(&self.running).drain(..) {
            running.task.abort();
        }
        self.writer.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A forwarder with nowhere to send builds no HTTP client (no certificates loaded); the first
    /// destination builds it, and a second shares it.
    #[tokio::test]
    async fn the_http_client_is_built_when_the_first_destination_starts() {
        let folder = tempfile::tempdir().unwrap();
        let forwarder = Forwarder::start(&ForwardingConfig::default(), &folder.path().join("store.duckdb")).unwrap();
        assert!(forwarder.http.get().is_none());
        assert!(!forwarder.is_active());

        let one = ForwardDestination::http("http://127.0.0.1:9/one", Vec::new());
        forwarder.apply(&settings::ForwardingSettings { destinations: vec![one.clone()], full_content: None }).unwrap();
        assert!(forwarder.is_active());
        let built: *const reqwest::Client = forwarder.http.get().expect("built for the destination");

        let two = ForwardDestination::http("http://127.0.0.1:9/two", Vec::new());
        forwarder.apply(&settings::ForwardingSettings { destinations: vec![one, two], full_content: None }).unwrap();
        assert!(std::ptr::eq(built, forwarder.http.get().unwrap()), "built once");
        assert_eq!(forwarder.status().destinations.len(), 2);
    }
}
