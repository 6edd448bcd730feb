//! Live updates: a broadcast of `{type, timestamp, payload}` messages to WebSocket clients and the
//! desktop shell after every committed write.

use serde::Serialize;
use std::sync::Arc;
use tokio::sync::broadcast;

/// Most rows of one kind carried in one live message; clients re-query for the rest.
pub const LIVE_PAYLOAD_LIMIT: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct LiveMessage {
    #[serde(rename = "type")]
    pub kind: String,
    pub timestamp: String,
    pub payload: serde_json::Value,
}

impl LiveMessage {
    pub fn new(kind: &str, payload: serde_json::Value) -> LiveMessage {
        LiveMessage { kind: kind.to_owned(), timestamp: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true), payload }
    }
}

#[derive(Debug, Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<Arc<LiveMessage>>,
}

impl Default for LiveHub {
    fn default() -> Self {
        let (sender, _) = broadcast::channel(256);
        LiveHub { sender }
    }
}

impl LiveHub {
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveMessage>> {
        self.sender.subscribe()
    }

    /// Whether anyone listens; building payloads is skipped when nobody does.
    pub fn has_listeners(&self) -> bool {
        self.sender.receiver_count() > 0
    }

    pub fn publish(&self, message: LiveMessage) {
        let _ = self.sender.send(Arc::new(message));
    }
}
