//! Settings the user changes in the app (time zone, budgets, export folder, plan-limit alert
//! thresholds), kept in the `settings` table: read with `load`, changed with `save`.

use crate::error::{ErrorCode, HasErrorCode};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

const KEY_TIME_ZONE: &str = "time_zone";
const KEY_DAILY_BUDGET: &str = "daily_budget_usd";
const KEY_MONTHLY_BUDGET: &str = "monthly_budget_usd";
const KEY_EXPORT_ROOT: &str = "export_root";
const KEY_LIMIT_WARN: &str = "limit_warn_percent";
const KEY_LIMIT_URGENT: &str = "limit_urgent_percent";
const KEY_LIMIT_PACE: &str = "limit_pace_alerts";

/// The plan-limit use that raises the first notification, unless the user set another.
pub const DEFAULT_LIMIT_WARN_PERCENT: f64 = 80.0;
/// The plan-limit use that raises the second notification, unless the user set another.
pub const DEFAULT_LIMIT_URGENT_PERCENT: f64 = 95.0;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HasErrorCode for SettingsError {
    fn code(&self) -> ErrorCode {
        match self {
            SettingsError::Invalid(_) => ErrorCode::BadRequest,
            SettingsError::Store(error) => error.code(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredSettings {
    pub time_zone: Option<String>,
    pub daily_budget_usd: Option<f64>,
    pub monthly_budget_usd: Option<f64>,
    pub export_root: Option<String>,
    pub limit_alerts: LimitAlertSettings,
}

/// When the desktop notifies about a plan-limit window: at `warn_percent` and `urgent_percent`
/// used, and (when `pace`) when at its pace the window reaches its limit before it resets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct LimitAlertSettings {
    pub warn_percent: f64,
    pub urgent_percent: f64,
    pub pace: bool,
}

impl Default for LimitAlertSettings {
    fn default() -> LimitAlertSettings {
        LimitAlertSettings { warn_percent: DEFAULT_LIMIT_WARN_PERCENT, urgent_percent: DEFAULT_LIMIT_URGENT_PERCENT, pace: true }
    }
}

impl LimitAlertSettings {
    /// The used percents that raise a notification, lowest first.
    pub fn thresholds(&self) -> [f64; 2] {
        [self.warn_percent, self.urgent_percent]
    }
}

/// A field that may be absent (keep), `null` (clear) or a value (set).
fn double_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SettingsUpdate {
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub time_zone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number | null")]
    pub daily_budget_usd: Option<Option<f64>>,
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number | null")]
    pub monthly_budget_usd: Option<Option<f64>>,
    /// The folder API exports write into (an absolute path); `null` restores the default.
    #[serde(default, deserialize_with = "double_option", skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "string | null")]
    pub export_root: Option<Option<String>>,
    /// When plan-limit notifications fire: percents between 1 and 100, warn below urgent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit_alerts: Option<LimitAlertSettings>,
}

/// The keys `load` reads, in one statement: a command that opens the store reads the settings
/// before it does anything else, and a statement per key (each parsed and planned) was 9 % of an
/// unchanged rescan's CPU (docs/benchmarks.md).
const LOADED_KEYS: [&str; 7] =
    [KEY_TIME_ZONE, KEY_DAILY_BUDGET, KEY_MONTHLY_BUDGET, KEY_EXPORT_ROOT, KEY_LIMIT_WARN, KEY_LIMIT_URGENT, KEY_LIMIT_PACE];

pub async fn load(store: &Store) -> Result<StoredSettings, SettingsError> {
    let mut stored = store
        .read(|connection| {
            let mut statement = connection.prepare_cached("SELECT key, value FROM settings WHERE key IN (?, ?, ?, ?, ?, ?, ?)")?;
            let rows = statement
                .query_map(duckdb::params_from_iter(LOADED_KEYS), |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
            Ok(rows.collect::<Result<std::collections::HashMap<String, String>, _>>()?)
        })
        .await?;
    let mut take = |key: &str| stored.remove(key);
    Ok(StoredSettings {
        time_zone: take(KEY_TIME_ZONE),
        daily_budget_usd: take(KEY_DAILY_BUDGET).and_then(|text| text.parse().ok()),
        monthly_budget_usd: take(KEY_MONTHLY_BUDGET).and_then(|text| text.parse().ok()),
        export_root: take(KEY_EXPORT_ROOT),
        limit_alerts: LimitAlertSettings {
            warn_percent: take(KEY_LIMIT_WARN).and_then(|text| text.parse().ok()).unwrap_or(DEFAULT_LIMIT_WARN_PERCENT),
            urgent_percent: take(KEY_LIMIT_URGENT).and_then(|text| text.parse().ok()).unwrap_or(DEFAULT_LIMIT_URGENT_PERCENT),
            pace: take(KEY_LIMIT_PACE).is_none_or(|text| text != "false"),
        },
    })
}

fn validate_budget(value: Option<f64>, field: &str) -> Result<Option<f64>, SettingsError> {
    match value {
        Some(amount) if !amount.is_finite() || amount < 0.0 => {
            Err(SettingsError::Invalid(format!("{field} must be a positive amount in USD")))
        }
        Some(0.0) => Ok(None),
        other => Ok(other),
    }
}

pub async fn save(store: &Store, update: SettingsUpdate) -> Result<StoredSettings, SettingsError> {
    let mut changes: Vec<(&'static str, Option<String>)> = Vec::new();
    if let Some(time_zone) = update.time_zone {
        let time_zone = time_zone.map(|tz| tz.trim().to_owned()).filter(|tz| !tz.is_empty());
        if let Some(tz) = &time_zone {
            crate::model::time::parse_time_zone(tz).map_err(|error| SettingsError::Invalid(error.0))?;
        }
        changes.push((KEY_TIME_ZONE, time_zone));
    }
    if let Some(daily) = update.daily_budget_usd {
        changes.push((KEY_DAILY_BUDGET, validate_budget(daily, "dailyBudgetUsd")?.map(|amount| amount.to_string())));
    }
    if let Some(monthly) = update.monthly_budget_usd {
        changes.push((KEY_MONTHLY_BUDGET, validate_budget(monthly, "monthlyBudgetUsd")?.map(|amount| amount.to_string())));
    }
    if let Some(export_root) = update.export_root {
        let export_root = export_root.map(|path| path.trim().to_owned()).filter(|path| !path.is_empty());
        if let Some(path) = &export_root
            && !std::path::Path::new(path).is_absolute()
        {
            return Err(SettingsError::Invalid("exportRoot must be an absolute folder path".to_owned()));
        }
        changes.push((KEY_EXPORT_ROOT, export_root));
    }
    if let Some(alerts) = update.limit_alerts {
        let percent = |value: f64| value.is_finite() && (1.0..=100.0).contains(&value);
        if !percent(alerts.warn_percent) || !percent(alerts.urgent_percent) || alerts.warn_percent >= alerts.urgent_percent {
            return Err(SettingsError::Invalid(
                "limitAlerts: warnPercent and urgentPercent must be percents from 1 to 100, warnPercent below urgentPercent".to_owned(),
            ));
        }
        changes.push((KEY_LIMIT_WARN, Some(alerts.warn_percent.to_string())));
        changes.push((KEY_LIMIT_URGENT, Some(alerts.urgent_percent.to_string())));
        changes.push((KEY_LIMIT_PACE, Some(alerts.pace.to_string())));
    }
    store
        .transaction(move |connection| {
            for (key, value) in changes {
                match value {
                    Some(value) => {
                        connection.execute(
                            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                            [key, value.as_str()],
                        )?;
                    }
                    None => {
                        connection.execute("DELETE FROM settings WHERE key = ?", [key])?;
                    }
                }
            }
            Ok(())
        })
        .await?;
    load(store).await
}
