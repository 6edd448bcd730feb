//! A destination's sender: sends the queue's oldest requests with the configured headers — to
//! `<url>/v1/<signal>` as OTLP/HTTP protobuf, or through the OTLP gRPC services (`grpc`) — removes
//! it once delivered, drops it (counted) when the destination refuses it for good (HTTP: a 4xx
//! other than 408 and 429), and otherwise retries it with backoff (1 s doubling to 60 s), so a
//! destination that is down receives everything, in order, once it is up.
//!
//! Consecutive requests of one signal go as one (up to 64 requests, 4 MiB): an OTLP export request
//! has only repeated fields at its top, so their protobuf bodies concatenated are the merged
//! request. One acknowledgement per batch lets a queue drain faster than one request per round
//! trip. When a destination refuses a batch for good, its requests are sent one by one, so only
//! the one it refuses is dropped.

use super::queue::DiskQueue;
use super::status::DestinationStatus;
use crate::config::{ForwardDestination, ForwardProtocol};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::Notify;

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const LAST_BACKOFF: Duration = Duration::from_secs(60);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const BATCH_REQUESTS: usize = 64;
const BATCH_BYTES: u64 = 4 * 1024 * 1024;

/// What the sender and the enqueuer share for one destination.
pub struct Destination {
    /// The URL and protocol never change for a destination; its headers may (settings).
    pub config: RwLock<ForwardDestination>,
    pub queue: Mutex<DiskQueue>,
    pub status: Mutex<DestinationStatus>,
    pub wake: Notify,
}

impl Destination {
    /// The destination as configured now (its headers may change between sends).
    pub fn current(&self) -> ForwardDestination {
        self.config.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    pub fn url(&self) -> String {
        self.current().url
    }
}

/// How a destination is reached.
#[derive(Clone)]
pub enum Transport {
    Http(reqwest::Client),
    Grpc(tonic::transport::Channel),
}

impl Transport {
    /// The transport of `destination`: the shared HTTP client, or its own gRPC channel.
    pub fn for_destination(
        destination: &ForwardDestination,
        http: &reqwest::Client,
        extra_roots: Option<&[u8]>,
    ) -> Result<Transport, String> {
        Ok(match destination.protocol {
            ForwardProtocol::HttpProtobuf => Transport::Http(http.clone()),
            ForwardProtocol::Grpc => Transport::Grpc(super::grpc::channel(&destination.url, extra_roots, REQUEST_TIMEOUT)?),
        })
    }
}

pub enum Outcome {
    Sent,
    Refused(String),
    Failed(String),
}

async fn send_http(client: &reqwest::Client, destination: &ForwardDestination, signal: &str, body: Vec<u8>) -> Outcome {
    let mut request = client.post(format!("{}/v1/{signal}", destination.url)).header("content-type", "application/x-protobuf").body(body);
    for (name, value) in &destination.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    match request.send().await {
        Ok(response) if response.status().is_success() => Outcome::Sent,
        Ok(response) => {
            let status = response.status();
            let detail = response.text().await.unwrap_or_default().chars().take(200).collect::<String>();
            let message = format!("HTTP {}: {}", status.as_u16(), detail.trim());
            if status.is_client_error() && status.as_u16() != 408 && status.as_u16() != 429 {
                Outcome::Refused(message)
            } else {
                Outcome::Failed(message)
            }
        }
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The HTTP client: the system's roots, plus the certificates of `extra_roots` (PEM) when given.
pub fn client(extra_roots: Option<&[u8]>) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder().timeout(REQUEST_TIMEOUT);
    if let Some(pem) = extra_roots {
        for certificate in reqwest::Certificate::from_pem_bundle(pem)? {
            builder = builder.add_root_certificate(certificate);
        }
    }
    builder.build()
}

async fn send(transport: &Transport, destination: &ForwardDestination, signal: crate::otlp::Signal, body: Vec<u8>) -> Outcome {
    match transport {
        Transport::Http(client) => send_http(client, destination, signal.as_str(), body).await,
        Transport::Grpc(channel) => super::grpc::send(channel, &destination.headers, signal, &body).await,
    }
}

/// Runs until the task is aborted.
pub async fn run(destination: Arc<Destination>, transport: Transport) {
    let mut backoff = FIRST_BACKOFF;
    // after a refused batch, one request at a time until the refused one is found
    let mut one_by_one = 0usize;
    loop {
        let limit = if one_by_one > 0 { 1 } else { BATCH_REQUESTS };
        let batch = lock(&destination.queue).oldest_run(limit, BATCH_BYTES);
        let Some(first) = batch.first().cloned() else {
            // woken by the next enqueue; the timeout re-checks in case a wake-up was missed
            let _ = tokio::time::timeout(Duration::from_secs(5), destination.wake.notified()).await;
            continue;
        };
        let mut body = Vec::with_capacity(batch.iter().map(|entry| entry.bytes as usize).sum());
        let mut unreadable = None;
        for entry in &batch {
            match tokio::fs::read(&entry.path).await {
                Ok(bytes) => body.extend_from_slice(&bytes),
                Err(error) => {
                    unreadable = Some((entry.sequence, error));
                    break;
                }
            }
        }
        if let Some((sequence, error)) = unreadable {
            let mut queue = lock(&destination.queue);
            queue.remove(sequence);
            queue.add_dropped(1);
            lock(&destination.status).failed(format!("cannot read the queued request: {error}"));
            continue;
        }
        let config = destination.current();
        match send(&transport, &config, first.signal, body).await {
            Outcome::Sent => {
                let mut queue = lock(&destination.queue);
                for entry in &batch {
                    queue.remove(entry.sequence);
                }
                lock(&destination.status).sent(batch.len() as u64);
                backoff = FIRST_BACKOFF;
                one_by_one = one_by_one.saturating_sub(1);
            }
            Outcome::Refused(message) if batch.len() > 1 => {
                tracing::debug!(destination = %config.url, %message, requests = batch.len(), "the destination refused a batch; sending its requests one by one");
                one_by_one = batch.len();
            }
            Outcome::Refused(message) => {
                tracing::warn!(destination = %config.url, %message, "the destination refused a forwarded request; dropped");
                let mut queue = lock(&destination.queue);
                queue.remove(first.sequence);
                queue.add_dropped(1);
                lock(&destination.status).failed(message);
                one_by_one = one_by_one.saturating_sub(1);
            }
            Outcome::Failed(message) => {
                tracing::debug!(destination = %config.url, %message, retry_in = ?backoff, "forwarding failed; will retry");
                lock(&destination.status).failed(message);
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(LAST_BACKOFF);
            }
        }
    }
}
