//! AI assist in the composer (issue 15, item 1): `POST /conversations/{id}/assist`.

use axum::Json;
use axum::extract::State;
use parley_domain::ConversationId;
use parley_domain::assist::{AssistAction, AssistInput, prompt};
use parley_domain::wire::{ActivityKind, AssistAnswer, AssistRequest, ErrorBody};

use super::conversations::{all_messages, record};
use super::{Body, PathParam};
use crate::AppState;
use crate::access::{visible_contact, visible_conversation};
use crate::ai::Failure;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

#[utoipa::path(post, path = "/conversations/{id}/assist", tag = "conversations", params(("id" = String, Path, description = "The conversation")), request_body = AssistRequest,
    summary = "Ask the AI endpoint to rewrite the draft or summarize the conversation",
    responses(
        (status = 200, description = "The suggestion, to preview (nothing is changed); the audit trail says who asked for which action", body = AssistAnswer),
        (status = 400, description = "An unknown `action`, or a blank `draft` for an action that rewrites it", body = ErrorBody),
        (status = 502, description = "The AI endpoint refused, failed or gave no text; nothing was recorded", body = ErrorBody),
        (status = 503, description = "This server has no AI endpoint (`--ai-url`)", body = ErrorBody),
        (status = 504, description = "The AI endpoint did not answer in time (15 s); nothing was recorded", body = ErrorBody),
    ))]
/// `POST /conversations/{id}/assist`: builds the action's prompt (domain `assist::prompt`)
/// from the draft, the contact's language or the thread (messages and notes), sends it to
/// the chat-completions endpoint and hands back its text. Recorded in the audit trail once
/// an answer came.
pub async fn assist(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<AssistRequest>,
) -> ApiResult<Json<AssistAnswer>> {
    let user = auth.user.clone();
    let summarize = req.action == AssistAction::Summarize;
    let (conversation, language, messages, notes) = state
        .db
        .read(move |conn| {
            let conversation = visible_conversation(conn, &user, &ConversationId(id))?;
            let language = visible_contact(conn, &user, &conversation.contact.id)?.language;
            // Only a summary reads the thread.
            let (messages, notes) = if summarize {
                (all_messages(conn, &conversation.id)?, conn.notes(&conversation.id)?)
            } else {
                Default::default()
            };
            Ok((conversation, language, messages, notes))
        })
        .await?;
    let Some(ai) = state.ai.clone() else {
        return Err(ApiError::Unavailable("AI assist is not set up: the server was started without --ai-url".into()));
    };
    if req.action.uses_draft() && req.draft.trim().is_empty() {
        return Err(ApiError::BadRequest(format!("draft: there is no text to {}", req.action.wire_name())));
    }
    let input = AssistInput { draft: &req.draft, language: language.as_deref(), messages: &messages, notes: &notes };
    let text = ai.complete(prompt(req.action, &input)).await.map_err(|f| match f {
        Failure::Upstream(e) => ApiError::BadGateway(e),
        Failure::Timeout(e) => ApiError::GatewayTimeout(e),
    })?;
    record(&state, auth.user, conversation, ActivityKind::AiAssist { action: req.action }).await?;
    Ok(Json(AssistAnswer { text }))
}
