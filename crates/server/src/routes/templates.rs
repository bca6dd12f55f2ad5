//! Message templates (issue 14, item 2): every agent lists them (the composer offers the
//! approved ones once a channel's service window has closed); owners, managers and holders
//! of the `templates` permission keep them. Checked with the domain's `template::validate`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::TemplateId;
use parley_domain::template::validate;
use parley_domain::wire::{ErrorBody, MessageTemplate, TemplateInput};

use super::{Body, PathParam};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

#[utoipa::path(get, path = "/templates", operation_id = "templates", tag = "templates",
    responses((status = 200, description = "The message templates, by name (approved or not)", body = Vec<MessageTemplate>)))]
pub async fn list(State(state): State<AppState>, _auth: Auth) -> ApiResult<Json<Vec<MessageTemplate>>> {
    Ok(Json(state.db.read(|conn| conn.templates()).await?))
}

/// Only those who keep the templates; then the input's check.
fn allowed(auth: &Auth, input: Option<&TemplateInput>) -> ApiResult<()> {
    if !auth.user.may_manage_templates() {
        return Err(ApiError::Forbidden(
            "only owners, managers and holders of the templates permission keep the message templates".into(),
        ));
    }
    if let Some(t) = input {
        validate(&t.name, &t.language, &t.body).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    }
    Ok(())
}

#[utoipa::path(post, path = "/templates", operation_id = "create_template", tag = "templates",
    request_body = TemplateInput,
    responses(
        (status = 201, description = "The new template (name and body trimmed)", body = MessageTemplate),
        (status = 400, description = "No name, a name over 80 characters, a language that is not a code, no body, a body over 1,024 characters, or placeholders not numbered {{1}}… without gaps; the message names the field", body = ErrorBody),
        (status = 403, description = "Without the permission", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(input): Body<TemplateInput>,
) -> ApiResult<(StatusCode, Json<MessageTemplate>)> {
    allowed(&auth, Some(&input))?;
    let now = state.now();
    let created = state.db.write(move |tx| tx.create_template(&input, now)).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[utoipa::path(put, path = "/templates/{id}", operation_id = "update_template", tag = "templates",
    params(("id" = String, Path, description = "The template")), request_body = TemplateInput,
    description = "Changes a template. Messages sent from it keep the text they went out with.",
    responses(
        (status = 200, description = "The template after the change", body = MessageTemplate),
        (status = 400, description = "As for creating", body = ErrorBody),
        (status = 403, description = "Without the permission", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<TemplateId>,
    Body(input): Body<TemplateInput>,
) -> ApiResult<Json<MessageTemplate>> {
    allowed(&auth, Some(&input))?;
    let updated = state
        .db
        .write(move |tx| match tx.update_template(&id, &input)? {
            true => Ok(crate::storage::template_row(id, &input)),
            false => Err(ApiError::not_found("template", &id)),
        })
        .await?;
    Ok(Json(updated))
}

#[utoipa::path(delete, path = "/templates/{id}", operation_id = "delete_template", tag = "templates",
    params(("id" = String, Path, description = "The template")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Without the permission", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<TemplateId>,
) -> ApiResult<StatusCode> {
    allowed(&auth, None)?;
    state
        .db
        .write(move |tx| match tx.delete_template(&id)? {
            true => Ok(()),
            false => Err(ApiError::not_found("template", &id)),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
