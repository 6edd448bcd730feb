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
    let to_collector = ForwardDestination { url: collector.otlp(""), headers: Vec::new() };
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
    server
        .engine
        .store()
        .read(|connection| Ok(connection.query_row("SELECT count(*) FROM usage_records WHERE Source = 'import'", [], |row| row.get(0))?))
        .await
        .unwrap()
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
