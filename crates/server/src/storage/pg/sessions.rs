//! Sessions, kept by the SHA-256 digest of their token.

use super::conn::{OptionalExtension, PgConn as Connection, params};
use parley_domain::UserId;

use crate::error::ApiResult;
use crate::storage::*;

impl SessionStore for Connection {
    fn session(&self, token_hash: &str) -> ApiResult<Option<(UserId, i64, i64)>> {
        Ok(self
            .query_row(
                "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = ?1",
                [token_hash],
                |r| Ok((UserId(r.get(0)?), r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    }
    fn create_session(&self, token_hash: &str, user: &UserId, now: i64) -> ApiResult<()> {
        self.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
            params![token_hash, user.as_str(), now],
        )?;
        Ok(())
    }
    fn touch_session(&self, token_hash: &str, now: i64) -> ApiResult<()> {
        self.execute("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2", params![now, token_hash])?;
        Ok(())
    }
    fn delete_session(&self, token_hash: &str) -> ApiResult<()> {
        self.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }
    fn purge_sessions(&self, idle_before: i64, created_before: i64) -> ApiResult<usize> {
        Ok(self.execute(
            "DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
            params![idle_before, created_before],
        )?)
    }
}
