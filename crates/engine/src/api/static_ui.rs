//! Serving the built web UI from the API port, with SPA fallback: any GET outside `/api` that is not
//! a file gets `index.html`, so every page's URL can be opened directly.

use super::http_error::error_response;
use crate::error::ErrorCode;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;
use std::sync::Arc;

/// Where the UI's files come from (embedded in a binary, or a folder on disk).
pub trait UiAssets: Send + Sync {
    fn get(&self, path: &str) -> Option<Cow<'static, [u8]>>;
}

/// UI files read from a folder (e.g. `ui/dist`).
#[derive(Debug, Clone)]
pub struct UiFolder {
    pub root: std::path::PathBuf,
}

impl UiAssets for UiFolder {
    fn get(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        let relative = std::path::Path::new(path);
        if relative.components().any(|component| !matches!(component, std::path::Component::Normal(_))) {
            return None;
        }
        std::fs::read(self.root.join(relative)).ok().map(Cow::Owned)
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

pub async fn serve(assets: Option<Arc<dyn UiAssets>>, method: Method, uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return error_response(ErrorCode::NotFound, format!("no API endpoint at {}", uri.path()));
    }
    if method != Method::GET && method != Method::HEAD {
        return error_response(ErrorCode::NotFound, format!("no endpoint for {method} {}", uri.path()));
    }
    let Some(assets) = assets else {
        return (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], NO_UI_PAGE).into_response();
    };
    let requested = if path.is_empty() { "index.html" } else { path };
    if let Some(bytes) = assets.get(requested) {
        let cache = if requested.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
        return (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(content_type(requested))),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
            bytes.into_owned(),
        )
            .into_response();
    }
    if requested.contains('.') && requested.starts_with("assets/") {
        return error_response(ErrorCode::NotFound, format!("no file {requested}"));
    }
    match assets.get("index.html") {
        Some(index) => {
            (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], index.into_owned())
                .into_response()
        }
        None => (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], NO_UI_PAGE).into_response(),
    }
}

const NO_UI_PAGE: &str = "<!doctype html><title>AI Observer</title><p>The AI Observer API is running. The web UI was not built into this binary: run <code>npm run ui:build</code> and restart, or open <a href=\"/api/stats\">/api/stats</a>.</p>";
