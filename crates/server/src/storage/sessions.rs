//! Sessions, kept by the SHA-256 digest of their token.

use parley_domain::UserId;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ApiResult;

/// The user and last use of the session with this token digest.
pub fn session(conn: &Connection, token_hash: &str) -> ApiResult<Option<(UserId, i64)>> {
    Ok(conn
        .query_row("SELECT user_id, last_seen_at FROM sessions WHERE token_hash = ?1", [token_hash], |r| {
            Ok((UserId(r.get(0)?), r.get(1)?))
        })
        .optional()?)
}

pub fn create_session(tx: &Connection, token_hash: &str, user: &UserId, now: i64) -> ApiResult<()> {
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        params![token_hash, user.as_str(), now],
    )?;
    Ok(())
}

pub fn touch_session(tx: &Connection, token_hash: &str, now: i64) -> ApiResult<()> {
    tx.execute("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2", params![now, token_hash])?;
    Ok(())
}

pub fn delete_session(tx: &Connection, token_hash: &str) -> ApiResult<()> {
    tx.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
    Ok(())
}

/// The sessions part of [`Store`](super::Store).
pub trait SessionStore {
    fn session(&self, token_hash: &str) -> ApiResult<Option<(UserId, i64)>>;
    fn create_session(&self, token_hash: &str, user: &UserId, now: i64) -> ApiResult<()>;
    fn touch_session(&self, token_hash: &str, now: i64) -> ApiResult<()>;
    fn delete_session(&self, token_hash: &str) -> ApiResult<()>;
}

impl SessionStore for Connection {
    fn session(&self, token_hash: &str) -> ApiResult<Option<(UserId, i64)>> {
        session(self, token_hash)
    }
    fn create_session(&self, token_hash: &str, user: &UserId, now: i64) -> ApiResult<()> {
        create_session(self, token_hash, user, now)
    }
    fn touch_session(&self, token_hash: &str, now: i64) -> ApiResult<()> {
        touch_session(self, token_hash, now)
    }
    fn delete_session(&self, token_hash: &str) -> ApiResult<()> {
        delete_session(self, token_hash)
    }
}
