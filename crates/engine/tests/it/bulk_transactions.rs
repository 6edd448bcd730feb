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

fn usage(key: &str, output_tokens: i64, bulk: bool, usage_keys_unseen: bool) -> WriteBatch {
    let record = ai_observer_engine::model::UsageRecord {
        record_key: key.to_owned(),
        time: 1_764_547_200_000_000_000,
        tool: Some(ai_observer_engine::model::Tool::Codex),
        source: Some(ai_observer_engine::model::UsageSource::Import),
        service_name: "codex".to_owned(),
        session_id: Some("session".to_owned()),
        request_id: Some(key.replace("file:codex:resp:", "")),
        model: "gpt-5".to_owned(),
        input_tokens: 10,
        output_tokens,
        ..Default::default()
    };
    WriteBatch { usage: vec![record], bulk, usage_keys_unseen, ..WriteBatch::default() }
}

async fn stored_outputs(store: &Store) -> String {
    store
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT string_agg(RecordKey || '=' || OutputTokens || if(Counted, '', ' not counted'), ', ' ORDER BY RecordKey)
                 FROM usage_records",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap()
}

/// A first pass's records of keys it sends for the first time are appended without an upsert
/// (`store::unseen_keys`) only while no other write can have stored them: a repeat with more output
/// still replaces the stored record, a key the watcher stored meanwhile or one stored before the
/// import began is upserted, and no write fails on the key.
#[tokio::test]
async fn a_first_pass_appends_unseen_keys_and_upserts_whatever_another_write_may_have_stored() {
    let folder = tempfile::tempdir().unwrap();
    let store = Store::open(&folder.path().join("store.duckdb"), StoreOptions::default()).unwrap();
    let told = Arc::new(Mutex::new(Vec::new()));
    let nothing = || -> ai_observer_engine::store::SaveWithRows { Box::new(|_| Ok(())) };

    store.write_waiting(usage("file:codex:resp:before", 1, false, false)).await.unwrap();
    store.begin_bulk_writes(2).await.unwrap();
    store.write_bulk(usage("file:codex:resp:before", 4, true, true), nothing(), tell(&told, "before")).await.unwrap();
    store.commit_bulk().await.unwrap();
    store.end_bulk_writes().await.unwrap();
    assert_eq!(stored_outputs(&store).await, "file:codex:resp:before=4", "a key stored before the import is upserted");

    let store = Store::open(&folder.path().join("new.duckdb"), StoreOptions::default()).unwrap();
    store.write_waiting(usage("otlp:codex:telemetry", 7, false, false)).await.unwrap();
    store.begin_bulk_writes(2).await.unwrap();
    store.write_bulk(usage("file:codex:resp:a", 1, true, true), nothing(), tell(&told, "a")).await.unwrap();
    store.write_bulk(usage("file:codex:resp:b", 2, true, true), nothing(), tell(&told, "b")).await.unwrap();
    // The watcher stores a key the pass has not sent yet; appended plainly, the pass's copy would
    // fail on the key and take the open transaction with it.
    store.write_waiting(usage("file:codex:resp:c", 1, false, false)).await.unwrap();
    store.write_bulk(usage("file:codex:resp:c", 3, true, true), nothing(), tell(&told, "c")).await.unwrap();
    store.write_bulk(usage("file:codex:resp:a", 5, true, false), nothing(), tell(&told, "a again")).await.unwrap();
    store.commit_bulk().await.unwrap();
    store.end_bulk_writes().await.unwrap();
    assert_eq!(told.lock().unwrap().join(" | "), "before stored | a stored | b stored | c stored | a again stored");
    assert_eq!(stored_outputs(&store).await, "file:codex:resp:a=5, file:codex:resp:b=2, file:codex:resp:c=3, otlp:codex:telemetry=7");
}

async fn stored_counters(store: &Store) -> String {
    store
        .read(|connection| {
            Ok(connection.query_row(
                "SELECT coalesce(string_agg(RecordKey || '=' || Value || ' ' || json_extract_string(Attributes, '$.import_source'), ', ' ORDER BY RecordKey), '')
                 || ' | owed ' || (SELECT count(*) FROM import_counters_owed)
                 FROM otel_metrics",
                [],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap()
}

/// A bulk import's full read owes its records' counters (`WriteBatch::counters_owed`): they are
/// not stored with the records but derived when the import ends, or, for an import stopped before
/// its end, when the store next opens; each once.
#[tokio::test]
async fn counters_owed_by_a_stopped_bulk_import_are_derived_when_the_store_opens() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("store.duckdb");
    let store = Store::open(&path, StoreOptions::default()).unwrap();
    let told = Arc::new(Mutex::new(Vec::new()));
    let owed = |key: &str, output: i64| WriteBatch { counters_owed: Some("file_watcher"), ..usage(key, output, true, false) };
    store.begin_bulk_writes(2).await.unwrap();
    store.write_bulk(owed("file:codex:resp:a", 3), Box::new(|_| Ok(())), tell(&told, "a")).await.unwrap();
    store.commit_bulk().await.unwrap();
    assert_eq!(stored_counters(&store).await, " | owed 1", "owed, not stored");
    // Stopped before `end_bulk_writes`, like a killed import whose transaction had committed.
    store.shutdown().await;
    drop(store);

    let store = Store::open(&path, StoreOptions::default()).unwrap();
    let derived = "file:codex:resp:a:token:input=10.0 file_watcher, file:codex:resp:a:token:output=3.0 file_watcher";
    assert_eq!(stored_counters(&store).await, format!("{derived} | owed 0"));
    // Read again in another bulk import with more output: the new points replace the old ones.
    store.begin_bulk_writes(2).await.unwrap();
    store.write_bulk(owed("file:codex:resp:a", 8), Box::new(|_| Ok(())), tell(&told, "a again")).await.unwrap();
    store.commit_bulk().await.unwrap();
    store.end_bulk_writes().await.unwrap();
    assert_eq!(
        stored_counters(&store).await,
        "file:codex:resp:a:token:input=10.0 file_watcher, file:codex:resp:a:token:output=8.0 file_watcher | owed 0"
    );
    assert_eq!(told.lock().unwrap().join(" | "), "a stored | a again stored");
    store.shutdown().await;
}
