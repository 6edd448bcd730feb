//! The desktop's saved settings: the ports (remembered when the user accepted free ports because
//! the standard ones were taken) and, optionally, another database file. Kept in
//! `<app config dir>/preferences.json`.
//!
//! The engine configuration is built in three layers, as for `ai-observer serve`: the defaults,
//! then these preferences, then the `AI_OBSERVER_*` environment variables, which win.

use crate::desktop_files::{read_json, write_json};
use ai_observer_engine::EngineConfig;
use ai_observer_engine::config::{ConfigError, default_database_path};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "preferences.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Preferences {
    pub api_port: Option<u16>,
    pub otlp_http_port: Option<u16>,
    pub otlp_grpc_port: Option<u16>,
    pub database_path: Option<PathBuf>,
    /// The team server whose dashboard the user opened last (`team_dashboard`).
    pub team_dashboard_url: Option<String>,
}

impl Preferences {
    pub fn load(path: &Path) -> Preferences {
        read_json(path)
    }

    pub fn save(&self, path: &Path) {
        write_json(path, self);
    }

    /// Sets the saved values on `config` (the layer between defaults and environment).
    pub fn apply_to(&self, config: &mut EngineConfig) {
        if let Some(path) = &self.database_path {
            config.database_path = path.clone();
        }
        if let Some(port) = self.api_port {
            config.api_port = port;
        }
        if let Some(port) = self.otlp_http_port {
            config.otlp_http_port = port;
        }
        if let Some(port) = self.otlp_grpc_port {
            config.otlp_grpc_port = port;
        }
    }

    /// Defaults, then these preferences, then the environment.
    pub fn engine_config(&self) -> Result<EngineConfig, ConfigError> {
        let database = match &self.database_path {
            Some(path) => path.clone(),
            None => default_database_path()?,
        };
        let mut config = EngineConfig::with_database(database);
        self.apply_to(&mut config);
        config.apply_env()?;
        config.validate()?;
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_ports_replace_the_defaults_and_unset_ones_keep_them() {
        let mut config = EngineConfig::with_database("db.duckdb".into());
        Preferences { otlp_http_port: Some(14318), ..Preferences::default() }.apply_to(&mut config);
        assert_eq!((config.api_port, config.otlp_http_port, config.otlp_grpc_port), (8080, 14318, 4317));
    }

    #[test]
    fn preferences_round_trip_and_a_damaged_file_reads_as_defaults() {
        let folder = tempfile::tempdir().expect("dir");
        let path = folder.path().join(FILE_NAME);
        let saved = Preferences { api_port: Some(18080), ..Preferences::default() };
        saved.save(&path);
        assert_eq!(Preferences::load(&path), saved);
        std::fs::write(&path, "{ damaged").expect("write");
        assert_eq!(Preferences::load(&path), Preferences::default());
    }
}
