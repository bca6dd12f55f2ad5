//! One conversation: its detail, message pages, sending and marking read.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::lifecycle::Transition;
use parley_domain::wire::{ConversationDetail, ConversationSummary, Note, NoteText, Page, SendMessage};
use parley_domain::{ConversationId, Message};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::access::{visible_contact, visible_conversation};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, ops};

const DEFAULT_MESSAGES: usize = 50;

pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<ConversationDetail>> {
    let detail = state
        .db
        .read(move |conn| {
            let conversation = visible_conversation(conn, &auth.user, &ConversationId(id))?;
            let contact = visible_contact(conn, &auth.user, &conversation.contact.id)?;
            let (items, next) = conn.messages(&conversation.id, None, DEFAULT_MESSAGES)?;
            let notes = conn.notes(&conversation.id)?;
            let mut activities = conn.activities(&conversation.id)?;
            activities.retain(|a| crate::access::may_see_activity(&auth.user, &a.kind));
            Ok(ConversationDetail {
                conversation,
                contact,
                messages: Page { items, next: next.map(|s| s.to_string()) },
                notes,
                activities,
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
        .read(move |conn| {
            let conversation = visible_conversation(conn, &auth.user, &ConversationId(id))?;
            let (items, next) = conn.messages(&conversation.id, before, limit)?;
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
    let now = state.now();
    let sent = state
        .db
        .write(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::send_outgoing(
                tx,
                &auth.user,
                &conversation,
                &req.client_id,
                &req.text,
                &req.attachments,
                req.channel.as_ref(),
                now,
            )
        })
        .await?;
    let status = if sent.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(sent.message)))
}

pub async fn read(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<ConversationSummary>> {
    let now = state.now();
    let summary = state
        .change(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::mark_read(tx, &conversation, now)
        })
        .await?;
    Ok(Json(summary))
}

pub async fn lifecycle(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(t): Body<Transition>,
) -> ApiResult<Json<ConversationSummary>> {
    let now = state.now();
    let summary = state
        .change(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::change_status(tx, &ops::actor_of(&auth.user), &conversation, &t, now)
        })
        .await?;
    Ok(Json(summary))
}

pub async fn add_note(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<NoteText>,
) -> ApiResult<(StatusCode, Json<Note>)> {
    let now = state.now();
    let note = state
        .change(move |tx| {
            let conversation = visible_conversation(tx, &auth.user, &ConversationId(id))?;
            ops::add_note(tx, &auth.user, &conversation, &req.text, now)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(note)))
}

pub async fn edit_note(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<NoteText>,
) -> ApiResult<Json<Note>> {
    let now = state.now();
    let note = state.change(move |tx| ops::edit_note(tx, &auth.user, &id, &req.text, now)).await?;
    Ok(Json(note))
}

pub async fn delete_note(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<StatusCode> {
    let now = state.now();
    state.change(move |tx| Ok(((), ops::delete_note(tx, &auth.user, &id, now)?))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
}

/// `GET /conversations/search?q=…&limit=…`: the latest conversation of each contact the
/// caller may see whose name matches `q` (case- and accent-blind), best match first
/// (`parley_domain::keys::rank`): the command palette's conversation results.
pub async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Vec<ConversationSummary>>> {
    use parley_domain::keys::{MAX_SEARCH_LIMIT, SEARCH_LIMIT, rank, search_query};
    let text = search_query(&q.q).map_err(ApiError::BadRequest)?.to_owned();
    let limit = q.limit.unwrap_or(SEARCH_LIMIT);
    if !(1..=MAX_SEARCH_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_SEARCH_LIMIT}")));
    }
    let found = state
        .db
        .read(move |conn| {
            let dir = conn.directory()?;
            let visible: Vec<_> = conn
                .contact_names()?
                .into_iter()
                .filter(|c| {
                    parley_domain::visibility::can_see_contact(&dir, &auth.user, c.assignee.as_ref(), c.blocked)
                })
                .collect();
            let mut found = Vec::new();
            for contact in rank(&text, visible, |c| c.name.as_str(), usize::MAX) {
                if found.len() == limit {
                    break;
                }
                // The same check as every other conversation route, on what is returned.
                if let Some(id) = conn.latest_conversation_of(&contact.id)?
                    && let Ok(summary) = visible_conversation(conn, &auth.user, &id)
                {
                    found.push(summary);
                }
            }
            Ok(found)
        })
        .await?;
    Ok(Json(found))
}
