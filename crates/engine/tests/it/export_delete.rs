//! Export to Parquet and read it back; delete by range with a preview.

use crate::support::{TestServer, captures};
use serde_json::json;

async fn loaded() -> TestServer {
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    server
}

fn parquet_stats(sql: &str) -> (i64, f64) {
    let connection = duckdb::Connection::open_in_memory().unwrap();
    connection.query_row(sql, [], |row| Ok((row.get(0)?, row.get(1)?))).unwrap()
}

#[tokio::test]
async fn an_export_reads_back_with_the_same_rows_and_sums() {
    let server = loaded().await;
    let (spans, logs, points, usage) = server.row_counts().await;
    let (store_tokens, store_duration): (f64, f64) = server
        .engine
        .store()
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT (SELECT sum(OutputTokens) FROM usage_records)::DOUBLE, (SELECT sum(Duration) FROM otel_traces)::DOUBLE",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )?)
        })
        .await
        .unwrap();
    // API exports are written inside the export folder.
    let folder = server.engine.export_root().await;
    let output = folder.join("export");
    let (status, result) = server.send_json(reqwest::Method::POST, "/api/export", &json!({"output": output.display().to_string()})).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(
        (result["traces"].as_i64(), result["logs"].as_i64(), result["metrics"].as_i64(), result["usage"].as_i64()),
        (Some(spans), Some(logs), Some(points), Some(usage))
    );
    let base = output.display().to_string();
    assert_eq!(
        parquet_stats(&format!("SELECT count(*), sum(Duration)::DOUBLE FROM read_parquet('{base}/traces.parquet')")),
        (spans, store_duration)
    );
    assert_eq!(
        parquet_stats(&format!("SELECT count(*), sum(OutputTokens)::DOUBLE FROM read_parquet('{base}/usage.parquet')")),
        (usage, store_tokens)
    );
    // The views file resolves its relative paths from the export folder.
    let views = output.join("ai-observer-export-all-all.duckdb");
    let connection = duckdb::Connection::open(&views).unwrap();
    connection.execute_batch(&format!("SET file_search_path = '{base}'")).unwrap();
    let via_view: i64 = connection.query_row("SELECT count(*) FROM logs", [], |row| row.get(0)).unwrap();
    assert_eq!(via_view, logs);

    // Exporting again into the same, now non-empty, folder needs consent.
    let (status, refused) = server.send_json(reqwest::Method::POST, "/api/export", &json!({"output": base})).await;
    assert_eq!((status, refused["code"].as_str()), (409, Some("conflict")));

    // Partitioned by day, one tool, read back with a glob.
    let partitioned = folder.join("by-day");
    let (status, result) = server
        .send_json(reqwest::Method::POST, "/api/export", &json!({"output": partitioned.display().to_string(), "partitioned": true, "tool": "codex", "from": "2026-11-28", "to": "2026-11-28"}))
        .await;
    assert_eq!(status, 200, "{result}");
    let codex_usage = result["usage"].as_i64().unwrap();
    assert_eq!(codex_usage, 4);
    let glob = format!("{}/usage/*/*.parquet", partitioned.display());
    assert_eq!(
        parquet_stats(&format!(
            "SELECT count(*), sum(OutputTokens)::DOUBLE FROM read_parquet('{glob}', hive_partitioning = true) WHERE day = '2026-11-28'"
        ))
        .0,
        4
    );

    // Zipped.
    let zipped = folder.join("zipped");
    let (status, result) =
        server.send_json(reqwest::Method::POST, "/api/export", &json!({"output": zipped.display().to_string(), "zip": true})).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["files"], json!(["ai-observer-export-all-all.zip"]));
    assert_eq!(std::fs::read_dir(&zipped).unwrap().count(), 1);
    server.stop().await;
}

#[tokio::test]
async fn delete_by_range_previews_then_removes_only_that_range() {
    let server = loaded().await;
    let request = json!({"scope": "logs", "from": "2026-11-28", "to": "2026-11-28", "service": "gemini"});
    let (status, preview) = server.send_json(reqwest::Method::POST, "/api/delete/preview", &request).await;
    assert_eq!(status, 200, "{preview}");
    let gemini_logs = preview["logs"].as_i64().unwrap();
    assert!(gemini_logs > 0);
    assert_eq!(preview["usageRecords"], 7);
    let before = server.row_counts().await;
    let (status, deleted) = server.send_json(reqwest::Method::POST, "/api/delete", &request).await;
    assert_eq!((status, deleted.clone()), (200, preview));
    let after = server.row_counts().await;
    assert_eq!(after.1, before.1 - gemini_logs);
    assert_eq!(after.3, before.3 - 7);
    assert_eq!((after.0, after.2), (before.0, before.2), "spans and metrics untouched");
    let (status, _) =
        server.send_json(reqwest::Method::POST, "/api/delete", &json!({"scope": "all", "from": "2026-11-29", "to": "2026-11-28"})).await;
    assert_eq!(status, 400);
    server.stop().await;
}
