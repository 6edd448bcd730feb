//! REST routes generated from the operation table (`for_each_operation!`); operations of method
//! `DESKTOP` get none.
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

/// Adds the REST route of one operation; the desktop's own operations have none.
macro_rules! add_route {
    ($router:ident, DESKTOP, $name:ident, $path:literal, $request:ty, $response:ty, $status:literal) => {
        $router
    };
    ($router:ident, $method:ident, $name:ident, $path:literal, $request:ty, $response:ty, $status:literal) => {
        $router.route(
            $path,
            add_route!(@method $method, |State(engine): State<Engine>, params: RawPathParams, RawQuery(query): RawQuery, body: Bytes| async move {
                respond::<$request, $response, _, _>(engine, params, query, body, add_route!(@reads_body $method), $status, crate::operations::$name).await
            }),
        )
    };
    (@method GET, $handler:expr) => { axum::routing::get($handler) };
    (@method POST, $handler:expr) => { axum::routing::post($handler) };
    (@method PUT, $handler:expr) => { axum::routing::put($handler) };
    (@method DELETE, $handler:expr) => { axum::routing::delete($handler) };
    (@reads_body GET) => { false };
    (@reads_body DELETE) => { false };
    (@reads_body POST) => { true };
    (@reads_body PUT) => { true };
}

macro_rules! operation_routes {
    ($(($name:ident, $method:ident, $path:literal, $request:ty, $response:ty, $status:literal, $tray:ident)),* $(,)?) => {
        /// One route per operation in the table that has one, and the original API's second path
        /// for a trace's spans.
        pub fn operation_routes() -> axum::Router<Engine> {
            let router = axum::Router::new();
            $(
                let router = add_route!(router, $method, $name, $path, $request, $response, $status);
            )*
            add_route!(router, GET, trace_spans, "/api/traces/{traceId}/spans", crate::query::traces::TraceSpansRequest, crate::query::traces::TraceSpansResponse, 200)
        }

        /// `(name, method, path, request type, response type, status)` of every operation, for
        /// the generated TypeScript client, the CLI's remote calls and tests. Desktop operations
        /// have the method `DESKTOP` and no path.
        pub const OPERATIONS: &[(&str, &str, &str, &str, &str, u16)] =
            &[$((stringify!($name), stringify!($method), $path, stringify!($request), stringify!($response), $status)),*];
    };
}

crate::for_each_operation!(operation_routes);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_unique_name_and_method_path_pair() {
        let mut names: Vec<&str> = OPERATIONS.iter().map(|operation| operation.0).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), OPERATIONS.len());
        let served: Vec<_> = OPERATIONS.iter().filter(|operation| operation.1 != "DESKTOP").collect();
        let mut routes: Vec<(&str, &str)> = served.iter().map(|operation| (operation.1, operation.2)).collect();
        routes.sort_unstable();
        routes.dedup();
        assert_eq!(routes.len(), served.len());
        assert!(OPERATIONS.iter().filter(|operation| operation.1 == "DESKTOP").all(|operation| operation.2.is_empty()));
    }
}
