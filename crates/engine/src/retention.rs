//! Deleting telemetry by day range (whole days in the user's time zone, and optionally one tool or
//! service), with a preview of what would go. Usage records go with logs: they are derived from the
//! same events and files.

use crate::error::{ErrorCode, HasErrorCode};
use crate::model::time::{DayWindow, nanos};
use crate::store::{Store, StoreError, reconcile, service_condition, timestamp_value};
use chrono_tz::Tz;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HasErrorCode for RetentionError {
    fn code(&self) -> ErrorCode {
        match self {
            RetentionError::Invalid(_) => ErrorCode::BadRequest,
            RetentionError::Store(error) => error.code(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, export_to = "types.gen.ts")]
pub enum DeleteScope {
    Logs,
    Metrics,
    Traces,
    All,
}

#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DeleteRequest {
    pub scope: DeleteScope,
    /// First day (`YYYY-MM-DD`, in the user's time zone), required.
    pub from: String,
    /// Last day, inclusive, required.
    pub to: String,
    /// `claude-code`, `codex`, `gemini` or a service name.
    #[serde(default)]
    #[ts(optional)]
    pub service: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct DeleteCounts {
    #[ts(type = "number")]
    pub logs: i64,
    #[ts(type = "number")]
    pub metrics: i64,
    #[ts(type = "number")]
    pub traces: i64,
    #[ts(type = "number")]
    pub spans: i64,
    #[ts(type = "number")]
    pub usage_records: i64,
}

struct Plan {
    tables: Vec<&'static str>,
    condition: String,
    params: Vec<Value>,
}

fn plan(request: &DeleteRequest, tz: Tz) -> Result<Plan, RetentionError> {
    let window = DayWindow::parse(Some(&request.from), Some(&request.to), tz).map_err(|error| RetentionError::Invalid(error.0))?;
    let (Some(start), Some(end)) = window.map_or((None, None), |window| (window.start, window.end_exclusive)) else {
        return Err(RetentionError::Invalid("from and to are required".to_owned()));
    };
    let mut condition = "Timestamp >= ? AND Timestamp < ?".to_owned();
    let mut params = vec![timestamp_value(nanos(start)), timestamp_value(nanos(end))];
    if let Some((clause, value)) = service_condition(request.service.as_deref()).map_err(RetentionError::Invalid)? {
        condition.push_str(&format!(" AND {clause}"));
        params.push(Value::Text(value));
    }
    let tables = match request.scope {
        DeleteScope::Logs => vec!["otel_logs", "usage_records"],
        DeleteScope::Metrics => vec!["otel_metrics"],
        DeleteScope::Traces => vec!["otel_traces"],
        DeleteScope::All => vec!["otel_logs", "usage_records", "otel_metrics", "otel_traces"],
    };
    Ok(Plan { tables, condition, params })
}

fn count(connection: &duckdb::Connection, plan: &Plan) -> Result<DeleteCounts, StoreError> {
    let mut counts = DeleteCounts::default();
    for table in &plan.tables {
        let sql = format!("SELECT count(*) FROM {table} WHERE {}", plan.condition);
        let rows: i64 = connection.query_row(&sql, duckdb::params_from_iter(plan.params.clone()), |row| row.get(0))?;
        match *table {
            "otel_logs" => counts.logs = rows,
            "otel_metrics" => counts.metrics = rows,
            "usage_records" => counts.usage_records = rows,
            _ => {
                counts.spans = rows;
                let sql = format!("SELECT count(DISTINCT TraceId) FROM otel_traces WHERE {}", plan.condition);
                counts.traces = connection.query_row(&sql, duckdb::params_from_iter(plan.params.clone()), |row| row.get(0))?;
            }
        }
    }
    Ok(counts)
}

/// What `delete` would remove.
pub async fn preview(store: &Store, request: DeleteRequest, tz: Tz) -> Result<DeleteCounts, RetentionError> {
    let plan = plan(&request, tz)?;
    Ok(store.read(move |connection| count(connection, &plan)).await?)
}

/// Deletes the rows in range in one transaction and returns how many went.
pub async fn delete(store: &Store, request: DeleteRequest, tz: Tz) -> Result<DeleteCounts, RetentionError> {
    let plan = plan(&request, tz)?;
    Ok(store
        .transaction(move |connection| {
            let counts = count(connection, &plan)?;
            let usage = plan.tables.contains(&"usage_records");
            if usage {
                reconcile::scope_sessions_where(connection, &plan.condition, &plan.params)?;
            }
            for table in &plan.tables {
                connection
                    .execute(&format!("DELETE FROM {table} WHERE {}", plan.condition), duckdb::params_from_iter(plan.params.clone()))?;
            }
            if usage {
                // A request whose counted row went and whose other row stayed counts again.
                reconcile::reconcile_scope(connection, None)?;
            }
            Ok(counts)
        })
        .await?)
}
