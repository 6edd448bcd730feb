//! Status-line reports kept for later. When `ai-observer statusline` finds no app to hand Claude
//! Code's rate limits to, it appends them to `statusline-pending.jsonl` beside the database (one
//! line `{"observedAt": <Unix ns>, "rateLimits": {…}}`, a plain append that takes microseconds);
//! whoever opens the database next (`Engine::open`) takes the file and records the states with the
//! time they were observed. The file stops growing at `MAX_BYTES` (the newest reports are the ones
//! a later report replaces anyway).

use crate::model::PlanLimit;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "statusline-pending.jsonl";

/// The most the file grows to while no app runs.
pub const MAX_BYTES: u64 = 1024 * 1024;

/// The spool file of the database at `database`.
pub fn path_for(database: &Path) -> PathBuf {
    database.with_file_name(FILE_NAME)
}

/// Appends one report; nothing when the report has no rate limits or the file is full.
pub fn append(database: &Path, observed_at: i64, rate_limits: &serde_json::Value) -> std::io::Result<()> {
    if rate_limits.is_null() {
        return Ok(());
    }
    let path = path_for(database);
    if std::fs::metadata(&path).is_ok_and(|metadata| metadata.len() >= MAX_BYTES) {
        return Ok(());
    }
    let mut line = serde_json::json!({"observedAt": observed_at, "rateLimits": rate_limits}).to_string();
    line.push('\n');
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&path)?;
    file.write_all(line.as_bytes())
}

/// Takes the spooled reports (the file is removed) as states, oldest first. Lines that are not
/// reports are skipped: the spool holds nothing but what `append` wrote.
pub fn take(database: &Path) -> Vec<PlanLimit> {
    let path = path_for(database);
    let taken = path.with_extension("jsonl.taking");
    if std::fs::rename(&path, &taken).is_err() {
        return Vec::new();
    }
    let text = std::fs::read_to_string(&taken).unwrap_or_default();
    let _ = std::fs::remove_file(&taken);
    let mut states: Vec<PlanLimit> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .flat_map(|report| {
            let observed_at = report.get("observedAt").and_then(serde_json::Value::as_i64).unwrap_or_default();
            super::statusline::states(observed_at, report.get("rateLimits"))
        })
        .collect();
    states.sort_by_key(|state| state.observed_at);
    states
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LimitWindow;
    use serde_json::json;

    #[test]
    fn reports_are_appended_then_taken_once_in_order() {
        let folder = tempfile::tempdir().expect("dir");
        let database = folder.path().join("ai-observer.duckdb");
        append(&database, 2_000, &json!({"five_hour": {"used_percentage": 41.5, "resets_at": 1796009700}})).expect("append");
        append(&database, 1_000, &json!({"five_hour": {"used_percentage": 40}, "seven_day": {"used_percentage": 9}})).expect("append");
        append(&database, 3_000, &serde_json::Value::Null).expect("append");
        let states = take(&database);
        let seen: Vec<_> = states.iter().map(|state| (state.observed_at, state.window, state.used_percent)).collect();
        assert_eq!(
            seen,
            vec![(1_000, LimitWindow::FiveHours, 40.0), (1_000, LimitWindow::Week, 9.0), (2_000, LimitWindow::FiveHours, 41.5)]
        );
        assert!(take(&database).is_empty(), "taken once");
        assert!(!path_for(&database).exists());
    }

    #[test]
    fn a_full_spool_stops_growing() {
        let folder = tempfile::tempdir().expect("dir");
        let database = folder.path().join("db.duckdb");
        std::fs::write(path_for(&database), vec![b'x'; MAX_BYTES as usize]).expect("fill");
        append(&database, 1, &json!({"five_hour": {"used_percentage": 1}})).expect("append");
        assert_eq!(std::fs::metadata(path_for(&database)).expect("meta").len(), MAX_BYTES);
    }
}
