//! Forwarding to a team's server, with real servers on loopback: what an app accepts arrives at the
//! team server as the app's machine, once; a destination that is down receives everything when it
//! is up, across a restart of the app; prompt text stays on the machine unless the user says so.

use crate::support::spend::{ByKey, spend_by};
use crate::support::{TestServer, captures};
use ai_observer_engine::config::ForwardDestination;
use std::path::Path;
use std::time::{Duration, Instant};

const RANGE: &str = "from=2026-11-01&to=2100-01-01&tz=UTC";
/// Text of the prompt Claude Code sent in `claude-json-plain` (in a log attribute and a span attribute).
const PROMPT_TEXT: &str = "Python f-string";

fn to_team(team_otlp: &str, token: &str) -> ForwardDestination {
    ForwardDestination::http(team_otlp, vec![("Authorization".to_owned(), format!("Bearer {token}"))])
}

async fn app_forwarding_to(database: &Path, destination: ForwardDestination, full_content: bool) -> TestServer {
    TestServer::start_with(database, move |config| {
        config.forwarding.destinations = vec![destination];
        config.forwarding.full_content = full_content;
    })
    .await
}

async fn send(server: &TestServer, runs: &[&str]) -> usize {
    let captures = captures(runs);
    for capture in &captures {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200, "{} {}", capture.run, capture.name);
    }
    captures.len()
}

/// Waits until every destination of the app has nothing queued and `sent` requests delivered;
/// returns the first destination's state.
async fn delivered(app: &TestServer, sent: u64, within: Duration) -> ai_observer_engine::forward::DestinationStatus {
    let deadline = Instant::now() + within;
    loop {
        let mut destinations = app.engine.forwarding_status().destinations;
        if destinations.iter().all(|status| status.queued == 0 && status.sent == sent) {
            return destinations.remove(0);
        }
        assert!(Instant::now() < deadline, "not delivered in {within:?}: {destinations:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Requests, tokens and output of a spend answer's total.
fn total_of(counts: &ByKey) -> [i64; 6] {
    let mut total = [0; 6];
    for group in counts.values() {
        crate::support::spend::add(&mut total, group);
    }
    total
}

/// Rows of the logs and spans that hold `text` anywhere.
async fn rows_holding(server: &TestServer, text: &'static str) -> i64 {
    server
        .engine
        .store()
        .read(move |connection| {
            let pattern = format!("%{text}%");
            Ok(connection.query_row(
                "SELECT (SELECT count(*) FROM otel_logs WHERE Body LIKE ?1 OR CAST(LogAttributes AS VARCHAR) LIKE ?1)
                      + (SELECT count(*) FROM otel_traces WHERE CAST(SpanAttributes AS VARCHAR) LIKE ?1 OR CAST(\"Events.Attributes\" AS VARCHAR) LIKE ?1)",
                [pattern],
                |row| row.get(0),
            )?)
        })
        .await
        .unwrap()
}

/// docs/team.md's first two set-ups: two members' apps forward to one team server, and one of
/// them also to the company's collector (another receiver stands in for it).
#[tokio::test]
async fn two_apps_forward_to_one_team_server_and_each_machine_s_totals_are_exact() {
    let team = TestServer::start().await;
    let collector = TestServer::start().await;
    let laptop_token = team.engine.tokens().add("laptop").await.unwrap().token;
    let desk_token = team.engine.tokens().add("desk").await.unwrap().token;
    let directory = tempfile::tempdir().unwrap();
    let to_collector = ForwardDestination::http(collector.otlp(""), Vec::new());
    let laptop = TestServer::start_with(&directory.path().join("laptop.duckdb"), {
        let destinations = vec![to_team(&team.otlp(""), &laptop_token), to_collector];
        move |config| config.forwarding.destinations = destinations
    })
    .await;
    let desk = app_forwarding_to(&directory.path().join("desk.duckdb"), to_team(&team.otlp(""), &desk_token), false).await;
    let from_laptop = send(&laptop, &["claude-json-plain", "claude-proto-toolcall", "codex-json-plain"]).await;
    let from_desk = send(&desk, &["gemini-plain", "codex-binary-toolcall"]).await;
    let status = delivered(&laptop, from_laptop as u64, Duration::from_secs(30)).await;
    assert_eq!((status.dropped, status.last_error.as_deref()), (0, None));
    assert!(status.last_success.is_some());
    delivered(&desk, from_desk as u64, Duration::from_secs(30)).await;

    let laptop_by_tool = spend_by(&laptop, "tool", RANGE).await;
    let desk_by_tool = spend_by(&desk, "tool", RANGE).await;
    let requests = |counts: &ByKey| counts.iter().map(|(tool, counts)| (tool.clone(), counts[0])).collect::<Vec<_>>();
    assert_eq!(requests(&laptop_by_tool), [("claude-code".to_owned(), 6), ("codex".to_owned(), 1)]);
    assert_eq!(requests(&desk_by_tool), [("codex".to_owned(), 3), ("gemini".to_owned(), 2)]);
    let by_machine = spend_by(&team, "machine", RANGE).await;
    assert_eq!(by_machine, ByKey::from([("laptop".to_owned(), total_of(&laptop_by_tool)), ("desk".to_owned(), total_of(&desk_by_tool))]));
    assert_eq!(spend_by(&team, "tool", &format!("machine=laptop&{RANGE}")).await, laptop_by_tool, "tool by tool, as the laptop counts");
    assert_eq!(spend_by(&team, "tool", &format!("machine=desk&{RANGE}")).await, desk_by_tool);
    assert_eq!(spend_by(&collector, "tool", RANGE).await, laptop_by_tool, "the collector got the laptop's requests too");

    let forwarding = laptop.get_json("/api/forwarding").await;
    assert_eq!(forwarding["destinations"].as_array().unwrap().len(), 2);
    assert_eq!(forwarding["destinations"][0]["sent"], from_laptop as u64);
    assert_eq!(forwarding["fullContent"], false);
    for server in [laptop, desk, collector, team] {
        server.stop().await;
    }
}

#[tokio::test]
async fn a_destination_that_is_down_gets_everything_once_it_is_up_even_after_the_app_restarted() {
    // The team server's store, with the laptop's token, made before it listens.
    let team_directory = tempfile::tempdir().unwrap();
    let team_database = team_directory.path().join("team.duckdb");
    let token = {
        let team = TestServer::start_on(&team_database).await;
        let token = team.engine.tokens().add("laptop").await.unwrap().token;
        team.stop().await;
        token
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let destination = to_team(&format!("http://127.0.0.1:{port}"), &token);

    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("app.duckdb");
    let app = app_forwarding_to(&database, destination.clone(), false).await;
    let first = send(&app, &["claude-json-plain"]).await as u64;
    let deadline = Instant::now() + Duration::from_secs(10);
    let waiting = loop {
        let status = app.engine.forwarding_status().destinations.remove(0);
        if status.queued == first && status.last_error.is_some() {
            break status;
        }
        assert!(Instant::now() < deadline, "the requests were not queued: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(waiting.sent, 0);
    let at_home_before_restart = spend_by(&app, "tool", RANGE).await;
    app.stop().await;

    // The app starts again with its queue, takes more while the destination is still down...
    let app = app_forwarding_to(&database, destination, false).await;
    assert_eq!(app.engine.forwarding_status().destinations[0].queued, first, "the queue survived the restart");
    let second = send(&app, &["codex-json-plain"]).await as u64;
    // ...and the destination comes up.
    let team = TestServer::start_with(&team_database, move |config| config.otlp_http_port = port).await;
    let status = delivered(&app, first + second, Duration::from_secs(60)).await;
    assert_eq!(status.dropped, 0);

    let at_home = spend_by(&app, "tool", RANGE).await;
    assert_eq!(at_home["claude-code"], at_home_before_restart["claude-code"]);
    assert_eq!(spend_by(&team, "tool", &format!("machine=laptop&{RANGE}")).await, at_home, "nothing lost, nothing twice");
    app.stop().await;
    team.stop().await;
}

#[tokio::test]
async fn prompt_text_stays_on_the_machine_unless_the_user_forwards_content() {
    for full_content in [false, true] {
        let team = TestServer::start().await;
        let token = team.engine.tokens().add("laptop").await.unwrap().token;
        let directory = tempfile::tempdir().unwrap();
        let app = app_forwarding_to(&directory.path().join("app.duckdb"), to_team(&team.otlp(""), &token), full_content).await;
        let requests = send(&app, &["claude-json-plain"]).await;
        delivered(&app, requests as u64, Duration::from_secs(30)).await;

        assert_eq!(rows_holding(&app, PROMPT_TEXT).await, 2, "the app keeps the prompt: its user_prompt event and its interaction span");
        let at_team = rows_holding(&team, PROMPT_TEXT).await;
        if full_content {
            assert_eq!(at_team, 2, "with full content the prompt is forwarded");
        } else {
            assert_eq!(at_team, 0, "redacted: the prompt never leaves the machine");
        }
        // Usage, timing and identity arrive either way.
        let expected: ByKey = spend_by(&app, "tool", RANGE).await;
        assert_eq!(spend_by(&team, "tool", RANGE).await, expected);
        let (_, logs, _, _) = team.row_counts().await;
        assert_eq!(logs, app.row_counts().await.1, "every log record arrives, without its content");
        app.stop().await;
        team.stop().await;
    }
}

/// Source of the team server's usage rows: how many came as imported history.
async fn imported_rows(server: &TestServer) -> i64 {
    server.scalar("SELECT count(*) FROM usage_records WHERE Source = 'import'").await
}

#[tokio::test]
async fn imported_history_reaches_the_team_server_and_counts_once_beside_the_same_requests_telemetry() {
    for with_telemetry in [false, true] {
        let team = TestServer::start().await;
        let token = team.engine.tokens().add("laptop").await.unwrap().token;
        let directory = tempfile::tempdir().unwrap();
        let app = app_forwarding_to(&directory.path().join("app.duckdb"), to_team(&team.otlp(""), &token), false).await;
        if with_telemetry {
            send(&app, &[]).await;
        }
        crate::support::imports::import_homes(&app, &crate::support::fixtures::captured_homes()).await;
        let at_home = spend_by(&app, "tool", RANGE).await;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let queued: u64 = app.engine.forwarding_status().destinations.iter().map(|status| status.queued).sum();
            let at_team = spend_by(&team, "tool", &format!("machine=laptop&{RANGE}")).await;
            if queued == 0 && at_team == at_home {
                break;
            }
            assert!(Instant::now() < deadline, "with telemetry {with_telemetry}: the team has {at_team:?}, the app {at_home:?}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(imported_rows(&team).await > 0, "the history arrived as imported rows");
        let claude = at_home["claude-code"][0];
        assert_eq!(claude, if with_telemetry { 6 } else { 4 }, "telemetry saw every call; the files hold the conversation's");
        app.stop().await;
        team.stop().await;
    }
}

/// A destination added in Settings (`PUT /api/forwarding`) is in force at once, over gRPC here, and
/// stays after a restart; its header values never come back; removing it stops forwarding at once.
#[tokio::test]
async fn a_grpc_destination_added_in_settings_forwards_at_once_and_survives_a_restart() {
    let team = TestServer::start().await;
    let token = team.engine.tokens().add("laptop").await.unwrap().token;
    let directory = tempfile::tempdir().unwrap();
    let database = directory.path().join("app.duckdb");
    let app = TestServer::start_on(&database).await;
    assert_eq!(app.get_json("/api/forwarding").await, serde_json::json!({ "fullContent": false, "destinations": [] }));
    let grpc_url = format!("http://127.0.0.1:{}", team.ports.otlp_grpc);
    let to_team = |token: &str| serde_json::json!({ "destinations": [{ "url": grpc_url, "protocol": "grpc", "headers": [{ "name": "Authorization", "value": format!("Bearer {token}") }] }] });

    // A wrong token: the team server refuses for good (UNAUTHENTICATED), so the request is dropped and said why.
    let (status, answer) = app.send_json(reqwest::Method::PUT, "/api/forwarding", &to_team("aio_wrong")).await;
    assert_eq!(status, 200, "{answer}");
    let refused_requests = send(&app, &["claude-json-plain"]).await as u64;
    let deadline = Instant::now() + Duration::from_secs(30);
    let refused = loop {
        let status = app.engine.forwarding_status().destinations.remove(0);
        if status.queued == 0 && status.dropped == refused_requests {
            break status;
        }
        assert!(Instant::now() < deadline, "the refusal was not recorded: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(refused.last_error.as_deref().unwrap_or_default().starts_with("gRPC Unauthenticated"), "{refused:?}");
    let dropped = refused.dropped;

    // The right token, set while the app runs: the next requests arrive.
    let (status, answer) = app.send_json(reqwest::Method::PUT, "/api/forwarding", &to_team(&token)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["destinations"][0]["url"], grpc_url.as_str());
    assert_eq!(answer["destinations"][0]["protocol"], "grpc");
    assert_eq!(answer["destinations"][0]["source"], "settings");
    assert_eq!(answer["destinations"][0]["headerNames"], serde_json::json!(["Authorization"]));
    assert!(!answer.to_string().contains(&token), "the header's value is never reported");
    let sent = send(&app, &["codex-json-plain", "gemini-plain"]).await as u64;
    let status = delivered(&app, sent, Duration::from_secs(30)).await;
    assert_eq!(status.dropped, dropped, "nothing more dropped");
    let codex_and_gemini = spend_by(&app, "tool", &format!("tool=codex&{RANGE}")).await;
    assert_eq!(spend_by(&team, "tool", &format!("machine=laptop&tool=codex&{RANGE}")).await, codex_and_gemini);
    assert_eq!(
        spend_by(&team, "tool", &format!("machine=laptop&tool=gemini&{RANGE}")).await,
        spend_by(&app, "tool", &format!("tool=gemini&{RANGE}")).await
    );
    assert!(spend_by(&team, "tool", &format!("tool=claude-code&{RANGE}")).await.is_empty(), "the refused request never counted");
    app.stop().await;

    // After a restart the destination is still in force, headers included (an update without
    // headers keeps them); removing it stops forwarding at once.
    let app = TestServer::start_on(&database).await;
    let forwarding = app.engine.forwarding_status();
    assert_eq!(forwarding.destinations.len(), 1);
    assert_eq!(forwarding.destinations[0].header_names, ["Authorization"]);
    let keep = serde_json::json!({ "destinations": [{ "url": grpc_url, "protocol": "grpc" }], "fullContent": true });
    let (status, answer) = app.send_json(reqwest::Method::PUT, "/api/forwarding", &keep).await;
    assert_eq!(
        (status, answer["fullContent"].as_bool(), answer["destinations"][0]["headerNames"].clone()),
        (200, Some(true), serde_json::json!(["Authorization"]))
    );
    let again = send(&app, &["codex-binary-toolcall"]).await as u64;
    delivered(&app, again, Duration::from_secs(30)).await;
    let (status, answer) = app.send_json(reqwest::Method::PUT, "/api/forwarding", &serde_json::json!({ "destinations": [] })).await;
    assert_eq!((status, answer["destinations"].as_array().map(Vec::len)), (200, Some(0)));
    let before = spend_by(&team, "tool", RANGE).await;
    send(&app, &["claude-proto-toolcall"]).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(spend_by(&team, "tool", RANGE).await, before, "nothing is forwarded once the destination is removed");
    let (status, answer) =
        app.send_json(reqwest::Method::PUT, "/api/forwarding", &serde_json::json!({ "destinations": [{ "url": "ftp://x" }] })).await;
    assert_eq!(status, 400, "{answer}");
    app.stop().await;
    team.stop().await;
}
