//! Saved replies: everyone reads them in the composer; owners and managers manage them.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::SnippetId;
use parley_domain::wire::{ErrorBody, Snippet, SnippetInput};

use super::{Body, PathParam};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

#[utoipa::path(get, path = "/snippets", operation_id = "snippets", tag = "snippets",
    responses((status = 200, description = "Every saved reply", body = Vec<Snippet>)))]
pub async fn list(State(state): State<AppState>, _auth: Auth) -> ApiResult<Json<Vec<Snippet>>> {
    Ok(Json(state.db.read(|conn| conn.snippets()).await?))
}

fn check(auth: &Auth, input: &SnippetInput) -> ApiResult<()> {
    if !auth.user.role.is_supervisor() {
        return Err(ApiError::Forbidden("only owners and managers manage saved replies".into()));
    }
    for (what, value, max) in
        [("category", &input.category, 60), ("title", &input.title, 120), ("text", &input.text, 5_000)]
    {
        let n = value.trim().chars().count();
        if n == 0 || n > max {
            return Err(ApiError::BadRequest(format!("the {what} must be 1 to {max} characters")));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/snippets", operation_id = "create_snippet", tag = "snippets", request_body = SnippetInput,
    responses(
        (status = 201, description = "The new saved reply", body = Snippet),
        (status = 403, description = "Only owners and managers manage saved replies", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(input): Body<SnippetInput>,
) -> ApiResult<(StatusCode, Json<Snippet>)> {
    check(&auth, &input)?;
    let snippet = state
        .db
        .write(move |tx| {
            let id = tx.create_snippet(input.category.trim(), input.title.trim(), input.text.trim())?;
            Ok(Snippet {
                id,
                category: input.category.trim().into(),
                title: input.title.trim().into(),
                text: input.text.trim().into(),
            })
        })
        .await?;
    Ok((StatusCode::CREATED, Json(snippet)))
}

#[utoipa::path(put, path = "/snippets/{id}", operation_id = "update_snippet", tag = "snippets", params(("id" = String, Path, description = "The saved reply")), request_body = SnippetInput,
    responses(
        (status = 200, description = "The saved reply after the change", body = Snippet),
        (status = 403, description = "Only owners and managers manage saved replies", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<SnippetId>,
    Body(input): Body<SnippetInput>,
) -> ApiResult<Json<Snippet>> {
    check(&auth, &input)?;
    let snippet = state
        .db
        .write(move |tx| {
            if !tx.update_snippet(&id, input.category.trim(), input.title.trim(), input.text.trim())? {
                return Err(ApiError::not_found("snippet", &id));
            }
            Ok(Snippet {
                id,
                category: input.category.trim().into(),
                title: input.title.trim().into(),
                text: input.text.trim().into(),
            })
        })
        .await?;
    Ok(Json(snippet))
}

#[utoipa::path(delete, path = "/snippets/{id}", operation_id = "delete_snippet", tag = "snippets", params(("id" = String, Path, description = "The saved reply")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only owners and managers manage saved replies", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<SnippetId>,
) -> ApiResult<StatusCode> {
    if !auth.user.role.is_supervisor() {
        return Err(ApiError::Forbidden("only owners and managers manage saved replies".into()));
    }
    state
        .db
        .write(move |tx| match tx.delete_snippet(&id)? {
            false => Err(ApiError::not_found("snippet", &id)),
            true => Ok(()),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
