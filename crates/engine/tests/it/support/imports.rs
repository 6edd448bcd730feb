//! Importing captured session files into a test server, as the import wizard does.

use super::TestServer;
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::plan::{ImportOptions, plan};
use ai_observer_engine::importers::run::import;
use ai_observer_engine::model::{Tool, UsageSource};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Options that read every tool's session files under each of `homes` (a captured HOME).
pub fn options_for(homes: &[PathBuf], source: UsageSource) -> ImportOptions {
    let mut environment = DiscoveryEnvironment::default();
    environment.roots.insert(Tool::ClaudeCode, homes.iter().map(|home| home.join(".claude/projects")).collect());
    environment.roots.insert(Tool::Codex, homes.iter().map(|home| home.join(".codex/sessions")).collect());
    environment.roots.insert(Tool::Gemini, homes.iter().map(|home| home.join(".gemini/tmp")).collect());
    environment.roots.insert(Tool::QwenCode, homes.iter().map(|home| home.join(".qwen/projects")).collect());
    environment.roots.insert(Tool::Copilot, homes.iter().map(|home| home.join(".copilot/session-state")).collect());
    environment.roots.insert(Tool::Opencode, homes.iter().map(|home| home.join(".local/share/opencode")).collect());
    environment.roots.insert(Tool::Goose, homes.iter().map(|home| home.join(".local/share/goose/sessions")).collect());
    ImportOptions {
        tools: Tool::ALL.to_vec(),
        environment,
        force: false,
        window: None,
        source,
        remember_skipped: false,
        always_bulk: false,
    }
}

/// Imports with `options` and asserts nothing was reported as an error.
pub async fn import_with(server: &TestServer, options: &ImportOptions) {
    let plan = plan(server.engine.store(), options).await.unwrap();
    let result = import(&server.engine.import_context(), &plan, options, None, Arc::new(AtomicBool::new(false))).await.unwrap();
    assert!(result.errors.is_empty(), "{:?}", result.errors);
}

/// Imports every tool's session files under `homes`.
pub async fn import_homes(server: &TestServer, homes: &[PathBuf]) {
    import_with(server, &options_for(homes, UsageSource::Import)).await;
}
