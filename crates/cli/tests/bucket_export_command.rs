//! `ai-observer export --bucket s3://…` with the real binary against moto's S3 server on loopback,
//! credentials and endpoint from the standard AWS variables: what `serve` stored lands in the
//! bucket as hive-partitioned Parquet, and a second run sends only the last day again.

// Test helpers may unwrap: a failure is the test failing, with its message.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use support::{BINARY, Server};

fn moto_server() -> PathBuf {
    let path = std::env::var_os("AI_OBSERVER_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache/ai-observer/moto/bin/moto_server"));
    assert!(path.exists(), "{} is missing: run scripts/setup.sh", path.display());
    path
}

fn http(method: &str, url: &str, body: Option<Vec<u8>>) -> u16 {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let request = match method {
            "PUT" => client.put(url),
            "POST" => client.post(url).header("content-type", "application/json"),
            _ => client.get(url),
        };
        let request = match body {
            Some(body) => request.body(body),
            None => request,
        };
        request.send().await.map(|response| response.status().as_u16()).unwrap_or(0)
    })
}

/// The bucket's object listing (S3 ListObjectsV2 XML).
fn bucket_listing(endpoint: &str) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async { reqwest::get(format!("{endpoint}/observer-data?list-type=2")).await.unwrap().text().await.unwrap() })
}

fn export(database: &Path, endpoint: &str) -> std::process::Output {
    Command::new(BINARY)
        .args(["export", "--bucket", "s3://observer-data/team", "--database"])
        .arg(database)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", endpoint)
        .env("AWS_ALLOW_HTTP", "true")
        .output()
        .unwrap()
}

#[test]
fn export_to_a_bucket_writes_new_days_only() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut moto = Command::new(moto_server())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while http("GET", &endpoint, None) == 0 {
        assert!(Instant::now() < deadline, "moto did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(http("PUT", &format!("{endpoint}/observer-data"), None), 200);

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("bucket.duckdb");
    let server = Server::start(&database, &[]);
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures/cli-captures/claude-json-plain/otlp/0002-logs.bin"),
    )
    .unwrap();
    assert_eq!(http("POST", &format!("{}/v1/logs", server.otlp), Some(body)), 200);
    assert!(server.stop().success());

    let first = export(&database, &endpoint);
    let said = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "{said}{}", String::from_utf8_lossy(&first.stderr));
    assert!(said.contains("to s3://observer-data/team") && said.contains("days 2026-11-28 to 2026-11-28"), "{said}");
    let listing = bucket_listing(&endpoint);
    assert!(listing.contains("team/usage/day=2026-11-28/"), "{listing}");
    assert!(listing.contains("team/logs/day=2026-11-28/"), "{listing}");

    let second = export(&database, &endpoint);
    assert!(String::from_utf8_lossy(&second.stdout).contains("days 2026-11-28 to 2026-11-28"), "the last day again, nothing older");
    let _ = moto.kill();
    let _ = moto.wait();
}
