//! An idle store hands back the blocks DuckDB cached for past queries, and answers the same after.

use crate::support::{TestServer, captures};

async fn buffer_bytes(server: &TestServer) -> i64 {
    server.scalar("SELECT sum(memory_usage_bytes)::BIGINT FROM duckdb_memory()").await
}

async fn memory_limit(server: &TestServer) -> String {
    server.scalar("SELECT current_setting('memory_limit')").await
}

/// The filler rows' count and body bytes, read through the store (which caches their blocks).
async fn filler(server: &TestServer) -> (i64, i64) {
    let sql = "SELECT count(*), sum(length(Body))::BIGINT FROM otel_logs WHERE ServiceName = 'filler'";
    server.engine.store().read(move |connection| Ok(connection.query_row(sql, [], |row| Ok((row.get(0)?, row.get(1)?)))?)).await.unwrap()
}

#[tokio::test]
async fn released_buffers_leave_the_limit_and_the_answers_as_they_were() {
    let server = TestServer::start().await;
    for capture in captures(&["claude-proto-toolcall"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    // 64 MB of log bodies on disk, then read once: the blocks stay cached.
    server
        .engine
        .store()
        .with_writer(|connection| {
            connection.execute_batch(
                "INSERT INTO otel_logs (Timestamp, ServiceName, Body)
                 SELECT TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND, 'filler', repeat(md5(i::VARCHAR), 8) FROM range(250000) t(i);
                 CHECKPOINT;",
            )?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(filler(&server).await, (250_000, 250_000 * 256));
    let spend = server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await;
    let (cached, limit) = (buffer_bytes(&server).await, memory_limit(&server).await);
    assert!(cached > 32 << 20, "the read left {cached} bytes cached");

    server.engine.store().release_buffers().await.unwrap();
    let released = buffer_bytes(&server).await;
    assert!(released <= 16 << 20, "{released} bytes still cached (from {cached})");
    assert_eq!(memory_limit(&server).await, limit, "the limit is restored");
    assert_eq!(filler(&server).await, (250_000, 250_000 * 256));
    assert_eq!(server.get_json("/api/spend?from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z").await, spend);
    server.stop().await;
}
