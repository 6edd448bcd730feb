//! The `dashboards` and `dashboard_widgets` tables: their column lists with the row decoders that
//! read them, and the loads every read and write shares.

use super::{Dashboard, DashboardWidget, DashboardWithWidgets};
use crate::model::time::format_micros;
use crate::store::StoreError;
use duckdb::{Connection, OptionalExt};

pub(super) const DASHBOARD_COLUMNS: &str = "id, name, description, coalesce(is_default, false), epoch_us(created_at), epoch_us(updated_at)";
pub(super) const WIDGET_COLUMNS: &str = "id, dashboard_id, widget_type, title, grid_column, grid_row, col_span, row_span, config::VARCHAR, epoch_us(created_at), epoch_us(updated_at)";

pub(super) fn dashboard_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<Dashboard> {
    Ok(Dashboard {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get::<_, Option<String>>(2)?.filter(|text| !text.is_empty()),
        is_default: row.get(3)?,
        created_at: format_micros(row.get(4)?),
        updated_at: format_micros(row.get(5)?),
    })
}

pub(super) fn widget_from_row(row: &duckdb::Row<'_>) -> duckdb::Result<DashboardWidget> {
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

pub(super) fn load_dashboard(connection: &Connection, id: &str) -> Result<Option<Dashboard>, StoreError> {
    Ok(connection.query_row(&format!("SELECT {DASHBOARD_COLUMNS} FROM dashboards WHERE id = ?"), [id], dashboard_from_row).optional()?)
}

pub(super) fn load_widgets(connection: &Connection, dashboard_id: &str) -> Result<Vec<DashboardWidget>, StoreError> {
    let mut statement = connection
        .prepare(&format!("SELECT {WIDGET_COLUMNS} FROM dashboard_widgets WHERE dashboard_id = ? ORDER BY grid_row, grid_column, id"))?;
    let mut rows = statement.query([dashboard_id])?;
    let mut widgets = Vec::new();
    while let Some(row) = rows.next()? {
        widgets.push(widget_from_row(row)?);
    }
    Ok(widgets)
}

pub(super) fn with_widgets(connection: &Connection, dashboard: Option<Dashboard>) -> Result<Option<DashboardWithWidgets>, StoreError> {
    match dashboard {
        Some(dashboard) => {
            let widgets = load_widgets(connection, &dashboard.id)?;
            Ok(Some(DashboardWithWidgets { dashboard, widgets }))
        }
        None => Ok(None),
    }
}

pub(super) fn load_widget(connection: &Connection, dashboard_id: &str, widget_id: &str) -> Result<Option<DashboardWidget>, StoreError> {
    Ok(connection
        .query_row(
            &format!("SELECT {WIDGET_COLUMNS} FROM dashboard_widgets WHERE dashboard_id = ? AND id = ?"),
            [dashboard_id, widget_id],
            widget_from_row,
        )
        .optional()?)
}
