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
];

/// The newest schema version this build knows.
pub fn latest_version() -> i32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

/// Applies every migration newer than the database's version, each in its own transaction.
pub fn migrate(connection: &Connection) -> Result<i32, StoreError> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)",
    )?;
    let current: i32 = connection.query_row("SELECT coalesce(max(version), 0) FROM schema_migrations", [], |row| row.get(0))?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew { found: current, supported: latest_version() });
    }
    for migration in MIGRATIONS.iter().filter(|migration| migration.version > current) {
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
    Ok(latest_version())
}
