//! Forwarding: every OTLP request the app accepts is also sent to the configured OTLP/HTTP
//! destinations (a team's server, a company's collector), after it is acknowledged locally.
//!
//! Each destination has a durable disk queue beside the database (`queue`), bounded in bytes, and a
//! sender task (`sender`) that delivers it in order with retries, so a destination that is down or
//! a restart loses nothing. By default content is removed first (`redact`): only usage, timing and
//! identity leave the machine. Enqueueing happens off the request's path and never delays the
//! local acknowledgement.

pub mod queue;
pub mod redact;
pub mod sender;
pub mod status;

use crate::config::ForwardingConfig;
use crate::otlp::ExportRequest;
use sender::Destination;
use sha2::{Digest, Sha256};
pub use status::{DestinationStatus, ForwardingStatus};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::task::JoinHandle;

#[derive(Debug, thiserror::Error)]
pub enum ForwardError {
    #[error("cannot open the forwarding queue {path}: {message}")]
    Queue { path: String, message: String },
    #[error("cannot use the certificates to trust for forwarding ({path}): {message}")]
    Certificates { path: String, message: String },
}

impl crate::error::HasErrorCode for ForwardError {
    fn code(&self) -> crate::error::ErrorCode {
        crate::error::ErrorCode::Internal
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
        let pushed = destination.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(signal, &body);
        match pushed {
            Ok(dropped) if dropped > 0 => {
                tracing::warn!(destination = %destination.config.url, dropped, "the forwarding queue is full; dropped the oldest requests");
            }
            Ok(_) => {}
            Err(error) => tracing::error!(destination = %destination.config.url, error = %error, "cannot queue a request for forwarding"),
        }
        destination.wake.notify_one();
    }
}

/// The destinations and their senders.
pub struct Forwarder {
    destinations: Vec<Arc<Destination>>,
    full_content: bool,
    /// Accepted requests on their way to the queues, in the order they were accepted.
    accepted: tokio::sync::mpsc::UnboundedSender<ExportRequest>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for Forwarder {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Forwarder").field("destinations", &self.destinations.len()).finish_non_exhaustive()
    }
}

/// The queue folder of a destination: `<database>.forward/<first 16 hex digits of the URL's SHA-256>`.
pub fn queue_folder(database: &Path, url: &str) -> std::path::PathBuf {
    let digest: String = Sha256::digest(url.as_bytes()).iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let mut folder = database.as_os_str().to_owned();
    folder.push(".forward");
    std::path::PathBuf::from(folder).join(digest)
}

impl Forwarder {
    /// Opens each destination's queue and starts its sender; `None` without destinations.
    pub fn start(config: &ForwardingConfig, database: &Path) -> Result<Option<Forwarder>, ForwardError> {
        if config.destinations.is_empty() {
            return Ok(None);
        }
        let mut destinations = Vec::new();
        for destination in &config.destinations {
            let folder = queue_folder(database, &destination.url);
            let queue = queue::DiskQueue::open(&folder, config.queue_limit_bytes)
                .map_err(|error| ForwardError::Queue { path: folder.display().to_string(), message: error.to_string() })?;
            let status = DestinationStatus { url: destination.url.clone(), ..DestinationStatus::default() };
            destinations.push(Arc::new(Destination {
                config: destination.clone(),
                queue: Mutex::new(queue),
                status: Mutex::new(status),
                wake: tokio::sync::Notify::new(),
            }));
        }
        let extra_roots = match &config.ca_file {
            Some(path) => Some(
                std::fs::read(path)
                    .map_err(|error| ForwardError::Certificates { path: path.display().to_string(), message: error.to_string() })?,
            ),
            None => None,
        };
        let client = sender::client(extra_roots.as_deref()).map_err(|error| ForwardError::Certificates {
            path: config.ca_file.as_ref().map(|path| path.display().to_string()).unwrap_or_default(),
            message: error.to_string(),
        })?;
        let mut tasks: Vec<JoinHandle<()>> =
            destinations.iter().map(|destination| tokio::spawn(sender::run(Arc::clone(destination), client.clone()))).collect();
        let (accepted, mut incoming) = tokio::sync::mpsc::unbounded_channel::<ExportRequest>();
        let (queues, full_content) = (destinations.clone(), config.full_content);
        // One writer keeps the queues in the order requests were accepted (cumulative metrics need it).
        tasks.push(tokio::spawn(async move {
            while let Some(request) = incoming.recv().await {
                let queues = queues.clone();
                let _ = tokio::task::spawn_blocking(move || write_to_queues(request, &queues, full_content)).await;
            }
        }));
        tracing::info!(destinations = destinations.len(), full_content = config.full_content, "forwarding accepted telemetry");
        Ok(Some(Forwarder { destinations, full_content: config.full_content, accepted, tasks: Mutex::new(tasks) }))
    }

    /// Queues an accepted request for every destination, off the caller's path.
    pub fn enqueue(&self, request: ExportRequest) {
        let _ = self.accepted.send(request);
    }

    pub fn status(&self) -> ForwardingStatus {
        let destinations = self
            .destinations
            .iter()
            .map(|destination| {
                let mut status = destination.status.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
                let queue = destination.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                status.queued = queue.len() as u64;
                status.queued_bytes = queue.queued_bytes();
                status.dropped = queue.dropped();
                status
            })
            .collect();
        ForwardingStatus { full_content: self.full_content, destinations }
    }

    /// Stops the senders (what is queued stays on disk for the next start).
    pub fn stop(&self) {
        for task in self.tasks.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).drain(..) {
            task.abort();
        }
    }
}
