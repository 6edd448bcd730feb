//! A bulk import's batches share the writer's transactions (`Store::write_bulk`): nothing of them is
//! visible, and no sender is told, until that transaction commits; anything else the writer is asked
//! to do commits it first; a failure rolls back every batch in it and tells each sender.

use ai_observer_engine::model::LogRecord;
use ai_observer_engine::store::{Store, StoreError, StoreOptions, WhenCommitted, WriteBatch};
use std::sync::{Arc, Mutex};

fn one_log(body: &str) -> WriteBatch {
    let record = LogRecord { body: body.to_owned(), record_key: Some(format!("key:{body}")), ..LogRecord::default() };
    WriteBatch { logs: vec![record], bulk: true, ..WriteBatch::default() }
}

fn tell(told: &Arc<Mutex<Vec<String>>>, name: &str) -> WhenCommitted {
    let (told, name) = (Arc::clone(told), name.to_owned());
    Box::new(move |result: Result<(), StoreError>| {
        told.lock().unwrap().push(match result {
            Ok(()) => format!("{name} stored"),
            Err(error) => format!("{name}: {error}"),
        });
    })
}

async fn stored_bodies(store: &Store) -> String {
    store
        .read(|connection| {
            Ok(connection.query_row("SELECT coalesce(string_agg(Body, ',' ORDER BY Body), '') FROM otel_logs", [], |row| row.get(0))?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn bulk_writes_share_a_transaction_until_something_else_commits_it() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store.duckdb"), StoreOptions::default()).unwrap();
    let told = Arc::new(Mutex::new(Vec::new()));
    let nothing = || -> ai_observer_engine::store::SaveWithRows { Box::new(|_| Ok(())) };
    let told_now = || told.lock().unwrap().join(" | ");

    store.write_bulk(one_log("a"), nothing(), tell(&told, "a")).await.unwrap();
    let save_b: ai_observer_engine::store::SaveWithRows = Box::new(|connection| {
        connection.execute_batch("CREATE TABLE saved_with_b AS SELECT 1 AS x").map_err(|error| StoreError::Write(error.to_string()))
    });
    store.write_bulk(one_log("b"), save_b, tell(&told, "b")).await.unwrap();
    assert_eq!(stored_bodies(&store).await, "", "appended, not committed");
    assert_eq!(told_now(), "");

    store.commit_bulk().await.unwrap();
    assert_eq!(stored_bodies(&store).await, "a,b");
    assert_eq!(told_now(), "a stored | b stored");
    let saved: i64 =
        store.read(|connection| Ok(connection.query_row("SELECT count(*) FROM saved_with_b", [], |row| row.get(0))?)).await.unwrap();
    assert_eq!(saved, 1, "what a write saves is committed with its rows");

    // An OTLP request (or any plain write) commits the open bulk transaction before its own.
    store.write_bulk(one_log("c"), nothing(), tell(&told, "c")).await.unwrap();
    let plain = WriteBatch { logs: vec![LogRecord { body: "otlp".to_owned(), ..LogRecord::default() }], ..WriteBatch::default() };
    store.write_waiting(plain).await.unwrap();
    assert_eq!(told_now(), "a stored | b stored | c stored");
    assert_eq!(stored_bodies(&store).await, "a,b,c,otlp");

    // A write that fails takes the whole open transaction with it, and every sender is told.
    store.write_bulk(one_log("d"), nothing(), tell(&told, "d")).await.unwrap();
    let refuse: ai_observer_engine::store::SaveWithRows = Box::new(|_| Err(StoreError::Write("refused".to_owned())));
    let refused = store.write_bulk(one_log("e"), refuse, tell(&told, "e")).await;
    assert_eq!(refused.unwrap_err().to_string(), "the store cannot take writes: refused");
    assert_eq!(
        told_now(),
        "a stored | b stored | c stored | d: the store cannot take writes: refused | e: the store cannot take writes: refused"
    );
    store.commit_bulk().await.unwrap();
    assert_eq!(stored_bodies(&store).await, "a,b,c,otlp", "neither d nor e");

    // The writer commits an open bulk transaction before it stops.
    store.write_bulk(one_log("f"), nothing(), tell(&told, "f")).await.unwrap();
    store.shutdown().await;
    assert!(told_now().ends_with("| f stored"), "{}", told_now());
    drop(store);
    let reopened = Store::open(&folder.path().join("store.duckdb"), StoreOptions::default()).unwrap();
    assert_eq!(stored_bodies(&reopened).await, "a,b,c,f,otlp");
    reopened.shutdown().await;
}
