//! The channel simulator (`--simulator` only): stands in for WhatsApp, Messenger… webhooks
//! so that demos and tests can make customers write in.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::wire::{ErrorBody, SimulatedInbound, SimulatedInboundCreated};
use serde::Serialize;

use super::Body;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, ops};

#[utoipa::path(post, path = "/simulator/inbound", tag = "test-only", security(()), request_body = SimulatedInbound,
    description = "Only with `--simulator`: a contact writes in on a channel (`contact` and `channel`), or someone \
        writes from an address (`from`): the contact with that address on that channel, else a new unassigned one.",
    responses(
        (status = 201, description = "The new message and its conversation", body = SimulatedInboundCreated),
        (status = 400, description = "Neither or both of `contact` and `from`, or an address that does not fit the channel", body = ErrorBody),
        (status = 404, description = "No such contact or channel", body = ErrorBody),
    ))]
pub async fn inbound(
    State(state): State<AppState>,
    Body(req): Body<SimulatedInbound>,
) -> ApiResult<(StatusCode, Json<SimulatedInboundCreated>)> {
    let now = state.now();
    let message = match (req.contact, req.channel, req.from) {
        (Some(contact), Some(channel), None) => {
            state.change(move |tx| ops::record_incoming(tx, &contact, &channel, &req.text, now)).await?
        }
        (None, None, Some(from)) => state.change(move |tx| ops::incoming_from(tx, &from, &req.text, now)).await?,
        _ => {
            return Err(ApiError::BadRequest("give either `contact` and `channel`, or `from`".into()));
        }
    };
    let created = SimulatedInboundCreated { message: message.id.to_string(), conversation: message.conversation };
    Ok((StatusCode::CREATED, Json(created)))
}

/// `POST /test/clock`'s answer: the server's time after the move.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ClockMoved {
    now: i64,
}

#[utoipa::path(post, path = "/test/clock", tag = "test-only", security(()), request_body = parley_domain::wire::TestClock,
    description = "Only with `--test-clock`: moves the server clock `offset_ms` from real time.",
    responses((status = 200, description = "The server's time after the move", body = ClockMoved)))]
/// Moves the server clock (`--test-clock` only) and tells every socket the new time.
pub async fn set_clock(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::TestClock>,
) -> ApiResult<Json<ClockMoved>> {
    state.clock.set_offset(req.offset_ms);
    state.hub.clock_moved();
    Ok(Json(ClockMoved { now: state.now() }))
}

#[utoipa::path(post, path = "/simulator/delivery", tag = "test-only", security(()),
    request_body = parley_domain::wire::SimulatedDelivery,
    description = "Only with `--simulator`: the channel reports a sent message's delivery.",
    responses(
        (status = 200, description = "The message after the change", body = parley_domain::Message),
        (status = 404, description = "No such message", body = ErrorBody),
        (status = 409, description = "Not a sent message, or the state would move backwards", body = ErrorBody),
    ))]
/// The channel reports a sent message delivered, read or failed.
pub async fn delivery(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::SimulatedDelivery>,
) -> ApiResult<Json<parley_domain::Message>> {
    let now = state.now();
    let message = state.change(move |tx| ops::set_delivery(tx, &req.message, req.delivery, now)).await?;
    Ok(Json(message))
}

#[utoipa::path(post, path = "/simulator/presence", tag = "test-only", security(()),
    request_body = parley_domain::wire::SimulatedPresence,
    description = "Only with `--simulator`: a web-chat visitor arrives on or leaves the page.",
    responses(
        (status = 204, description = "Recorded"),
        (status = 404, description = "No such contact", body = ErrorBody),
    ))]
/// A web-chat visitor arrives on or leaves the page.
pub async fn presence(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::SimulatedPresence>,
) -> ApiResult<StatusCode> {
    let now = state.now();
    state.change(move |tx| Ok(((), ops::set_online(tx, &req.contact, req.online, now)?))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/simulator/bulk-inbound", tag = "test-only", security(()),
    summary = "Many new contacts write in at once",
    request_body = parley_domain::wire::SimulatedBulkInbound,
    description = "Only with `--simulator`: `count` new contacts each write in once, in one transaction.",
    responses(
        (status = 201, description = "How many were created", body = parley_domain::wire::SimulatedBulkInboundCreated),
        (status = 404, description = "No such channel", body = ErrorBody),
    ))]
/// Many new contacts write in at once, in one transaction (see `ops::bulk_inbound`).
/// Open apps get their new side-panel counts.
pub async fn bulk_inbound(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::SimulatedBulkInbound>,
) -> ApiResult<(StatusCode, Json<parley_domain::wire::SimulatedBulkInboundCreated>)> {
    let now = state.now();
    let (created, _) = state.db.write(move |tx| ops::bulk_inbound(tx, req.count, req.channel.as_ref(), now)).await?;
    // The new conversations carry no events: the fan-out reloads them and sends counts.
    state.hub.reload();
    Ok((StatusCode::CREATED, Json(parley_domain::wire::SimulatedBulkInboundCreated { created })))
}
