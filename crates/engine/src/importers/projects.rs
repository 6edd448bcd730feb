//! Project attribution: a session's working directory and, when that folder is a git checkout on
//! this machine, its repository (`owner/name` from the `origin` remote in `.git/config`; read as a
//! file, git is never run). Results are cached per folder.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct ProjectResolver {
    cache: Mutex<HashMap<String, Option<String>>>,
}

impl ProjectResolver {
    pub fn repository_of(&self, cwd: &str) -> Option<String> {
        if let Ok(cache) = self.cache.lock()
            && let Some(known) = cache.get(cwd)
        {
            return known.clone();
        }
        let found = Path::new(cwd).ancestors().take(8).find_map(|folder| {
            let config = std::fs::read_to_string(folder.join(".git").join("config")).ok()?;
            origin_url(&config).map(|url| repository_name(&url))
        });
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(cwd.to_owned(), found.clone());
        }
        found
    }
}

/// The `url` of `[remote "origin"]` in a git config file.
fn origin_url(config: &str) -> Option<String> {
    let mut in_origin = false;
    for line in config.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin && let Some(url) = line.strip_prefix("url").map(str::trim).and_then(|rest| rest.strip_prefix('=')) {
            return Some(url.trim().to_owned());
        }
    }
    None
}

/// `git@github.com:acme/api.git` or `https://github.com/acme/api` → `acme/api`.
pub fn repository_name(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/').trim_end_matches(".git");
    let path = trimmed.rsplit_once(':').filter(|(scheme, _)| !scheme.contains("//")).map_or(trimmed, |(_, path)| path);
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
    match parts.as_slice() {
        [.., owner, name] => format!("{owner}/{name}"),
        [name] => (*name).to_owned(),
        [] => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_become_owner_and_name() {
        assert_eq!(repository_name("git@github.com:acme/api.git"), "acme/api");
        assert_eq!(repository_name("https://github.com/acme/api/"), "acme/api");
        assert_eq!(repository_name("ssh://git@host:22/team/tool.git"), "team/tool");
        let config = "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/api.git\n\tfetch = +refs/heads/*\n";
        assert_eq!(origin_url(config).as_deref(), Some("git@github.com:acme/api.git"));
    }
}
