//! The SQL page: read-only SQL over the store, for users who want their data their own way.
//!
//! A statement is accepted only when it is one `SELECT` (with `WITH`, `UNION`, …): DuckDB's own
//! parser says so (`json_serialize_sql` serialises nothing else), and `guard` walks the parsed tree
//! so it reads only the store's tables and views (no files, no other databases, no settings or
//! environment). It then runs in a read-only transaction that is rolled back, on a reader
//! connection, with a time limit (the query is interrupted) and a row limit (one row more is read
//! to say the answer was cut). Values come back as JSON numbers, booleans, strings or null.

mod examples;
mod guard;

use super::QueryError;
use crate::store::{Store, StoreError};
use duckdb::Connection;
use duckdb::types::Value;
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};
use ts_rs::TS;

pub use examples::EXAMPLES;

/// Rows returned when the request names no limit, and the most it may ask for.
pub const DEFAULT_ROW_LIMIT: usize = 1_000;
pub const MAX_ROW_LIMIT: usize = 10_000;
/// How long a statement may run before it is interrupted.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlRequest {
    pub sql: String,
    /// Rows to return (default 1 000, at most 10 000).
    #[serde(default)]
    #[ts(optional, type = "number")]
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlColumn {
    pub name: String,
    /// DuckDB's type name (`BIGINT`, `VARCHAR`, `TIMESTAMP`, …).
    pub data_type: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlResult {
    pub columns: Vec<SqlColumn>,
    /// One array per row, in column order: numbers, booleans, strings (dates, times, lists and
    /// structs as DuckDB writes them as text) or null.
    #[ts(type = "Array<Array<number | string | boolean | null>>")]
    pub rows: Vec<Vec<serde_json::Value>>,
    /// More rows matched than `rows` holds (the row limit cut the answer).
    pub truncated: bool,
    #[ts(type = "number")]
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlTable {
    pub name: String,
    /// `table` or `view`.
    pub kind: String,
    pub columns: Vec<SqlColumn>,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlExample {
    pub title: String,
    pub sql: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct SqlSchema {
    pub tables: Vec<SqlTable>,
    pub examples: Vec<SqlExample>,
    #[ts(type = "number")]
    pub default_row_limit: usize,
    #[ts(type = "number")]
    pub max_row_limit: usize,
    #[ts(type = "number")]
    pub time_limit_seconds: u64,
}

/// The store's tables and views with their columns, and the example queries.
pub async fn schema(store: &Store) -> Result<SqlSchema, QueryError> {
    let tables = store
        .read(|connection| {
            let mut statement = connection.prepare(
                "SELECT c.table_name, CASE WHEN t.table_type = 'VIEW' THEN 'view' ELSE 'table' END, c.column_name, c.data_type
                 FROM information_schema.columns c
                 JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = 'main' AND c.table_catalog = current_database()
                 ORDER BY c.table_name, c.ordinal_position",
            )?;
            let mut rows = statement.query([])?;
            let mut tables: Vec<SqlTable> = Vec::new();
            while let Some(row) = rows.next()? {
                let (name, kind, column, data_type): (String, String, String, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                if tables.last().is_none_or(|table| table.name != name) {
                    tables.push(SqlTable { name: name.clone(), kind, columns: Vec::new() });
                }
                if let Some(table) = tables.last_mut() {
                    table.columns.push(SqlColumn { name: column, data_type });
                }
            }
            Ok(tables)
        })
        .await?;
    Ok(SqlSchema {
        tables,
        examples: EXAMPLES.iter().map(|(title, sql)| SqlExample { title: (*title).to_owned(), sql: (*sql).to_owned() }).collect(),
        default_row_limit: DEFAULT_ROW_LIMIT,
        max_row_limit: MAX_ROW_LIMIT,
        time_limit_seconds: TIME_LIMIT.as_secs(),
    })
}

/// Runs one read-only statement.
pub async fn run(store: &Store, request: SqlRequest) -> Result<SqlResult, QueryError> {
    run_with_time_limit(store, request, TIME_LIMIT).await
}

/// `run` with another time limit (tests).
pub async fn run_with_time_limit(store: &Store, request: SqlRequest, time_limit: Duration) -> Result<SqlResult, QueryError> {
    let sql = request.sql.trim().trim_end_matches(';').trim().to_owned();
    if sql.is_empty() {
        return Err(QueryError::invalid("write a SELECT statement"));
    }
    let limit = request.limit.unwrap_or(DEFAULT_ROW_LIMIT);
    if limit == 0 || limit > MAX_ROW_LIMIT {
        return Err(QueryError::invalid(format!("limit must be between 1 and {MAX_ROW_LIMIT}")));
    }
    let answer = store
        .read(move |connection| {
            if let Err(problem) = guard::check(connection, &sql) {
                return Ok(Err(problem));
            }
            let started = Instant::now();
            let selected = in_read_only_transaction(connection, time_limit, |connection| select(connection, &sql, limit))?;
            let elapsed_ms = started.elapsed().as_millis() as u64;
            Ok(selected.map_err(|error| statement_error(&error, time_limit)).map(|(columns, mut rows)| {
                let truncated = rows.len() > limit;
                rows.truncate(limit);
                SqlResult { columns, rows, truncated, elapsed_ms }
            }))
        })
        .await?;
    answer.map_err(QueryError::invalid)
}

/// DuckDB's message without its internal prefix lines, for the page to show.
fn statement_error(error: &duckdb::Error, time_limit: Duration) -> String {
    let text = error.to_string();
    if text.to_ascii_lowercase().contains("interrupt") {
        return format!("the statement ran longer than {} s and was stopped", time_limit.as_secs_f64());
    }
    text
}

/// Runs `job` in a read-only transaction that is always rolled back, interrupting it after
/// `time_limit`. The outer error is the store's; the inner one the statement's.
fn in_read_only_transaction<T>(
    connection: &Connection,
    time_limit: Duration,
    job: impl FnOnce(&Connection) -> Result<T, duckdb::Error>,
) -> Result<Result<T, duckdb::Error>, StoreError> {
    connection.execute_batch("BEGIN TRANSACTION READ ONLY")?;
    let interrupt = connection.interrupt_handle();
    let (done, finished) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if finished.recv_timeout(time_limit).is_err() {
            interrupt.interrupt();
        }
    });
    let answer = job(connection);
    let _ = done.send(());
    let _ = watchdog.join();
    connection.execute_batch("ROLLBACK")?;
    Ok(answer)
}

/// The statement's columns (by `DESCRIBE`) and up to `limit + 1` rows, with every value that is
/// not a number or a boolean cast to text by DuckDB.
type Selected = (Vec<SqlColumn>, Vec<Vec<serde_json::Value>>);

fn select(connection: &Connection, sql: &str, limit: usize) -> Result<Selected, duckdb::Error> {
    let mut describe = connection.prepare(&format!("DESCRIBE {sql}"))?;
    let columns: Vec<SqlColumn> =
        describe.query_map([], |row| Ok(SqlColumn { name: row.get(0)?, data_type: row.get(1)? }))?.collect::<Result<_, _>>()?;
    let projections: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let quoted = format!("\"{}\"", column.name.replace('"', "\"\""));
            format!("{} AS c{index}", projection(&column.data_type, quoted))
        })
        .collect();
    let wrapped = format!("SELECT {} FROM ({sql}) AS q LIMIT {}", projections.join(", "), limit + 1);
    let mut statement = connection.prepare(&wrapped)?;
    let mut result = statement.query([])?;
    let mut rows = Vec::new();
    while let Some(row) = result.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for index in 0..columns.len() {
            values.push(json_value(row.get::<_, Value>(index)?));
        }
        rows.push(values);
    }
    Ok((columns, rows))
}

/// A column as it is read: numbers and booleans as they are (decimals as doubles), the rest as
/// DuckDB's text for it.
fn projection(data_type: &str, quoted: String) -> String {
    match data_type {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "INTEGER" | "BIGINT" | "HUGEINT" | "UTINYINT" | "USMALLINT" | "UINTEGER" | "UBIGINT"
        | "UHUGEINT" | "FLOAT" | "DOUBLE" => quoted,
        decimal if decimal.starts_with("DECIMAL") => format!("CAST({quoted} AS DOUBLE)"),
        _ => format!("CAST({quoted} AS VARCHAR)"),
    }
}

fn json_value(value: Value) -> serde_json::Value {
    use serde_json::Value as Json;
    match value {
        Value::Null => Json::Null,
        Value::Boolean(value) => Json::Bool(value),
        Value::TinyInt(value) => value.into(),
        Value::SmallInt(value) => value.into(),
        Value::Int(value) => value.into(),
        Value::BigInt(value) => value.into(),
        Value::UTinyInt(value) => value.into(),
        Value::USmallInt(value) => value.into(),
        Value::UInt(value) => value.into(),
        Value::UBigInt(value) => value.into(),
        // Sums of 64-bit columns are 128-bit: a number while it fits, else its digits.
        Value::HugeInt(value) => i64::try_from(value).map_or_else(|_| Json::String(value.to_string()), Json::from),
        Value::UHugeInt(value) => u64::try_from(value).map_or_else(|_| Json::String(value.to_string()), Json::from),
        Value::Float(value) => serde_json::Number::from_f64(f64::from(value)).map_or(Json::Null, Json::Number),
        Value::Double(value) => serde_json::Number::from_f64(value).map_or(Json::Null, Json::Number),
        Value::Text(text) => Json::String(text),
        other => Json::String(format!("{other:?}")),
    }
}
