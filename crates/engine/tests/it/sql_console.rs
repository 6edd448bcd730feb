//! Issue 18, the SQL page: one read-only SELECT over the store's own tables, with a row limit and
//! a time limit; everything else refused with a clear message, and nothing changed.

use crate::support::TestServer;
use crate::support::fixtures::captures;
use ai_observer_engine::query::sql_console::{SqlRequest, run_with_time_limit};
use serde_json::{Value, json};
use std::time::Duration;

async fn load(server: &TestServer) {
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
}

async fn sql(server: &TestServer, statement: &str) -> (u16, Value) {
    server.send_json(reqwest::Method::POST, "/api/sql", &json!({ "sql": statement })).await
}

#[tokio::test]
async fn a_select_answers_what_spend_answers() {
    let server = TestServer::start().await;
    load(&server).await;
    let (status, answer) = sql(
        &server,
        "SELECT Tool, count(*) AS requests, sum(InputTokens) AS input, sum(OutputTokens) AS output
         FROM usage_records WHERE Counted GROUP BY Tool ORDER BY Tool",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let names: Vec<&str> = answer["columns"].as_array().unwrap().iter().map(|column| column["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tool", "requests", "input", "output"]);
    assert_eq!(answer["columns"][1]["dataType"], "BIGINT");
    let spend = server.get_json("/api/spend?groupBy=tool&from=2026-01-01&to=2027-01-01").await;
    let mut from_spend: Vec<Value> = spend["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| json!([group["key"], group["requests"], group["tokens"]["input"], group["tokens"]["output"]]))
        .collect();
    from_spend.sort_by_key(|row| row[0].as_str().unwrap().to_owned());
    assert_eq!(answer["rows"], Value::Array(from_spend));
    assert_eq!(answer["truncated"], false);
    server.stop().await;
}

#[tokio::test]
async fn only_a_select_over_the_stores_tables_runs_and_nothing_changes() {
    let server = TestServer::start().await;
    load(&server).await;
    let before = server.row_counts().await;
    let dashboards = server.get_json("/api/dashboards").await;
    let refused = [
        ("DELETE FROM usage_records", "only SELECT"),
        ("INSERT INTO dashboards (id, name) VALUES ('x', 'x')", "only SELECT"),
        ("UPDATE usage_records SET InputTokens = 0", "only SELECT"),
        ("SELECT 1; DELETE FROM usage_records", "only SELECT"),
        ("CREATE TABLE stolen AS SELECT * FROM otel_logs", "only SELECT"),
        ("COPY otel_logs TO '/tmp/stolen.csv'", "only SELECT"),
        ("ATTACH '/tmp/other.duckdb' AS other", "only SELECT"),
        ("PRAGMA database_list", "only SELECT"),
        ("SET threads = 1", "only SELECT"),
        ("SELECT * FROM read_csv('/etc/passwd')", "read_csv() is not available"),
        ("SELECT * FROM '/etc/passwd'", "is not one of AI Observer's tables"),
        ("SELECT * FROM query('DELETE FROM usage_records')", "query() is not available"),
        ("SELECT getenv('HOME')", "getenv() is not available"),
        ("SELECT * FROM other.main.usage_records", "is not one of AI Observer's tables"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
        ("SELEKT 1", "syntax error"),
        ("", "write a SELECT statement"),
    ];
    for (statement, message) in refused {
        let (status, answer) = sql(&server, statement).await;
        assert_eq!(status, 400, "{statement}: {answer}");
        let said = answer["message"].as_str().unwrap();
        assert!(said.contains(message), "{statement}: {said}");
    }
    assert_eq!(server.row_counts().await, before);
    assert_eq!(server.get_json("/api/dashboards").await, dashboards);
    assert!(!std::path::Path::new("/tmp/stolen.csv").exists());

    // What may run: WITH names, the catalogue, row generators.
    for statement in [
        "WITH recent AS (SELECT * FROM otel_logs ORDER BY Timestamp DESC LIMIT 5) SELECT count(*) FROM recent",
        "SELECT count(*) FROM information_schema.tables",
        "SELECT sum(range) FROM range(10)",
    ] {
        let (status, answer) = sql(&server, statement).await;
        assert_eq!(status, 200, "{statement}: {answer}");
    }
    server.stop().await;
}

#[tokio::test]
async fn answers_are_cut_at_the_row_limit_and_typed_as_json() {
    let server = TestServer::start().await;
    let (status, answer) = server
        .send_json(
            reqwest::Method::POST,
            "/api/sql",
            &json!({ "sql": "SELECT range AS n, range * 1.5 AS half, 'r' || range AS label, range % 2 = 0 AS even, NULL::VARCHAR AS nothing, TIMESTAMP '2026-11-30 12:00:00' AS at FROM range(25)", "limit": 3 }),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["truncated"], true);
    assert_eq!(
        answer["rows"],
        json!([
            [0, 0.0, "r0", true, null, "2026-11-30 12:00:00"],
            [1, 1.5, "r1", false, null, "2026-11-30 12:00:00"],
            [2, 3.0, "r2", true, null, "2026-11-30 12:00:00"]
        ])
    );
    let (status, _) = server.send_json(reqwest::Method::POST, "/api/sql", &json!({ "sql": "SELECT 1", "limit": 100_000 })).await;
    assert_eq!(status, 400);
    server.stop().await;
}

#[tokio::test]
async fn a_statement_past_the_time_limit_is_stopped() {
    let server = TestServer::start().await;
    let request = SqlRequest { sql: "SELECT count(*) FROM range(1000000000000) a WHERE a.range % 7 = 3".to_owned(), limit: None };
    let started = std::time::Instant::now();
    let error = run_with_time_limit(server.engine.store(), request, Duration::from_millis(300)).await.unwrap_err();
    assert!(error.to_string().contains("ran longer than 0.3 s"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(30));
    // The reader connection is usable afterwards.
    let (status, answer) = sql(&server, "SELECT 42 AS answer").await;
    assert_eq!((status, answer["rows"].clone()), (200, json!([[42]])));
    server.stop().await;
}

#[tokio::test]
async fn the_schema_lists_the_tables_and_every_example_runs() {
    let server = TestServer::start().await;
    load(&server).await;
    let schema = server.get_json("/api/sql/schema").await;
    let usage = schema["tables"].as_array().unwrap().iter().find(|table| table["name"] == "usage_records").expect("usage_records listed");
    assert_eq!(usage["kind"], "table");
    assert!(usage["columns"].as_array().unwrap().iter().any(|column| column["name"] == "Counted" && column["dataType"] == "BOOLEAN"));
    let examples = schema["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 5);
    for example in examples {
        let (status, answer) = sql(&server, example["sql"].as_str().unwrap()).await;
        assert_eq!(status, 200, "{}: {answer}", example["title"]);
        assert!(!answer["rows"].as_array().unwrap().is_empty(), "{} has rows on the fixtures", example["title"]);
    }
    server.stop().await;
}
