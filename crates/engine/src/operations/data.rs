//! Operations that move data out: Parquet export and deletion by range.

use crate::engine::{Engine, EngineError};
use crate::export::{DeleteCounts, DeleteRequest, ExportRequest, ExportResult};

/// An export asked for through the API: written inside the export root or a folder the user
/// granted (`export::destination`); without `output`, into a new folder named after the time.
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
    Ok(crate::export::export(engine.store(), request).await?)
}

pub async fn delete_preview(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    Ok(crate::export::preview(engine.store(), request).await?)
}

pub async fn delete_data(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    Ok(crate::export::delete(engine.store(), request).await?)
}
