//! Dashboards and their widgets (the original's 4-column widget grid), kept in DuckDB: the shapes
//! here, the table columns and row decoders in `rows`, reads in `read`, changes in `write` (on the
//! store's writer thread, in a transaction where they touch several rows).

mod read;
mod rows;
mod write;

pub use read::{default_dashboard, get, list};
pub use write::{create, create_widget, delete, delete_widget, set_default, update, update_positions, update_widget};

use crate::error::{ErrorCode, HasErrorCode};
use crate::store::StoreError;
use crate::wire::lenient;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HasErrorCode for DashboardError {
    fn code(&self) -> ErrorCode {
        match self {
            DashboardError::Invalid(_) => ErrorCode::BadRequest,
            DashboardError::NotFound(_) => ErrorCode::NotFound,
            DashboardError::Store(error) => error.code(),
        }
    }
}

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
