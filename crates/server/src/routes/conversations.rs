//! One conversation: its detail, message pages, sending and marking read.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::lifecycle::Transition;
use parley_domain::wire::{
    ActivityKind, ConversationDetail, ConversationSummary, ErrorBody, Note, NoteText, Page, SendMessage,
    SendTranscript, TranscriptSent,
};
use parley_domain::{ConversationId, Message};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::access::{visible_contact, visible_conversation};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::{AppState, ops};

const DEFAULT_MESSAGES: usize = 50;

#[utoipa::path(get, path = "/conversations/{id}", operation_id = "conversation", tag = "conversations", params(("id" = String, Path, description = "The conversation")),
    responses((status = 200, description = "The conversation, its contact, newest messages, notes and activities", body = ConversationDetail)))]
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// The previous page's `next`: messages older than it.
    before: Option<String>,
    /// 1–200, default 50.
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/conversations/{id}/messages", tag = "conversations", params(("id" = String, Path, description = "The conversation"), MessagesQuery),
    responses((status = 200, description = "Older messages, oldest first; `next` continues further back", body = Page<Message>)))]
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

#[utoipa::path(post, path = "/conversations/{id}/messages", tag = "conversations", params(("id" = String, Path, description = "The conversation")), request_body = SendMessage,
    responses(
        (status = 201, description = "Sent", body = Message),
        (status = 200, description = "This `client_id` was already used: the message it sent", body = Message),
        (status = 400, description = "A template that is not approved, values that do not fill it, text or attachments with it, or the `human_agent` tag off Messenger", body = ErrorBody),
        (status = 409, description = "The conversation is closed (`conflict`), the channel's service window has closed for free text (`window_closed`: send an approved template), or an attachment was already sent", body = ErrorBody),
    ))]
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
            ops::send_outgoing(tx, &auth.user, &conversation, &req, now)
        })
        .await?;
    let status = if sent.created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(sent.message)))
}

#[utoipa::path(post, path = "/conversations/{id}/read", tag = "conversations", params(("id" = String, Path, description = "The conversation")),
    responses((status = 200, description = "The conversation with `unread: 0`", body = ConversationSummary)))]
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

#[utoipa::path(post, path = "/conversations/{id}/lifecycle", tag = "conversations", params(("id" = String, Path, description = "The conversation")), request_body = Transition,
    responses(
        (status = 200, description = "The conversation after the change", body = ConversationSummary),
        (status = 409, description = "The conversation's state does not allow it", body = ErrorBody),
    ))]
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

#[utoipa::path(post, path = "/conversations/{id}/notes", tag = "conversations", params(("id" = String, Path, description = "The conversation")), request_body = NoteText,
    responses((status = 201, description = "The new internal note", body = Note)))]
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

#[utoipa::path(patch, path = "/notes/{id}", tag = "conversations", params(("id" = String, Path, description = "The note")), request_body = NoteText,
    responses(
        (status = 200, description = "The note after the edit", body = Note),
        (status = 403, description = "Only the note's author edits it", body = ErrorBody),
    ))]
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

#[utoipa::path(delete, path = "/notes/{id}", tag = "conversations", params(("id" = String, Path, description = "The note")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only the note's author deletes it", body = ErrorBody),
    ))]
pub async fn delete_note(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<StatusCode> {
    let now = state.now();
    state.change(move |tx| Ok(((), ops::delete_note(tx, &auth.user, &id, now)?))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The contact name to look for: 1–100 characters after trimming.
    #[serde(default)]
    #[param(required = true)]
    q: String,
    /// 1–50, default 10.
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/conversations/search", tag = "conversations", params(SearchQuery),
    summary = "Conversations by contact name, best match first (the command palette)",
    responses((status = 200, description = "The latest conversation of each matching contact, best match first", body = Vec<ConversationSummary>)))]
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

#[utoipa::path(post, path = "/conversations/{id}/transcript", tag = "conversations", params(("id" = String, Path, description = "The conversation")), request_body = SendTranscript,
    summary = "Email the thread (messages, never notes; attachments as links) over SMTP",
    responses(
        (status = 200, description = "The SMTP server took the mail; the audit trail says who sent it to whom", body = TranscriptSent),
        (status = 400, description = "No address (the contact has no email and none was given) or not an email address", body = ErrorBody),
        (status = 502, description = "The SMTP server refused the mail or did not answer; nothing was recorded", body = ErrorBody),
        (status = 503, description = "This server has no SMTP server (`--smtp`)", body = ErrorBody),
    ))]
/// `POST /conversations/{id}/transcript`: mails the conversation's messages to `to`, by
/// default the contact's email. Recorded in the audit trail only once the SMTP server
/// has taken the mail.
pub async fn send_transcript(
    State(state): State<AppState>,
    auth: Auth,
    headers: axum::http::HeaderMap,
    PathParam(id): PathParam<String>,
    Body(req): Body<SendTranscript>,
) -> ApiResult<Json<TranscriptSent>> {
    let user = auth.user.clone();
    let (conversation, contact, messages, channels) = state
        .db
        .read(move |conn| {
            let conversation = visible_conversation(conn, &user, &ConversationId(id))?;
            let contact = visible_contact(conn, &user, &conversation.contact.id)?;
            let messages = all_messages(conn, &conversation.id)?;
            Ok((conversation, contact, messages, conn.workspace()?.channels))
        })
        .await?;
    let Some(mailer) = state.mailer.clone() else {
        return Err(ApiError::Unavailable("this server sends no mail: it was started without --smtp".into()));
    };
    let to = req.to.or(contact.email.clone()).unwrap_or_default();
    let to = crate::mail::recipient(&to).map_err(ApiError::BadRequest)?;
    let attachment_base = format!("{}/api/v1/attachments/", own_origin(&headers));
    let transcript = parley_domain::transcript::transcript(&parley_domain::transcript::TranscriptOf {
        workspace: mailer.workspace_name(),
        contact: &contact.name,
        messages: &messages,
        channels: &channels,
        attachment_base: &attachment_base,
    });
    mailer.send(to.clone(), transcript).await.map_err(ApiError::BadGateway)?;
    let to = to.to_string();
    let sent = TranscriptSent { to: to.clone() };
    record(&state, auth.user, conversation, ActivityKind::TranscriptSent { to }).await?;
    Ok(Json(sent))
}

/// Every message of a conversation, oldest first (the pages of [`Store::messages`]).
pub(crate) fn all_messages(conn: &dyn crate::storage::Store, id: &ConversationId) -> ApiResult<Vec<Message>> {
    let mut messages = Vec::new();
    let mut before = None;
    loop {
        let (mut page, next) = conn.messages(id, before, 500)?;
        page.append(&mut messages);
        messages = page;
        match next {
            Some(n) => before = Some(n),
            None => return Ok(messages),
        }
    }
}

/// One audit-trail line by `user` on `conversation`, told to whoever sees it.
pub(crate) async fn record(
    state: &AppState,
    user: parley_domain::User,
    conversation: ConversationSummary,
    kind: ActivityKind,
) -> ApiResult<()> {
    let now = state.now();
    state
        .change(move |tx| {
            let seq =
                ops::add_activity(tx, &conversation.id, &ops::actor_of(&user), kind, now, &[conversation.assigned()])?;
            Ok(((), seq))
        })
        .await
}

/// This API's origin as the request reached it (`Host`, and `X-Forwarded-Proto` from a
/// TLS-terminating proxy), for links that leave the app (a transcript's attachments).
fn own_origin(headers: &axum::http::HeaderMap) -> String {
    let header = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let scheme = match header("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{}", header("host").unwrap_or("localhost"))
}
