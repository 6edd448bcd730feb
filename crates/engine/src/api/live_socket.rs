//! `GET /ws`: live messages (`{type, timestamp, payload}`) pushed to browsers after every write.
//! Server to client only; a client that falls behind skips messages rather than slowing ingest.

use super::guard::AccessPolicy;
use super::http_error::error_response;
use crate::engine::Engine;
use crate::error::ErrorCode;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::Response;
use tokio::sync::broadcast::error::RecvError;

/// The subprotocol the live socket answers with when a browser offers subprotocols (it sends its
/// token as a second one, `bearer.<token>`, read by `guard::enforce_access`).
pub const LIVE_PROTOCOL: &str = "ai-observer";

pub async fn upgrade(State((engine, policy)): State<(Engine, AccessPolicy)>, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok())
        && !policy.origin_is_allowed(origin)
    {
        return error_response(ErrorCode::Forbidden, format!("origin {origin:?} may not open the live socket"));
    }
    // a browser that sent its token as a subprotocol needs one of its protocols chosen back
    upgrade.protocols([LIVE_PROTOCOL]).on_upgrade(move |socket| stream(socket, engine))
}

async fn stream(mut socket: WebSocket, engine: Engine) {
    let mut messages = engine.live().subscribe();
    loop {
        tokio::select! {
            received = messages.recv() => match received {
                Ok(message) => {
                    let Ok(text) = serde_json::to_string(message.as_ref()) else { continue };
                    if socket.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(skipped)) => tracing::debug!(skipped, "live socket client fell behind"),
                Err(RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => {}
            },
        }
    }
}
