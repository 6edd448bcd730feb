//! REST routes generated from the operation table (`for_each_operation!`).
//!
//! Every operation is served by one generic handler: path parameters, the query string (GET and
//! DELETE) or the JSON body (POST and PUT) are merged into one JSON object and deserialised into the
//! operation's request type, exactly the object a Tauri command receives. Query values arrive as
//! strings; the request types read numbers and booleans leniently.

use crate::engine::{Engine, EngineError};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;

/// Merges path parameters, query string and body into the request object.
pub fn request_object(
    params: &RawPathParams,
    query: Option<&str>,
    body: &[u8],
    reads_body: bool,
) -> Result<serde_json::Value, EngineError> {
    let mut object = serde_json::Map::new();
    if reads_body && !body.iter().all(u8::is_ascii_whitespace) {
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(serde_json::Value::Object(fields)) => object = fields,
            Ok(_) => return Err(EngineError::InvalidRequest("request body must be a JSON object".to_owned())),
            Err(error) => return Err(EngineError::InvalidRequest(format!("invalid JSON body: {error}"))),
        }
    }
    if let Some(query) = query {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query).map_err(|error| EngineError::InvalidRequest(format!("invalid query string: {error}")))?;
        for (key, value) in pairs {
            object.entry(key).or_insert(serde_json::Value::String(value));
        }
    }
    for (key, value) in params.iter() {
        object.insert(key.to_owned(), serde_json::Value::String(value.to_owned()));
    }
    Ok(serde_json::Value::Object(object))
}

pub fn parse_request<Request: DeserializeOwned>(object: serde_json::Value) -> Result<Request, EngineError> {
    serde_json::from_value(object).map_err(|error| EngineError::InvalidRequest(format!("invalid request: {error}")))
}

/// Runs one operation for an HTTP request.
pub async fn respond<Request, Response_, Operation, Fut>(
    engine: Engine,
    params: RawPathParams,
    query: Option<String>,
    body: Bytes,
    reads_body: bool,
    success: u16,
    operation: Operation,
) -> Response
where
    Request: DeserializeOwned,
    Response_: Serialize,
    Operation: FnOnce(Engine, Request) -> Fut,
    Fut: Future<Output = Result<Response_, EngineError>>,
{
    let request = match request_object(&params, query.as_deref(), &body, reads_body).and_then(parse_request::<Request>) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    match operation(engine, request).await {
        Ok(_) if success == 204 => StatusCode::NO_CONTENT.into_response(),
        Ok(response) => (StatusCode::from_u16(success).unwrap_or(StatusCode::OK), Json(response)).into_response(),
        Err(error) => error.into_response(),
    }
}

macro_rules! method_router {
    (GET, $handler:expr) => {
        axum::routing::get($handler)
    };
    (POST, $handler:expr) => {
        axum::routing::post($handler)
    };
    (PUT, $handler:expr) => {
        axum::routing::put($handler)
    };
    (DELETE, $handler:expr) => {
        axum::routing::delete($handler)
    };
}

macro_rules! reads_body {
    (GET) => {
        false
    };
    (DELETE) => {
        false
    };
    (POST) => {
        true
    };
    (PUT) => {
        true
    };
}

macro_rules! operation_routes {
    ($(($name:ident, $method:ident, $path:literal, $request:ty, $response:ty, $status:literal)),* $(,)?) => {
        /// One route per operation in the table.
        pub fn operation_routes() -> axum::Router<Engine> {
            let router = axum::Router::new();
            $(
                let router = router.route(
                    $path,
                    method_router!($method, |State(engine): State<Engine>, params: RawPathParams, RawQuery(query): RawQuery, body: Bytes| async move {
                        respond::<$request, $response, _, _>(engine, params, query, body, reads_body!($method), $status, crate::operations::$name).await
                    }),
                );
            )*
            router
        }

        /// `(name, method, path, request type, response type, status)` of every operation, for
        /// the generated TypeScript client and for tests.
        pub const OPERATIONS: &[(&str, &str, &str, &str, &str, u16)] =
            &[$((stringify!($name), stringify!($method), $path, stringify!($request), stringify!($response), $status)),*];
    };
}

crate::for_each_operation!(operation_routes);

/// The type's name as ts-rs exports it: the last path segment (`LogLevels` is a map).
fn typescript_name(rust_type: &str) -> String {
    let name = rust_type.rsplit("::").next().unwrap_or(rust_type).trim().to_owned();
    if name == "LogLevels" { "Record<string, number>".to_owned() } else { name }
}

/// `operations.gen.ts`: the operation table for the UI's client, with request and response types.
pub fn typescript_operations() -> String {
    let mut imports: Vec<String> = OPERATIONS
        .iter()
        .flat_map(|(_, _, _, request, response, _)| [typescript_name(request), typescript_name(response)])
        .filter(|name| !name.contains('<'))
        .collect();
    imports.sort();
    imports.dedup();
    let mut text =
        String::from("// Generated from the engine's operation table (crates/engine/src/operations/mod.rs) by its tests. Do not edit.\n\n");
    text.push_str(&format!("import type {{ {} }} from \"./types.gen\";\n\n", imports.join(", ")));
    text.push_str("export const OPERATIONS = {\n");
    for (name, method, path, _, _, status) in OPERATIONS {
        text.push_str(&format!("  {name}: {{ method: \"{method}\", path: \"{path}\", status: {status} }},\n"));
    }
    text.push_str("} as const;\n\nexport type OperationName = keyof typeof OPERATIONS;\n\nexport type Operations = {\n");
    for (name, _, _, request, response, _) in OPERATIONS {
        text.push_str(&format!("  {name}: {{ request: {}; response: {} }};\n", typescript_name(request), typescript_name(response)));
    }
    text.push_str("};\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `operations.gen.ts` next to `types.gen.ts` (CI fails if the committed copy differs).
    #[test]
    fn export_typescript_operations() {
        let Ok(directory) = std::env::var("TS_RS_EXPORT_DIR") else { return };
        std::fs::write(std::path::Path::new(&directory).join("operations.gen.ts"), typescript_operations())
            .expect("write operations.gen.ts");
    }

    #[test]
    fn every_operation_has_a_unique_name_and_method_path_pair() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|operation| operation.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        let mut routes: Vec<(&str, &str)> = OPERATIONS.iter().map(|operation| (operation.1, operation.2)).collect();
        routes.sort_unstable();
        routes.dedup();
        assert_eq!(routes.len(), OPERATIONS.len());
        assert!(typescript_operations().contains("spend: { method: \"GET\", path: \"/api/spend\", status: 200 }"));
    }
}
