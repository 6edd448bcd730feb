//! The watcher imports what a CLI appends to its session file, without a manual import.

use crate::support::{TestServer, fixtures::fixtures_root};
use ai_observer_engine::importers::discovery::DiscoveryEnvironment;
use ai_observer_engine::importers::watch::{WatchOptions, start};
use ai_observer_engine::model::Tool;
use ai_observer_engine::wire::live::LiveMessage;
use std::io::Write;
use std::time::Duration;

async fn requests(server: &TestServer) -> i64 {
    let spend = server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await;
    spend["total"]["requests"].as_i64().unwrap()
}

async fn wait_for(server: &TestServer, expected: i64) -> i64 {
    for _ in 0..100 {
        let found = requests(server).await;
        if found == expected {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    requests(server).await
}

#[tokio::test]
async fn appended_session_lines_are_imported_live() {
    let server = TestServer::start().await;
    let home = tempfile::tempdir().unwrap();
    let day = home.path().join(".codex/sessions/2026/11/28");
    std::fs::create_dir_all(&day).unwrap();
    let source = fixtures_root().join("codex-json-plain/sessions/.codex/sessions/2026/11/28");
    let name = std::fs::read_dir(&source).unwrap().flatten().next().unwrap().file_name();
    std::fs::copy(source.join(&name), day.join(&name)).unwrap();

    let mut live = server.engine.live().subscribe();
    let handle = start(
        server.engine.import_context(),
        WatchOptions { tools: vec![Tool::Codex], environment: DiscoveryEnvironment::with_home(home.path()), backfill: true },
    );
    assert_eq!(wait_for(&server, 1).await, 1, "the backfill imported the existing response");

    let mut file = std::fs::OpenOptions::new().append(true).open(day.join(&name)).unwrap();
    writeln!(
        file,
        r#"{{"timestamp":"2026-11-28T13:55:00.000Z","type":"token_usage_record","payload":{{"response_id":"resp_live_1","usage":{{"input_tokens":100,"cached_input_tokens":0,"output_tokens":7,"reasoning_output_tokens":0,"total_tokens":107}}}}}}"#
    )
    .unwrap();
    drop(file);
    assert_eq!(wait_for(&server, 2).await, 2, "the appended response was imported");
    let mut announced = false;
    while let Ok(message) = live.try_recv() {
        announced |= matches!(*message, LiveMessage::Usage { .. });
    }
    assert!(announced, "new rows were announced on the live channel");
    handle.stop().await;
    server.stop().await;
}
