//! Operations of a team: the named API tokens machines send with (`team::tokens`), and the state
//! of forwarding to a team's server (`forward`).

use crate::engine::{Engine, EngineError};
use crate::query::stats;
use crate::team::tokens::{ApiToken, NewToken, TokenList, TokenNameRequest};

/// `GET /api/tokens`: every named token, without its secret.
pub async fn tokens_list(engine: Engine, _request: stats::EmptyRequest) -> Result<TokenList, EngineError> {
    Ok(engine.tokens().list().await?)
}

/// `POST /api/tokens`: a new named token; its secret is in this answer only.
pub async fn tokens_add(engine: Engine, request: TokenNameRequest) -> Result<NewToken, EngineError> {
    Ok(engine.tokens().add(&request.name).await?)
}

/// `GET /api/forwarding`: each forwarding destination's queue, deliveries, drops and last error.
pub async fn forwarding_status(engine: Engine, _request: stats::EmptyRequest) -> Result<crate::forward::ForwardingStatus, EngineError> {
    Ok(engine.forwarding_status())
}

pub async fn forwarding_update(
    engine: Engine,
    request: crate::forward::settings::ForwardingUpdate,
) -> Result<crate::forward::ForwardingStatus, EngineError> {
    engine.update_forwarding(request).await
}

/// `DELETE /api/tokens/{name}`: revokes a token; requests with it are refused from now on.
pub async fn tokens_revoke(engine: Engine, request: TokenNameRequest) -> Result<ApiToken, EngineError> {
    Ok(engine.tokens().revoke(&request.name).await?)
}
