//! Named API tokens (`ai-observer tokens add|list|revoke`).
//!
//! A token is `aio_` and 64 hex digits (244 random bits from two v4 UUIDs). It is shown once, when
//! it is made; the `api_tokens` table keeps its SHA-256 only. The registry holds the hashes of the
//! tokens in force in memory, so checking a request costs one hash and one map lookup, and a
//! revoked token is refused from the moment `revoke` returns. The token's name is the machine
//! (`model::Sender`) on every row a request with it brings.

use crate::error::{ErrorCode, HasErrorCode};
use crate::model::Sender;
use crate::store::{Store, StoreError};
use duckdb::OptionalExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use ts_rs::TS;

const TOKEN_PREFIX: &str = "aio_";
const NAME_LIMIT: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("invalid token name {0:?}: use 1 to 64 letters, digits, '.', '_' or '-'")]
    InvalidName(String),
    #[error("a token named {0:?} is in force; revoke it first to issue a new one")]
    Exists(String),
    #[error("no token named {0:?} is in force")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl HasErrorCode for TokenError {
    fn code(&self) -> ErrorCode {
        match self {
            TokenError::InvalidName(_) => ErrorCode::BadRequest,
            TokenError::Exists(_) => ErrorCode::Conflict,
            TokenError::NotFound(_) => ErrorCode::NotFound,
            TokenError::Store(error) => error.code(),
        }
    }
}

impl From<duckdb::Error> for TokenError {
    fn from(error: duckdb::Error) -> TokenError {
        TokenError::Store(StoreError::from(error))
    }
}

/// `POST /api/tokens` and `DELETE /api/tokens/{name}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TokenNameRequest {
    pub name: String,
}

/// A token just made: the only time its secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct NewToken {
    pub name: String,
    pub token: String,
}

/// A token as listed: its name and dates, never its secret.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct ApiToken {
    pub name: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC; null while the token is in force.
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "types.gen.ts")]
pub struct TokenList {
    pub tokens: Vec<ApiToken>,
}

fn hash_of(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

fn valid_name(name: &str) -> Result<String, TokenError> {
    let name = name.trim();
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.is_empty() || name.len() > NAME_LIMIT || !name.chars().all(allowed) {
        return Err(TokenError::InvalidName(name.to_owned()));
    }
    Ok(name.to_owned())
}

/// Now in UTC, as DuckDB reads a TIMESTAMP literal (the store keeps UTC; no time zone extension).
fn utc_now() -> String {
    chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

fn new_secret() -> String {
    format!("{TOKEN_PREFIX}{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// The tokens in force, by hash, in front of the `api_tokens` table.
#[derive(Clone)]
pub struct TokenRegistry {
    store: Store,
    in_force: Arc<RwLock<HashMap<String, String>>>,
}

impl std::fmt::Debug for TokenRegistry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.in_force.read().map_or(0, |in_force| in_force.len());
        formatter.debug_struct("TokenRegistry").field("in_force", &count).finish_non_exhaustive()
    }
}

impl TokenRegistry {
    /// Loads the hashes of the tokens in force.
    pub async fn load(store: Store) -> Result<TokenRegistry, TokenError> {
        let pairs: Vec<(String, String)> = store
            .read(|connection| {
                let mut statement = connection.prepare("SELECT TokenHash, Name FROM api_tokens WHERE RevokedAt IS NULL")?;
                let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await?;
        Ok(TokenRegistry { store, in_force: Arc::new(RwLock::new(pairs.into_iter().collect())) })
    }

    /// The sender a presented token names, if it is in force.
    pub fn authenticate(&self, presented: &str) -> Option<Sender> {
        let hash = hash_of(presented);
        let in_force = self.in_force.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        in_force.get(&hash).map(|name| Sender { machine: name.clone() })
    }

    /// Makes a token for `name` and returns its secret (shown once). A revoked name may be issued again.
    pub async fn add(&self, name: &str) -> Result<NewToken, TokenError> {
        let name = valid_name(name)?;
        let token = new_secret();
        let hash = hash_of(&token);
        let (stored_name, stored_hash) = (name.clone(), hash.clone());
        let made = self
            .store
            .transaction(move |connection| {
                let active: Option<String> = connection
                    .query_row("SELECT Name FROM api_tokens WHERE Name = ? AND RevokedAt IS NULL", [&stored_name], |row| row.get(0))
                    .optional()?;
                if active.is_some() {
                    return Ok(false);
                }
                connection.execute("DELETE FROM api_tokens WHERE Name = ?", [&stored_name])?;
                connection.execute(
                    "INSERT INTO api_tokens (Name, TokenHash, CreatedAt) VALUES (?, ?, CAST(? AS TIMESTAMP))",
                    [&stored_name, &stored_hash, &utc_now()],
                )?;
                Ok(true)
            })
            .await?;
        if !made {
            return Err(TokenError::Exists(name));
        }
        self.in_force.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(hash, name.clone());
        tracing::info!(name = %name, "made an API token");
        Ok(NewToken { name, token })
    }

    /// Every token ever made (in force first), by name.
    pub async fn list(&self) -> Result<TokenList, TokenError> {
        let tokens = self
            .store
            .read(|connection| {
                let mut statement = connection.prepare(
                    "SELECT Name, strftime(CreatedAt, '%Y-%m-%dT%H:%M:%SZ'),
                            strftime(RevokedAt, '%Y-%m-%dT%H:%M:%SZ')
                     FROM api_tokens ORDER BY RevokedAt IS NOT NULL, Name",
                )?;
                let rows =
                    statement.query_map([], |row| Ok(ApiToken { name: row.get(0)?, created_at: row.get(1)?, revoked_at: row.get(2)? }))?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await?;
        Ok(TokenList { tokens })
    }

    /// Revokes the token in force for `name`; requests with it are refused from now on.
    pub async fn revoke(&self, name: &str) -> Result<ApiToken, TokenError> {
        let name = valid_name(name)?;
        let wanted = name.clone();
        let revoked = self
            .store
            .transaction(move |connection| {
                Ok(connection
                    .query_row(
                        "UPDATE api_tokens SET RevokedAt = CAST(? AS TIMESTAMP) WHERE Name = ? AND RevokedAt IS NULL
                         RETURNING Name, strftime(CreatedAt, '%Y-%m-%dT%H:%M:%SZ'),
                                   strftime(RevokedAt, '%Y-%m-%dT%H:%M:%SZ')",
                        [&utc_now(), &wanted],
                        |row| Ok(ApiToken { name: row.get(0)?, created_at: row.get(1)?, revoked_at: row.get(2)? }),
                    )
                    .optional()?)
            })
            .await?
            .ok_or_else(|| TokenError::NotFound(name.clone()))?;
        self.in_force.write().unwrap_or_else(|poisoned| poisoned.into_inner()).retain(|_, holder| *holder != name);
        tracing::info!(name = %name, "revoked an API token");
        Ok(revoked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_and_short() {
        assert_eq!(valid_name(" build-server.01 ").unwrap(), "build-server.01");
        for bad in ["", "two words", "a/b", "ünï", &"x".repeat(65)] {
            assert!(matches!(valid_name(bad), Err(TokenError::InvalidName(_))), "{bad:?}");
        }
    }

    #[test]
    fn secrets_are_long_random_and_hashed() {
        let (first, second) = (new_secret(), new_secret());
        assert_eq!(first.len(), TOKEN_PREFIX.len() + 64);
        assert_ne!(first, second);
        assert_eq!(hash_of(&first).len(), 64);
        assert_eq!(hash_of(&format!(" {first}\n")), hash_of(&first));
        assert_ne!(hash_of(&first), hash_of(&second));
    }
}
