//! Passwords, session tokens and the `Auth` extractor that makes "signed in" a type.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use parley_domain::{User, UserId};
use rusqlite::{Connection, OptionalExtension, params};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::repo;

pub fn hash_password(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS has randomness");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 hashes").to_string()
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A new opaque bearer token: 32 random bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS has randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A session unused for this long ends (sliding: each use extends it).
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3_600_000;
/// Uses closer together than this do not rewrite the session's last use.
const TOUCH_EVERY_MS: i64 = 3_600_000;

/// What the database keeps of a token: its SHA-256, hex. Tokens are 256 random bits,
/// so a fast hash is enough (no salt or stretching, unlike passwords).
fn digest(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The user of a live session, extending it; `None` for an unknown or expired token.
pub fn user_for_token(conn: &Connection, token: &str, now: i64) -> ApiResult<Option<User>> {
    let hash = digest(token);
    let found: Option<(String, i64)> = conn
        .query_row("SELECT user_id, last_seen_at FROM sessions WHERE token_hash = ?1", [&hash], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((id, last_seen)) = found else { return Ok(None) };
    if now - last_seen > SESSION_IDLE_MS {
        conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [&hash])?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        conn.execute("UPDATE sessions SET last_seen_at = ?1 WHERE token_hash = ?2", params![now, hash])?;
    }
    repo::user(conn, &UserId(id))
}

pub fn create_session(conn: &Connection, user: &UserId, now: i64) -> ApiResult<String> {
    let token = new_token();
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?1, ?2, ?3, ?3)",
        params![digest(&token), user.as_str(), now],
    )?;
    Ok(token)
}

/// Ends the session of `token` (signing out).
pub fn end_session(conn: &Connection, token: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [digest(token)])?;
    Ok(())
}

/// The signed-in user of a request, from `Authorization: Bearer <token>`.
pub struct Auth {
    pub user: User,
    pub token: String,
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Unauthorized("sign in first: missing bearer token".into()))?
            .to_owned();
        let lookup = token.clone();
        let now = state.now();
        let user = state
            .db
            .call(move |conn| user_for_token(conn, &lookup, now))
            .await?
            .ok_or_else(|| ApiError::Unauthorized("the session has ended; sign in again".into()))?;
        Ok(Auth { user, token })
    }
}
