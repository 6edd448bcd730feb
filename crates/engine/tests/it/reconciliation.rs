//! The same sessions arriving by OTLP and by import count once in `/api/spend`.

use crate::support::{TestServer, captures, expected, fixtures::fixtures_root};
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::plan::{ImportOptions, plan};
use ai_observer_engine::importers::run::import;
use ai_observer_engine::model::{Tool, UsageSource};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

const DAY: &str = "from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z";

#[tokio::test]
async fn otlp_and_imported_sessions_count_each_request_once() {
    otlp_then_import_counts_each_request_once(false).await;
}

/// A bulk import (the first import of a large history) matches its rows when it ends, in one pass:
/// the same figures.
#[tokio::test]
async fn a_bulk_import_after_telemetry_counts_each_request_once() {
    otlp_then_import_counts_each_request_once(true).await;
}

async fn otlp_then_import_counts_each_request_once(bulk: bool) {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let mut environment = DiscoveryEnvironment::default();
    let homes: Vec<_> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .flatten()
        .map(|entry| entry.path().join("sessions"))
        .filter(|path| path.is_dir())
        .collect();
    environment.roots.insert(Tool::ClaudeCode, homes.iter().map(|home| home.join(".claude/projects")).collect());
    environment.roots.insert(Tool::Codex, homes.iter().map(|home| home.join(".codex/sessions")).collect());
    environment.roots.insert(Tool::Gemini, homes.iter().map(|home| home.join(".gemini/tmp")).collect());
    let options = ImportOptions {
        tools: Tool::ALL.to_vec(),
        environment,
        force: false,
        window: None,
        source: UsageSource::Import,
        remember_skipped: false,
        always_bulk: bulk,
    };
    for round in 0..2 {
        let options = ImportOptions { force: round == 1, ..options.clone() };
        let plan = plan(server.engine.store(), &options).await.unwrap();
        let result = import(&server.engine.import_context(), &plan, &options, None, Arc::new(AtomicBool::new(false))).await.unwrap();
        assert!(result.errors.is_empty(), "{:?}", result.errors);

        let spend = server.get_json(&format!("/api/spend?groupBy=tool&tz=UTC&{DAY}")).await;
        for (key, tool) in [("claude-code", "claude_code"), ("codex", "codex"), ("gemini", "gemini_cli")] {
            let all = &expected()["tools"][tool]["totals_all_requests"];
            let found = spend["groups"].as_array().unwrap().iter().find(|group| group["key"] == key).unwrap();
            assert_eq!(found["requests"], all["requests"], "round {round}: {key} requests");
            assert_eq!(found["tokens"]["input"], all["input_uncached"], "round {round}: {key} input");
            assert_eq!(found["tokens"]["cacheRead"], all["cache_read"], "round {round}: {key} cacheRead");
            assert_eq!(found["tokens"]["cacheCreation"], all["cache_creation"], "round {round}: {key} cacheCreation");
            assert_eq!(found["tokens"]["reasoning"], all["reasoning"], "round {round}: {key} reasoning");
        }
    }
    server.stop().await;
}
