//! The schema, as an ordered list of numbered migrations applied once each.
//!
//! `schema_migrations` records which versions ran; a new version is a new file in `migrations/`
//! appended to `MIGRATIONS`. Never edit a migration that has shipped.

use super::StoreError;
use duckdb::Connection;

struct Migration {
    version: i32,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "initial", sql: include_str!("migrations/0001_initial.sql") },
    Migration { version: 2, name: "request_matching", sql: include_str!("migrations/0002_request_matching.sql") },
    Migration { version: 3, name: "plan_limits", sql: include_str!("migrations/0003_plan_limits.sql") },
    Migration { version: 4, name: "log_session_and_event", sql: include_str!("migrations/0004_log_session_and_event.sql") },
    Migration { version: 5, name: "import_state_uncompressed", sql: include_str!("migrations/0005_import_state_uncompressed.sql") },
    Migration { version: 6, name: "log_severity", sql: include_str!("migrations/0006_log_severity.sql") },
    Migration { version: 7, name: "team", sql: include_str!("migrations/0007_team.sql") },
    Migration { version: 8, name: "host", sql: include_str!("migrations/0008_host.sql") },
    Migration { version: 9, name: "unique_spans", sql: include_str!("migrations/0009_unique_spans.sql") },
    Migration { version: 10, name: "pending_work", sql: include_str!("migrations/0010_pending_work.sql") },
    Migration { version: 11, name: "journal", sql: include_str!("migrations/0011_journal.sql") },
    Migration { version: 12, name: "log_attributes_zstd", sql: include_str!("migrations/0012_log_attributes_zstd.sql") },
    Migration { version: 13, name: "import_counters_owed", sql: include_str!("migrations/0013_import_counters_owed.sql") },
];

/// The newest schema version this build knows.
pub fn latest_version() -> i32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

/// Applies every migration newer than the database's version, each in its own transaction.
pub fn migrate(connection: &Connection) -> Result<i32, StoreError> {
    migrate_up_to(connection, latest_version())
}

/// Applies the migrations newer than the database's version up to `last`.
fn migrate_up_to(connection: &Connection, last: i32) -> Result<i32, StoreError> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)",
    )?;
    let current: i32 = connection.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |row| row.get(0))?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew { found: current, supported: latest_version() });
    }
    for migration in MIGRATIONS.iter().filter(|migration| migration.version > current && migration.version <= last) {
        tracing::info!(version = migration.version, name = migration.name, "applying schema migration");
        super::in_transaction(connection, |connection| {
            connection.execute_batch(migration.sql)?;
            connection.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                duckdb::params![migration.version, migration.name],
            )?;
            Ok(())
        })?;
    }
    Ok(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compressions DuckDB stored a column of `otel_logs` with (its data, not its validity mask).
    fn compressions(connection: &Connection, column: &str) -> Vec<String> {
        let mut statement = connection
            .prepare(
                "SELECT DISTINCT compression FROM pragma_storage_info('otel_logs')
                 WHERE column_name = ? AND segment_type <> 'VALIDITY' ORDER BY 1",
            )
            .unwrap();
        statement.query_map([column], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
    }

    /// How many log records there are and a hash of the values the test writes into them.
    fn log_fingerprint(connection: &Connection) -> (i64, i128) {
        connection
            .query_row(
                "SELECT count(*), sum(hash(Timestamp, SeverityNumber, ServiceName, Body, LogAttributes::VARCHAR, RecordKey, SessionId, EventName))::HUGEINT FROM otel_logs",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap()
    }

    #[test]
    fn a_store_of_version_11_keeps_every_log_record_and_stores_their_attributes_as_zstd() {
        let directory = tempfile::tempdir().unwrap();
        let connection = Connection::open(directory.path().join("store.duckdb")).unwrap();
        assert_eq!(migrate_up_to(&connection, 11).unwrap(), 11);
        connection
            .execute_batch(
                "INSERT INTO otel_logs (Timestamp, SeverityNumber, ServiceName, Body, LogAttributes, RecordKey, SessionId, EventName)
                 SELECT TIMESTAMP '2026-12-01' + to_seconds(i), 9, 'claude-code', 'tool output ' || i,
                        json_object('event.name', 'transcript.message', 'session.id', 's' || (i % 40), 'tool.output', repeat('line ' || i, 20)),
                        'file:claude-code:' || i, 's' || (i % 40), 'transcript.message'
                 FROM range(5000) AS t(i);
                 CHECKPOINT;",
            )
            .unwrap();
        assert_eq!(compressions(&connection, "LogAttributes"), ["DICT_FSST"]);
        let before = log_fingerprint(&connection);
        assert_eq!(before.0, 5000);

        assert_eq!(migrate(&connection).unwrap(), 13);
        connection.execute_batch("CHECKPOINT").unwrap();
        assert_eq!(log_fingerprint(&connection), before);
        assert_eq!(compressions(&connection, "LogAttributes"), ["ZSTD"]);
        assert_eq!(compressions(&connection, "Body"), ["DICT_FSST"], "bodies keep DuckDB's choice, which searches faster");
        let version: i32 = connection.query_row("SELECT max(version) FROM schema_migrations", [], |row| row.get(0)).unwrap();
        assert_eq!(version, 13);
    }
}
