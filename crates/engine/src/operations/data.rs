//! Operations that move data out: Parquet export (through the API: into the export folder; from
//! the CLI: anywhere) and deletion by day range.

use crate::engine::{Engine, EngineError};
use crate::export::{ExportRequest, ExportResult};
use crate::retention::{DeleteCounts, DeleteRequest};

/// An export asked for through the API: written inside the export root or a folder the user
/// granted (`export::destination`); without `output`, into a new folder named after the time.
/// `POST /api/export/object-storage`: what is new since the last export, as hive-partitioned Parquet
/// to `s3://bucket/prefix`, with the credentials and endpoint of this process's environment.
pub async fn export_object_storage(
    engine: Engine,
    request: crate::export::object_storage::ObjectExportRequest,
) -> Result<crate::export::object_storage::ObjectExportResult, EngineError> {
    let options = crate::export::object_storage::options_from_environment();
    Ok(crate::export::object_storage::export_to_object_storage(engine.store(), request, options).await?)
}

pub async fn export_data(engine: Engine, mut request: ExportRequest) -> Result<ExportResult, EngineError> {
    let root = engine.export_root().await;
    let requested = request
        .output
        .as_deref()
        .map(str::trim)
        .filter(|output| !output.is_empty())
        .map_or_else(|| chrono::Local::now().format("export-%Y%m%d-%H%M%S").to_string(), str::to_owned);
    let output = crate::export::destination::resolve(&root, &engine.granted_export_folders(), &requested)?;
    request.output = Some(output.display().to_string());
    export_anywhere(engine, request).await
}

/// An export the user asked for on their own machine (the CLI holding the database): written
/// wherever `output` says.
pub async fn export_anywhere(engine: Engine, request: ExportRequest) -> Result<ExportResult, EngineError> {
    let tz = engine.time_zone().await;
    Ok(crate::export::export(engine.store(), request, tz).await?)
}

pub async fn delete_preview(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    let tz = engine.time_zone().await;
    Ok(crate::retention::preview(engine.store(), request, tz).await?)
}

pub async fn delete_data(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    let tz = engine.time_zone().await;
    Ok(crate::retention::delete(engine.store(), request, tz).await?)
}
