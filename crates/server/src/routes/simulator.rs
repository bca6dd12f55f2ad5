//! The channel simulator (`--simulator` only): stands in for WhatsApp, Messenger… webhooks
//! so that demos and tests can make customers write in.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::wire::{SimulatedInbound, SimulatedInboundCreated};

use super::Body;
use crate::error::ApiResult;
use crate::{AppState, now_ms, ops};

pub async fn inbound(
    State(state): State<AppState>,
    Body(req): Body<SimulatedInbound>,
) -> ApiResult<(StatusCode, Json<SimulatedInboundCreated>)> {
    let (message, seq) =
        state.db.write(move |tx| ops::record_incoming(tx, &req.contact, &req.channel, &req.text, now_ms())).await?;
    state.hub.published(seq);
    let created = SimulatedInboundCreated { message: message.id.to_string(), conversation: message.conversation };
    Ok((StatusCode::CREATED, Json(created)))
}
