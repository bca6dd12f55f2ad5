//! One conversation: its detail, message pages, sending and marking read.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::wire::{ConversationDetail, ConversationSummary, Page, SendMessage};
use parley_domain::{ConversationId, Message};
use serde::Deserialize;

use super::{Body, PathParam, Query, visible_contact, visible_conversation};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, now_ms, ops, repo};

const DEFAULT_MESSAGES: usize = 50;

pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<ConversationDetail>> {
    let detail = state
        .db
        .call(move |conn| {
            let conversation = visible_conversation(conn, &auth.user, &ConversationId(id))?;
            let contact = visible_contact(conn, &auth.user, &conversation.contact.id)?;
            let (items, next) = repo::messages(conn, &conversation.id, None, DEFAULT_MESSAGES)?;
            Ok(ConversationDetail {
                conversation,
                contact,
                messages: Page { items, next: next.map(|s| s.to_string()) },
            })
        })
        .await?;
    Ok(Json(detail))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessagesQuery {
    before: Option<String>,
    limit: Option<usize>,
}

pub async fn messages(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Query(q): Query<MessagesQuery>,
) -> ApiResult<Json<Page<Message>>> {
    let before = q
        .before
        .as_deref()
        .map(|b| b.parse::<i64>().map_err(|_| ApiError::BadRequest(format!("invalid cursor {b:?}"))))
        .transpose()?;
    let limit = q.limit.unwrap_or(DEFAULT_MESSAGES);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be between 1 and 200".into()));
    }
    let page = state
        .db
        .call(move |conn| {
            let conversation = visible_conversation(conn, &auth.user, &ConversationId(id))?;
            let (items, next) = repo::messages(conn, &conversation.id, before, limit)?;
            Ok(Page { items, next: next.map(|s| s.to_string()) })
        })
        .await?;
    Ok(Json(page))
}

pub async fn send(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<SendMessage>,
) -> ApiResult<(StatusCode, Json<Message>)> {
    let sent = state
        .db
        .write(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::send_outgoing(tx, &auth.user, &conversation, &req.client_id, &req.text, now_ms())
        })
        .await?;
    if let Some(seq) = sent.seq {
        state.hub.published(seq);
    }
    let status = if sent.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(sent.message)))
}

pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<ConversationSummary>> {
    let (summary, seq) = state
        .db
        .write(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::mark_read(tx, &conversation, now_ms())
        })
        .await?;
    if let Some(seq) = seq {
        state.hub.published(seq);
    }
    Ok(Json(summary))
}
