//! Files at rest that only the user can read.
//!
//! The database holds prompts, file paths and spend; the export folder holds copies of it. On Unix,
//! folders the engine creates are `0700` and files `0600`. `restrict_new_files` sets the process
//! umask to `077` so files that libraries create later (DuckDB's write-ahead log, Parquet files) are
//! user-only too; the shells call it first thing in `main`. Folders that already existed are left
//! as they are (the user may have put the database in a shared place on purpose), but the
//! database file and its log are tightened on every start.

use std::io;
use std::path::{Path, PathBuf};

/// Makes every file and folder this process creates from now on user-only (umask `077`).
pub fn restrict_new_files() {
    #[cfg(unix)]
    {
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    }
}

/// `create_dir_all`, with every folder it creates made `0700`. Returns the folders it created.
pub fn create_private_dir_all(path: &Path) -> io::Result<Vec<PathBuf>> {
    let mut missing = Vec::new();
    let mut cursor = Some(path);
    while let Some(folder) = cursor {
        if folder.as_os_str().is_empty() || folder.exists() {
            break;
        }
        missing.push(folder.to_path_buf());
        cursor = folder.parent();
    }
    std::fs::create_dir_all(path)?;
    for folder in missing.iter().rev() {
        set_mode(folder, 0o700)?;
    }
    Ok(missing)
}

/// Tightens an existing file to `0600`; a missing file is fine.
pub fn tighten_if_present(path: &Path) -> io::Result<()> {
    if path.exists() { set_mode(path, 0o600) } else { Ok(()) }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn created_folders_are_user_only_and_existing_ones_are_left_alone() {
        let scratch = tempfile::tempdir().expect("tempdir");
        std::fs::set_permissions(scratch.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let nested = scratch.path().join("a").join("b");
        let created = create_private_dir_all(&nested).expect("create");
        assert_eq!(created.len(), 2);
        assert_eq!(mode(&scratch.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        assert_eq!(mode(scratch.path()), 0o755, "a folder that existed keeps its mode");
        assert!(create_private_dir_all(&nested).expect("again").is_empty());
    }

    #[test]
    fn existing_files_are_tightened_to_0600() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let loose = scratch.path().join("loose.duckdb");
        std::fs::write(&loose, b"data").expect("write");
        std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        tighten_if_present(&loose).expect("tighten");
        assert_eq!(mode(&loose), 0o600);
        assert_eq!(std::fs::read(&loose).expect("read"), b"data", "tightening keeps the contents");
        tighten_if_present(&scratch.path().join("missing.wal")).expect("a missing file is fine");
    }
}
