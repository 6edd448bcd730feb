//! Operations about the app itself: settings, setup status, the price table.

use crate::engine::{Engine, EngineError, Ports};
use crate::model::Tool;
use crate::model::time::format_micros;
use crate::query::stats;
use crate::settings;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
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
    /// Where exports through the API and the Data page are written.
    pub export_root: String,
    /// When the desktop notifies about plan limits.
    pub limit_alerts: crate::settings::LimitAlertSettings,
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
        export_root: engine.export_root().await.display().to_string(),
        limit_alerts: stored.limit_alerts,
    })
}

pub async fn settings_get(engine: Engine, _request: stats::EmptyRequest) -> Result<Settings, EngineError> {
    current_settings(&engine).await
}

pub async fn settings_update(engine: Engine, request: settings::SettingsUpdate) -> Result<Settings, EngineError> {
    settings::save(engine.store(), request).await?;
    engine.settings_changed();
    current_settings(&engine).await
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ToolSetupStatus {
    pub tool: Tool,
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
    let found: Vec<ToolSetupStatus> = engine
        .store()
        .read(|connection| {
            let sql = "WITH otlp AS (
                    SELECT ServiceName, max(Timestamp) AS last, count(*) AS n FROM otel_logs WHERE RecordKey IS NULL GROUP BY 1
                    UNION ALL SELECT ServiceName, max(Timestamp), count(*) FROM otel_metrics WHERE RecordKey IS NULL GROUP BY 1
                    UNION ALL SELECT ServiceName, max(Timestamp), count(*) FROM otel_traces GROUP BY 1
                ), imported AS (
                    SELECT ServiceName, max(Timestamp) AS last, count(*) AS n FROM otel_logs WHERE RecordKey IS NOT NULL GROUP BY 1
                ), tools AS (
                    SELECT tool_of(ServiceName) AS tool, 'otlp' AS kind, last, n FROM otlp
                    UNION ALL SELECT tool_of(ServiceName), 'import', last, n FROM imported
                )
                SELECT tool, epoch_us(max(last) FILTER (WHERE kind = 'otlp')), coalesce(sum(n) FILTER (WHERE kind = 'otlp'), 0)::BIGINT,
                       epoch_us(max(last) FILTER (WHERE kind = 'import')), coalesce(sum(n) FILTER (WHERE kind = 'import'), 0)::BIGINT
                FROM tools WHERE tool IS NOT NULL GROUP BY tool";
            let mut statement = connection.prepare(sql)?;
            let mut rows = statement.query([])?;
            let mut found = Vec::new();
            while let Some(row) = rows.next()? {
                let Some(tool) = Tool::from_key(&row.get::<_, String>(0)?) else { continue };
                found.push(ToolSetupStatus {
                    tool,
                    last_otlp_event: row.get::<_, Option<i64>>(1)?.map(format_micros),
                    otlp_records: row.get(2)?,
                    last_import: row.get::<_, Option<i64>>(3)?.map(format_micros),
                    imported_records: row.get(4)?,
                });
            }
            Ok(found)
        })
        .await?;
    let tools = Tool::ALL
        .iter()
        .map(|tool| {
            found.iter().find(|status| status.tool == *tool).cloned().unwrap_or(ToolSetupStatus {
                tool: *tool,
                last_otlp_event: None,
                otlp_records: 0,
                last_import: None,
                imported_records: 0,
            })
        })
        .collect();
    Ok(SetupStatus { tools, ports: engine.ports() })
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
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
    pub source: crate::pricing::PriceSource,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, TS)]
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
                source: price.origin,
            })
            .collect(),
    })
}

/// Models without a price, and computed costs that disagree with the tools' own (see `prices --check`).
pub async fn prices_check(engine: Engine, _request: stats::EmptyRequest) -> Result<crate::query::price_check::PriceCheck, EngineError> {
    Ok(crate::query::price_check::check(engine.store(), engine.prices().version()).await?)
}

#[derive(Debug, Clone, Default, serde::Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct RecomputeRequest {
    /// Re-read the user's price overrides first.
    #[serde(default)]
    #[ts(optional)]
    pub reload: Option<bool>,
}

/// Re-reads the overrides and re-prices every stored request with the current table.
pub async fn prices_recompute(engine: Engine, request: RecomputeRequest) -> Result<crate::store::repricing::RecomputeOutcome, EngineError> {
    if request.reload.unwrap_or(true) {
        let table = match &engine.config().price_overrides_path {
            Some(path) => crate::pricing::PriceTable::with_overrides_file(path)?,
            None => crate::pricing::PriceTable::builtin()?,
        };
        engine.set_prices(table);
    }
    engine.recompute_prices(true).await
}
