//! Opening a tool's SQLite store for reading while the tool may be writing it: read-only, with its
//! write-ahead log (the tools leave most rows in `-wal` until a checkpoint), waiting briefly when
//! the tool holds a lock.

use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// A read-only connection to the store at `path`.
pub fn open_read_only(path: &Path) -> Result<Connection, String> {
    let connection = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|error| format!("cannot open the database: {error}"))?;
    connection.busy_timeout(Duration::from_secs(2)).map_err(|error| format!("cannot open the database: {error}"))?;
    Ok(connection)
}

/// A query's error, said in the words an import problem uses.
pub fn query_problem(what: &str, error: rusqlite::Error) -> String {
    format!("cannot read {what}: {error}")
}
