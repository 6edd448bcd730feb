//! Forwarding to a team's server, with real servers on loopback: what an app accepts arrives at the
//! team server as the app's machine, once; a destination that is down receives everything when it
//! is up, across a restart of the app; prompt text stays on the machine unless the user says so.

use crate::support::spend::{ByKey, spend_by};
use crate::support::{TestServer, captures};
use ai_observer_engine::config::ForwardDestination;
use std::path::Path;
use std::time::{Duration, Instant};

const RANGE: &str = "from=2026-11-01&to=2026-12-31&tz=UTC";
/// Text of the prompt Claude Code sent in `claude-json-plain` (in a log attribute and a span attribute).
const PROMPT_TEXT: &str = "Python f-string";

fn to_team(team_otlp: &str, token: &str) -> ForwardDestination {
    ForwardDestination { url: team_otlp.to_owned(), headers: vec![("Authorization".to_owned(), format!("Bearer {token}"))] }
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

/// Waits until the app's only destination has nothing queued and `sent` requests delivered.
async fn delivered(app: &TestServer, sent: u64, within: Duration) -> ai_observer_engine::forward::DestinationStatus {
    let deadline = Instant::now() + within;
    loop {
        let status = app.engine.forwarding_status().destinations.remove(0);
        if status.queued == 0 && status.sent == sent {
            return status;
        }
        assert!(Instant::now() < deadline, "not delivered in {within:?}: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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

#[tokio::test]
async fn what_an_app_accepts_reaches_the_team_server_as_its_machine_once() {
    let team = TestServer::start().await;
    let token = team.engine.tokens().add("laptop").await.unwrap().token;
    let directory = tempfile::tempdir().unwrap();
    let app = app_forwarding_to(&directory.path().join("app.duckdb"), to_team(&team.otlp(""), &token), false).await;
    let requests = send(&app, &["claude-json-plain", "claude-proto-toolcall", "codex-json-plain", "gemini-plain"]).await;
    let status = delivered(&app, requests as u64, Duration::from_secs(30)).await;
    assert_eq!((status.dropped, status.last_error.as_deref()), (0, None));
    assert!(status.last_success.is_some());

    let at_home = spend_by(&app, "tool", RANGE).await;
    let at_team = spend_by(&team, "tool", &format!("machine=laptop&{RANGE}")).await;
    assert_eq!(at_team, at_home, "the team server counts what the app counts, tool by tool");
    let requests_by_tool: Vec<(&str, i64)> = at_home.iter().map(|(tool, counts)| (tool.as_str(), counts[0])).collect();
    assert_eq!(requests_by_tool, [("claude-code", 6), ("codex", 1), ("gemini", 2)]);
    assert_eq!(spend_by(&team, "machine", RANGE).await.keys().collect::<Vec<_>>(), ["laptop"]);
    let forwarding = app.get_json("/api/forwarding").await;
    assert_eq!(forwarding["destinations"][0]["sent"], requests as u64);
    assert_eq!(forwarding["fullContent"], false);
    app.stop().await;
    team.stop().await;
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
