//! Sign-in, sign-out and the current user.

use axum::Json;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use parley_domain::Availability;
use parley_domain::UserId;
use parley_domain::wire::{ErrorBody, Me, Session, SignIn, SsoSignIn};

use super::Body;
use crate::AppState;
use crate::auth::{self, Auth};
use crate::error::{ApiError, ApiResult};

#[utoipa::path(post, path = "/session", tag = "session", security(()), request_body = SignIn,
    responses(
        (status = 201, description = "Signed in: the token and the user", body = Session),
        (status = 401, description = "Wrong email or password", body = ErrorBody),
        (status = 429, description = "Too many attempts; `Retry-After` gives the seconds to wait", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
/// Signing in makes the user available (the default availability at sign-in), so an
/// agent who went away yesterday takes conversations again, automatic assignment included.
///
/// Attempts are throttled per account and per client address (429 with `Retry-After`),
/// an unknown email costs a password check like a known one, and failures are logged.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Body(req): Body<SignIn>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let now = state.now();
    const WRONG: &str = "wrong email or password";
    let wrong = || ApiError::Unauthorized(WRONG.into());
    let email = req.email.trim().to_owned();
    let attempt = match state.sign_ins.begin(&email, peer.ip()) {
        Ok(attempt) => attempt,
        Err(wait) => {
            tracing::warn!(email = %email, address = %peer.ip(), "sign-in refused: too many attempts");
            let secs = crate::error::whole_seconds(wait);
            return Err(ApiError::TooManyRequests(format!("too many sign-in attempts; try again in {secs} s"), wait));
        }
    };
    let lookup = email.clone();
    let found = state.db.read(move |conn| conn.password_of(&lookup)).await?;
    let (id, hash) = match found {
        Some((id, hash)) => (Some(id), hash),
        None => (None, auth::dummy_hash().to_owned()),
    };
    // Hashing takes tens of milliseconds: never while holding a connection.
    let matches = auth::check_password(&state, req.password, hash).await?;
    let Some(id) = id.filter(|_| matches) else {
        attempt.failed();
        tracing::warn!(email = %email, address = %peer.ip(), "sign-in failed: wrong email or password");
        return Err(wrong());
    };
    start_session(&state, id, now, WRONG).await
}

/// A new session for `id`, answered `201` with the user and the workspace; the user
/// becomes available. `refused` is the 401's message should the user vanish meanwhile.
async fn start_session(
    state: &AppState,
    id: UserId,
    now: i64,
    refused: &'static str,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let (transcripts, ai_assist) = (state.mailer.is_some(), state.ai.is_some());
    let session = state
        .change(move |conn| {
            let token = auth::create_session(conn, &id, now)?;
            let away = conn.set_availability(&id, Availability::Available)?;
            let seq = if away { crate::ops::auto_assign(conn, now)? } else { None };
            let user = conn.user(&id)?.ok_or_else(|| ApiError::Unauthorized(refused.into()))?;
            Ok((Session { token, me: Me { user, workspace: conn.workspace()?, transcripts, ai_assist } }, seq))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(session)))
}

const SSO_REFUSED: &str =
    "single sign-on refused: a wrong signature, an expiry not within the next 5 minutes, or a user who cannot sign in";

#[utoipa::path(post, path = "/session/sso", tag = "session", security(()), request_body = SsoSignIn,
    description = "Single sign-on for an embedding portal's backend (docs/api.md): `signature` is the hex \
        HMAC-SHA256 of `email + \"\\n\" + expires` under the secret of `--sso-secret-file`; mounted only with it.",
    responses(
        (status = 201, description = "Signed in: the token and the user", body = Session),
        (status = 401, description = "A wrong signature, an expiry not within the next 5 minutes, or an unknown user", body = ErrorBody),
        (status = 404, description = "Single sign-on is off (no `--sso-secret-file`)", body = ErrorBody),
        (status = 429, description = "Too many failures from this address; `Retry-After` gives the seconds to wait", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
/// Single sign-on (mounted with `--sso-secret-file`): a signature under the shared
/// secret, made less than five minutes before it expires, signs its user in like a
/// password would. Every refusal has the same words, whatever the reason (logged);
/// failures are throttled per client address.
pub async fn sso(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Body(req): Body<SsoSignIn>,
) -> ApiResult<(StatusCode, Json<Session>)> {
    let now = state.now();
    if let Err(wait) = state.sso_failures.check(peer.ip()) {
        tracing::warn!(address = %peer.ip(), "single sign-on refused: too many failures");
        let secs = crate::error::whole_seconds(wait);
        return Err(ApiError::TooManyRequests(format!("too many failed sign-ins; try again in {secs} s"), wait));
    }
    let refuse = |why: &str| {
        state.sso_failures.failed(peer.ip());
        tracing::warn!(email = %req.email, address = %peer.ip(), "single sign-on failed: {why}");
        ApiError::Unauthorized(SSO_REFUSED.into())
    };
    let secret = state.sso.as_ref().ok_or_else(|| ApiError::NotFound("single sign-on is off".into()))?;
    if !secret.verify(&req.email, req.expires.0, &req.signature) {
        return Err(refuse("wrong signature"));
    }
    if !crate::sso::in_window(req.expires.0, now) {
        return Err(refuse(&format!("expiry {} is not within 5 minutes of the server clock {now}", req.expires.0)));
    }
    let email = req.email.trim().to_owned();
    let Some((id, _)) = state.db.read(move |conn| conn.password_of(&email)).await? else {
        return Err(refuse("unknown user"));
    };
    start_session(&state, id, now, SSO_REFUSED).await
}

#[utoipa::path(delete, path = "/session", tag = "session", responses((status = 204, description = "Signed out")))]
/// Ends the session; its sockets close within the second (with an `unauthorized` frame).
pub async fn sign_out(State(state): State<AppState>, auth: Auth) -> ApiResult<StatusCode> {
    let token = auth.token.clone();
    state.db.call(move |conn| crate::auth::end_session(conn, &token)).await?;
    state.hub.session_ended(auth::digest(&auth.token));
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/me", tag = "session",
    responses((status = 200, description = "The signed-in user and the workspace directory", body = Me)))]
pub async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Me>> {
    let workspace = state.db.read(|conn| conn.workspace()).await?;
    Ok(Json(Me { user: auth.user, workspace, transcripts: state.mailer.is_some(), ai_assist: state.ai.is_some() }))
}

#[utoipa::path(put, path = "/me/availability", tag = "session", request_body = parley_domain::wire::SetAvailability,
    responses((status = 200, description = "The user after the change", body = parley_domain::User)))]
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
            tx.set_availability(&auth.user.id, req.availability)?;
            let seq = crate::ops::auto_assign(tx, now)?;
            Ok((tx.user(&auth.user.id)?.expect("signed in"), seq))
        })
        .await?;
    Ok(Json(user))
}
