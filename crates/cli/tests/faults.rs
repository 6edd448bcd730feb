//! Faults, with the real binary: a kill -9 during sustained ingest loses no acknowledged request, a
//! full disk answers 503 and recovers when space returns, a database locked by another process is
//! a clear error, an import killed half-way completes without duplicates (in its usage and its
//! counters) when run again, and the files the server writes at rest are readable by the user only.

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod support;

use support::{BINARY, CORPUS, Server};

fn span_request(trace: u64, spans: u64) -> serde_json::Value {
    let spans: Vec<serde_json::Value> = (0..spans)
        .map(|index| serde_json::json!({"traceId": format!("{trace:032x}"), "spanId": format!("{:016x}", trace * 1000 + index + 1), "name": "load", "startTimeUnixNano": (1_795_873_621_000_000_000u64 + trace).to_string(), "endTimeUnixNano": (1_795_873_622_000_000_000u64 + trace).to_string()}))
        .collect();
    serde_json::json!({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "fault-test"}}]}, "scopeSpans": [{"spans": spans}]}]})
}

fn query(url: &str) -> serde_json::Value {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async { reqwest::get(url).await.expect("query").json::<serde_json::Value>().await.expect("json") })
}

/// The rows of a `SELECT` through the query API's SQL console.
fn sql_rows(api: &str, statement: &str) -> serde_json::Value {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let answer: serde_json::Value = runtime.block_on(async {
        let client = reqwest::Client::new();
        let response = client.post(format!("{api}/api/sql")).json(&serde_json::json!({ "sql": statement })).send().await.expect("sql");
        response.json().await.expect("json")
    });
    answer["rows"].clone()
}

#[test]
fn a_kill_during_sustained_ingest_loses_no_acknowledged_request() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("kill.duckdb");
    let server = Server::start(&database, &[]);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let otlp = server.otlp.clone();
    let acknowledged = runtime.block_on(async move {
        let client = reqwest::Client::new();
        let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for worker in 0..4u64 {
            let (client, otlp, acknowledged) = (client.clone(), otlp.clone(), acknowledged.clone());
            tasks.push(tokio::spawn(async move {
                for sequence in 0.. {
                    let trace = worker * 1_000_000 + sequence + 1;
                    match client
                        .post(format!("{otlp}/v1/traces"))
                        .json(&span_request(trace, 5))
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await
                    {
                        Ok(response) if response.status() == 200 => acknowledged.lock().unwrap().push(trace),
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        (tasks, acknowledged)
    });
    let (tasks, acknowledged) = acknowledged;
    server.kill_hard();
    runtime.block_on(async {
        for task in tasks {
            let _ = task.await;
        }
    });
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > 10, "the load ran ({} acknowledged)", acknowledged.len());

    let server = Server::start(&database, &[]);
    // Every stored trace, a page of 1 000 at a time.
    let mut stored: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for offset in (0..).step_by(1000) {
        let listing = query(&format!(
            "{}/api/traces?service=fault-test&from=2026-11-28T00:00:00Z&to=2026-11-29T00:00:00Z&limit=1000&offset={offset}",
            server.api
        ));
        let page = listing["traces"].as_array().unwrap();
        stored.extend(page.iter().map(|trace| (trace["traceId"].as_str().unwrap().to_owned(), trace["spanCount"].as_i64().unwrap())));
        if page.len() < 1000 {
            break;
        }
    }
    for trace in &acknowledged {
        assert_eq!(stored.get(&format!("{trace:032x}")), Some(&5), "acknowledged trace {trace} has all its spans");
    }
    assert!(server.stop().success());
}

#[test]
fn a_database_held_by_another_process_is_a_clear_error() {
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("locked.duckdb");
    let first = Server::start(&database, &[]);
    let second = Command::new(BINARY)
        .args(["serve", "--api-port", "0", "--otlp-port", "0", "--no-grpc", "--database"])
        .arg(&database)
        .output()
        .unwrap();
    assert!(!second.status.success());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(message.contains("is locked by another process"), "{message}");
    // The command-line tools use the running server's API instead (here told where it is).
    let prices = Command::new(BINARY).args(["prices", "--json", "--api-url", &first.api, "--database"]).arg(&database).output().unwrap();
    assert!(prices.status.success(), "{}", String::from_utf8_lossy(&prices.stderr));
    assert!(String::from_utf8_lossy(&prices.stdout).contains("claude-opus-4-8"));
    assert!(first.stop().success());
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|output| output.stdout.starts_with(b"0\n")).unwrap_or(false)
}

#[test]
fn a_full_disk_answers_503_loses_nothing_and_recovers() {
    if !is_root() {
        eprintln!("skipped: mounting a small file system for the full-disk test needs root");
        return;
    }
    let mount = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=24m", "tmpfs"]).arg(mount.path()).status().expect("mount");
    assert!(mounted.success(), "a tmpfs can be mounted");
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mount.path().to_owned());
    let database = mount.path().join("full.duckdb");
    let server = Server::start(&database, &[]);
    let filler = mount.path().join("filler");
    std::fs::write(&filler, vec![0u8; 15 * 1024 * 1024]).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (acknowledged, refusal) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let mut acknowledged = 0u64;
        for trace in 1..10_000u64 {
            let response = client.post(format!("{}/v1/traces", server.otlp)).json(&span_request(trace, 200)).send().await.unwrap();
            if response.status() == 200 {
                acknowledged = trace;
                continue;
            }
            return (acknowledged, Some((response.status().as_u16(), response.text().await.unwrap())));
        }
        (acknowledged, None)
    });
    let (status, body) = refusal.expect("the disk filled up");
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("No space left on device"), "{body}");
    assert!(acknowledged > 0);
    // Space returns: writes work again without a restart.
    std::fs::remove_file(&filler).unwrap();
    let recovered = runtime.block_on(async {
        reqwest::Client::new().post(format!("{}/v1/traces", server.otlp)).json(&span_request(999_999, 3)).send().await.unwrap().status()
    });
    assert_eq!(recovered, 200);
    assert!(server.stop().success());
    // And the file opens cleanly with every acknowledged request in it.
    let server = Server::start(&database, &[]);
    let stats = query(&format!("{}/api/stats", server.api));
    assert_eq!(stats["spanCount"].as_u64(), Some(acknowledged * 200 + 3));
    assert!(server.stop().success());
}

#[test]
fn an_import_killed_half_way_completes_without_duplicates() {
    let directory = tempfile::tempdir().unwrap();
    let home = directory.path().join("home");
    // Over 32 MB (about 38), so the import is a bulk one: its usage is matched when it ends, and a
    // kill before that leaves unmatched rows for the next start to match.
    let generated =
        Command::new(CORPUS).arg("--home").arg(&home).args(["--sessions", "40", "--turns", "40", "--text-bytes", "2500"]).output().unwrap();
    assert!(generated.status.success());
    let report: serde_json::Value = serde_json::from_slice(&generated.stdout).unwrap();
    let expected_requests: u64 = report.as_array().unwrap().iter().map(|tool| tool["requests"].as_u64().unwrap()).sum();
    let database = directory.path().join("import.duckdb");
    let mut import = Command::new(BINARY)
        .args(["import", "--yes", "--database"])
        .arg(&database)
        .env("HOME", &home)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(2500));
    let _ = Command::new("kill").arg("-9").arg(import.id().to_string()).status();
    let killed_early = import.wait().map(|status| !status.success()).unwrap_or(true);
    assert!(killed_early || started.elapsed() > Duration::ZERO);
    let rerun = Command::new(BINARY).args(["import", "--yes", "--database"]).arg(&database).env("HOME", &home).output().unwrap();
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    let server = Server::start(&database, &[]);
    let spend = query(&format!("{}/api/spend?from=2026-01-01T00:00:00Z&to=2100-01-01T00:00:00Z", server.api));
    assert_eq!(spend["total"]["requests"].as_u64(), Some(expected_requests), "each request once after the interrupted import");
    let tokens = &spend["total"]["tokens"];
    let expected_cache_read: u64 = report.as_array().unwrap().iter().map(|tool| tool["cacheRead"].as_u64().unwrap()).sum();
    assert_eq!(tokens["cacheRead"].as_u64(), Some(expected_cache_read));
    // The token counters beside the usage records, derived at a bulk import's end or when the store
    // opened after the kill, hold the same cache reads, each point once.
    let counters = sql_rows(
        &server.api,
        "SELECT sum(Value)::BIGINT, count(*) - count(DISTINCT RecordKey) FROM otel_metrics
         WHERE (MetricName IN ('claude_code.token.usage', 'codex_cli_rs.token.usage') AND json_extract_string(Attributes, '$.type') = 'cacheRead')
            OR (MetricName = 'gemini_cli.token.usage.delta' AND json_extract_string(Attributes, '$.type') = 'cache')",
    );
    assert_eq!(counters, serde_json::json!([[expected_cache_read, 0]]));
    assert!(server.stop().success());
}

#[cfg(unix)]
#[test]
fn files_at_rest_are_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |path: &Path| std::fs::metadata(path).unwrap_or_else(|error| panic!("{}: {error}", path.display())).permissions().mode() & 0o777;
    let directory = tempfile::tempdir().unwrap();
    let data = directory.path().join("data").join("ai-observer");
    let database = data.join("private.duckdb");
    let server = Server::start(&database, &[]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let export: serde_json::Value = runtime.block_on(async {
        let client = reqwest::Client::new();
        let stored = client.post(format!("{}/v1/traces", server.otlp)).json(&span_request(7, 3)).send().await.unwrap();
        assert_eq!(stored.status(), 200);
        let exported = client.post(format!("{}/api/export", server.api)).json(&serde_json::json!({"output": "week"})).send().await.unwrap();
        assert_eq!(exported.status(), 200);
        exported.json().await.unwrap()
    });
    assert_eq!(mode(&directory.path().join("data")), 0o700, "folders the server creates are user-only");
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&database), 0o600);
    let wal = data.join("private.duckdb.wal");
    assert!(wal.exists(), "the committed request is in the write-ahead log");
    assert_eq!(mode(&wal), 0o600);
    let output = PathBuf::from(export["output"].as_str().unwrap());
    assert_eq!(mode(output.parent().unwrap()), 0o700, "the export root");
    assert_eq!(mode(&output), 0o700);
    for file in ["traces.parquet", "logs.parquet", "usage.parquet"] {
        assert_eq!(mode(&output.join(file)), 0o600, "{file}");
    }
    assert!(server.stop().success());
    // An existing database made readable by others is tightened on the next start.
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = Server::start(&database, &[]);
    assert_eq!(mode(&database), 0o600);
    assert!(server.stop().success());
}
