//! TLS without a proxy: with a certificate and key, the query API, OTLP/HTTP and OTLP/gRPC speak
//! TLS only (a certificate made here, self-signed), and an app forwards to such a server when told
//! to trust its certificate.

use crate::support::spend::{group_counts, spend_by};
use crate::support::{TestServer, captures};
use ai_observer_engine::config::{ForwardDestination, TlsFiles};
use std::path::Path;
use std::time::{Duration, Instant};

const RANGE: &str = "from=2026-11-01&to=2100-01-01&tz=UTC";

/// A self-signed certificate for `localhost`, written as PEM files in `folder`; its PEM text.
fn self_signed(folder: &Path) -> (TlsFiles, String) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let files = TlsFiles { cert: folder.join("cert.pem"), key: folder.join("key.pem") };
    std::fs::write(&files.cert, made.cert.pem()).unwrap();
    std::fs::write(&files.key, made.key_pair.serialize_pem()).unwrap();
    (files, made.cert.pem())
}

fn trusting(pem: &str) -> reqwest::Client {
    reqwest::Client::builder().add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap()).build().unwrap()
}

#[tokio::test]
async fn every_port_speaks_tls_with_the_given_certificate_and_nothing_else() {
    use opentelemetry_proto::tonic::collector::logs::v1::ExportLogsServiceRequest;
    use opentelemetry_proto::tonic::collector::logs::v1::logs_service_client::LogsServiceClient;
    use prost::Message;

    let folder = tempfile::tempdir().unwrap();
    let (files, pem) = self_signed(folder.path());
    let server = TestServer::start_with(&folder.path().join("tls.duckdb"), move |config| config.tls = Some(files)).await;
    let client = trusting(&pem);
    let api = format!("https://localhost:{}", server.ports.api);
    let stats = client.get(format!("{api}/api/stats")).send().await.unwrap();
    assert_eq!(stats.status(), 200);
    assert!(server.client.get(server.api("/api/stats")).send().await.is_err(), "plain HTTP gets no answer");
    assert!(reqwest::get(format!("{api}/api/stats")).await.is_err(), "a client that does not trust the certificate refuses it");

    let otlp = format!("https://localhost:{}", server.ports.otlp_http);
    for capture in captures(&["claude-json-plain"]) {
        assert_eq!(capture.replay(&client, &otlp).await.status(), 200, "{}", capture.name);
    }
    let proto = captures(&["claude-proto-toolcall"]).into_iter().find(|capture| capture.path == "/v1/logs").unwrap();
    let channel = tonic::transport::Channel::from_shared(format!("https://localhost:{}", server.ports.otlp_grpc))
        .unwrap()
        .tls_config(
            tonic::transport::ClientTlsConfig::new().ca_certificate(tonic::transport::Certificate::from_pem(&pem)).domain_name("localhost"),
        )
        .unwrap()
        .connect()
        .await
        .expect("gRPC over TLS connects");
    LogsServiceClient::new(channel)
        .export(ExportLogsServiceRequest::decode(proto.body.as_slice()).unwrap())
        .await
        .expect("gRPC export over TLS");

    let spend: serde_json::Value = client.get(format!("{api}/api/spend?groupBy=tool&{RANGE}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(spend["total"]["requests"], 5, "two requests over HTTPS, three over gRPC with TLS");
    server.stop().await;
}

#[tokio::test]
async fn an_app_forwards_to_a_tls_server_it_was_told_to_trust() {
    let folder = tempfile::tempdir().unwrap();
    let (files, pem) = self_signed(folder.path());
    let ca_file = files.cert.clone();
    let team = TestServer::start_with(&folder.path().join("team.duckdb"), move |config| config.tls = Some(files)).await;
    let token = team.engine.tokens().add("laptop").await.unwrap().token;
    let headers = vec![("Authorization".to_owned(), format!("Bearer {token}"))];
    let over_http = ForwardDestination::http(format!("https://localhost:{}", team.ports.otlp_http), headers.clone());
    let over_grpc = ForwardDestination::grpc(format!("https://localhost:{}", team.ports.otlp_grpc), headers);

    // The same request over both protocols: the team server counts it once.
    for (destination, trusted) in [(&over_http, false), (&over_http, true), (&over_grpc, false), (&over_grpc, true)] {
        let directory = tempfile::tempdir().unwrap();
        let over_grpc = destination == &over_grpc;
        let (destination, ca_file) = (destination.clone(), ca_file.clone());
        let app = TestServer::start_with(&directory.path().join("app.duckdb"), move |config| {
            config.forwarding.destinations = vec![destination];
            config.forwarding.ca_file = trusted.then_some(ca_file);
        })
        .await;
        let sent = captures(&["claude-json-plain"]);
        for capture in &sent {
            assert_eq!(capture.replay(&app.client, &app.otlp("")).await.status(), 200);
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            let status = app.engine.forwarding_status().destinations.remove(0);
            let settled =
                if trusted { status.sent == sent.len() as u64 } else { status.last_error.is_some() && status.queued == sent.len() as u64 };
            if settled {
                break status;
            }
            assert!(Instant::now() < deadline, "trusted {trusted}: {status:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if trusted {
            assert_eq!(status.queued, 0);
            let url = format!("https://localhost:{}/api/spend?groupBy=machine&{RANGE}", team.ports.api);
            let at_team: serde_json::Value = trusting(&pem).get(url).send().await.unwrap().json().await.unwrap();
            let laptop = &at_team["groups"][0];
            assert_eq!(laptop["key"], "laptop");
            assert_eq!(group_counts(laptop), spend_by(&app, "machine", RANGE).await["local"]);
        } else {
            assert_eq!((status.sent, status.queued), (0, sent.len() as u64), "an untrusted certificate delivers nothing: {status:?}");
            let error = status.last_error.unwrap();
            let failed = if over_grpc { error.starts_with("gRPC Unavailable") } else { error.contains("error sending request") };
            assert!(failed, "the error says the request failed (and it will be retried): {error}");
        }
        app.stop().await;
    }
    team.stop().await;
}
