//! Contacts: details and assignment.

use axum::Json;
use axum::extract::State;
use parley_domain::wire::Assign;
use parley_domain::{Contact, ContactId};

use super::{Body, PathParam, visible_contact};
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::{AppState, ops};

pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Contact>> {
    let contact = state.db.call(move |conn| visible_contact(conn, &auth.user, &ContactId(id))).await?;
    Ok(Json(contact))
}

pub async fn assign(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<Assign>,
) -> ApiResult<Json<Contact>> {
    let now = state.now();
    let contact = state
        .change(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            ops::set_assignee(tx, &ops::actor_of(&auth.user), &contact.id, req.assignee.as_ref(), now)
        })
        .await?;
    Ok(Json(contact))
}
