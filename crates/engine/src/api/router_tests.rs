//! The routers' edge cases without a socket: requests go straight into `query_router` and
//! `otlp_router` with `tower::ServiceExt::oneshot`, as axum's testing example does.

use super::guard::AccessPolicy;
use super::{otlp_router, query_router};
use crate::{Engine, EngineConfig};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

async fn engine() -> (Engine, tempfile::TempDir) {
    let folder = tempfile::tempdir().expect("tempdir");
    let mut config = EngineConfig::with_database(folder.path().join("routers.duckdb"));
    config.price_overrides_path = None;
    config.default_time_zone = Some("UTC".to_owned());
    (Engine::open(config).await.expect("engine"), folder)
}

async fn answer(router: axum::Router, request: Request<Body>) -> (StatusCode, serde_json::Value, axum::http::HeaderMap) {
    let response = router.oneshot(request).await.expect("answer");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null), headers)
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).header(header::HOST, "127.0.0.1:8080").body(Body::empty()).expect("request")
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s_and_other_paths_get_the_page() {
    let (engine, _folder) = engine().await;
    let policy = AccessPolicy::from_config(engine.config(), 8080);
    let router = query_router(engine.clone(), policy, None);
    let (status, body, _) = answer(router.clone(), get("/api/nothing-here")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    let response = router.clone().oneshot(get("/sessions/abc")).await.expect("page");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    let (status, body, _) = answer(router, get("/api/spend?groupBy=galaxy")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["message"].as_str().unwrap().contains("groupBy"), "{body}");
    engine.shutdown().await;
}

#[tokio::test]
async fn a_foreign_host_is_refused_and_the_page_cookie_is_set_on_answers() {
    let (engine, _folder) = engine().await;
    let router = query_router(engine.clone(), AccessPolicy::from_config(engine.config(), 8080), None);
    let rebound = Request::get("/api/stats").header(header::HOST, "evil.example:8080").body(Body::empty()).expect("request");
    let (status, body, _) = answer(router.clone(), rebound).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let (status, _, headers) = answer(router, get("/api/stats")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::SET_COOKIE].to_str().unwrap().starts_with("ai_observer_page_8080="));
    engine.shutdown().await;
}

#[tokio::test]
async fn the_otlp_router_answers_health_and_refuses_unknown_media_types() {
    let (engine, _folder) = engine().await;
    let router = otlp_router(engine.clone(), AccessPolicy::from_config(engine.config(), 8080));
    let (status, body, _) = answer(router.clone(), get("/health")).await;
    assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("ok")));
    let xml = Request::post("/v1/logs")
        .header(header::HOST, "127.0.0.1:4318")
        .header(header::CONTENT_TYPE, "application/xml")
        .body(Body::from("<x/>"))
        .expect("request");
    let response = router.oneshot(xml).await.expect("answer");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    engine.shutdown().await;
}
