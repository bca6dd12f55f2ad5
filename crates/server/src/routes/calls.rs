//! Calls: the incoming-calls panel, an inbox's call log, a contact's call activities,
//! and the agent's actions (accept, decline, record, end, call out).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::call::{Call, CallAction};
use parley_domain::inbox::{self, InboxId};
use parley_domain::visibility::can_see;
use parley_domain::wire::{ErrorBody, PlaceCall, SimulatedCall, SimulatedCallAction};
use parley_domain::{ContactId, Permission, User};
use serde::Deserialize;

use super::{Body, PathParam};
use crate::access::visible_contact;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use crate::{AppState, ops, storage};

/// Most calls one list answers with (a log is read newest first).
const LOG_LIMIT: u32 = 200;

fn require_calls(user: &User) -> ApiResult<()> {
    if user.has(Permission::Calls) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("you do not have access to calls".into()))
    }
}

/// Calls the user may see, of those asked for.
fn visible_calls(conn: &dyn Store, user: &User, which: storage::Calls<'_>) -> ApiResult<Vec<Call>> {
    let dir = conn.directory()?;
    let mut calls = conn.calls(which, LOG_LIMIT)?;
    calls.retain(|c| can_see(&dir, user, c.assigned().as_ref()));
    Ok(calls)
}

fn visible_call(conn: &dyn Store, user: &User, id: &str) -> ApiResult<Call> {
    let dir = conn.directory()?;
    match conn.call(id)? {
        Some(c) if can_see(&dir, user, c.assigned().as_ref()) => Ok(c),
        _ => Err(ApiError::not_found("call", id)),
    }
}

#[utoipa::path(get, path = "/calls", tag = "calls",
    responses((status = 200, description = "Ringing and ongoing calls the user may see, newest first", body = Vec<Call>), (status = 403, description = "The user lacks the `calls` permission", body = ErrorBody)))]
/// `GET /calls`: ringing and ongoing calls, for the incoming-calls panel. The app splits
/// them into All / Assigned to me / Unassigned.
pub async fn live(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Call>>> {
    require_calls(&auth.user)?;
    let calls = state.db.read(move |conn| visible_calls(conn, &auth.user, storage::Calls::Live)).await?;
    Ok(Json(calls))
}

#[utoipa::path(get, path = "/inboxes/{inbox}/calls", tag = "calls",
    params(("inbox" = String, Path, description = "`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`")),
    responses((status = 200, description = "The inbox's call log, newest first (200 at most)", body = Vec<Call>), (status = 403, description = "The user lacks the `calls` permission", body = ErrorBody)))]
/// `GET /inboxes/{inbox}/calls`: the call log of the contacts an inbox holds.
pub async fn log(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(inbox): PathParam<String>,
) -> ApiResult<Json<Vec<Call>>> {
    require_calls(&auth.user)?;
    let calls = state
        .db
        .read(move |conn| {
            let dir = conn.directory()?;
            let id: InboxId = inbox.parse().map_err(|_| ApiError::not_found("inbox", &inbox))?;
            if !inbox::may_open(&dir, &auth.user, &id) {
                return Err(ApiError::not_found("inbox", &inbox));
            }
            // Filtered by the inbox's scope in the query, so the limit counts visible calls.
            let calls = conn.calls(storage::Calls::Held(&inbox::scope(&dir, &auth.user, &id)), LOG_LIMIT)?;
            Ok(calls)
        })
        .await?;
    Ok(Json(calls))
}

#[utoipa::path(get, path = "/contacts/{id}/calls", tag = "calls", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "The contact's calls, newest first", body = Vec<Call>), (status = 403, description = "The user lacks the `calls` permission", body = ErrorBody)))]
/// `GET /contacts/{id}/calls`: the contact's calls (the sidebar's Call activities).
pub async fn of_contact(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Vec<Call>>> {
    require_calls(&auth.user)?;
    let calls = state
        .db
        .read(move |conn| {
            let contact = visible_contact(conn, &auth.user, &ContactId(id))?;
            visible_calls(conn, &auth.user, storage::Calls::OfContact(&contact.id))
        })
        .await?;
    Ok(Json(calls))
}

#[derive(Deserialize)]
pub struct ActionParams {
    id: String,
    action: String,
}

#[utoipa::path(post, path = "/calls/{id}/{action}", tag = "calls",
    params(("id" = String, Path, description = "The call"),
        ("action" = String, Path, description = "`accept`, `decline`, `record`, `stop_recording` or `end`")),
    responses(
        (status = 200, description = "The call after the action", body = Call),
        (status = 403, description = "The user lacks the `calls` permission", body = ErrorBody),
        (status = 409, description = "The call's state does not allow it, or the user is not the agent on the call", body = ErrorBody),
    ))]
/// `POST /calls/{id}/{action}`: accept, decline, record, stop_recording, end.
pub async fn act(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(ActionParams { id, action }): PathParam<ActionParams>,
) -> ApiResult<Json<Call>> {
    require_calls(&auth.user)?;
    let action = match action.as_str() {
        "accept" => CallAction::Accept,
        "decline" => CallAction::Decline,
        "record" => CallAction::Record,
        "stop_recording" => CallAction::StopRecording,
        "end" => CallAction::End,
        other => return Err(ApiError::NotFound(format!("no call action {other:?}"))),
    };
    let now = state.now();
    let call = state
        .change(move |tx| {
            let call = visible_call(tx, &auth.user, &id)?;
            ops::calls::act(tx, &auth.user, &call, action, now)
        })
        .await?;
    Ok(Json(call))
}

#[utoipa::path(post, path = "/contacts/{id}/calls", tag = "calls", params(("id" = String, Path, description = "The contact")),
    request_body = PlaceCall,
    responses(
        (status = 201, description = "The call, ongoing (the simulated contact picks up at once)", body = Call),
        (status = 403, description = "The user lacks the `calls` permission", body = ErrorBody),
        (status = 409, description = "The contact is already on a call", body = ErrorBody),
    ))]
/// `POST /contacts/{id}/calls`: call the contact.
pub async fn place(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<PlaceCall>,
) -> ApiResult<(StatusCode, Json<Call>)> {
    require_calls(&auth.user)?;
    let now = state.now();
    let call = state
        .change(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            ops::calls::place(tx, &auth.user, &contact, req.channel.as_ref(), now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(call)))
}

#[utoipa::path(post, path = "/simulator/call", tag = "test-only", security(()), request_body = SimulatedCall,
    description = "Only with `--simulator`: the contact calls in, or hangs up their live call.",
    responses(
        (status = 200, description = "The call after the change", body = Call),
        (status = 404, description = "No such contact or channel", body = ErrorBody),
        (status = 409, description = "Already on a call (ring), or not on one (hangup)", body = ErrorBody),
    ))]
/// `POST /simulator/call`: the contact rings, or hangs up.
pub async fn simulate(State(state): State<AppState>, Body(req): Body<SimulatedCall>) -> ApiResult<Json<Call>> {
    let now = state.now();
    let call = state
        .change(move |tx| match req.action {
            SimulatedCallAction::Ring => ops::calls::ring(tx, &req.contact, req.channel.as_ref(), now),
            SimulatedCallAction::Hangup => ops::calls::hang_up(tx, &req.contact, now),
        })
        .await?;
    Ok(Json(call))
}
