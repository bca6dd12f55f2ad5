//! The channel simulator (`--simulator` only): stands in for WhatsApp, Messenger… webhooks
//! so that demos and tests can make customers write in.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::wire::{SimulatedInbound, SimulatedInboundCreated};

use super::Body;
use crate::error::ApiResult;
use crate::{AppState, ops};

pub async fn inbound(
    State(state): State<AppState>,
    Body(req): Body<SimulatedInbound>,
) -> ApiResult<(StatusCode, Json<SimulatedInboundCreated>)> {
    let now = state.now();
    let message = state.change(move |tx| ops::record_incoming(tx, &req.contact, &req.channel, &req.text, now)).await?;
    let created = SimulatedInboundCreated { message: message.id.to_string(), conversation: message.conversation };
    Ok((StatusCode::CREATED, Json(created)))
}

/// Moves the server clock (`--test-clock` only) and tells every socket the new time.
pub async fn set_clock(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::TestClock>,
) -> ApiResult<Json<serde_json::Value>> {
    state.clock.set_offset(req.offset_ms);
    state.hub.clock_moved();
    Ok(Json(serde_json::json!({"now": state.now()})))
}

/// The channel reports a sent message delivered, read or failed.
pub async fn delivery(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::SimulatedDelivery>,
) -> ApiResult<Json<parley_domain::Message>> {
    let now = state.now();
    let message = state.change(move |tx| ops::set_delivery(tx, &req.message, req.delivery, now)).await?;
    Ok(Json(message))
}

/// A web-chat visitor arrives on or leaves the page.
pub async fn presence(
    State(state): State<AppState>,
    Body(req): Body<parley_domain::wire::SimulatedPresence>,
) -> ApiResult<StatusCode> {
    let now = state.now();
    state.change(move |tx| Ok(((), ops::set_online(tx, &req.contact, req.online, now)?))).await?;
    Ok(StatusCode::NO_CONTENT)
}

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
