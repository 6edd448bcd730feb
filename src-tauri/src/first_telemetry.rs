//! A notification when an assistant's first telemetry arrives ("Codex CLI is connected"), once per
//! tool. The tools that had sent telemetry before the app started are read from the store once, at
//! start; after that the live channel tells which tool each received batch came from (only the
//! OTLP receiver publishes spans, metric points and log records; imports do not).

use ai_observer_engine::Engine;
use ai_observer_engine::model::Tool;
use ai_observer_engine::wire::live::LiveMessage;
use std::collections::BTreeSet;
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// The tools whose records a live message carries.
pub fn tools_in(message: &LiveMessage) -> BTreeSet<Tool> {
    let services: Vec<&str> = match message {
        LiveMessage::Traces { payload, .. } => payload.iter().map(|span| span.service_name.as_str()).collect(),
        LiveMessage::Metrics { payload, .. } => payload.iter().map(|point| point.service_name.as_str()).collect(),
        LiveMessage::Logs { payload, .. } => payload.iter().map(|record| record.service_name.as_str()).collect(),
        _ => Vec::new(),
    };
    services.into_iter().filter_map(Tool::from_service_name).collect()
}

/// The notification's title and body for `tool`.
pub fn announcement(tool: Tool) -> (String, String) {
    (format!("{} is connected", tool.display_name()), "Its first telemetry arrived: its costs and tokens now show as it works.".to_owned())
}

pub fn spawn<R: Runtime>(app: AppHandle<R>, engine: &Engine) {
    let mut live = engine.live().subscribe();
    let engine = engine.clone();
    tauri::async_runtime::spawn(async move {
        let mut known: BTreeSet<Tool> = match ai_observer_engine::operations::setup_status(engine, Default::default()).await {
            Ok(status) => status.tools.iter().filter(|tool| tool.otlp_records > 0).map(|tool| tool.tool).collect(),
            Err(error) => {
                tracing::warn!(error = %error, "cannot tell which tools sent telemetry before; no first-telemetry notifications");
                return;
            }
        };
        loop {
            match live.recv().await {
                Ok(message) => {
                    for tool in tools_in(&message).difference(&known.clone()) {
                        known.insert(*tool);
                        let (title, body) = announcement(*tool);
                        tracing::info!(tool = tool.key(), "first telemetry from a tool");
                        if let Err(error) = app.notification().builder().title(title).body(body).show() {
                            tracing::warn!(error = %error, "cannot show the first-telemetry notification");
                        }
                    }
                }
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use ai_observer_engine::wire::live::{LimitsNotice, now_stamp};
    use ai_observer_engine::wire::telemetry::LogRecord;

    fn record(service_name: &str) -> LogRecord {
        LogRecord {
            timestamp: "2026-11-30T06:00:00Z".to_owned(),
            trace_id: None,
            span_id: None,
            trace_flags: None,
            severity_text: None,
            severity_number: None,
            service_name: service_name.to_owned(),
            body: None,
            resource_schema_url: None,
            resource_attributes: None,
            scope_schema_url: None,
            scope_name: None,
            scope_version: None,
            scope_attributes: None,
            log_attributes: None,
        }
    }

    #[test]
    fn the_tools_come_from_the_records_service_names() {
        let message = LiveMessage::Logs {
            timestamp: now_stamp(),
            payload: vec![record("codex_cli_rs"), record("my-own-service"), record("codex_exec")],
        };
        assert_eq!(tools_in(&message), BTreeSet::from([Tool::Codex]));
        assert!(tools_in(&LiveMessage::Limits { timestamp: now_stamp(), payload: LimitsNotice { recorded: 1 } }).is_empty());
        assert_eq!(announcement(Tool::Codex).0, "Codex CLI is connected");
    }
}
