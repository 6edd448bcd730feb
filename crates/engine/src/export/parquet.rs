//! Parquet export: `traces`, `logs`, `metrics` and `usage` as ZSTD Parquet (one file per table, or
//! hive-partitioned by day so DuckDB, ClickHouse or Spark read them with a glob), plus a small
//! DuckDB file of views over them with relative paths, so the folder can be moved or shared.
//! File names are fixed here; nothing taken from the data ever becomes a path.

use super::ExportError;
use crate::model::time::{DayWindow, nanos};
use crate::store::Store;
use crate::store::service_condition;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

const TABLES: [(&str, &str); 4] =
    [("otel_traces", "traces"), ("otel_logs", "logs"), ("otel_metrics", "metrics"), ("usage_records", "usage")];

#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ExportRequest {
    /// `claude-code`, `codex`, `gemini`, a service name, or `all` (default).
    #[serde(default)]
    #[ts(optional)]
    pub tool: Option<String>,
    /// The output folder; created if missing. Through the API: inside the export root (a relative
    /// path is taken inside it); when absent, a new folder named after the time is made there.
    #[serde(default)]
    #[ts(optional)]
    pub output: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub zip: Option<bool>,
    /// Hive-style `table/day=YYYY-MM-DD/*.parquet` instead of one file per table.
    #[serde(default)]
    #[ts(optional)]
    pub partitioned: Option<bool>,
    /// With `partitioned`: `table/day=YYYY-MM-DD/machine=NAME/*.parquet`, NAME being the machine that
    /// sent the rows to a team server (its token's name; `local` for the server's own rows).
    #[serde(default)]
    #[ts(optional)]
    pub by_machine: Option<bool>,
    /// Write into a folder that already has files.
    #[serde(default)]
    #[ts(optional)]
    pub overwrite: Option<bool>,
    /// Only count what would be exported.
    #[serde(default)]
    #[ts(optional)]
    pub dry_run: Option<bool>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ExportResult {
    pub output: String,
    pub files: Vec<String>,
    #[ts(type = "number")]
    pub traces: i64,
    #[ts(type = "number")]
    pub logs: i64,
    #[ts(type = "number")]
    pub metrics: i64,
    #[ts(type = "number")]
    pub usage: i64,
    #[ts(type = "number")]
    pub bytes: u64,
    pub dry_run: bool,
}

fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn timestamp_literal(nanos: i64) -> String {
    let time = chrono::DateTime::from_timestamp_nanos(nanos);
    format!("TIMESTAMP '{}'", time.format("%Y-%m-%d %H:%M:%S%.6f"))
}

struct Selection {
    condition: String,
    source_label: String,
    range_label: String,
}

fn selection(request: &ExportRequest, tz: Tz) -> Result<Selection, ExportError> {
    let window =
        DayWindow::parse(request.from.as_deref(), request.to.as_deref(), tz).map_err(|error| ExportError::InvalidRequest(error.0))?;
    let mut conditions = Vec::new();
    if let Some(start) = window.and_then(|window| window.start) {
        conditions.push(format!("Timestamp >= {}", timestamp_literal(nanos(start))));
    }
    if let Some(end) = window.and_then(|window| window.end_exclusive) {
        conditions.push(format!("Timestamp < {}", timestamp_literal(nanos(end))));
    }
    // The service filter is validated to [A-Za-z0-9._-], so it is safe as a literal.
    if let Some((clause, value)) = service_condition(request.tool.as_deref()).map_err(ExportError::InvalidRequest)? {
        conditions.push(clause.replace('?', &sql_string(&value)));
    }
    let condition = if conditions.is_empty() { "TRUE".to_owned() } else { conditions.join(" AND ") };
    let source_label = request.tool.as_deref().map(str::trim).filter(|tool| !tool.is_empty()).unwrap_or("all").to_owned();
    let range_label = match (request.from.as_deref(), request.to.as_deref()) {
        (Some(from), Some(to)) => format!("{}-{}", from.trim(), to.trim()),
        (Some(from), None) => format!("{}-now", from.trim()),
        (None, Some(to)) => format!("start-{}", to.trim()),
        (None, None) => "all".to_owned(),
    };
    Ok(Selection { condition, source_label, range_label })
}

fn folder_is_empty(path: &Path) -> bool {
    std::fs::read_dir(path).map(|mut entries| entries.next().is_none()).unwrap_or(true)
}

fn write_error(path: &Path, error: impl std::fmt::Display) -> ExportError {
    ExportError::Write { path: path.display().to_string(), message: error.to_string() }
}

/// Exports the selected rows. Runs on a read connection: a consistent snapshot, ingest goes on.
pub async fn export(store: &Store, request: ExportRequest, tz: Tz) -> Result<ExportResult, ExportError> {
    let selection = selection(&request, tz)?;
    let output = PathBuf::from(request.output.as_deref().unwrap_or("").trim());
    if output.as_os_str().is_empty() {
        return Err(ExportError::InvalidRequest("output is required".to_owned()));
    }
    let dry_run = request.dry_run.unwrap_or(false);
    let partitioned = match (request.partitioned.unwrap_or(false), request.by_machine.unwrap_or(false)) {
        (false, _) => Partitioning::None,
        (true, false) => Partitioning::Day,
        (true, true) => Partitioning::DayAndMachine,
    };
    let zip = request.zip.unwrap_or(false);
    if !dry_run {
        prepare_output(&output, request.overwrite.unwrap_or(false))?;
    }
    let counts = copy_tables(store, &output, selection.condition.clone(), dry_run, partitioned).await?;
    let mut result = ExportResult {
        output: output.display().to_string(),
        traces: counts[0],
        logs: counts[1],
        metrics: counts[2],
        usage: counts[3],
        dry_run,
        ..ExportResult::default()
    };
    if dry_run {
        return Ok(result);
    }
    let views_name = format!("ai-observer-export-{}-{}.duckdb", selection.source_label, selection.range_label);
    let views_path = output.join(&views_name);
    let output_for_views = output.clone();
    let in_folders = partitioned != Partitioning::None;
    tokio::task::spawn_blocking(move || write_views(&views_path, &output_for_views, in_folders))
        .await
        .map_err(|error| ExportError::TaskFailed(error.to_string()))??;
    let mut files: Vec<PathBuf> =
        TABLES.iter().map(|(_, name)| if in_folders { output.join(name) } else { output.join(format!("{name}.parquet")) }).collect();
    files.push(output.join(&views_name));
    if zip {
        let archive = output.join(format!("ai-observer-export-{}-{}.zip", selection.source_label, selection.range_label));
        let to_zip = files.clone();
        let base = output.clone();
        let archive_path = archive.clone();
        tokio::task::spawn_blocking(move || zip_files(&archive_path, &base, &to_zip))
            .await
            .map_err(|error| ExportError::TaskFailed(error.to_string()))??;
        for file in &files {
            let _ = if file.is_dir() { std::fs::remove_dir_all(file) } else { std::fs::remove_file(file) };
        }
        files = vec![archive];
    }
    result.bytes = files.iter().map(|file| tree_size(file)).sum();
    result.files = files.iter().map(|file| file.strip_prefix(&output).unwrap_or(file).display().to_string()).collect();
    Ok(result)
}

/// The output folder must be a folder, empty unless overwriting is allowed; it is created.
fn prepare_output(output: &Path, overwrite: bool) -> Result<(), ExportError> {
    if output.exists() && !output.is_dir() {
        return Err(ExportError::InvalidRequest(format!("{} is not a folder", output.display())));
    }
    if !folder_is_empty(output) && !overwrite {
        return Err(ExportError::NotEmpty(output.display().to_string()));
    }
    std::fs::create_dir_all(output).map_err(|error| write_error(output, error))
}

/// How a table's rows are laid out in folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Partitioning {
    /// One file per table.
    None,
    /// `day=YYYY-MM-DD` (UTC).
    Day,
    /// `day=YYYY-MM-DD/machine=NAME`.
    DayAndMachine,
}

/// The rows of `table` to copy, with the partition columns `partitioning` needs.
fn partitioned_rows(table: &str, partitioning: Partitioning) -> String {
    let day = "strftime(Timestamp, '%Y-%m-%d') AS day";
    match partitioning {
        Partitioning::None => format!("SELECT * FROM {table}"),
        Partitioning::Day => format!("SELECT *, {day} FROM {table}"),
        // usage_records has the machine as a column, which the partition column replaces (hive
        // readers put it back from the path); the other tables carry it as a resource attribute
        Partitioning::DayAndMachine if table == "usage_records" => {
            format!("SELECT * EXCLUDE (Machine), {day}, coalesce(Machine, 'local') AS machine FROM {table}")
        }
        Partitioning::DayAndMachine => format!(
            "SELECT *, {day}, coalesce(json_extract_string(ResourceAttributes, '$.\"{}\"'), 'local') AS machine FROM {table}",
            crate::model::identity::MACHINE_ATTRIBUTE
        ),
    }
}

/// Copies (or, for a dry run, counts) the selected rows of each table; the counts in `TABLES` order.
async fn copy_tables(
    store: &Store,
    output: &Path,
    condition: String,
    dry_run: bool,
    partitioned: Partitioning,
) -> Result<Vec<i64>, ExportError> {
    let output = output.to_path_buf();
    Ok(store
        .read(move |connection| {
            let mut counts = Vec::new();
            for (table, name) in TABLES {
                let rows = if dry_run {
                    connection.query_row(&format!("SELECT count(*) FROM {table} WHERE {condition}"), [], |row| row.get::<_, i64>(0))?
                } else if partitioned != Partitioning::None {
                    let target = output.join(name);
                    let columns = if partitioned == Partitioning::DayAndMachine { "day, machine" } else { "day" };
                    let sql = format!(
                        "COPY ({} WHERE {condition}) TO {} (FORMAT PARQUET, COMPRESSION ZSTD, PARTITION_BY ({columns}), OVERWRITE_OR_IGNORE)",
                        partitioned_rows(table, partitioned),
                        sql_string(&target.display().to_string())
                    );
                    connection.execute(&sql, [])? as i64
                } else {
                    let target = output.join(format!("{name}.parquet"));
                    let sql = format!(
                        "COPY (SELECT * FROM {table} WHERE {condition}) TO {} (FORMAT PARQUET, COMPRESSION ZSTD)",
                        sql_string(&target.display().to_string())
                    );
                    connection.execute(&sql, [])? as i64
                };
                counts.push(rows);
            }
            Ok(counts)
        })
        .await?)
}

fn write_views(views_path: &Path, output: &Path, partitioned: bool) -> Result<(), ExportError> {
    let _ = std::fs::remove_file(views_path);
    let connection = duckdb::Connection::open(views_path).map_err(|error| write_error(views_path, error))?;
    let mut sql = format!("SET file_search_path = {};", sql_string(&output.display().to_string()));
    for (_, name) in TABLES {
        // a table without rows in the range writes no partition: no view to read nothing from
        if partitioned && folder_is_empty(&output.join(name)) {
            continue;
        }
        let source = if partitioned {
            format!("read_parquet('{name}/**/*.parquet', hive_partitioning = true)")
        } else {
            format!("read_parquet('{name}.parquet')")
        };
        sql.push_str(&format!("CREATE VIEW {name} AS SELECT * FROM {source};"));
    }
    connection.execute_batch(&sql).map_err(|error| write_error(views_path, error))?;
    Ok(())
}

fn zip_files(archive: &Path, base: &Path, files: &[PathBuf]) -> Result<(), ExportError> {
    let file = std::fs::File::create(archive).map_err(|error| write_error(archive, error))?;
    let mut writer = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(true);
    let mut pending: Vec<PathBuf> = files.to_vec();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).map_err(|error| write_error(&path, error))?.flatten() {
                pending.push(entry.path());
            }
            continue;
        }
        let name = path.strip_prefix(base).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        writer.start_file(name, options).map_err(|error| write_error(archive, error))?;
        let bytes = std::fs::read(&path).map_err(|error| write_error(&path, error))?;
        writer.write_all(&bytes).map_err(|error| write_error(archive, error))?;
    }
    writer.finish().map_err(|error| write_error(archive, error))?;
    Ok(())
}

fn tree_size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path).map(|entries| entries.flatten().map(|entry| tree_size(&entry.path())).sum()).unwrap_or(0)
    } else {
        std::fs::metadata(path).map(|metadata| metadata.len()).unwrap_or(0)
    }
}
