//! Restarting on the same file keeps every acknowledged row.

use crate::support::spend::gemini_delta_input_tokens;
use crate::support::{TestServer, captures};

#[tokio::test]
async fn every_acknowledged_row_survives_a_restart() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("restart.duckdb");
    let server = TestServer::start_on(&database).await;
    for capture in captures(&["claude-proto-toolcall", "gemini-toolcall"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let before = server.row_counts().await;
    let spend_before = server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await;
    assert!(before.0 > 0 && before.1 > 0 && before.2 > 0 && before.3 > 0);
    server.stop().await;

    let server = TestServer::start_on(&database).await;
    assert_eq!(server.row_counts().await, before);
    let spend_after = server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await;
    assert_eq!(spend_after["groups"], spend_before["groups"]);
    // The Gemini delta tracker starts empty after a restart and reads the stored series: replaying
    // the same cumulative points again adds no tokens.
    for capture in captures(&["gemini-toolcall"]).into_iter().filter(|capture| capture.path == "/v1/metrics") {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    assert_eq!(gemini_delta_input_tokens(&server).await, 36819.0, "gemini-toolcall input tokens, counted once");
    server.stop().await;
}

/// A start that changes nothing closes without writing the database file: an import that finds
/// nothing new, or a command that only reads, leaves the file byte for byte as it was (no catalog
/// write at the start, no checkpoint at the end), and a later start that stores rows still
/// compacts and keeps them.
#[tokio::test]
async fn a_start_that_changes_nothing_leaves_the_file_as_it_was() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("unchanged.duckdb");
    let server = TestServer::start_on(&database).await;
    for capture in captures(&["claude-proto-toolcall"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let stored = server.row_counts().await;
    let spend = server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await;
    server.stop().await;
    let bytes_after_writes = std::fs::read(&database).unwrap();

    let server = TestServer::start_on(&database).await;
    assert_eq!(server.row_counts().await, stored);
    assert_eq!(server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await, spend);
    server.stop().await;
    assert!(std::fs::read(&database).unwrap() == bytes_after_writes, "a start that changed nothing rewrote the file");
    let mut log = database.as_os_str().to_owned();
    log.push(".wal");
    assert!(!std::path::Path::new(&log).exists(), "no write-ahead log is left");

    let server = TestServer::start_on(&database).await;
    for capture in captures(&["gemini-toolcall"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let grown = server.row_counts().await;
    assert!(grown.1 > stored.1 && grown.2 > stored.2, "{grown:?} after {stored:?}");
    server.stop().await;
    assert!(std::fs::read(&database).unwrap() != bytes_after_writes);
    let server = TestServer::start_on(&database).await;
    assert_eq!(server.row_counts().await, grown);
    server.stop().await;
}
