//! Where an export requested through the app's API may write.
//!
//! The data holds prompts and code, so the API must not become a way to drop files anywhere the
//! user can write. Exports asked for over REST or by the webview land inside the export root (a
//! folder in the user's data directory unless Settings name another), or inside a folder the user
//! picked in the desktop's native folder dialog (a grant only the user can make). A relative
//! `output` is taken inside the root. `..` is refused outright, and symbolic links are resolved
//! before the check, so a link inside the root cannot lead out of it. The CLI, working on the
//! database itself, writes wherever the user says.

use super::ExportError;
use std::path::{Component, Path, PathBuf};

/// The absolute folder an export of `requested` writes to, if it lies inside `root` or one of the
/// `granted` folders. Creates the root (user-only) when it does not exist yet.
pub fn resolve(root: &Path, granted: &[PathBuf], requested: &str) -> Result<PathBuf, ExportError> {
    let requested_path = Path::new(requested.trim());
    if requested_path.as_os_str().is_empty() {
        return Err(ExportError::InvalidRequest("output is required".to_owned()));
    }
    if requested_path.components().any(|component| matches!(component, Component::ParentDir)) {
        return Err(ExportError::OutsideExportRoot { requested: requested.to_owned(), root: root.display().to_string() });
    }
    let wanted = if requested_path.is_absolute() { requested_path.to_path_buf() } else { root.join(requested_path) };
    crate::owner_only::create_private_dir_all(root)
        .map_err(|error| ExportError::Write { path: root.display().to_string(), message: error.to_string() })?;

    let resolved = resolve_links(&wanted)?;
    let inside = std::iter::once(root)
        .chain(granted.iter().map(PathBuf::as_path))
        .filter_map(|base| base.canonicalize().ok())
        .any(|base| resolved.starts_with(&base));
    if !inside {
        return Err(ExportError::OutsideExportRoot { requested: requested.to_owned(), root: root.display().to_string() });
    }
    Ok(resolved)
}

/// The path with its existing part resolved (symbolic links followed) and the rest appended.
fn resolve_links(path: &Path) -> Result<PathBuf, ExportError> {
    let mut existing = path;
    let mut missing: Vec<&std::ffi::OsStr> = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else { break };
        missing.push(name);
        existing = parent;
    }
    let mut resolved =
        existing.canonicalize().map_err(|error| ExportError::Write { path: existing.display().to_string(), message: error.to_string() })?;
    for name in missing.iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(result: Result<PathBuf, ExportError>) -> bool {
        matches!(result, Err(ExportError::OutsideExportRoot { .. }))
    }

    #[test]
    fn relative_and_absolute_paths_inside_the_root_are_taken() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let root = scratch.path().join("exports");
        let relative = resolve(&root, &[], "monday").expect("relative");
        assert_eq!(relative, root.canonicalize().expect("root").join("monday"));
        let nested = resolve(&root, &[], "./a/b").expect("nested");
        assert_eq!(nested, root.canonicalize().expect("root").join("a").join("b"));
        let absolute = resolve(&root, &[], &root.join("tuesday").display().to_string()).expect("absolute inside");
        assert!(absolute.ends_with("tuesday"));
    }

    #[test]
    fn parent_components_and_outside_paths_are_refused() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let root = scratch.path().join("exports");
        assert!(refused(resolve(&root, &[], "../elsewhere")));
        assert!(refused(resolve(&root, &[], "a/../../elsewhere")));
        assert!(refused(resolve(&root, &[], &scratch.path().join("elsewhere").display().to_string())));
        assert!(refused(resolve(&root, &[], "/etc")));
        assert!(!scratch.path().join("elsewhere").exists(), "nothing is created outside the root");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_inside_the_root_does_not_lead_out() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let root = scratch.path().join("exports");
        let outside = scratch.path().join("outside");
        std::fs::create_dir_all(&root).expect("root");
        std::fs::create_dir_all(&outside).expect("outside");
        std::os::unix::fs::symlink(&outside, root.join("link")).expect("symlink");
        assert!(refused(resolve(&root, &[], "link")));
        assert!(refused(resolve(&root, &[], "link/deeper")));
    }

    #[test]
    fn a_folder_the_user_picked_is_granted() {
        let scratch = tempfile::tempdir().expect("tempdir");
        let root = scratch.path().join("exports");
        let picked = scratch.path().join("picked");
        std::fs::create_dir_all(&picked).expect("picked");
        let granted = vec![picked.clone()];
        let output = resolve(&root, &granted, &picked.join("week").display().to_string()).expect("granted");
        assert_eq!(output, picked.canonicalize().expect("picked").join("week"));
        assert!(refused(resolve(&root, &granted, &scratch.path().join("other").display().to_string())));
    }

    #[test]
    fn an_empty_output_is_a_bad_request() {
        let scratch = tempfile::tempdir().expect("tempdir");
        assert!(matches!(resolve(&scratch.path().join("exports"), &[], "  "), Err(ExportError::InvalidRequest(_))));
    }
}
