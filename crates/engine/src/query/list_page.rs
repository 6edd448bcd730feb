//! One page of a list: how many rows match, and the rows of the page, read from one reader
//! connection. The skeleton the log and metric lists share (`from`/`to` and filters go into the
//! SELECT, `limit`/`offset` into `Page`).

use super::QueryError;
use super::time_range::Page;
use crate::store::Store;
use duckdb::types::Value;

/// A SELECT of the rows to list (without ORDER BY, LIMIT or OFFSET) and its bound parameters.
pub struct PageQuery {
    pub select: String,
    pub order_by: &'static str,
    pub params: Vec<Value>,
}

pub struct PageOf<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub has_more: bool,
}

/// Counts the matching rows, then reads the page, decoding each row with `decode`.
pub async fn read_page<T: Send + 'static>(
    store: &Store,
    query: PageQuery,
    page: Page,
    decode: fn(&duckdb::Row<'_>) -> duckdb::Result<T>,
) -> Result<PageOf<T>, QueryError> {
    let count_sql = format!("SELECT count(*) FROM ({})", query.select);
    let list_sql = format!("{} ORDER BY {} LIMIT ? OFFSET ?", query.select, query.order_by);
    let mut list_params = query.params.clone();
    list_params.extend([Value::BigInt(i64::from(page.limit)), Value::BigInt(i64::from(page.offset))]);
    let count_params = query.params;
    let (items, total) = store
        .read(move |connection| {
            let total: i64 = connection.query_row(&count_sql, duckdb::params_from_iter(count_params), |row| row.get(0))?;
            let mut statement = connection.prepare(&list_sql)?;
            let mut rows = statement.query(duckdb::params_from_iter(list_params))?;
            let mut items = Vec::new();
            while let Some(row) = rows.next()? {
                items.push(decode(row)?);
            }
            Ok((items, total))
        })
        .await?;
    let has_more = page.has_more(items.len(), total);
    Ok(PageOf { items, total, has_more })
}
