//! What a console statement may be: one `SELECT` that reads the store's own tables and views.
//!
//! DuckDB parses the statement (`json_serialize_sql`, which serialises only `SELECT`s) and the
//! parsed tree is walked: every table it names must be one of the store's tables or views, a
//! `WITH` name of the statement, or the catalogue (`information_schema`, `pg_catalog`); the only
//! table functions are the row generators (`range`, `generate_series`, `unnest`), so no file,
//! URL or other database is read; functions that read the environment or settings, or move a
//! sequence, are refused. The statement then runs in a read-only transaction, so a write that
//! slipped through would still fail.

use duckdb::Connection;
use serde_json::Value;
use std::collections::BTreeSet;

const TABLE_FUNCTIONS: [&str; 3] = ["range", "generate_series", "unnest"];
const REFUSED_FUNCTIONS: [&str; 6] = ["getenv", "current_setting", "nextval", "setval", "currval", "sql_auto_complete"];
const CATALOGUE_SCHEMAS: [&str; 2] = ["information_schema", "pg_catalog"];

/// `Ok` when `sql` may run; otherwise what is wrong, in a sentence.
pub fn check(connection: &Connection, sql: &str) -> Result<(), String> {
    let serialised: String = connection
        .query_row("SELECT json_serialize_sql(?)", [sql], |row| row.get(0))
        .map_err(|error| format!("the statement cannot be read: {error}"))?;
    let tree: Value = serde_json::from_str(&serialised).map_err(|error| format!("the statement cannot be read: {error}"))?;
    if tree["error"].as_bool() == Some(true) {
        let message = tree["error_message"].as_str().unwrap_or("not a SELECT");
        return Err(if message.contains("Only SELECT") {
            "only SELECT statements run here: the SQL page reads, it never changes the data".to_owned()
        } else {
            message.to_owned()
        });
    }
    let statements = tree["statements"].as_array().map_or(0, Vec::len);
    if statements != 1 {
        return Err(format!("one statement at a time, please (found {statements})"));
    }
    let known = known_tables(connection).map_err(|error| format!("cannot list the tables: {error}"))?;
    let mut with_names = BTreeSet::new();
    collect_with_names(&tree, &mut with_names);
    walk(&tree, &known, &with_names)
}

/// The store's tables and views, lower-cased.
fn known_tables(connection: &Connection) -> duckdb::Result<BTreeSet<String>> {
    let mut statement = connection.prepare(
        "SELECT lower(table_name) FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
         UNION SELECT lower(view_name) FROM duckdb_views() WHERE database_name = current_database() AND NOT temporary AND NOT internal",
    )?;
    statement.query_map([], |row| row.get(0))?.collect()
}

fn collect_with_names(node: &Value, names: &mut BTreeSet<String>) {
    match node {
        Value::Object(object) => {
            if let Some(entries) = object.get("cte_map").and_then(|map| map.get("map")).and_then(Value::as_array) {
                names.extend(entries.iter().filter_map(|entry| entry["key"].as_str()).map(str::to_ascii_lowercase));
            }
            object.values().for_each(|child| collect_with_names(child, names));
        }
        Value::Array(items) => items.iter().for_each(|child| collect_with_names(child, names)),
        _ => {}
    }
}

fn walk(node: &Value, known: &BTreeSet<String>, with_names: &BTreeSet<String>) -> Result<(), String> {
    match node {
        Value::Object(object) => {
            match object.get("type").and_then(Value::as_str) {
                Some("BASE_TABLE") => check_table(object, known, with_names)?,
                Some("TABLE_FUNCTION") => {
                    let name = object.get("function").and_then(|function| function["function_name"].as_str()).unwrap_or_default();
                    if !TABLE_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                        return Err(format!("{name}() is not available here: the SQL page reads only AI Observer's tables"));
                    }
                }
                _ => {}
            }
            if object.get("class").and_then(Value::as_str) == Some("FUNCTION") {
                let name = object.get("function_name").and_then(Value::as_str).unwrap_or_default();
                if REFUSED_FUNCTIONS.contains(&name.to_ascii_lowercase().as_str()) {
                    return Err(format!("{name}() is not available here"));
                }
            }
            object.values().try_for_each(|child| walk(child, known, with_names))
        }
        Value::Array(items) => items.iter().try_for_each(|child| walk(child, known, with_names)),
        _ => Ok(()),
    }
}

fn check_table(object: &serde_json::Map<String, Value>, known: &BTreeSet<String>, with_names: &BTreeSet<String>) -> Result<(), String> {
    let text = |key: &str| object.get(key).and_then(Value::as_str).unwrap_or_default().to_ascii_lowercase();
    let (catalog, schema, table) = (text("catalog_name"), text("schema_name"), text("table_name"));
    if CATALOGUE_SCHEMAS.contains(&schema.as_str()) || (catalog.is_empty() && CATALOGUE_SCHEMAS.contains(&table.as_str())) {
        return Ok(());
    }
    let own_schema = schema.is_empty() || schema == "main";
    if catalog.is_empty() && own_schema && (known.contains(&table) || (schema.is_empty() && with_names.contains(&table))) {
        return Ok(());
    }
    Err(format!(
        "{} is not one of AI Observer's tables: the SQL page reads only those (listed beside the editor)",
        object.get("table_name").and_then(Value::as_str).unwrap_or_default()
    ))
}
