//! The workspace's closing reasons: everyone reads them (the close dialog, bulk resolve);
//! owners, managers and holders of the `closing_reasons` permission keep the list.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::ClosingReasonId;
use parley_domain::lifecycle::check_reason;
use parley_domain::wire::{ClosingReason, ClosingReasonInput, ClosingReasonOrder, ErrorBody};

use super::{Body, PathParam};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

#[utoipa::path(get, path = "/closing-reasons", operation_id = "closing_reasons", tag = "closing-reasons",
    responses((status = 200, description = "The closing reasons, in the close dialog's order", body = Vec<ClosingReason>)))]
pub async fn list(State(state): State<AppState>, _auth: Auth) -> ApiResult<Json<Vec<ClosingReason>>> {
    Ok(Json(state.db.read(|conn| conn.closing_reasons()).await?))
}

fn allowed(auth: &Auth) -> ApiResult<()> {
    if auth.user.may_manage_closing_reasons() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only owners, managers and holders of the closing_reasons permission keep the closing reasons".into(),
        ))
    }
}

#[utoipa::path(post, path = "/closing-reasons", operation_id = "create_closing_reason", tag = "closing-reasons",
    request_body = ClosingReasonInput,
    responses(
        (status = 201, description = "The new reason, last in the list", body = ClosingReason),
        (status = 400, description = "Empty, longer than 80 characters, or a name the list has (ignoring case)", body = ErrorBody),
        (status = 403, description = "Without the permission", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(input): Body<ClosingReasonInput>,
) -> ApiResult<(StatusCode, Json<ClosingReason>)> {
    allowed(&auth)?;
    let reason = state
        .db
        .write(move |tx| {
            let name = check_reason(&input.name, &tx.closing_reasons()?, None)
                .map_err(|e| ApiError::BadRequest(e.to_string()))?;
            tx.create_closing_reason(&name)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(reason)))
}

#[utoipa::path(put, path = "/closing-reasons/{id}", operation_id = "rename_closing_reason", tag = "closing-reasons",
    params(("id" = String, Path, description = "The reason")), request_body = ClosingReasonInput,
    description = "Renames a reason. Conversations closed with it keep the name they were closed with.",
    responses(
        (status = 200, description = "The reason after the change", body = ClosingReason),
        (status = 400, description = "Empty, longer than 80 characters, or another reason's name (ignoring case)", body = ErrorBody),
        (status = 403, description = "Without the permission", body = ErrorBody),
        (status = 404, description = "No such reason", body = ErrorBody),
    ))]
pub async fn rename(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<ClosingReasonId>,
    Body(input): Body<ClosingReasonInput>,
) -> ApiResult<Json<ClosingReason>> {
    allowed(&auth)?;
    let reason = state
        .db
        .write(move |tx| {
            let list = tx.closing_reasons()?;
            if !list.iter().any(|r| r.id == id) {
                return Err(ApiError::not_found("closing reason", &id));
            }
            let name = check_reason(&input.name, &list, Some(&id)).map_err(|e| ApiError::BadRequest(e.to_string()))?;
            tx.rename_closing_reason(&id, &name)?;
            Ok(ClosingReason { id, name })
        })
        .await?;
    Ok(Json(reason))
}

#[utoipa::path(delete, path = "/closing-reasons/{id}", operation_id = "delete_closing_reason", tag = "closing-reasons",
    params(("id" = String, Path, description = "The reason")),
    description = "Removes a reason from the list; conversations closed with it keep its name.",
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Without the permission", body = ErrorBody),
        (status = 404, description = "No such reason", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<ClosingReasonId>,
) -> ApiResult<StatusCode> {
    allowed(&auth)?;
    state
        .db
        .write(move |tx| match tx.delete_closing_reason(&id)? {
            false => Err(ApiError::not_found("closing reason", &id)),
            true => Ok(()),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/closing-reasons/order", operation_id = "reorder_closing_reasons", tag = "closing-reasons",
    request_body = ClosingReasonOrder,
    responses(
        (status = 200, description = "The reasons in their new order", body = Vec<ClosingReason>),
        (status = 400, description = "Not every reason exactly once", body = ErrorBody),
        (status = 403, description = "Without the permission", body = ErrorBody),
    ))]
pub async fn reorder(
    State(state): State<AppState>,
    auth: Auth,
    Body(order): Body<ClosingReasonOrder>,
) -> ApiResult<Json<Vec<ClosingReason>>> {
    allowed(&auth)?;
    let reasons = state
        .db
        .write(move |tx| {
            let list = tx.closing_reasons()?;
            if !parley_domain::rules::every_once(&order.ids, &list.iter().map(|r| &r.id).collect::<Vec<_>>()) {
                return Err(ApiError::BadRequest("ids must list every closing reason exactly once".into()));
            }
            tx.reorder_closing_reasons(&order.ids)?;
            tx.closing_reasons()
        })
        .await?;
    Ok(Json(reasons))
}
