//! The operation table: every query and command the UI can call, declared once.
//!
//! `for_each_operation!` lists each operation's name, HTTP method, REST path, request and response
//! types and success status. The REST router (`api::rest`) and the desktop's Tauri commands are both
//! generated from this one list, so the two transports cannot drift; a parity test sends the same
//! request through both. The functions below are the operations themselves: thin adapters from a
//! request to the engine's query modules.

use crate::engine::{Engine, EngineError};
use crate::query::{blocks, budget, dashboards, logs, metrics, series, sessions, settings, spend, stats, traces, transcript};
use std::collections::BTreeMap;

mod app;
mod data;
mod import;

pub use app::*;
pub use data::*;
pub use import::*;

/// Calls `$callback!` with the list of operations:
/// `(name, METHOD, "/path/{param}", RequestType, ResponseType, success_status)`.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            (traces_list, GET, "/api/traces", $crate::query::traces::TracesListRequest, $crate::query::traces::TracesListResponse, 200),
            (traces_recent, GET, "/api/traces/recent", $crate::query::traces::TracesRecentRequest, $crate::query::traces::TracesListResponse, 200),
            (trace_spans, GET, "/api/traces/{traceId}", $crate::query::traces::TraceSpansRequest, $crate::query::traces::TraceSpansResponse, 200),
            (trace_spans_alias, GET, "/api/traces/{traceId}/spans", $crate::query::traces::TraceSpansRequest, $crate::query::traces::TraceSpansResponse, 200),
            (metrics_list, GET, "/api/metrics", $crate::query::metrics::MetricsListRequest, $crate::query::metrics::MetricsListResponse, 200),
            (metric_names, GET, "/api/metrics/names", $crate::query::metrics::MetricNamesRequest, $crate::query::metrics::MetricNamesResponse, 200),
            (metric_breakdown_values, GET, "/api/metrics/breakdown-values", $crate::query::metrics::BreakdownValuesRequest, $crate::query::metrics::BreakdownValuesResponse, 200),
            (metric_series, GET, "/api/metrics/series", $crate::query::series::SeriesRequest, $crate::query::series::SeriesResponse, 200),
            (metric_batch_series, POST, "/api/metrics/batch-series", $crate::query::series::BatchSeriesRequest, $crate::query::series::BatchSeriesResponse, 200),
            (logs_list, GET, "/api/logs", $crate::query::logs::LogsListRequest, $crate::query::logs::LogsListResponse, 200),
            (log_levels, GET, "/api/logs/levels", $crate::query::logs::LogLevelsRequest, $crate::operations::LogLevels, 200),
            (sessions_list, GET, "/api/sessions", $crate::query::sessions::SessionsListRequest, $crate::query::sessions::SessionsListResponse, 200),
            (session_transcript, GET, "/api/sessions/{sessionId}/transcript", $crate::query::transcript::TranscriptRequest, $crate::query::transcript::TranscriptResponse, 200),
            (services_list, GET, "/api/services", $crate::query::stats::EmptyRequest, $crate::query::stats::ServicesResponse, 200),
            (stats, GET, "/api/stats", $crate::query::stats::EmptyRequest, $crate::query::stats::Stats, 200),
            (dashboards_list, GET, "/api/dashboards", $crate::query::stats::EmptyRequest, $crate::query::dashboards::DashboardsListResponse, 200),
            (dashboard_create, POST, "/api/dashboards", $crate::query::dashboards::DashboardCreateRequest, $crate::query::dashboards::Dashboard, 201),
            (dashboard_default, GET, "/api/dashboards/default", $crate::query::stats::EmptyRequest, $crate::query::dashboards::DashboardWithWidgets, 200),
            (dashboard_get, GET, "/api/dashboards/{id}", $crate::query::dashboards::DashboardIdRequest, $crate::query::dashboards::DashboardWithWidgets, 200),
            (dashboard_update, PUT, "/api/dashboards/{id}", $crate::query::dashboards::DashboardUpdateRequest, $crate::query::dashboards::Dashboard, 200),
            (dashboard_delete, DELETE, "/api/dashboards/{id}", $crate::query::dashboards::DashboardIdRequest, $crate::query::dashboards::NoContent, 204),
            (dashboard_set_default, PUT, "/api/dashboards/{id}/default", $crate::query::dashboards::DashboardIdRequest, $crate::query::dashboards::StatusResponse, 200),
            (widget_create, POST, "/api/dashboards/{id}/widgets", $crate::query::dashboards::WidgetCreateRequest, $crate::query::dashboards::DashboardWidget, 201),
            (widget_positions, PUT, "/api/dashboards/{id}/widgets/positions", $crate::query::dashboards::WidgetPositionsRequest, $crate::query::dashboards::StatusResponse, 200),
            (widget_update, PUT, "/api/dashboards/{id}/widgets/{widgetId}", $crate::query::dashboards::WidgetUpdateRequest, $crate::query::dashboards::DashboardWidget, 200),
            (widget_delete, DELETE, "/api/dashboards/{id}/widgets/{widgetId}", $crate::query::dashboards::WidgetIdRequest, $crate::query::dashboards::NoContent, 204),
            (spend, GET, "/api/spend", $crate::query::spend::SpendRequest, $crate::query::spend::SpendResponse, 200),
            (spend_summary, GET, "/api/spend/summary", $crate::query::spend::SpendSummaryRequest, $crate::query::spend::SpendSummary, 200),
            (budget, GET, "/api/budget", $crate::query::budget::BudgetRequest, $crate::query::budget::BudgetResponse, 200),
            (blocks, GET, "/api/blocks", $crate::query::blocks::BlocksRequest, $crate::query::blocks::BlocksResponse, 200),
            (settings_get, GET, "/api/settings", $crate::query::stats::EmptyRequest, $crate::operations::Settings, 200),
            (settings_update, PUT, "/api/settings", $crate::query::settings::SettingsUpdate, $crate::operations::Settings, 200),
            (setup_status, GET, "/api/setup/status", $crate::query::stats::EmptyRequest, $crate::operations::SetupStatus, 200),
            (prices, GET, "/api/prices", $crate::query::stats::EmptyRequest, $crate::operations::PricesResponse, 200),
            (prices_check, GET, "/api/prices/check", $crate::query::stats::EmptyRequest, $crate::pricing::check::PriceCheck, 200),
            (prices_recompute, POST, "/api/prices/recompute", $crate::operations::RecomputeRequest, $crate::pricing::recompute::RecomputeOutcome, 200),
            (import_scan, POST, "/api/import/scan", $crate::operations::ImportScanRequest, $crate::importers::run::ScanResponse, 200),
            (import_start, POST, "/api/import/start", $crate::operations::ImportStartRequest, $crate::operations::ImportStartResponse, 202),
            (import_job, GET, "/api/import/jobs/{jobId}", $crate::operations::ImportJobRequest, $crate::importers::jobs::ImportJob, 200),
            (import_cancel, POST, "/api/import/jobs/{jobId}/cancel", $crate::operations::ImportJobRequest, $crate::importers::jobs::ImportJob, 200),
            (export_data, POST, "/api/export", $crate::export::ExportRequest, $crate::export::ExportResult, 200),
            (delete_preview, POST, "/api/delete/preview", $crate::export::DeleteRequest, $crate::export::DeleteCounts, 200),
            (delete_data, POST, "/api/delete", $crate::export::DeleteRequest, $crate::export::DeleteCounts, 200)
        }
    };
}

/// `/api/logs/levels`: counts per severity text.
pub type LogLevels = BTreeMap<String, i64>;

pub async fn traces_list(engine: Engine, request: traces::TracesListRequest) -> Result<traces::TracesListResponse, EngineError> {
    Ok(traces::list(engine.store(), request).await?)
}

pub async fn traces_recent(engine: Engine, request: traces::TracesRecentRequest) -> Result<traces::TracesListResponse, EngineError> {
    Ok(traces::recent(engine.store(), request).await?)
}

pub async fn trace_spans(engine: Engine, request: traces::TraceSpansRequest) -> Result<traces::TraceSpansResponse, EngineError> {
    Ok(traces::spans(engine.store(), request).await?)
}

pub async fn trace_spans_alias(engine: Engine, request: traces::TraceSpansRequest) -> Result<traces::TraceSpansResponse, EngineError> {
    trace_spans(engine, request).await
}

pub async fn metrics_list(engine: Engine, request: metrics::MetricsListRequest) -> Result<metrics::MetricsListResponse, EngineError> {
    Ok(metrics::list(engine.store(), request).await?)
}

pub async fn metric_names(engine: Engine, request: metrics::MetricNamesRequest) -> Result<metrics::MetricNamesResponse, EngineError> {
    Ok(metrics::names(engine.store(), request).await?)
}

pub async fn metric_breakdown_values(
    engine: Engine,
    request: metrics::BreakdownValuesRequest,
) -> Result<metrics::BreakdownValuesResponse, EngineError> {
    Ok(metrics::breakdown_values(engine.store(), request).await?)
}

pub async fn metric_series(engine: Engine, request: series::SeriesRequest) -> Result<series::SeriesResponse, EngineError> {
    Ok(series::series(engine.store(), request).await?)
}

pub async fn metric_batch_series(engine: Engine, request: series::BatchSeriesRequest) -> Result<series::BatchSeriesResponse, EngineError> {
    Ok(series::batch(engine.store(), request).await?)
}

pub async fn logs_list(engine: Engine, request: logs::LogsListRequest) -> Result<logs::LogsListResponse, EngineError> {
    Ok(logs::list(engine.store(), request).await?)
}

pub async fn log_levels(engine: Engine, request: logs::LogLevelsRequest) -> Result<LogLevels, EngineError> {
    Ok(logs::levels(engine.store(), request).await?)
}

pub async fn sessions_list(engine: Engine, request: sessions::SessionsListRequest) -> Result<sessions::SessionsListResponse, EngineError> {
    Ok(sessions::list(engine.store(), request).await?)
}

pub async fn session_transcript(
    engine: Engine,
    request: transcript::TranscriptRequest,
) -> Result<transcript::TranscriptResponse, EngineError> {
    Ok(transcript::transcript(engine.store(), request).await?)
}

pub async fn services_list(engine: Engine, request: stats::EmptyRequest) -> Result<stats::ServicesResponse, EngineError> {
    Ok(stats::services(engine.store(), request).await?)
}

pub async fn stats(engine: Engine, request: stats::EmptyRequest) -> Result<stats::Stats, EngineError> {
    Ok(stats::stats(engine.store(), request).await?)
}

pub async fn dashboards_list(engine: Engine, _request: stats::EmptyRequest) -> Result<dashboards::DashboardsListResponse, EngineError> {
    Ok(dashboards::list(engine.store()).await?)
}

pub async fn dashboard_create(engine: Engine, request: dashboards::DashboardCreateRequest) -> Result<dashboards::Dashboard, EngineError> {
    Ok(dashboards::create(engine.store(), request).await?)
}

pub async fn dashboard_default(engine: Engine, _request: stats::EmptyRequest) -> Result<dashboards::DashboardWithWidgets, EngineError> {
    Ok(dashboards::default_dashboard(engine.store()).await?)
}

pub async fn dashboard_get(
    engine: Engine,
    request: dashboards::DashboardIdRequest,
) -> Result<dashboards::DashboardWithWidgets, EngineError> {
    Ok(dashboards::get(engine.store(), request).await?)
}

pub async fn dashboard_update(engine: Engine, request: dashboards::DashboardUpdateRequest) -> Result<dashboards::Dashboard, EngineError> {
    Ok(dashboards::update(engine.store(), request).await?)
}

pub async fn dashboard_delete(engine: Engine, request: dashboards::DashboardIdRequest) -> Result<dashboards::NoContent, EngineError> {
    Ok(dashboards::delete(engine.store(), request).await?)
}

pub async fn dashboard_set_default(
    engine: Engine,
    request: dashboards::DashboardIdRequest,
) -> Result<dashboards::StatusResponse, EngineError> {
    Ok(dashboards::set_default(engine.store(), request).await?)
}

pub async fn widget_create(engine: Engine, request: dashboards::WidgetCreateRequest) -> Result<dashboards::DashboardWidget, EngineError> {
    Ok(dashboards::create_widget(engine.store(), request).await?)
}

pub async fn widget_positions(
    engine: Engine,
    request: dashboards::WidgetPositionsRequest,
) -> Result<dashboards::StatusResponse, EngineError> {
    Ok(dashboards::update_positions(engine.store(), request).await?)
}

pub async fn widget_update(engine: Engine, request: dashboards::WidgetUpdateRequest) -> Result<dashboards::DashboardWidget, EngineError> {
    Ok(dashboards::update_widget(engine.store(), request).await?)
}

pub async fn widget_delete(engine: Engine, request: dashboards::WidgetIdRequest) -> Result<dashboards::NoContent, EngineError> {
    Ok(dashboards::delete_widget(engine.store(), request).await?)
}

pub async fn spend(engine: Engine, request: spend::SpendRequest) -> Result<spend::SpendResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(spend::spend(engine.store(), request, tz).await?)
}

async fn requested_time_zone(engine: &Engine, tz: Option<&str>) -> Result<chrono_tz::Tz, EngineError> {
    match tz.map(str::trim).filter(|tz| !tz.is_empty()) {
        Some(tz) => Ok(spend::parse_time_zone(tz)?),
        None => Ok(engine.time_zone().await),
    }
}

pub async fn spend_summary(engine: Engine, request: spend::SpendSummaryRequest) -> Result<spend::SpendSummary, EngineError> {
    let tz = requested_time_zone(&engine, request.tz.as_deref()).await?;
    Ok(spend::summary_at(engine.store(), tz, chrono::Utc::now()).await?)
}

pub async fn budget(engine: Engine, request: budget::BudgetRequest) -> Result<budget::BudgetResponse, EngineError> {
    let tz = requested_time_zone(&engine, request.tz.as_deref()).await?;
    let stored = settings::load(engine.store()).await?;
    Ok(budget::budget_at(engine.store(), tz, stored.daily_budget_usd, stored.monthly_budget_usd, chrono::Utc::now()).await?)
}

pub async fn blocks(engine: Engine, request: blocks::BlocksRequest) -> Result<blocks::BlocksResponse, EngineError> {
    Ok(blocks::blocks(engine.store(), request, chrono::Utc::now()).await?)
}
