//! Operations that move data out: Parquet export and deletion by range.

use crate::engine::{Engine, EngineError};
use crate::export::{DeleteCounts, DeleteRequest, ExportRequest, ExportResult};

pub async fn export_data(engine: Engine, request: ExportRequest) -> Result<ExportResult, EngineError> {
    Ok(crate::export::export(engine.store(), request).await?)
}

pub async fn delete_preview(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    Ok(crate::export::preview(engine.store(), request).await?)
}

pub async fn delete_data(engine: Engine, request: DeleteRequest) -> Result<DeleteCounts, EngineError> {
    Ok(crate::export::delete(engine.store(), request).await?)
}
