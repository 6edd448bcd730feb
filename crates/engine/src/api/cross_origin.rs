//! Requests that a foreign web page makes the browser send.
//!
//! Any page the user opens can send "simple" cross-origin requests to loopback without a CORS
//! preflight: a form post, or `fetch(…, {mode: "no-cors"})` with a `text/plain` or `Blob` body. CORS
//! only stops the page from reading the answer; the server would still act on it. So every request
//! that can change something (any method but GET, HEAD and OPTIONS) passes three checks here:
//!
//! 1. **Origin.** A request that names an `Origin` must come from one of the app's own origins (the
//!    API port's own origin, the desktop webview, the configured UI dev server). `Origin: null`
//!    (sandboxed frames, `file:` and `data:` pages) is refused. Without `Origin`, a
//!    `Sec-Fetch-Site` of `cross-site` or `same-site` is refused too. Requests with neither header
//!    come from scripts, the CLI or curl, which browsers never impersonate: they keep working.
//! 2. **Body type.** Bodies must be `application/json`. `text/plain`, forms, multipart and bodies
//!    without a type are refused with 415, so a form or a no-cors fetch can never carry a request.
//! 3. **Same-origin proof** (defence in depth, query API only). A browser request must also carry
//!    the page cookie: a random per-process secret in an `HttpOnly`, `SameSite=Strict` cookie that
//!    the API port sets on its own answers. Pages of other sites never send it, and scripts cannot
//!    read it.
//!
//! The OTLP receiver applies the Origin check only: exporters are programs, never pages.

use super::guard::AccessPolicy;
use super::http_error::error_response;
use crate::error::ErrorCode;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// 403: the request comes from a page that is not the app's.
    Forbidden(String),
    /// 415: the body is not JSON.
    NotJson(String),
}

impl Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Forbidden(message) => error_response(ErrorCode::Forbidden, message),
            Refusal::NotJson(message) => error_response(ErrorCode::Unsupported, message),
        }
    }
}

/// GET, HEAD and OPTIONS never change anything; every other method may.
pub fn may_change_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim)
}

/// Whether a browser made this request (browsers always send one of these on non-GET requests).
fn sent_by_a_browser(headers: &HeaderMap) -> bool {
    headers.contains_key(header::ORIGIN) || headers.contains_key("sec-fetch-site")
}

/// Check 1: the page that sent the request, if any, must be one of the app's.
pub fn check_origin(policy: &AccessPolicy, headers: &HeaderMap) -> Result<(), Refusal> {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").trim();
        if origin.eq_ignore_ascii_case("null") {
            return Err(Refusal::Forbidden(
                "a page with an opaque origin (a sandboxed frame, a file: or data: page) may not change AI Observer's data".to_owned(),
            ));
        }
        if policy.origin_is_allowed(origin) || is_same_origin(origin, header_text(headers, "host")) {
            return Ok(());
        }
        return Err(Refusal::Forbidden(format!(
            "cross-origin request from {origin:?} refused: only AI Observer's own pages may change its data (add a UI origin with AI_OBSERVER_FRONTEND_URL)"
        )));
    }
    match header_text(headers, "sec-fetch-site") {
        Some(site) if site.eq_ignore_ascii_case("cross-site") || site.eq_ignore_ascii_case("same-site") => {
            Err(Refusal::Forbidden(format!("a {site} request without an Origin may not change AI Observer's data")))
        }
        _ => Ok(()),
    }
}

/// The page's origin is the API port itself: `http://<the Host this request was sent to>`.
/// The Host header was already checked against DNS rebinding by `guard::enforce_access`.
fn is_same_origin(origin: &str, host: Option<&str>) -> bool {
    let Some(host) = host.filter(|host| !host.is_empty()) else { return false };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|authority| authority.trim_end_matches('/').eq_ignore_ascii_case(host))
}

/// Check 2: a request body must be JSON; an empty body needs no type.
pub fn check_body_type(headers: &HeaderMap) -> Result<(), Refusal> {
    match header_text(headers, "content-type") {
        Some(content_type) => {
            let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if media_type == "application/json" || media_type.ends_with("+json") {
                Ok(())
            } else {
                Err(Refusal::NotJson(format!("request bodies must be JSON sent with Content-Type: application/json, not {media_type:?}")))
            }
        }
        None if has_body(headers) => {
            Err(Refusal::NotJson("request bodies must be JSON sent with Content-Type: application/json".to_owned()))
        }
        None => Ok(()),
    }
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = header_text(headers, "content-length").and_then(|length| length.parse::<u64>().ok()).unwrap_or(0);
    length > 0 || headers.contains_key(header::TRANSFER_ENCODING)
}

/// Check 3: a browser's request carries the page cookie this process set.
pub fn check_page_cookie(policy: &AccessPolicy, headers: &HeaderMap) -> Result<(), Refusal> {
    if !sent_by_a_browser(headers) || policy.page_cookie().is_present_in(headers) {
        return Ok(());
    }
    Err(Refusal::Forbidden(
        "this request did not come from a page that AI Observer served (its page cookie is missing or outdated): reload the dashboard"
            .to_owned(),
    ))
}

/// Middleware for the query API: the three checks on requests that may change state, and the page
/// cookie set on any answer to a request that did not carry it.
pub async fn guard_query_api(State(policy): State<AccessPolicy>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let had_cookie = policy.page_cookie().is_present_in(headers);
    if may_change_state(request.method()) {
        let verdict =
            check_origin(&policy, headers).and_then(|()| check_body_type(headers)).and_then(|()| check_page_cookie(&policy, headers));
        if let Err(refusal) = verdict {
            let mut response = refusal.into_response();
            set_page_cookie(&policy, &mut response, had_cookie);
            return response;
        }
    }
    let mut response = next.run(request).await;
    set_page_cookie(&policy, &mut response, had_cookie);
    response
}

fn set_page_cookie(policy: &AccessPolicy, response: &mut Response, had_cookie: bool) {
    if had_cookie {
        return;
    }
    if let Ok(value) = HeaderValue::from_str(&policy.page_cookie().set_cookie_header()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

/// Middleware for the OTLP/HTTP receiver: telemetry from a foreign page is refused.
pub async fn guard_otlp(State(policy): State<AccessPolicy>, request: Request, next: Next) -> Response {
    if may_change_state(request.method())
        && let Err(refusal) = check_origin(&policy, request.headers())
    {
        return refusal.into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EngineConfig;

    fn policy() -> AccessPolicy {
        let mut config = EngineConfig::with_database("x.duckdb".into());
        config.allowed_origins = vec!["http://localhost:5173".into()];
        AccessPolicy::from_config(&config, 8080)
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).expect("header value"));
        }
        map
    }

    #[test]
    fn origins_of_the_app_pass_and_foreign_or_opaque_ones_do_not() {
        let policy = policy();
        for origin in
            ["http://127.0.0.1:8080", "http://localhost:8080", "tauri://localhost", "http://tauri.localhost", "http://localhost:5173"]
        {
            assert_eq!(check_origin(&policy, &headers(&[("origin", origin)])), Ok(()), "{origin}");
        }
        for origin in
            ["http://evil.example", "null", "http://127.0.0.1:3000", "http://localhost:8080.evil.example", "http://localhost:5174"]
        {
            assert!(matches!(check_origin(&policy, &headers(&[("origin", origin)])), Err(Refusal::Forbidden(_))), "{origin}");
        }
    }

    #[test]
    fn the_api_ports_own_origin_is_the_host_the_request_was_sent_to() {
        let policy = policy();
        let own = headers(&[("origin", "http://observer.lan:9000"), ("host", "observer.lan:9000")]);
        assert_eq!(check_origin(&policy, &own), Ok(()));
        let other = headers(&[("origin", "http://observer.lan:9001"), ("host", "observer.lan:9000")]);
        assert!(check_origin(&policy, &other).is_err());
    }

    #[test]
    fn fetch_metadata_without_origin_refuses_cross_and_same_site() {
        let policy = policy();
        assert!(check_origin(&policy, &headers(&[("sec-fetch-site", "cross-site")])).is_err());
        assert!(check_origin(&policy, &headers(&[("sec-fetch-site", "same-site")])).is_err());
        assert_eq!(check_origin(&policy, &headers(&[("sec-fetch-site", "same-origin")])), Ok(()));
        assert_eq!(check_origin(&policy, &headers(&[])), Ok(()), "scripts send neither header");
    }

    #[test]
    fn only_json_bodies_are_taken() {
        assert_eq!(check_body_type(&headers(&[("content-type", "application/json")])), Ok(()));
        assert_eq!(check_body_type(&headers(&[("content-type", "Application/JSON; charset=utf-8")])), Ok(()));
        assert_eq!(check_body_type(&headers(&[])), Ok(()), "no body, no type needed");
        for refused in
            ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
        {
            assert!(matches!(check_body_type(&headers(&[("content-type", refused)])), Err(Refusal::NotJson(_))), "{refused}");
        }
        assert!(check_body_type(&headers(&[("content-length", "12")])).is_err(), "a body without a type (a Blob)");
        assert!(check_body_type(&headers(&[("transfer-encoding", "chunked")])).is_err());
        assert_eq!(check_body_type(&headers(&[("content-length", "0")])), Ok(()));
    }

    #[test]
    fn browsers_need_the_page_cookie_and_scripts_do_not() {
        let policy = policy();
        let cookie = policy.page_cookie().set_cookie_header();
        let pair = cookie.split(';').next().expect("name=value").to_owned();
        assert_eq!(check_page_cookie(&policy, &headers(&[])), Ok(()));
        assert!(check_page_cookie(&policy, &headers(&[("origin", "http://127.0.0.1:8080")])).is_err());
        assert_eq!(check_page_cookie(&policy, &headers(&[("origin", "http://127.0.0.1:8080"), ("cookie", &pair)])), Ok(()));
        let forged = format!("{}=guess", pair.split('=').next().expect("name"));
        assert!(check_page_cookie(&policy, &headers(&[("sec-fetch-site", "same-origin"), ("cookie", &forged)])).is_err());
    }

    #[test]
    fn reads_are_never_state_changing() {
        assert!(!may_change_state(&Method::GET));
        assert!(!may_change_state(&Method::HEAD));
        assert!(!may_change_state(&Method::OPTIONS));
        for method in [Method::POST, Method::PUT, Method::DELETE, Method::PATCH] {
            assert!(may_change_state(&method));
        }
    }
}
