//! The desktop app's own small JSON files (preferences, what it remembers): read leniently (a
//! missing or damaged file is the default, with a warning) and written atomically (temporary file,
//! then rename) so a crash never leaves half a file. Both are user-only (`0600`, folder `0700`).

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::Path;

pub fn read_json<T: DeserializeOwned + Default>(path: &Path) -> T {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|error| {
            tracing::warn!(path = %path.display(), error = %error, "ignoring an unreadable desktop file");
            T::default()
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => T::default(),
        Err(error) => {
            tracing::warn!(path = %path.display(), error = %error, "cannot read a desktop file");
            T::default()
        }
    }
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) {
    let result = (|| -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            ai_observer_engine::owner_only::create_private_dir_all(parent)?;
        }
        let text = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
        let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
        std::fs::write(&temporary, text)?;
        ai_observer_engine::owner_only::tighten_if_present(&temporary)?;
        std::fs::rename(&temporary, path)
    })();
    if let Err(error) = result {
        tracing::warn!(path = %path.display(), error = %error, "cannot save a desktop file");
    }
}
