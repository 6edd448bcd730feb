//! A team server: named tokens say which machine sent what, spend splits by machine and person,
//! and a token can neither speak for another machine, nor outlive its revocation, nor change data.
//! Real servers on loopback, the real CLIs' captured requests sent with a bearer token as their
//! exporters send it (`OTEL_EXPORTER_OTLP_HEADERS`).

use crate::support::spend::{ByKey, expected_counts, spend_by};
use crate::support::{TestServer, captures, expected};
use reqwest::Method;
use serde_json::json;

const RANGE: &str = "from=2026-11-01&to=2100-01-01&tz=UTC";
const CLAUDE_RUNS: [&str; 2] = ["claude-json-plain", "claude-proto-toolcall"];
const CODEX_RUNS: [&str; 2] = ["codex-json-plain", "codex-binary-toolcall"];

async fn make_token(server: &TestServer, name: &str) -> String {
    let (status, made) = server.send_json(Method::POST, "/api/tokens", &json!({ "name": name })).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["name"], name);
    made["token"].as_str().unwrap().to_owned()
}

async fn send_runs(server: &TestServer, runs: &[&str], token: Option<&str>) {
    for capture in captures(runs) {
        let response = match token {
            Some(token) => capture.replay_as(&server.client, &server.otlp(""), token).await,
            None => capture.replay(&server.client, &server.otlp("")).await,
        };
        assert_eq!(response.status(), 200, "{} {}", capture.run, capture.name);
    }
}

/// Rows of a telemetry table whose resource names `machine`.
async fn rows_of_machine(server: &TestServer, table: &'static str, machine: &'static str) -> i64 {
    server
        .engine
        .store()
        .read(move |connection| {
            Ok(connection.query_row(
                &format!("SELECT count(*) FROM {table} WHERE json_extract_string(ResourceAttributes, '$.\"ai_observer.machine\"') = ?"),
                [machine],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn each_machine_s_token_names_it_on_every_row_and_spend_splits_by_machine() {
    let server = TestServer::start().await;
    let laptop = make_token(&server, "laptop").await;
    let build_box = make_token(&server, "build-box").await;
    send_runs(&server, &CLAUDE_RUNS, Some(&laptop)).await;
    send_runs(&server, &CODEX_RUNS, Some(&build_box)).await;
    send_runs(&server, &["gemini-plain", "gemini-toolcall"], None).await;

    let expected = expected();
    let mut gemini = expected_counts(&expected["tools"]["gemini_cli"]["totals_all_requests"]);
    gemini[4] += gemini[5]; // Gemini's thinking is billed as output.
    let want = ByKey::from([
        ("laptop".to_owned(), expected_counts(&expected["tools"]["claude_code"]["totals_all_requests"])),
        ("build-box".to_owned(), expected_counts(&expected["tools"]["codex"]["totals_all_requests"])),
        ("local".to_owned(), gemini),
    ]);
    assert_eq!(want["laptop"][0], 6);
    assert_eq!(spend_by(&server, "machine", RANGE).await, want);
    let laptop_only = spend_by(&server, "tool", &format!("machine=laptop&{RANGE}")).await;
    assert_eq!(laptop_only, ByKey::from([("claude-code".to_owned(), want["laptop"])]));
    let local_only = spend_by(&server, "tool", &format!("machine=local&{RANGE}")).await;
    assert_eq!(local_only, ByKey::from([("gemini".to_owned(), want["local"])]));

    // The raw telemetry carries the sender too, on its resource.
    assert!(rows_of_machine(&server, "otel_logs", "laptop").await > 0);
    assert!(rows_of_machine(&server, "otel_metrics", "build-box").await > 0);
    assert!(rows_of_machine(&server, "otel_traces", "laptop").await > 0);
    let (status, invalid) = server.get_status(&format!("/api/spend?groupBy=team&{RANGE}")).await;
    assert_eq!(status, 400);
    assert!(invalid["message"].as_str().unwrap().contains("machine, user or host"), "{invalid}");
    server.stop().await;
}

#[tokio::test]
async fn a_token_speaks_only_for_its_own_machine() {
    let server = TestServer::start().await;
    let laptop = make_token(&server, "laptop").await;
    let build_box = make_token(&server, "build-box").await;
    // The laptop's data claims to come from the build box; the token says otherwise.
    for capture in captures(&["claude-json-plain"]) {
        let forged = capture.with_resource_attribute("ai_observer.machine", "build-box");
        assert_eq!(forged.replay_as(&server.client, &server.otlp(""), &laptop).await.status(), 200);
    }
    let by_machine = spend_by(&server, "machine", RANGE).await;
    assert_eq!(by_machine.keys().collect::<Vec<_>>(), ["laptop"]);
    let laptop_counts = by_machine["laptop"];
    assert_eq!(laptop_counts[0], 2, "claude-json-plain made two model requests");
    assert_eq!(rows_of_machine(&server, "otel_logs", "build-box").await, 0);
    // Without a token, the data cannot name a machine either.
    for capture in captures(&["codex-json-plain"]) {
        let forged = capture.with_resource_attribute("ai_observer.machine", "laptop");
        assert_eq!(forged.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let by_machine = spend_by(&server, "machine", RANGE).await;
    assert_eq!(by_machine["laptop"], laptop_counts, "the anonymous codex requests are not the laptop's");
    assert!(by_machine["local"][0] > 0);

    // The build box replaying the laptop's requests takes none of them over, and adds no request.
    send_runs(&server, &["claude-json-plain"], Some(&build_box)).await;
    let replayed = spend_by(&server, "machine", RANGE).await;
    assert_eq!(replayed, by_machine, "a replay counts nothing twice and moves nothing");
    server.stop().await;
}

#[tokio::test]
async fn wrong_and_revoked_tokens_are_refused_at_once_and_across_a_restart() {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
    use prost::Message;

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("team.duckdb");
    let server = TestServer::start_on(&database).await;
    let laptop = make_token(&server, "laptop").await;
    let logs = captures(&["claude-json-plain"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    // the laptop's token with its last hex digit changed (never to itself: one token in 16 ends in 0)
    let last = if laptop.ends_with('0') { '1' } else { '0' };
    let wrong = format!("{}{last}", &laptop[..laptop.len() - 1]);
    assert_ne!(wrong, laptop);
    let before = server.row_counts().await;
    assert_eq!(logs.replay_as(&server.client, &server.otlp(""), &wrong).await.status(), 401);
    let rest = server.client.get(server.api("/api/stats")).bearer_auth(&wrong).send().await.unwrap();
    assert_eq!(rest.status(), 401, "a wrong token is refused on loopback too");
    assert_eq!(server.row_counts().await, before);

    // gRPC reads the same tokens from the request's metadata.
    let proto = captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    let request = ExportLogsServiceRequest::decode(proto.body.as_slice()).unwrap();
    let mut client = LogsServiceClient::connect(format!("http://127.0.0.1:{}", server.ports.otlp_grpc)).await.unwrap();
    let mut refused = tonic::Request::new(request.clone());
    refused.metadata_mut().insert("authorization", format!("Bearer {wrong}").parse().unwrap());
    assert_eq!(client.export(refused).await.unwrap_err().code(), tonic::Code::Unauthenticated);
    let mut accepted = tonic::Request::new(request.clone());
    accepted.metadata_mut().insert("authorization", format!("Bearer {laptop}").parse().unwrap());
    client.export(accepted).await.unwrap();
    assert_eq!(
        spend_by(&server, "machine", RANGE).await["laptop"][0],
        3,
        "the three api_request events of the first logs request, by gRPC"
    );

    // Revoked: the next request is refused, by both transports.
    let (status, revoked) = server.send_json(Method::DELETE, "/api/tokens/laptop", &json!({})).await;
    assert_eq!(status, 200, "{revoked}");
    assert!(revoked["revokedAt"].is_string());
    let counted = server.row_counts().await;
    assert_eq!(logs.replay_as(&server.client, &server.otlp(""), &laptop).await.status(), 401);
    let mut late = tonic::Request::new(request);
    late.metadata_mut().insert("authorization", format!("Bearer {laptop}").parse().unwrap());
    assert_eq!(client.export(late).await.unwrap_err().code(), tonic::Code::Unauthenticated);
    assert_eq!(server.row_counts().await, counted);
    let build_box = make_token(&server, "build-box").await;
    let (status, again) = server.send_json(Method::POST, "/api/tokens", &json!({ "name": "build-box" })).await;
    assert_eq!((status, again["code"].as_str()), (409, Some("conflict")), "{again}");
    server.stop().await;

    // After a restart the store still knows which tokens are in force, by their hashes only.
    let server = TestServer::start_on(&database).await;
    assert_eq!(logs.replay_as(&server.client, &server.otlp(""), &laptop).await.status(), 401);
    assert_eq!(logs.replay_as(&server.client, &server.otlp(""), &build_box).await.status(), 200);
    let listed = server.get_json("/api/tokens").await;
    let names: Vec<(&str, bool)> =
        listed["tokens"].as_array().unwrap().iter().map(|token| (token["name"].as_str().unwrap(), token["revokedAt"].is_null())).collect();
    assert_eq!(names, [("build-box", true), ("laptop", false)]);
    let stored: Vec<String> = server
        .engine
        .store()
        .read(|connection| {
            let mut statement = connection.prepare("SELECT TokenHash FROM api_tokens ORDER BY Name")?;
            let rows = statement.query_map([], |row| row.get(0))?;
            Ok(rows.collect::<Result<Vec<String>, _>>()?)
        })
        .await
        .unwrap();
    assert!(stored.iter().all(|hash| hash.len() == 64 && *hash != laptop && *hash != build_box), "only hashes are kept");
    server.stop().await;
}

#[tokio::test]
async fn a_machine_token_reads_but_changes_nothing_and_manages_no_tokens() {
    let server = TestServer::start().await;
    let laptop = make_token(&server, "laptop").await;
    send_runs(&server, &["claude-json-plain"], Some(&laptop)).await;
    let before = server.row_counts().await;
    let as_laptop = |method: Method, path: &str| server.client.request(method, server.api(path)).bearer_auth(&laptop);

    let read = as_laptop(Method::GET, &format!("/api/spend?groupBy=machine&{RANGE}")).send().await.unwrap();
    assert_eq!(read.status(), 200);
    let batch = as_laptop(Method::POST, "/api/metrics/batch-series").json(&json!({"queries": []})).send().await.unwrap();
    assert_ne!(batch.status(), 403, "reads sent as POST stay open");
    let delete =
        as_laptop(Method::POST, "/api/delete").json(&json!({"scope": "all", "from": "2000-01-01", "to": "2100-01-01"})).send().await;
    assert_eq!(delete.unwrap().status(), 403);
    let settings = as_laptop(Method::PUT, "/api/settings").json(&json!({"dailyBudgetUsd": 1})).send().await.unwrap();
    assert_eq!(settings.status(), 403);
    for (method, path) in [(Method::GET, "/api/tokens"), (Method::POST, "/api/tokens"), (Method::DELETE, "/api/tokens/laptop")] {
        let response = as_laptop(method.clone(), path).json(&json!({"name": "intruder"})).send().await.unwrap();
        assert_eq!(response.status(), 403, "{method} {path}");
    }
    assert_eq!(server.row_counts().await, before);
    let listed = server.get_json("/api/tokens").await;
    assert_eq!(listed["tokens"].as_array().unwrap().len(), 1, "no token was made or revoked");
    server.stop().await;
}

#[tokio::test]
async fn spend_splits_by_person_where_the_data_names_one() {
    let server = TestServer::start().await;
    for (run, user) in [("claude-json-plain", "ada@example.com"), ("codex-json-plain", "grace@example.com")] {
        for capture in captures(&[run]) {
            let named = capture.with_resource_attribute("user.email", user);
            assert_eq!(named.replay(&server.client, &server.otlp("")).await.status(), 200);
        }
    }
    send_runs(&server, &["gemini-plain"], None).await;
    let by_tool = spend_by(&server, "tool", RANGE).await;
    let by_user = spend_by(&server, "user", RANGE).await;
    assert_eq!(
        by_user,
        ByKey::from([
            ("ada@example.com".to_owned(), by_tool["claude-code"]),
            ("grace@example.com".to_owned(), by_tool["codex"]),
            ("unknown".to_owned(), by_tool["gemini"]),
        ])
    );
    assert_eq!(by_user["ada@example.com"][0], 2);
    let ada = spend_by(&server, "model", &format!("user=ada%40example.com&{RANGE}")).await;
    assert_eq!(ada.values().map(|counts| counts[0]).sum::<i64>(), 2);
    server.stop().await;
}

#[tokio::test]
async fn spend_splits_by_host_where_the_tool_sends_host_name() {
    let server = TestServer::start().await;
    send_runs(&server, &["claude-json-plain", "codex-json-plain", "gemini-plain"], None).await;
    let by_tool = spend_by(&server, "tool", RANGE).await;
    let mut codex_and_gemini = [0; 6];
    crate::support::spend::add(&mut codex_and_gemini, &by_tool["codex"]);
    crate::support::spend::add(&mut codex_and_gemini, &by_tool["gemini"]);
    // The captures ran on a host named "vm": Codex's logs and Gemini CLI's resource say so, Claude Code's do not.
    assert_eq!(
        spend_by(&server, "host", RANGE).await,
        ByKey::from([("vm".to_owned(), codex_and_gemini), ("unknown".to_owned(), by_tool["claude-code"])])
    );
    let on_vm = spend_by(&server, "tool", &format!("host=vm&{RANGE}")).await;
    assert_eq!(on_vm.keys().collect::<Vec<_>>(), ["codex", "gemini"]);
    server.stop().await;
}
