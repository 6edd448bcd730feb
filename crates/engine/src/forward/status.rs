//! What `/api/forwarding` reports per destination: what is queued, sent and dropped, the last
//! success and the last error.

use crate::config::ForwardProtocol;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where a destination was configured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum DestinationSource {
    /// Where the app was started (`AI_OBSERVER_FORWARD_URL`, `serve --forward`): not editable in the app.
    #[default]
    Startup,
    /// Added in the app's Settings (`PUT /api/forwarding`).
    Settings,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DestinationStatus {
    /// The base URL (`/v1/<signal>` is appended for OTLP/HTTP).
    pub url: String,
    pub protocol: ForwardProtocol,
    pub source: DestinationSource,
    /// The headers sent (their values are never reported).
    pub header_names: Vec<String>,
    /// Requests waiting in the disk queue.
    #[ts(type = "number")]
    pub queued: u64,
    #[ts(type = "number")]
    pub queued_bytes: u64,
    /// Requests delivered since the app started.
    #[ts(type = "number")]
    pub sent: u64,
    /// Requests that will never be delivered: dropped past the queue's bound, or refused for good
    /// by the destination (kept across restarts).
    #[ts(type = "number")]
    pub dropped: u64,
    /// RFC 3339, UTC.
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    /// RFC 3339, UTC.
    pub last_error_at: Option<String>,
}

impl DestinationStatus {
    pub fn sent(&mut self, requests: u64) {
        self.sent += requests;
        self.last_success = Some(now());
    }

    pub fn failed(&mut self, message: String) {
        self.last_error = Some(message);
        self.last_error_at = Some(now());
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `GET /api/forwarding`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ForwardingStatus {
    /// False (the default): prompt text, model output and tool content are removed before sending.
    pub full_content: bool,
    pub destinations: Vec<DestinationStatus>,
}
