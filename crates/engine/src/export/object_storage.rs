//! Parquet to S3-compatible object storage (`export --bucket s3://bucket/prefix`): the tables as
//! hive-partitioned Parquet by UTC day and sending machine
//! (`<prefix>/<table>/day=YYYY-MM-DD/machine=NAME/data_0.parquet`, `local` for the server's own rows), written
//! with `object_store`. Incremental: the last day exported is kept beside the data
//! (`<prefix>/_ai_observer_export.json`); the next export sends that day again (it may have grown)
//! and the days after it, nothing older.
//!
//! Credentials and endpoint come from the process environment (`AWS_ACCESS_KEY_ID`,
//! `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`, `AWS_ALLOW_HTTP`), never from a request.

use super::{ExportError, ExportRequest, export};
use crate::store::Store;
use object_store::ObjectStore;
use object_store::path::Path as ObjectPath;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use ts_rs::TS;

const STATE_OBJECT: &str = "_ai_observer_export.json";

/// `POST /api/export/object-storage`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ObjectExportRequest {
    /// Where: `s3://bucket/prefix`.
    pub url: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ObjectExportResult {
    pub url: String,
    /// The UTC days written this time, oldest first.
    pub days: Vec<String>,
    /// Objects written (Parquet files, then the state object).
    #[ts(type = "number")]
    pub objects: u64,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExportState {
    last_day: Option<String>,
}

fn failed(url: &str, error: impl std::fmt::Display) -> ExportError {
    ExportError::Write { path: url.to_owned(), message: error.to_string() }
}

/// The object-store options of this process: every `AWS_*` variable, as `object_store` names them.
pub fn options_from_environment() -> Vec<(String, String)> {
    std::env::vars().filter(|(key, _)| key.starts_with("AWS_")).map(|(key, value)| (key.to_ascii_lowercase(), value)).collect()
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "parquet") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The `day=` segment of a partition file's relative path.
fn day_of(relative: &Path) -> Option<String> {
    relative.components().find_map(|part| part.as_os_str().to_str()?.strip_prefix("day=").map(str::to_owned))
}

/// Exports what is new since the last export to `request.url`, with `options` for the store.
pub async fn export_to_object_storage(
    store: &Store,
    request: ObjectExportRequest,
    options: Vec<(String, String)>,
) -> Result<ObjectExportResult, ExportError> {
    let url = url::Url::parse(request.url.trim())
        .map_err(|error| ExportError::InvalidRequest(format!("invalid url {:?}: {error}", request.url)))?;
    if url.scheme() != "s3" {
        return Err(ExportError::InvalidRequest(format!("{url} is not an s3:// URL (s3://bucket/prefix)")));
    }
    let (objects, prefix) = object_store::parse_url_opts(&url, options).map_err(|error| failed(url.as_str(), error))?;
    let state_path = prefix.child(STATE_OBJECT);
    let state: ExportState = match objects.get(&state_path).await {
        Ok(found) => serde_json::from_slice(&found.bytes().await.map_err(|error| failed(url.as_str(), error))?).unwrap_or_default(),
        Err(object_store::Error::NotFound { .. }) => ExportState::default(),
        Err(error) => return Err(failed(url.as_str(), error)),
    };

    let staging = store.path().with_extension("object-export");
    let _ = std::fs::remove_dir_all(&staging);
    let local = ExportRequest {
        output: Some(staging.display().to_string()),
        from: state.last_day.clone(),
        partitioned: Some(true),
        by_machine: Some(true),
        overwrite: Some(true),
        ..ExportRequest::default()
    };
    let exported = export(store, local, chrono_tz::UTC).await;
    let uploaded = match exported {
        Ok(_) => upload(objects.as_ref(), &prefix, &staging, url.as_str()).await,
        Err(error) => Err(error),
    };
    let _ = std::fs::remove_dir_all(&staging);
    let (days, mut written, mut bytes) = uploaded?;

    let last_day = days.iter().next_back().cloned().or(state.last_day);
    let state = serde_json::to_vec(&ExportState { last_day }).map_err(|error| failed(url.as_str(), error))?;
    bytes += state.len() as u64;
    objects.put(&state_path, state.into()).await.map_err(|error| failed(url.as_str(), error))?;
    written += 1;
    Ok(ObjectExportResult { url: url.to_string(), days: days.into_iter().collect(), objects: written, bytes })
}

async fn upload(
    objects: &dyn ObjectStore,
    prefix: &ObjectPath,
    staging: &Path,
    url: &str,
) -> Result<(BTreeSet<String>, u64, u64), ExportError> {
    let files = files_under(staging);
    let mut days = BTreeSet::new();
    let mut bytes = 0;
    for file in &files {
        let relative = file.strip_prefix(staging).map_err(|error| failed(url, error))?;
        let mut target = prefix.clone();
        for part in relative.components() {
            target = target.child(part.as_os_str().to_string_lossy().as_ref());
        }
        let content = tokio::fs::read(file).await.map_err(|error| failed(url, error))?;
        bytes += content.len() as u64;
        objects.put(&target, content.into()).await.map_err(|error| failed(url, error))?;
        days.extend(day_of(relative));
    }
    Ok((days, files.len() as u64, bytes))
}
