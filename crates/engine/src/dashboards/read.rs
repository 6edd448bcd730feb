//! Reading dashboards: the list, one with its widgets, the default one.

use super::rows::{DASHBOARD_COLUMNS, dashboard_from_row, load_dashboard, with_widgets};
use super::{DashboardError, DashboardIdRequest, DashboardWithWidgets, DashboardsListResponse};
use crate::store::Store;
use duckdb::OptionalExt;

pub async fn list(store: &Store) -> Result<DashboardsListResponse, DashboardError> {
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

pub async fn get(store: &Store, request: DashboardIdRequest) -> Result<DashboardWithWidgets, DashboardError> {
    let id = request.id.clone();
    store
        .read(move |connection| with_widgets(connection, load_dashboard(connection, &id)?))
        .await?
        .ok_or_else(|| DashboardError::NotFound("dashboard not found".to_owned()))
}

pub async fn default_dashboard(store: &Store) -> Result<DashboardWithWidgets, DashboardError> {
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
        .ok_or_else(|| DashboardError::NotFound("no default dashboard found".to_owned()))
}
