//! Sign-in, sign-out and the current user.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::UserId;
use parley_domain::wire::{Me, Session, SignIn};
use rusqlite::OptionalExtension;

use super::Body;
use crate::auth::{self, Auth};
use crate::error::{ApiError, ApiResult};
use crate::{AppState, repo};

/// Signing in makes the user available (the default availability at sign-in), so an
/// agent who went away yesterday takes conversations again, automatic assignment included.
pub async fn sign_in(State(state): State<AppState>, Body(req): Body<SignIn>) -> ApiResult<(StatusCode, Json<Session>)> {
    let now = state.now();
    let wrong = || ApiError::Unauthorized("wrong email or password".into());
    let email = req.email.trim().to_owned();
    let found: Option<(String, String)> = state
        .db
        .read(move |conn| {
            Ok(conn
                .query_row("SELECT id, password_hash FROM users WHERE email = ?1", [email], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?)
        })
        .await?;
    let (id, hash) = found.ok_or_else(wrong)?;
    // Hashing takes tens of milliseconds: never while holding a connection.
    if !auth::check_password(&state, req.password, hash).await? {
        return Err(wrong());
    }
    let id = UserId(id);
    let session = state
        .change(move |conn| {
            let token = auth::create_session(conn, &id, now)?;
            let away = conn.execute(
                "UPDATE users SET availability = 'available' WHERE id = ?1 AND availability <> 'available'",
                [id.as_str()],
            )? > 0;
            let seq = if away { crate::ops::auto_assign(conn, now)? } else { None };
            let user = repo::user(conn, &id)?.ok_or_else(wrong)?;
            Ok((Session { token, me: Me { user, workspace: repo::workspace(conn)? } }, seq))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

pub async fn sign_out(State(state): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    state.db.call(move |conn| crate::auth::end_session(conn, &auth.token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Me>> {
    let workspace = state.db.read(|conn| repo::workspace(conn)).await?;
    Ok(Json(Me { user: auth.user, workspace }))
}

/// Available or away. Becoming available may hand the agent waiting conversations
/// (automatic assignment).
pub async fn set_availability(
    State(state): State<AppState>,
    auth: Auth,
    Body(req): Body<parley_domain::wire::SetAvailability>,
) -> ApiResult<Json<parley_domain::User>> {
    let now = state.now();
    let user = state
        .change(move |tx| {
            let value = crate::repo::enum_str(&req.availability);
            tx.execute(
                "UPDATE users SET availability = ?2 WHERE id = ?1",
                rusqlite::params![auth.user.id.as_str(), value],
            )?;
            let seq = crate::ops::auto_assign(tx, now)?;
            Ok((repo::user(tx, &auth.user.id)?.expect("signed in"), seq))
        })
        .await?;
    Ok(Json(user))
}
