//! One transaction around a unit of work: committed when it succeeds, rolled back when it fails,
//! so no caller writes `BEGIN`/`COMMIT`/`ROLLBACK` by hand.

use super::StoreError;
use duckdb::Connection;

/// Runs `work` in a transaction on `connection` (the writer's, from `Store::with_writer`).
pub fn in_transaction<T>(connection: &Connection, work: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
    connection.execute_batch("BEGIN TRANSACTION").map_err(StoreError::write)?;
    match work(connection) {
        Ok(value) => {
            connection.execute_batch("COMMIT").map_err(StoreError::write)?;
            Ok(value)
        }
        Err(error) => {
            if let Err(rollback) = connection.execute_batch("ROLLBACK") {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_unit_leaves_nothing_and_a_good_one_everything() {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch("CREATE TABLE t (x INTEGER)").unwrap();
        let failed: Result<(), StoreError> = in_transaction(&connection, |connection| {
            connection.execute("INSERT INTO t VALUES (1)", [])?;
            Err(StoreError::Write("refused".to_owned()))
        });
        assert!(failed.is_err());
        in_transaction(&connection, |connection| Ok(connection.execute("INSERT INTO t VALUES (2)", []).map(|_| ())?)).unwrap();
        let rows: Vec<i32> =
            connection.prepare("SELECT x FROM t").unwrap().query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
        assert_eq!(rows, vec![2]);
    }
}
