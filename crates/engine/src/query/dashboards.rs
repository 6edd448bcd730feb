//! Dashboards and their widgets (the original's 4-column widget grid), stored in DuckDB.
//!
//! Reads use reader connections; every change runs on the store's writer thread, in a transaction
//! where it touches several rows.

use super::QueryError;
use super::lenient;
use super::time_range::format_micros;
use crate::store::{Store, StoreError, timestamp_value};
use duckdb::types::Value;
use duckdb::{Connection, OptionalExt};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

const MAX_NAME_LENGTH: usize = 255;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetConfig {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub service: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub metric_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub breakdown_attribute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub breakdown_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub chart_stacked: Option<bool>,
    /// Spend widgets: `tool`, `model`, `day`, `project` or `session`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub group_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct Dashboard {
    pub id: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    pub is_default: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardWidget {
    pub id: String,
    pub dashboard_id: String,
    pub widget_type: String,
    pub title: String,
    pub grid_column: i32,
    pub grid_row: i32,
    pub col_span: i32,
    pub row_span: i32,
    pub config: WidgetConfig,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardWithWidgets {
    #[serde(flatten)]
    #[ts(flatten)]
    pub dashboard: Dashboard,
    pub widgets: Vec<DashboardWidget>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardsListResponse {
    pub dashboards: Vec<Dashboard>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct StatusResponse {
    pub status: String,
}

impl StatusResponse {
    fn ok() -> StatusResponse {
        StatusResponse { status: "ok".to_owned() }
    }
}

/// The answer of a delete: no body (HTTP 204).
#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[ts(export, export_to = "types.gen.ts")]
pub struct NoContent {}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardIdRequest {
    pub id: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardCreateRequest {
    pub name: String,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "lenient::option_bool")]
    #[ts(optional)]
    pub is_default: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DashboardUpdateRequest {
    pub id: String,
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetCreateRequest {
    pub id: String,
    pub widget_type: String,
    pub title: String,
    #[serde(default)]
    pub grid_column: i32,
    #[serde(default)]
    pub grid_row: i32,
    #[serde(default)]
    pub col_span: i32,
    #[serde(default)]
    pub row_span: i32,
    #[serde(default)]
    #[ts(optional)]
    pub config: Option<WidgetConfig>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetPosition {
    pub id: String,
    pub grid_column: i32,
    pub grid_row: i32,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetPositionsRequest {
    pub id: String,
    #[serde(default)]
    pub positions: Vec<WidgetPosition>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetUpdateRequest {
    pub id: String,
    pub widget_id: String,
    #[serde(default)]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub grid_column: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub grid_row: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub col_span: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub row_span: Option<i32>,
    #[serde(default)]
    #[ts(optional)]
    pub config: Option<WidgetConfig>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct WidgetIdRequest {
    pub id: String,
    pub widget_id: String,
}

fn now_value() -> Value {
    timestamp_value(chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default())
}

fn validate_name(name: &str, field: &str) -> Result<String, QueryError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(QueryError::invalid(format!("{field} is required")));
    }
    if trimmed.chars().count() > MAX_NAME_LENGTH {
        return Err(QueryError::invalid(format!("{field} must be at most {MAX_NAME_LENGTH} characters")));
    }
    Ok(trimmed.to_owned())
}

const DASHBOARD_COLUMNS: &str = "id, name, description, coalesce(is_default, false), epoch_us(created_at), epoch_us(updated_at)";
const WIDGET_COLUMNS: &str = "id, dashboard_id, widget_type, title, grid_column, grid_row, col_span, row_span, config::VARCHAR, epoch_us(created_at), epoch_us(updated_at)";

fn dashboard_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<Dashboard> {
    Ok(Dashboard {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get::<_, Option<String>>(2)?.filter(|text| !text.is_empty()),
        is_default: row.get(3)?,
        created_at: format_micros(row.get(4)?),
        updated_at: format_micros(row.get(5)?),
    })
}

fn widget_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<DashboardWidget> {
    let config: Option<String> = row.get(8)?;
    Ok(DashboardWidget {
        id: row.get(0)?,
        dashboard_id: row.get(1)?,
        widget_type: row.get(2)?,
        title: row.get(3)?,
        grid_column: row.get(4)?,
        grid_row: row.get(5)?,
        col_span: row.get(6)?,
        row_span: row.get(7)?,
        config: config.and_then(|text| serde_json::from_str(&text).ok()).unwrap_or_default(),
        created_at: format_micros(row.get(9)?),
        updated_at: format_micros(row.get(10)?),
    })
}

fn load_dashboard(connection: &Connection, id: &str) -> Result<Option<Dashboard>, StoreError> {
    Ok(connection.query_row(&format!("SELECT {DASHBOARD_COLUMNS} FROM dashboards WHERE id = ?"), [id], dashboard_from_row).optional()?)
}

fn load_widgets(connection: &Connection, dashboard_id: &str) -> Result<Vec<DashboardWidget>, StoreError> {
    let mut statement = connection
        .prepare(&format!("SELECT {WIDGET_COLUMNS} FROM dashboard_widgets WHERE dashboard_id = ? ORDER BY grid_row, grid_column, id"))?;
    let mut rows = statement.query([dashboard_id])?;
    let mut widgets = Vec::new();
    while let Some(row) = rows.next()? {
        widgets.push(widget_from_row(row)?);
    }
    Ok(widgets)
}

fn with_widgets(connection: &Connection, dashboard: Option<Dashboard>) -> Result<Option<DashboardWithWidgets>, StoreError> {
    match dashboard {
        Some(dashboard) => {
            let widgets = load_widgets(connection, &dashboard.id)?;
            Ok(Some(DashboardWithWidgets { dashboard, widgets }))
        }
        None => Ok(None),
    }
}

pub async fn list(store: &Store) -> Result<DashboardsListResponse, QueryError> {
    let dashboards = store
        .read(|connection| {
            let mut statement = connection.prepare(&format!("SELECT {DASHBOARD_COLUMNS} FROM dashboards ORDER BY created_at DESC, id"))?;
            let mut rows = statement.query([])?;
            let mut dashboards = Vec::new();
            while let Some(row) = rows.next()? {
                dashboards.push(dashboard_from_row(row)?);
            }
            Ok(dashboards)
        })
        .await?;
    Ok(DashboardsListResponse { dashboards })
}

pub async fn get(store: &Store, request: DashboardIdRequest) -> Result<DashboardWithWidgets, QueryError> {
    let id = request.id.clone();
    store
        .read(move |connection| with_widgets(connection, load_dashboard(connection, &id)?))
        .await?
        .ok_or_else(|| QueryError::NotFound("dashboard not found".to_owned()))
}

pub async fn default_dashboard(store: &Store) -> Result<DashboardWithWidgets, QueryError> {
    store
        .read(|connection| {
            let dashboard = connection
                .query_row(
                    &format!("SELECT {DASHBOARD_COLUMNS} FROM dashboards WHERE is_default ORDER BY created_at LIMIT 1"),
                    [],
                    dashboard_from_row,
                )
                .optional()?;
            with_widgets(connection, dashboard)
        })
        .await?
        .ok_or_else(|| QueryError::NotFound("no default dashboard found".to_owned()))
}

fn in_transaction<T>(connection: &Connection, work: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
    connection.execute_batch("BEGIN TRANSACTION")?;
    match work(connection) {
        Ok(value) => {
            connection.execute_batch("COMMIT")?;
            Ok(value)
        }
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

pub async fn create(store: &Store, request: DashboardCreateRequest) -> Result<Dashboard, QueryError> {
    let name = validate_name(&request.name, "name")?;
    let id = uuid::Uuid::new_v4().to_string();
    let is_default = request.is_default.unwrap_or(false);
    let description = request.description.filter(|text| !text.trim().is_empty());
    let created = store
        .with_writer(move |connection| {
            in_transaction(connection, |connection| {
                if is_default {
                    connection.execute("UPDATE dashboards SET is_default = false WHERE is_default", [])?;
                }
                connection.execute(
                    "INSERT INTO dashboards (id, name, description, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    duckdb::params![id, name, description, is_default, now_value(), now_value()],
                )?;
                load_dashboard(connection, &id)
            })
        })
        .await?;
    created.ok_or_else(|| QueryError::NotFound("dashboard not found".to_owned()))
}

pub async fn update(store: &Store, request: DashboardUpdateRequest) -> Result<Dashboard, QueryError> {
    let name = match request.name.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
        Some(name) => Some(validate_name(name, "name")?),
        None => None,
    };
    let description = request.description.filter(|text| !text.trim().is_empty());
    let id = request.id;
    store
        .with_writer(move |connection| {
            connection.execute(
                "UPDATE dashboards SET name = coalesce(?, name), description = coalesce(?, description), updated_at = ? WHERE id = ?",
                duckdb::params![name, description, now_value(), id],
            )?;
            load_dashboard(connection, &id)
        })
        .await?
        .ok_or_else(|| QueryError::NotFound("dashboard not found".to_owned()))
}

pub async fn delete(store: &Store, request: DashboardIdRequest) -> Result<NoContent, QueryError> {
    let id = request.id;
    let deleted = store
        .with_writer(move |connection| {
            in_transaction(connection, |connection| {
                connection.execute("DELETE FROM dashboard_widgets WHERE dashboard_id = ?", [&id])?;
                Ok(connection.execute("DELETE FROM dashboards WHERE id = ?", [&id])?)
            })
        })
        .await?;
    if deleted == 0 {
        return Err(QueryError::NotFound("dashboard not found".to_owned()));
    }
    Ok(NoContent {})
}

pub async fn set_default(store: &Store, request: DashboardIdRequest) -> Result<StatusResponse, QueryError> {
    let id = request.id;
    let found = store
        .with_writer(move |connection| {
            in_transaction(connection, |connection| {
                if load_dashboard(connection, &id)?.is_none() {
                    return Ok(false);
                }
                connection.execute("UPDATE dashboards SET is_default = false WHERE is_default AND id <> ?", [&id])?;
                connection
                    .execute("UPDATE dashboards SET is_default = true, updated_at = ? WHERE id = ?", duckdb::params![now_value(), id])?;
                Ok(true)
            })
        })
        .await?;
    if !found {
        return Err(QueryError::NotFound("dashboard not found".to_owned()));
    }
    Ok(StatusResponse::ok())
}

fn load_widget(connection: &Connection, dashboard_id: &str, widget_id: &str) -> Result<Option<DashboardWidget>, StoreError> {
    Ok(connection
        .query_row(
            &format!("SELECT {WIDGET_COLUMNS} FROM dashboard_widgets WHERE dashboard_id = ? AND id = ?"),
            [dashboard_id, widget_id],
            widget_from_row,
        )
        .optional()?)
}

pub async fn create_widget(store: &Store, request: WidgetCreateRequest) -> Result<DashboardWidget, QueryError> {
    if request.widget_type.trim().is_empty() {
        return Err(QueryError::invalid("widgetType is required"));
    }
    let title = validate_name(&request.title, "title")?;
    if request.grid_column < 0 || request.grid_row < 0 || request.col_span < 0 || request.row_span < 0 {
        return Err(QueryError::invalid("gridColumn, gridRow, colSpan and rowSpan must not be negative"));
    }
    let widget_id = uuid::Uuid::new_v4().to_string();
    let config = serde_json::to_string(&request.config.unwrap_or_default()).unwrap_or_else(|_| "{}".to_owned());
    let created = store
        .with_writer(move |connection| {
            if load_dashboard(connection, &request.id)?.is_none() {
                return Ok(None);
            }
            connection.execute(
                "INSERT INTO dashboard_widgets (id, dashboard_id, widget_type, title, grid_column, grid_row, col_span, row_span, config, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                duckdb::params![
                    widget_id,
                    request.id,
                    request.widget_type.trim(),
                    title,
                    request.grid_column,
                    request.grid_row,
                    request.col_span.max(1),
                    request.row_span.max(1),
                    config,
                    now_value(),
                    now_value()
                ],
            )?;
            load_widget(connection, &request.id, &widget_id)
        })
        .await?;
    created.ok_or_else(|| QueryError::NotFound("dashboard not found".to_owned()))
}

pub async fn update_positions(store: &Store, request: WidgetPositionsRequest) -> Result<StatusResponse, QueryError> {
    let outcome = store
        .with_writer(move |connection| {
            if load_dashboard(connection, &request.id)?.is_none() {
                return Ok(Err("dashboard not found".to_owned()));
            }
            connection.execute_batch("BEGIN TRANSACTION")?;
            for position in &request.positions {
                let changed = connection.execute(
                    "UPDATE dashboard_widgets SET grid_column = ?, grid_row = ?, updated_at = ? WHERE dashboard_id = ? AND id = ?",
                    duckdb::params![position.grid_column, position.grid_row, now_value(), request.id, position.id],
                );
                match changed {
                    Ok(0) => {
                        connection.execute_batch("ROLLBACK")?;
                        return Ok(Err(format!("widget {} not found", position.id)));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let _ = connection.execute_batch("ROLLBACK");
                        return Err(error.into());
                    }
                }
            }
            connection.execute_batch("COMMIT")?;
            Ok(Ok(()))
        })
        .await?;
    outcome.map_err(QueryError::NotFound)?;
    Ok(StatusResponse::ok())
}

pub async fn update_widget(store: &Store, request: WidgetUpdateRequest) -> Result<DashboardWidget, QueryError> {
    let title = match request.title.as_deref().map(str::trim).filter(|title| !title.is_empty()) {
        Some(title) => Some(validate_name(title, "title")?),
        None => None,
    };
    // 0 means "keep" for positions and sizes, as in the original API.
    let keep_zero = |value: Option<i32>| value.filter(|value| *value > 0);
    let config = request.config.map(|config| serde_json::to_string(&config).unwrap_or_else(|_| "{}".to_owned()));
    let (grid_column, grid_row, col_span, row_span) =
        (keep_zero(request.grid_column), keep_zero(request.grid_row), keep_zero(request.col_span), keep_zero(request.row_span));
    store
        .with_writer(move |connection| {
            connection.execute(
                "UPDATE dashboard_widgets SET title = coalesce(?, title), grid_column = coalesce(?, grid_column), grid_row = coalesce(?, grid_row),
                    col_span = coalesce(?, col_span), row_span = coalesce(?, row_span), config = coalesce(?::JSON, config), updated_at = ?
                 WHERE dashboard_id = ? AND id = ?",
                duckdb::params![title, grid_column, grid_row, col_span, row_span, config, now_value(), request.id, request.widget_id],
            )?;
            load_widget(connection, &request.id, &request.widget_id)
        })
        .await?
        .ok_or_else(|| QueryError::NotFound("widget not found".to_owned()))
}

pub async fn delete_widget(store: &Store, request: WidgetIdRequest) -> Result<NoContent, QueryError> {
    let deleted = store
        .with_writer(move |connection| {
            Ok(connection.execute("DELETE FROM dashboard_widgets WHERE dashboard_id = ? AND id = ?", [&request.id, &request.widget_id])?)
        })
        .await?;
    if deleted == 0 {
        return Err(QueryError::NotFound("widget not found".to_owned()));
    }
    Ok(NoContent {})
}
