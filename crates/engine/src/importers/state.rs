//! Per-file import progress in the `import_state` table: how far a file was read, what its start
//! looked like, and the parser's state there, so a later run reads only what was appended.

use super::discovery::SessionFile;
use crate::store::{StoreError, timestamp_value};
use duckdb::types::Value;
use duckdb::{Connection, params};
use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

/// Bytes at the start of a file whose hash tells a grown file from a rewritten one.
const FINGERPRINT_BYTES: u64 = 4096;

#[derive(Debug, Clone, PartialEq)]
pub struct FileState {
    pub fingerprint: String,
    pub byte_offset: u64,
    pub lines_read: u64,
    pub parser_state: Option<serde_json::Value>,
    pub size: u64,
    pub modified_ms: i64,
    pub records: i64,
    pub first_time: Option<i64>,
    pub last_time: Option<i64>,
    /// The read took the last line without its newline (complete JSON at the end of the file):
    /// `byte_offset` is just after the line, and the next read skips the newline that follows.
    pub ends_mid_line: bool,
}

/// What a scan concluded about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Never imported.
    New,
    /// Imported and unchanged since (same size and modification time).
    Unchanged,
    /// Imported; bytes were appended since: read from the stored offset.
    Grown,
    /// Imported, but rewritten or truncated since: read again from the start.
    Changed,
}

/// `<hash>:<length>` of the first `length` bytes (at most `FINGERPRINT_BYTES`) of a file.
pub fn fingerprint(path: &std::path::Path, length: u64) -> std::io::Result<String> {
    let length = length.min(FINGERPRINT_BYTES);
    let mut prefix = Vec::with_capacity(length as usize);
    std::fs::File::open(path)?.take(length).read_to_end(&mut prefix)?;
    let hash = prefix.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    Ok(format!("{:016x}:{}", hash, prefix.len()))
}

/// The fingerprint stored for a file of `size` bytes.
pub fn fingerprint_for_size(path: &std::path::Path, size: u64) -> std::io::Result<String> {
    fingerprint(path, size.min(FINGERPRINT_BYTES))
}

/// Classifies a file against its stored state (without reading it when size and mtime match).
pub fn classify(file: &SessionFile, state: Option<&FileState>) -> FileStatus {
    let Some(state) = state else { return FileStatus::New };
    if state.size == file.size && state.modified_ms == file.modified_ms {
        return FileStatus::Unchanged;
    }
    if file.size < state.byte_offset {
        return FileStatus::Changed;
    }
    // The same prefix as when it was read: bytes were only appended.
    let stored_length = state.fingerprint.rsplit(':').next().and_then(|length| length.parse::<u64>().ok()).unwrap_or(0);
    match fingerprint(&file.path, stored_length) {
        Ok(current) if current == state.fingerprint => FileStatus::Grown,
        _ => FileStatus::Changed,
    }
}

/// The stored state of one file, with its parser state.
pub fn load_one(connection: &Connection, source: &str, path: &std::path::Path) -> Result<Option<FileState>, StoreError> {
    Ok(load_where(connection, Some((source, path)), true)?.into_values().next().and_then(|files| files.into_values().next()))
}

/// Every stored state, by tool key and path, without their parser states (enough to plan; tens
/// of kilobytes per file for some tools): a file is loaded whole again (`load_one`) before it is
/// read. One statement for every tool: an unchanged rescan is mostly fixed costs, and a statement
/// per tool was 10 % of its CPU (docs/benchmarks.md).
pub fn load_all(connection: &Connection) -> Result<HashMap<String, HashMap<PathBuf, FileState>>, StoreError> {
    load_where(connection, None, false)
}

fn load_where(
    connection: &Connection,
    file: Option<(&str, &std::path::Path)>,
    with_parser_state: bool,
) -> Result<HashMap<String, HashMap<PathBuf, FileState>>, StoreError> {
    let parser_state = if with_parser_state { "parser_state" } else { "NULL::VARCHAR" };
    let mut statement = connection.prepare_cached(&format!(
        "SELECT source, file_path, file_hash, byte_offset, message_count, {parser_state}, file_size, file_mtime_ms, record_count,
                epoch_ns(first_time), epoch_ns(last_time), coalesce(EndsMidLine, false)
         FROM import_state WHERE ? IS NULL OR (source = ? AND file_path = ?)"
    ))?;
    let (source, path) = file.map(|(source, path)| (source, path.display().to_string())).unzip();
    let mut rows = statement.query(params![source, source, path])?;
    let mut states: HashMap<String, HashMap<PathBuf, FileState>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let parser_state: Option<String> = row.get(5)?;
        let state = FileState {
            fingerprint: row.get(2)?,
            byte_offset: row.get::<_, i64>(3)?.max(0) as u64,
            lines_read: row.get::<_, i64>(4)?.max(0) as u64,
            parser_state: parser_state.and_then(|text| serde_json::from_str(&text).ok()),
            size: row.get::<_, i64>(6)?.max(0) as u64,
            modified_ms: row.get(7)?,
            records: row.get::<_, i64>(8)?,
            first_time: row.get(9)?,
            last_time: row.get(10)?,
            ends_mid_line: row.get(11)?,
        };
        states.entry(row.get(0)?).or_default().insert(PathBuf::from(row.get::<_, String>(1)?), state);
    }
    Ok(states)
}

/// The columns of an `import_state` row, in the order `save_all` gives them.
const STATE_COLUMNS: &str = "source, file_path, file_hash, imported_at, record_count, byte_offset, message_count, parser_state, \
    file_size, file_mtime_ms, first_time, last_time, EndsMidLine";

/// Saves the states of `files` (tool, path, state) in one statement: an import commits the
/// states of the dozens of files whose rows it just committed together, and a statement per file,
/// prepared and planned each time, took 10.7 % of the samples of a first import's full read
/// (docs/benchmarks.md). A file named twice keeps its last state.
pub fn save_all(connection: &Connection, files: &[(&str, PathBuf, FileState)]) -> Result<(), StoreError> {
    let mut last_of_each: Vec<&(&str, PathBuf, FileState)> = Vec::with_capacity(files.len());
    for (index, file) in files.iter().enumerate() {
        if !files[index + 1..].iter().any(|later| later.0 == file.0 && later.1 == file.1) {
            last_of_each.push(file);
        }
    }
    if last_of_each.is_empty() {
        return Ok(());
    }
    let imported_at = timestamp_value(chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default());
    let mut values = Vec::with_capacity(last_of_each.len() * 13);
    for (source, path, state) in last_of_each.iter().copied() {
        values.extend([
            Value::Text((*source).to_owned()),
            Value::Text(path.display().to_string()),
            Value::Text(state.fingerprint.clone()),
            imported_at.clone(),
            Value::BigInt(state.records.min(i64::from(i32::MAX))),
            Value::BigInt(state.byte_offset as i64),
            Value::BigInt(state.lines_read.min(i32::MAX as u64) as i64),
            state.parser_state.as_ref().map_or(Value::Null, |parser| Value::Text(parser.to_string())),
            Value::BigInt(state.size as i64),
            Value::BigInt(state.modified_ms),
            state.first_time.map_or(Value::Null, timestamp_value),
            state.last_time.map_or(Value::Null, timestamp_value),
            Value::Boolean(state.ends_mid_line),
        ]);
    }
    let row = format!("({})", ["?"; 13].join(", "));
    let rows = vec![row; last_of_each.len()].join(", ");
    connection.execute(
        &format!(
            "INSERT INTO import_state ({STATE_COLUMNS}) VALUES {rows}
             ON CONFLICT (source, file_path) DO UPDATE SET file_hash = excluded.file_hash, imported_at = excluded.imported_at,
                record_count = excluded.record_count, byte_offset = excluded.byte_offset, message_count = excluded.message_count,
                parser_state = excluded.parser_state, file_size = excluded.file_size, file_mtime_ms = excluded.file_mtime_ms,
                first_time = excluded.first_time, last_time = excluded.last_time, EndsMidLine = excluded.EndsMidLine"
        ),
        duckdb::params_from_iter(values),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(offset: u64, parser: Option<serde_json::Value>, last_time: Option<i64>) -> FileState {
        FileState {
            fingerprint: format!("fp{offset}"),
            byte_offset: offset,
            lines_read: offset / 10,
            parser_state: parser,
            size: offset + 5,
            modified_ms: 1_700_000_000_000 + offset as i64,
            records: 3,
            first_time: Some(1_764_547_200_000_000_000),
            last_time,
            ends_mid_line: offset % 2 == 1,
        }
    }

    #[test]
    fn states_saved_together_are_loaded_as_saved_and_a_file_named_twice_keeps_its_last() {
        let connection = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&connection).unwrap();
        let (a, b) = (PathBuf::from("/h/a.jsonl"), PathBuf::from("/h/b.jsonl"));
        save_all(
            &connection,
            &[
                ("claude-code", a.clone(), state(100, None, None)),
                ("claude-code", b.clone(), state(40, Some(serde_json::json!({"turn": 2})), Some(1_764_547_260_000_000_000))),
                ("claude-code", a.clone(), state(250, Some(serde_json::json!({"turn": 7})), None)),
                ("codex", a.clone(), state(31, None, None)),
            ],
        )
        .unwrap();
        assert_eq!(load_one(&connection, "claude-code", &a).unwrap(), Some(state(250, Some(serde_json::json!({"turn": 7})), None)));
        assert_eq!(
            load_one(&connection, "claude-code", &b).unwrap(),
            Some(state(40, Some(serde_json::json!({"turn": 2})), Some(1_764_547_260_000_000_000)))
        );
        assert_eq!(load_one(&connection, "codex", &a).unwrap(), Some(state(31, None, None)));

        save_all(&connection, &[("claude-code", b.clone(), state(90, None, None))]).unwrap();
        let all = load_all(&connection).unwrap();
        assert_eq!(all.len(), 2, "two tools");
        let claude = &all["claude-code"];
        assert_eq!(claude.len(), 2);
        assert_eq!(claude[&b], state(90, None, None), "a later save replaces the file's state");
        assert_eq!(claude[&a].byte_offset, 250);
        assert_eq!(claude[&a].parser_state, None, "planning loads no parser states");
        assert_eq!(all["codex"][&a].byte_offset, 31);
        let rows: i64 = connection.query_row("SELECT count(*) FROM import_state", [], |row| row.get(0)).unwrap();
        assert_eq!(rows, 3);
        save_all(&connection, &[]).unwrap();
    }
}
