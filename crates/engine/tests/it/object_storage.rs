//! Parquet to S3-compatible object storage, against a real S3 API: moto's server on loopback
//! (installed by scripts/setup.sh). What lands in the bucket reads back with DuckDB as the store
//! has it, partitioned by day and by the machine that sent it, and a second export sends only the
//! last day again.

use crate::support::{TestServer, captures};
use ai_observer_engine::export::object_storage::{ObjectExportRequest, export_to_object_storage};
use futures_util::StreamExt;
use object_store::ObjectStore;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// moto's S3 server: `AI_OBSERVER_MOTO_SERVER`, else where scripts/setup.sh installs it.
fn moto_server() -> PathBuf {
    let path = std::env::var_os("AI_OBSERVER_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/ai-observer/moto/bin/moto_server"));
    assert!(path.exists(), "{} is missing: run scripts/setup.sh (it installs moto's S3 server for this test)", path.display());
    path
}

struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(moto_server())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server starts");
    let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(&moto.endpoint).await.is_err() {
        assert!(Instant::now() < deadline, "moto did not answer on {}", moto.endpoint);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    moto
}

fn options(endpoint: &str) -> Vec<(String, String)> {
    [
        ("aws_access_key_id", "testing"),
        ("aws_secret_access_key", "testing"),
        ("aws_region", "us-east-1"),
        ("aws_endpoint", endpoint),
        ("aws_allow_http", "true"),
    ]
    .iter()
    .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
    .collect()
}

#[tokio::test]
async fn the_tables_land_in_the_bucket_by_day_read_back_exactly_and_only_new_days_go_again() {
    let moto = start_moto().await;
    let bucket = reqwest::Client::new().put(format!("{}/team-bucket", moto.endpoint)).send().await.unwrap();
    assert!(bucket.status().is_success(), "create the bucket: {}", bucket.status());
    let server = TestServer::start().await;
    for capture in captures(&[]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    // Claude Code's log request once more, a day later (moved in time as a whole) and sent by the
    // machine "desk" with its token, so the store holds two days of logs from two machines.
    let desk_token = server.engine.tokens().add("desk").await.unwrap().token;
    let logs = captures(&["claude-json-plain"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    let mut later: serde_json::Value = serde_json::from_slice(&logs.body).unwrap();
    for resource in later["resourceLogs"].as_array_mut().unwrap() {
        for scope in resource["scopeLogs"].as_array_mut().unwrap() {
            for record in scope["logRecords"].as_array_mut().unwrap() {
                for field in ["timeUnixNano", "observedTimeUnixNano"] {
                    if let Some(nanos) = record[field].as_str().and_then(|text| text.parse::<u64>().ok()) {
                        record[field] = serde_json::Value::String((nanos + 86_400_000_000_000).to_string());
                    }
                }
            }
        }
    }
    let moved = server
        .client
        .post(server.otlp("/v1/logs"))
        .header("content-type", "application/json")
        .bearer_auth(&desk_token)
        .body(later.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let request = || ObjectExportRequest { url: "s3://team-bucket/ai-observer".to_owned() };

    let first = export_to_object_storage(server.engine.store(), request(), options(&moto.endpoint)).await.unwrap();
    let (days, usage_days, usage, output): (Vec<String>, i64, i64, i64) = server
        .engine
        .store()
        .read(|connection| {
            let mut statement = connection.prepare(
                "SELECT DISTINCT strftime(Timestamp, '%Y-%m-%d') FROM (SELECT Timestamp FROM usage_records UNION ALL SELECT Timestamp FROM otel_logs
                 UNION ALL SELECT Timestamp FROM otel_metrics UNION ALL SELECT Timestamp FROM otel_traces) ORDER BY 1",
            )?;
            let days = statement.query_map([], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
            let (usage_days, usage, output) = connection.query_row(
                "SELECT count(DISTINCT strftime(Timestamp, '%Y-%m-%d')), count(*), sum(OutputTokens)::BIGINT FROM usage_records",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )?;
            Ok((days, usage_days, usage, output))
        })
        .await
        .unwrap();
    assert_eq!(first.days, days, "every day with data");
    assert!(days.len() >= 2, "{days:?}");
    assert!(usage > 0);

    let (objects, prefix) =
        object_store::parse_url_opts(&url::Url::parse("s3://team-bucket/ai-observer").unwrap(), options(&moto.endpoint)).unwrap();
    let listed: Vec<object_store::ObjectMeta> = objects.list(Some(&prefix)).map(|meta| meta.unwrap()).collect().await;
    let usage_files: Vec<&object_store::ObjectMeta> = listed.iter().filter(|meta| meta.location.as_ref().contains("/usage/day=")).collect();
    assert_eq!(listed.len() as u64, first.objects, "{listed:?}");
    assert_eq!(usage_files.len() as i64, usage_days, "one usage file per day with requests (all from this machine)");
    assert!(usage_files.iter().all(|meta| meta.location.as_ref().contains("/machine=local/")), "{usage_files:?}");

    // The logs by machine, read back from the bucket's hive layout as the store counts them.
    let logs_folder = tempfile::tempdir().unwrap();
    for meta in listed.iter().filter(|meta| meta.location.as_ref().contains("/logs/day=")) {
        let relative = meta.location.as_ref().split_once("/logs/").unwrap().1;
        let path = logs_folder.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, objects.get(&meta.location).await.unwrap().bytes().await.unwrap()).unwrap();
    }
    let logs_by_machine: Vec<(String, i64)> = {
        let reader = duckdb::Connection::open_in_memory().unwrap();
        let mut statement = reader
            .prepare(&format!(
                "SELECT machine, count(*) FROM read_parquet('{}/**/*.parquet', hive_partitioning = true) GROUP BY machine ORDER BY machine",
                logs_folder.path().display()
            ))
            .unwrap();
        statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let stored_by_machine: Vec<(String, i64)> = server
        .engine
        .store()
        .read(|connection| {
            let mut statement = connection.prepare(
                "SELECT coalesce(json_extract_string(ResourceAttributes, '$.\"ai_observer.machine\"'), 'local') AS machine, count(*)
                 FROM otel_logs GROUP BY machine ORDER BY machine",
            )?;
            Ok(statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?)
        })
        .await
        .unwrap();
    assert_eq!(stored_by_machine.iter().map(|(machine, _)| machine.as_str()).collect::<Vec<_>>(), ["desk", "local"]);
    assert_eq!(logs_by_machine, stored_by_machine, "the logs of each machine under its own partition");

    // Read the usage back from the bucket with DuckDB, as an analyst would.
    let folder = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (index, meta) in usage_files.iter().enumerate() {
        let bytes = objects.get(&meta.location).await.unwrap().bytes().await.unwrap();
        let path = folder.path().join(format!("usage-{index}.parquet"));
        std::fs::write(&path, &bytes).unwrap();
        paths.push(format!("'{}'", path.display()));
    }
    let reader = duckdb::Connection::open_in_memory().unwrap();
    let (read_usage, read_output): (i64, i64) = reader
        .query_row(&format!("SELECT count(*), sum(OutputTokens)::BIGINT FROM read_parquet([{}])", paths.join(", ")), [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!((read_usage, read_output), (usage, output), "the bucket holds the store's requests and tokens");

    let second = export_to_object_storage(server.engine.store(), request(), options(&moto.endpoint)).await.unwrap();
    assert_eq!(second.days, vec![days.last().unwrap().clone()], "only the last day goes again");
    assert!(second.objects < first.objects);
    server.stop().await;
}
