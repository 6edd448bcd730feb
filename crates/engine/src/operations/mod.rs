//! The operation table: every query and command the UI can call, declared once.
//!
//! `for_each_operation!` lists each operation's name, HTTP method, REST path, request and response
//! types and success status. The REST router (`api::rest`) and the desktop's Tauri commands are both
//! generated from this one list, so the two transports cannot drift; a parity test sends the same
//! request through both. The functions below are the operations themselves: thin adapters from a
//! request to the engine's query modules.

use crate::dashboards;
use crate::engine::{Engine, EngineError};
use crate::query::{blocks, budget, logs, metrics, series, sessions, spend, sql_console, stats, traces, transcript};
use crate::settings;
use std::collections::BTreeMap;

mod app;
mod data;
pub mod desktop;
mod import;
mod limits;
mod team;

pub use app::*;
pub use data::*;
pub use import::*;
pub use limits::*;
pub use team::*;

/// Calls `$callback!` with the list of operations:
/// `(name, METHOD, "/path/{param}", RequestType, ResponseType, success_status, tray_effect)`.
/// `METHOD` is an HTTP method, or `DESKTOP` for the desktop app's own operations (no REST route;
/// implemented in the desktop shell). `tray_effect` is `redraws_tray` when the operation changes
/// what the desktop's tray shows (the live channel does not announce it), else `keeps_tray`.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            (traces_list, GET, "/api/traces", $crate::query::traces::TracesListRequest, $crate::query::traces::TracesListResponse, 200, keeps_tray),
            (traces_recent, GET, "/api/traces/recent", $crate::query::traces::TracesRecentRequest, $crate::query::traces::TracesListResponse, 200, keeps_tray),
            (trace_spans, GET, "/api/traces/{traceId}", $crate::query::traces::TraceSpansRequest, $crate::query::traces::TraceSpansResponse, 200, keeps_tray),
            (metrics_list, GET, "/api/metrics", $crate::query::metrics::MetricsListRequest, $crate::query::metrics::MetricsListResponse, 200, keeps_tray),
            (metric_names, GET, "/api/metrics/names", $crate::query::metrics::MetricNamesRequest, $crate::query::metrics::MetricNamesResponse, 200, keeps_tray),
            (metric_breakdown_values, GET, "/api/metrics/breakdown-values", $crate::query::metrics::BreakdownValuesRequest, $crate::query::metrics::BreakdownValuesResponse, 200, keeps_tray),
            (metric_series, GET, "/api/metrics/series", $crate::query::series::SeriesRequest, $crate::query::series::SeriesResponse, 200, keeps_tray),
            (metric_batch_series, POST, "/api/metrics/batch-series", $crate::query::series::BatchSeriesRequest, $crate::query::series::BatchSeriesResponse, 200, keeps_tray),
            (logs_list, GET, "/api/logs", $crate::query::logs::LogsListRequest, $crate::query::logs::LogsListResponse, 200, keeps_tray),
            (log_levels, GET, "/api/logs/levels", $crate::query::logs::LogLevelsRequest, $crate::operations::LogLevels, 200, keeps_tray),
            (sessions_list, GET, "/api/sessions", $crate::query::sessions::SessionsListRequest, $crate::query::sessions::SessionsListResponse, 200, keeps_tray),
            (session_transcript, GET, "/api/sessions/{sessionId}/transcript", $crate::query::transcript::TranscriptRequest, $crate::query::transcript::TranscriptResponse, 200, keeps_tray),
            (services_list, GET, "/api/services", $crate::query::stats::EmptyRequest, $crate::query::stats::ServicesResponse, 200, keeps_tray),
            (stats, GET, "/api/stats", $crate::query::stats::EmptyRequest, $crate::query::stats::Stats, 200, keeps_tray),
            (dashboards_list, GET, "/api/dashboards", $crate::query::stats::EmptyRequest, $crate::dashboards::DashboardsListResponse, 200, keeps_tray),
            (dashboard_create, POST, "/api/dashboards", $crate::dashboards::DashboardCreateRequest, $crate::dashboards::Dashboard, 201, keeps_tray),
            (dashboard_default, GET, "/api/dashboards/default", $crate::query::stats::EmptyRequest, $crate::dashboards::DashboardWithWidgets, 200, keeps_tray),
            (dashboard_get, GET, "/api/dashboards/{id}", $crate::dashboards::DashboardIdRequest, $crate::dashboards::DashboardWithWidgets, 200, keeps_tray),
            (dashboard_update, PUT, "/api/dashboards/{id}", $crate::dashboards::DashboardUpdateRequest, $crate::dashboards::Dashboard, 200, keeps_tray),
            (dashboard_delete, DELETE, "/api/dashboards/{id}", $crate::dashboards::DashboardIdRequest, $crate::dashboards::NoContent, 204, keeps_tray),
            (dashboard_set_default, PUT, "/api/dashboards/{id}/default", $crate::dashboards::DashboardIdRequest, $crate::dashboards::StatusResponse, 200, keeps_tray),
            (widget_create, POST, "/api/dashboards/{id}/widgets", $crate::dashboards::WidgetCreateRequest, $crate::dashboards::DashboardWidget, 201, keeps_tray),
            (widget_positions, PUT, "/api/dashboards/{id}/widgets/positions", $crate::dashboards::WidgetPositionsRequest, $crate::dashboards::StatusResponse, 200, keeps_tray),
            (widget_update, PUT, "/api/dashboards/{id}/widgets/{widgetId}", $crate::dashboards::WidgetUpdateRequest, $crate::dashboards::DashboardWidget, 200, keeps_tray),
            (widget_delete, DELETE, "/api/dashboards/{id}/widgets/{widgetId}", $crate::dashboards::WidgetIdRequest, $crate::dashboards::NoContent, 204, keeps_tray),
            (spend, GET, "/api/spend", $crate::query::spend::SpendRequest, $crate::query::spend::SpendResponse, 200, keeps_tray),
            (spend_summary, GET, "/api/spend/summary", $crate::query::spend::SpendSummaryRequest, $crate::query::spend::SpendSummary, 200, keeps_tray),
            (budget, GET, "/api/budget", $crate::query::budget::BudgetRequest, $crate::query::budget::BudgetResponse, 200, keeps_tray),
            (blocks, GET, "/api/blocks", $crate::query::blocks::BlocksRequest, $crate::query::blocks::BlocksResponse, 200, keeps_tray),
            (limits_latest, GET, "/api/limits", $crate::query::stats::EmptyRequest, $crate::query::limits::LimitsResponse, 200, keeps_tray),
            (limits_history, GET, "/api/limits/history", $crate::query::limits::LimitsHistoryRequest, $crate::query::limits::LimitsResponse, 200, keeps_tray),
            (limits_statusline, POST, "/api/limits/statusline", $crate::operations::StatuslineReport, $crate::operations::StatuslineAnswer, 200, redraws_tray),
            (settings_get, GET, "/api/settings", $crate::query::stats::EmptyRequest, $crate::operations::Settings, 200, keeps_tray),
            (settings_update, PUT, "/api/settings", $crate::settings::SettingsUpdate, $crate::operations::Settings, 200, redraws_tray),
            (setup_status, GET, "/api/setup/status", $crate::query::stats::EmptyRequest, $crate::operations::SetupStatus, 200, keeps_tray),
            (sql_schema, GET, "/api/sql/schema", $crate::query::stats::EmptyRequest, $crate::query::sql_console::SqlSchema, 200, keeps_tray),
            (sql_run, POST, "/api/sql", $crate::query::sql_console::SqlRequest, $crate::query::sql_console::SqlResult, 200, keeps_tray),
            (prices, GET, "/api/prices", $crate::query::stats::EmptyRequest, $crate::operations::PricesResponse, 200, keeps_tray),
            (prices_check, GET, "/api/prices/check", $crate::query::stats::EmptyRequest, $crate::query::price_check::PriceCheck, 200, keeps_tray),
            (prices_recompute, POST, "/api/prices/recompute", $crate::operations::RecomputeRequest, $crate::store::repricing::RecomputeOutcome, 200, redraws_tray),
            (import_scan, POST, "/api/import/scan", $crate::operations::ImportScanRequest, $crate::wire::import::ScanResponse, 200, keeps_tray),
            (import_start, POST, "/api/import/start", $crate::operations::ImportStartRequest, $crate::operations::ImportStartResponse, 202, keeps_tray),
            (import_job, GET, "/api/import/jobs/{jobId}", $crate::operations::ImportJobRequest, $crate::wire::import::ImportJob, 200, keeps_tray),
            (import_cancel, POST, "/api/import/jobs/{jobId}/cancel", $crate::operations::ImportJobRequest, $crate::wire::import::ImportJob, 200, keeps_tray),
            (export_data, POST, "/api/export", $crate::export::ExportRequest, $crate::export::ExportResult, 200, keeps_tray),
            (export_object_storage, POST, "/api/export/object-storage", $crate::export::object_storage::ObjectExportRequest, $crate::export::object_storage::ObjectExportResult, 200, keeps_tray),
            (delete_preview, POST, "/api/delete/preview", $crate::retention::DeleteRequest, $crate::retention::DeleteCounts, 200, keeps_tray),
            (delete_data, POST, "/api/delete", $crate::retention::DeleteRequest, $crate::retention::DeleteCounts, 200, redraws_tray),
            (tokens_list, GET, "/api/tokens", $crate::query::stats::EmptyRequest, $crate::team::tokens::TokenList, 200, keeps_tray),
            (tokens_add, POST, "/api/tokens", $crate::team::tokens::TokenNameRequest, $crate::team::tokens::NewToken, 201, keeps_tray),
            (forwarding_status, GET, "/api/forwarding", $crate::query::stats::EmptyRequest, $crate::forward::ForwardingStatus, 200, keeps_tray),
            (forwarding_update, PUT, "/api/forwarding", $crate::forward::settings::ForwardingUpdate, $crate::forward::ForwardingStatus, 200, keeps_tray),
            (tokens_revoke, DELETE, "/api/tokens/{name}", $crate::team::tokens::TokenNameRequest, $crate::team::tokens::ApiToken, 200, keeps_tray),
            (pick_folder, DESKTOP, "", $crate::operations::desktop::PickFolderRequest, $crate::operations::desktop::PickedFolder, 200, keeps_tray),
            (tool_config_preview, DESKTOP, "", $crate::operations::desktop::ToolConfigRequest, $crate::operations::desktop::ConfigPlan, 200, keeps_tray),
            (tool_config_apply, DESKTOP, "", $crate::operations::desktop::ToolConfigRequest, $crate::operations::desktop::AppliedConfig, 200, keeps_tray),
            (launch_at_login_get, DESKTOP, "", $crate::query::stats::EmptyRequest, $crate::operations::desktop::LaunchAtLogin, 200, keeps_tray),
            (launch_at_login_set, DESKTOP, "", $crate::operations::desktop::LaunchAtLogin, $crate::operations::desktop::LaunchAtLogin, 200, redraws_tray),
            (receiving_set_paused, DESKTOP, "", $crate::operations::desktop::Receiving, $crate::operations::desktop::Receiving, 200, redraws_tray),
            (updates_check, DESKTOP, "", $crate::query::stats::EmptyRequest, $crate::operations::desktop::UpdateCheck, 200, keeps_tray),
            (team_dashboard_get, DESKTOP, "", $crate::query::stats::EmptyRequest, $crate::operations::desktop::TeamDashboard, 200, keeps_tray),
            (team_dashboard_open, DESKTOP, "", $crate::operations::desktop::TeamDashboard, $crate::operations::desktop::TeamDashboard, 200, keeps_tray),
        }
    };
}

/// `/api/sql/schema`: the tables and views the SQL page can read, and its example queries.
pub async fn sql_schema(engine: Engine, _request: stats::EmptyRequest) -> Result<sql_console::SqlSchema, EngineError> {
    Ok(sql_console::schema(engine.store()).await?)
}

/// `POST /api/sql`: one read-only statement over the store.
pub async fn sql_run(engine: Engine, request: sql_console::SqlRequest) -> Result<sql_console::SqlResult, EngineError> {
    Ok(sql_console::run(engine.store(), request).await?)
}

/// `/api/logs/levels`: counts per severity text.
pub type LogLevels = BTreeMap<String, i64>;

pub async fn traces_list(engine: Engine, request: traces::TracesListRequest) -> Result<traces::TracesListResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(traces::list(engine.store(), request, tz).await?)
}

pub async fn traces_recent(engine: Engine, request: traces::TracesRecentRequest) -> Result<traces::TracesListResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(traces::recent(engine.store(), request, tz).await?)
}

pub async fn trace_spans(engine: Engine, request: traces::TraceSpansRequest) -> Result<traces::TraceSpansResponse, EngineError> {
    Ok(traces::spans(engine.store(), request).await?)
}

pub async fn metrics_list(engine: Engine, request: metrics::MetricsListRequest) -> Result<metrics::MetricsListResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(metrics::list(engine.store(), request, tz).await?)
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
    let tz = engine.time_zone().await;
    Ok(series::series(engine.store(), request, tz).await?)
}

pub async fn metric_batch_series(engine: Engine, request: series::BatchSeriesRequest) -> Result<series::BatchSeriesResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(series::batch(engine.store(), request, tz).await?)
}

pub async fn logs_list(engine: Engine, request: logs::LogsListRequest) -> Result<logs::LogsListResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(logs::list(engine.store(), request, tz).await?)
}

pub async fn log_levels(engine: Engine, request: logs::LogLevelsRequest) -> Result<LogLevels, EngineError> {
    let tz = engine.time_zone().await;
    Ok(logs::levels(engine.store(), request, tz).await?)
}

pub async fn sessions_list(engine: Engine, request: sessions::SessionsListRequest) -> Result<sessions::SessionsListResponse, EngineError> {
    let tz = engine.time_zone().await;
    Ok(sessions::list(engine.store(), request, tz).await?)
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
    Ok(spend::spend(engine.store(), request, tz, &engine.prices()).await?)
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

/// The spend summary at `now` and the budgets' state, from one spend query (the budgets need
/// today's and this month's spend, which the summary already has): what the desktop's tray shows.
pub async fn spend_and_budget_at(
    engine: &Engine,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(spend::SpendSummary, budget::BudgetResponse), EngineError> {
    let tz = engine.time_zone().await;
    let summary = spend::summary_at(engine.store(), tz, now).await?;
    let stored = settings::load(engine.store()).await?;
    let budget = budget::budget_from_spent(
        tz,
        stored.daily_budget_usd,
        stored.monthly_budget_usd,
        summary.today.cost(),
        summary.this_month.cost(),
        now,
    );
    Ok((summary, budget))
}

pub async fn blocks(engine: Engine, request: blocks::BlocksRequest) -> Result<blocks::BlocksResponse, EngineError> {
    let tz = requested_time_zone(&engine, request.tz.as_deref()).await?;
    Ok(blocks::blocks(engine.store(), request, tz, chrono::Utc::now()).await?)
}
