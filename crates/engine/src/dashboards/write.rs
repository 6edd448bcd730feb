//! Changing dashboards and widgets; each change is one transaction on the writer thread.

use super::rows::{load_dashboard, load_widget};
use super::{
    Dashboard, DashboardCreateRequest, DashboardError, DashboardIdRequest, DashboardUpdateRequest, DashboardWidget, NoContent,
    StatusResponse, WidgetCreateRequest, WidgetIdRequest, WidgetPositionsRequest, WidgetUpdateRequest,
};
use crate::store::{Store, StoreError, timestamp_value};
use duckdb::types::Value;

const MAX_NAME_LENGTH: usize = 255;

fn now_value() -> Value {
    timestamp_value(chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default())
}

fn validate_name(name: &str, field: &str) -> Result<String, DashboardError> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(DashboardError::Invalid(format!("{field} is required")));
    }
    if trimmed.chars().count() > MAX_NAME_LENGTH {
        return Err(DashboardError::Invalid(format!("{field} must be at most {MAX_NAME_LENGTH} characters")));
    }
    Ok(trimmed.to_owned())
}

pub async fn create(store: &Store, request: DashboardCreateRequest) -> Result<Dashboard, DashboardError> {
    let name = validate_name(&request.name, "name")?;
    let id = uuid::Uuid::new_v4().to_string();
    let is_default = request.is_default.unwrap_or(false);
    let description = request.description.filter(|text| !text.trim().is_empty());
    let created = store
        .transaction(move |connection| {
            if is_default {
                connection.execute("UPDATE dashboards SET is_default = false WHERE is_default", [])?;
            }
            connection.execute(
                "INSERT INTO dashboards (id, name, description, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                duckdb::params![id, name, description, is_default, now_value(), now_value()],
            )?;
            load_dashboard(connection, &id)
        })
        .await?;
    created.ok_or_else(|| DashboardError::NotFound("dashboard not found".to_owned()))
}

pub async fn update(store: &Store, request: DashboardUpdateRequest) -> Result<Dashboard, DashboardError> {
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
        .ok_or_else(|| DashboardError::NotFound("dashboard not found".to_owned()))
}

pub async fn delete(store: &Store, request: DashboardIdRequest) -> Result<NoContent, DashboardError> {
    let id = request.id;
    let deleted = store
        .transaction(move |connection| {
            connection.execute("DELETE FROM dashboard_widgets WHERE dashboard_id = ?", [&id])?;
            Ok(connection.execute("DELETE FROM dashboards WHERE id = ?", [&id])?)
        })
        .await?;
    if deleted == 0 {
        return Err(DashboardError::NotFound("dashboard not found".to_owned()));
    }
    Ok(NoContent {})
}

pub async fn set_default(store: &Store, request: DashboardIdRequest) -> Result<StatusResponse, DashboardError> {
    let id = request.id;
    let found = store
        .transaction(move |connection| {
            if load_dashboard(connection, &id)?.is_none() {
                return Ok(false);
            }
            connection.execute("UPDATE dashboards SET is_default = false WHERE is_default AND id <> ?", [&id])?;
            connection.execute("UPDATE dashboards SET is_default = true, updated_at = ? WHERE id = ?", duckdb::params![now_value(), id])?;
            Ok(true)
        })
        .await?;
    if !found {
        return Err(DashboardError::NotFound("dashboard not found".to_owned()));
    }
    Ok(StatusResponse::ok())
}

pub async fn create_widget(store: &Store, request: WidgetCreateRequest) -> Result<DashboardWidget, DashboardError> {
    if request.widget_type.trim().is_empty() {
        return Err(DashboardError::Invalid("widgetType is required".to_owned()));
    }
    let title = validate_name(&request.title, "title")?;
    if request.grid_column < 0 || request.grid_row < 0 || request.col_span < 0 || request.row_span < 0 {
        return Err(DashboardError::Invalid("gridColumn, gridRow, colSpan and rowSpan must not be negative".to_owned()));
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
    created.ok_or_else(|| DashboardError::NotFound("dashboard not found".to_owned()))
}

pub async fn update_positions(store: &Store, request: WidgetPositionsRequest) -> Result<StatusResponse, DashboardError> {
    let moved = store
        .transaction(move |connection| {
            if load_dashboard(connection, &request.id)?.is_none() {
                return Err(StoreError::NotFound("dashboard not found".to_owned()));
            }
            for position in &request.positions {
                let changed = connection.execute(
                    "UPDATE dashboard_widgets SET grid_column = ?, grid_row = ?, updated_at = ? WHERE dashboard_id = ? AND id = ?",
                    duckdb::params![position.grid_column, position.grid_row, now_value(), request.id, position.id],
                )?;
                if changed == 0 {
                    return Err(StoreError::NotFound(format!("widget {} not found", position.id)));
                }
            }
            Ok(())
        })
        .await;
    match moved {
        Ok(()) => Ok(StatusResponse::ok()),
        Err(StoreError::NotFound(message)) => Err(DashboardError::NotFound(message)),
        Err(error) => Err(error.into()),
    }
}

pub async fn update_widget(store: &Store, request: WidgetUpdateRequest) -> Result<DashboardWidget, DashboardError> {
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
        .ok_or_else(|| DashboardError::NotFound("widget not found".to_owned()))
}

pub async fn delete_widget(store: &Store, request: WidgetIdRequest) -> Result<NoContent, DashboardError> {
    let deleted = store
        .with_writer(move |connection| {
            Ok(connection.execute("DELETE FROM dashboard_widgets WHERE dashboard_id = ? AND id = ?", [&request.id, &request.widget_id])?)
        })
        .await?;
    if deleted == 0 {
        return Err(DashboardError::NotFound("widget not found".to_owned()));
    }
    Ok(NoContent {})
}
