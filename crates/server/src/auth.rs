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

pub fn user_for_token(conn: &Connection, token: &str) -> ApiResult<Option<User>> {
    let id: Option<String> =
        conn.query_row("SELECT user_id FROM sessions WHERE token = ?1", [token], |r| r.get(0)).optional()?;
    match id {
        Some(id) => repo::user(conn, &UserId(id)),
        None => Ok(None),
    }
}

pub fn create_session(conn: &Connection, user: &UserId, now: i64) -> ApiResult<String> {
    let token = new_token();
    conn.execute(
        "INSERT INTO sessions (token, user_id, created_at) VALUES (?1, ?2, ?3)",
        params![token, user.as_str(), now],
    )?;
    Ok(token)
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
        let user = state
            .db
            .call(move |conn| user_for_token(conn, &lookup))
            .await?
            .ok_or_else(|| ApiError::Unauthorized("the session has ended; sign in again".into()))?;
        Ok(Auth { user, token })
    }
}
