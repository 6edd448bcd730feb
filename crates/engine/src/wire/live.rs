//! The live channel: after every committed write the engine publishes what arrived, and
//! `/ws` clients and the desktop's webview (the Tauri event `live`) receive it as
//! `{type, timestamp, payload}`. The message is one tagged enum, so the UI's type comes from here.

use super::import::ImportJob;
use super::telemetry::{LogRecord, MetricDataPoint, Span};
use crate::model::Tool;
use serde::Serialize;
use std::sync::Arc;
use tokio::sync::broadcast;
use ts_rs::TS;

/// Most rows of one kind carried in one live message; clients re-query for the rest.
pub const LIVE_PAYLOAD_LIMIT: usize = 200;

/// New model requests of one tool were stored.
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct UsageNotice {
    pub tool: Option<Tool>,
    #[ts(type = "number")]
    pub requests: u64,
}

/// A tool reported plan-limit states (`/api/limits` has them).
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitsNotice {
    #[ts(type = "number")]
    pub recorded: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export, export_to = "types.gen.ts")]
pub enum LiveMessage {
    Traces { timestamp: String, payload: Vec<Span> },
    Metrics { timestamp: String, payload: Vec<MetricDataPoint> },
    Logs { timestamp: String, payload: Vec<LogRecord> },
    Usage { timestamp: String, payload: Vec<UsageNotice> },
    ImportProgress { timestamp: String, payload: ImportJob },
    Limits { timestamp: String, payload: LimitsNotice },
}

/// Now, as live messages stamp it (milliseconds).
pub fn now_stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_the_original_type_timestamp_payload_shape() {
        let message = LiveMessage::Usage {
            timestamp: "2026-11-28T13:47:01.000Z".to_owned(),
            payload: vec![UsageNotice { tool: Some(Tool::Codex), requests: 2 }],
        };
        assert_eq!(
            serde_json::to_value(&message).unwrap(),
            serde_json::json!({"type": "usage", "timestamp": "2026-11-28T13:47:01.000Z", "payload": [{"tool": "codex", "requests": 2}]})
        );
    }
}
