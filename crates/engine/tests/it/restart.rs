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
