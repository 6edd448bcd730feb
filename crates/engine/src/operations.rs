//! The operation table: every query and command the UI can call, declared once.
//!
//! `for_each_operation!` lists each operation's name, HTTP method, REST path, request and response
//! types and success status. The REST router (`api::rest`) and the desktop's Tauri commands are both
//! generated from this one list, so the two transports cannot drift; a parity test sends the same
//! request through both. The functions below are the operations themselves: thin adapters from a
//! request to the engine's query modules.

use crate::engine::{Engine, EngineError, Ports};
use crate::query::{blocks, budget, dashboards, logs, metrics, series, sessions, settings, spend, stats, traces, transcript};
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

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
            (prices, GET, "/api/prices", $crate::query::stats::EmptyRequest, $crate::operations::PricesResponse, 200)
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

pub async fn metric_breakdown_values(engine: Engine, request: metrics::BreakdownValuesRequest) -> Result<metrics::BreakdownValuesResponse, EngineError> {
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

pub async fn session_transcript(engine: Engine, request: transcript::TranscriptRequest) -> Result<transcript::TranscriptResponse, EngineError> {
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

pub async fn dashboard_get(engine: Engine, request: dashboards::DashboardIdRequest) -> Result<dashboards::DashboardWithWidgets, EngineError> {
    Ok(dashboards::get(engine.store(), request).await?)
}

pub async fn dashboard_update(engine: Engine, request: dashboards::DashboardUpdateRequest) -> Result<dashboards::Dashboard, EngineError> {
    Ok(dashboards::update(engine.store(), request).await?)
}

pub async fn dashboard_delete(engine: Engine, request: dashboards::DashboardIdRequest) -> Result<dashboards::NoContent, EngineError> {
    Ok(dashboards::delete(engine.store(), request).await?)
}

pub async fn dashboard_set_default(engine: Engine, request: dashboards::DashboardIdRequest) -> Result<dashboards::StatusResponse, EngineError> {
    Ok(dashboards::set_default(engine.store(), request).await?)
}

pub async fn widget_create(engine: Engine, request: dashboards::WidgetCreateRequest) -> Result<dashboards::DashboardWidget, EngineError> {
    Ok(dashboards::create_widget(engine.store(), request).await?)
}

pub async fn widget_positions(engine: Engine, request: dashboards::WidgetPositionsRequest) -> Result<dashboards::StatusResponse, EngineError> {
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

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Settings {
    pub time_zone: String,
    pub daily_budget_usd: Option<f64>,
    pub monthly_budget_usd: Option<f64>,
    pub ports: Ports,
    pub database_path: String,
    pub listen: String,
    pub version: String,
    pub receiving_paused: bool,
}

async fn current_settings(engine: &Engine) -> Result<Settings, EngineError> {
    let stored = settings::load(engine.store()).await?;
    Ok(Settings {
        time_zone: engine.time_zone().await.name().to_owned(),
        daily_budget_usd: stored.daily_budget_usd,
        monthly_budget_usd: stored.monthly_budget_usd,
        ports: engine.ports(),
        database_path: engine.config().database_path.display().to_string(),
        listen: engine.config().listen.to_string(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        receiving_paused: engine.ingestor().is_paused(),
    })
}

pub async fn settings_get(engine: Engine, _request: stats::EmptyRequest) -> Result<Settings, EngineError> {
    current_settings(&engine).await
}

pub async fn settings_update(engine: Engine, request: settings::SettingsUpdate) -> Result<Settings, EngineError> {
    settings::save(engine.store(), request).await?;
    current_settings(&engine).await
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ToolSetupStatus {
    pub tool: String,
    pub last_otlp_event: Option<String>,
    #[ts(type = "number")]
    pub otlp_records: i64,
    pub last_import: Option<String>,
    #[ts(type = "number")]
    pub imported_records: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SetupStatus {
    pub tools: Vec<ToolSetupStatus>,
    pub ports: Ports,
}

/// Per tool: when OTLP telemetry last arrived (any signal) and what imports brought.
pub async fn setup_status(engine: Engine, _request: stats::EmptyRequest) -> Result<SetupStatus, EngineError> {
    let rows: Vec<(String, Option<i64>, i64, Option<i64>, i64)> = engine
        .store()
        .read(|connection| {
            let sql = "WITH otlp AS (
                    SELECT ServiceName, max(Timestamp) AS last, count(*) AS n FROM otel_logs WHERE RecordKey IS NULL GROUP BY 1
                    UNION ALL SELECT ServiceName, max(Timestamp), count(*) FROM otel_metrics WHERE RecordKey IS NULL GROUP BY 1
                    UNION ALL SELECT ServiceName, max(Timestamp), count(*) FROM otel_traces GROUP BY 1
                ), imported AS (
                    SELECT ServiceName, max(Timestamp) AS last, count(*) AS n FROM otel_logs WHERE RecordKey IS NOT NULL GROUP BY 1
                ), tools AS (
                    SELECT CASE WHEN lower(ServiceName) LIKE 'claude%' THEN 'claude-code' WHEN lower(ServiceName) LIKE 'codex%' THEN 'codex'
                                WHEN lower(ServiceName) LIKE 'gemini%' THEN 'gemini' END AS tool, 'otlp' AS kind, last, n FROM otlp
                    UNION ALL
                    SELECT CASE WHEN lower(ServiceName) LIKE 'claude%' THEN 'claude-code' WHEN lower(ServiceName) LIKE 'codex%' THEN 'codex'
                                WHEN lower(ServiceName) LIKE 'gemini%' THEN 'gemini' END, 'import', last, n FROM imported
                )
                SELECT tool, epoch_us(max(last) FILTER (WHERE kind = 'otlp')), coalesce(sum(n) FILTER (WHERE kind = 'otlp'), 0)::BIGINT,
                       epoch_us(max(last) FILTER (WHERE kind = 'import')), coalesce(sum(n) FILTER (WHERE kind = 'import'), 0)::BIGINT
                FROM tools WHERE tool IS NOT NULL GROUP BY tool";
            let mut statement = connection.prepare(sql)?;
            let mut rows = statement.query([])?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                found.push((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?));
            }
            Ok(found)
        })
        .await?;
    let tools = crate::model::Tool::ALL
        .iter()
        .map(|tool| {
            let row = rows.iter().find(|row| row.0 == tool.key());
            ToolSetupStatus {
                tool: tool.key().to_owned(),
                last_otlp_event: row.and_then(|row| row.1).map(crate::query::time_range::format_micros),
                otlp_records: row.map_or(0, |row| row.2),
                last_import: row.and_then(|row| row.3).map(crate::query::time_range::format_micros),
                imported_records: row.map_or(0, |row| row.4),
            }
        })
        .collect();
    Ok(SetupStatus { tools, ports: engine.ports() })
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct PriceEntry {
    pub model: String,
    pub vendor: String,
    pub aliases: Vec<String>,
    pub input: f64,
    pub output: f64,
    pub cache_read: Option<f64>,
    pub cache_write5m: Option<f64>,
    pub cache_write1h: Option<f64>,
    pub long_context_threshold: Option<f64>,
    pub fast_multiplier: Option<f64>,
    /// `builtin` or `override`.
    pub source: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct PricesResponse {
    pub version: String,
    pub date: String,
    pub models: Vec<PriceEntry>,
}

pub async fn prices(engine: Engine, _request: stats::EmptyRequest) -> Result<PricesResponse, EngineError> {
    let table = engine.prices();
    Ok(PricesResponse {
        version: table.version(),
        date: table.date().to_owned(),
        models: table
            .models()
            .map(|price| PriceEntry {
                model: price.model.clone(),
                vendor: serde_json::to_value(price.vendor).ok().and_then(|value| value.as_str().map(str::to_owned)).unwrap_or_default(),
                aliases: price.aliases.clone(),
                input: price.input,
                output: price.output,
                cache_read: price.cache_read,
                cache_write5m: price.cache_write5m,
                cache_write1h: price.cache_write1h,
                long_context_threshold: price.long_context.as_ref().map(|long| long.threshold_input_tokens as f64),
                fast_multiplier: price.fast_multiplier,
                source: match price.origin {
                    crate::pricing::PriceSource::Builtin => "builtin".to_owned(),
                    crate::pricing::PriceSource::Override => "override".to_owned(),
                },
            })
            .collect(),
    })
}

