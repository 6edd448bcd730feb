//! Received requests are acknowledged once journalled; DuckDB stores them right after. A crash in
//! between loses nothing and counts nothing twice, and a read sees every request acknowledged
//! before it.

use crate::support::spend::gemini_delta_input_tokens;
use crate::support::{TestServer, captures};
use serde_json::Value;
use std::path::Path;

const RUNS: [&str; 3] = ["claude-proto-toolcall", "codex-binary-toolcall", "gemini-toolcall"];
const SPEND: &str = "/api/spend?from=2026-11-01T00:00:00Z&to=2100-01-01T00:00:00Z&groupBy=tool";

/// Holds the store's writer thread (a job that waits) until the returned sender is dropped or
/// sent to; writes are still journalled and acknowledged meanwhile.
async fn hold_the_writer(server: &TestServer) -> std::sync::mpsc::Sender<()> {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let (started, running) = tokio::sync::oneshot::channel();
    let store = server.engine.store().clone();
    tokio::spawn(async move {
        store
            .with_writer(move |_| {
                let _ = started.send(());
                let _ = held.recv();
                Ok(())
            })
            .await
    });
    running.await.expect("the writer runs the holding job");
    release
}

async fn send_every_capture(server: &TestServer) {
    for capture in captures(&RUNS) {
        let response = capture.replay(&server.client, &server.otlp("")).await;
        assert_eq!(response.status(), 200, "{} acknowledged", capture.path);
    }
}

/// Row counts and spend by tool, from a server fed the captures without interruption.
async fn reference() -> ((i64, i64, i64, i64), Value) {
    let server = TestServer::start().await;
    send_every_capture(&server).await;
    let counts = server.row_counts().await;
    let spend = server.get_json(SPEND).await;
    server.stop().await;
    (counts, spend)
}

fn copy_store(from: &Path, to: &Path) {
    for suffix in ["", ".wal", ".journal", ".journal-2"] {
        let source = format!("{}{suffix}", from.display());
        if Path::new(&source).exists() {
            std::fs::copy(&source, format!("{}{suffix}", to.display())).expect("copy");
        }
    }
}

#[tokio::test]
async fn requests_acknowledged_before_a_crash_are_stored_at_the_next_start_once() {
    let (counts, spend) = reference().await;
    assert!(counts.0 > 0 && counts.1 > 0 && counts.2 > 0 && counts.3 > 0, "{counts:?}");

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("live.duckdb");
    let server = TestServer::start_on(&database).await;
    let release = hold_the_writer(&server).await;
    send_every_capture(&server).await;
    // The files as a crash would leave them now: every request acknowledged, none in DuckDB.
    let crashed = directory.path().join("crashed.duckdb");
    copy_store(&database, &crashed);
    drop(release);
    server.stop().await;
    assert!(std::fs::metadata(format!("{}.journal", crashed.display())).unwrap().len() > 0);

    let restarted = TestServer::start_on(&crashed).await;
    // Gemini CLI sends its counters again: the delta tracker starts empty and reads the stored
    // series, the journal's included, so no token counts twice. (The tracker's read also waits for
    // the journal's writes to be stored, `ReaderPool::read_blocking`; here they are stored before
    // the request arrives, so this does not show that wait.)
    let gemini_metrics: Vec<_> = captures(&["gemini-toolcall"]).into_iter().filter(|capture| capture.path == "/v1/metrics").collect();
    assert!(!gemini_metrics.is_empty());
    for capture in &gemini_metrics {
        assert_eq!(capture.replay(&restarted.client, &restarted.otlp("")).await.status(), 200);
    }
    assert_eq!(gemini_delta_input_tokens(&restarted).await, 36819.0, "gemini-toolcall input tokens, counted once");
    // Every span, log record and usage record of the reference, and its spend (the counters sent
    // again add metric points, not spend).
    let (spans, logs, _, usage) = restarted.row_counts().await;
    assert_eq!((spans, logs, usage), (counts.0, counts.1, counts.3));
    assert_eq!(restarted.get_json(SPEND).await, spend);
    assert_eq!(restarted.scalar::<i64>("SELECT count(*) FROM usage_records WHERE Counted IS NULL").await, 0);
    let counts = restarted.row_counts().await;
    restarted.stop().await;

    // Stored once: a second start finds nothing left to store, and the journal is empty.
    for suffix in [".journal", ".journal-2"] {
        assert_eq!(std::fs::metadata(format!("{}{suffix}", crashed.display())).unwrap().len(), 0, "{suffix}");
    }
    let again = TestServer::start_on(&crashed).await;
    assert_eq!(again.row_counts().await, counts);
    assert_eq!(again.get_json(SPEND).await, spend);
    again.stop().await;
}

#[tokio::test]
async fn a_read_begun_after_an_acknowledgement_waits_until_duckdb_stored_it() {
    let (counts, spend) = reference().await;
    let server = TestServer::start().await;
    let release = hold_the_writer(&server).await;
    send_every_capture(&server).await;

    let api = server.api(SPEND);
    let client = server.client.clone();
    let read = tokio::spawn(async move { client.get(api).send().await.expect("request").json::<Value>().await.expect("json") });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!read.is_finished(), "the read waits for the held writer");
    release.send(()).unwrap();
    assert_eq!(read.await.unwrap(), spend);
    assert_eq!(server.row_counts().await, counts);
    server.stop().await;
}
