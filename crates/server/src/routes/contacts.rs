//! Contacts: details and assignment.

use axum::Json;
use axum::extract::State;
use parley_domain::wire::{Assign, ContactActivities, ContactPatch, ErrorBody, Merge, SetBlocked};
use parley_domain::{Contact, ContactId};

use super::{Body, PathParam};
use crate::access::visible_contact;
use crate::auth::Auth;
use crate::error::ApiResult;
use crate::{AppState, ops};

#[utoipa::path(get, path = "/contacts/{id}", operation_id = "contact", tag = "contacts", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "The contact", body = Contact)))]
pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Contact>> {
    let contact = state.db.read(move |conn| visible_contact(conn, &auth.user, &ContactId(id))).await?;
    Ok(Json(contact))
}

#[utoipa::path(put, path = "/contacts/{id}/assignee", tag = "contacts", params(("id" = String, Path, description = "The contact")), request_body = Assign,
    responses((status = 200, description = "The contact after the change", body = Contact)))]
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

#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = String, Path, description = "The contact")), request_body = ContactPatch,
    responses((status = 200, description = "The contact after the edit", body = Contact)))]
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(patch): Body<parley_domain::wire::ContactPatch>,
) -> ApiResult<Json<Contact>> {
    let now = state.now();
    let contact = state
        .change(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            ops::edit_contact(tx, &contact.id, &patch, now)
        })
        .await?;
    Ok(Json(contact))
}

#[utoipa::path(put, path = "/contacts/{id}/blocked", tag = "contacts", params(("id" = String, Path, description = "The contact")), request_body = SetBlocked,
    responses(
        (status = 200, description = "The contact after the change", body = Contact),
        (status = 403, description = "The user lacks the `view_blocked` permission", body = ErrorBody),
    ))]
/// Block or unblock: users with the blocked-contacts permission only.
pub async fn set_blocked(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<parley_domain::wire::SetBlocked>,
) -> ApiResult<Json<Contact>> {
    if !auth.user.has(parley_domain::Permission::ViewBlocked) {
        return Err(crate::error::ApiError::Forbidden(
            "blocking contacts needs the blocked-contacts permission".into(),
        ));
    }
    let now = state.now();
    let contact = state
        .change(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            ops::set_blocked(tx, &contact.id, req.blocked, now)
        })
        .await?;
    Ok(Json(contact))
}

#[utoipa::path(get, path = "/contacts/{id}/duplicates", tag = "contacts", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "Merge suggestions", body = Vec<Contact>)))]
/// Other contacts the user may see that share a phone number or an email address (merge
/// suggestions).
pub async fn duplicates(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Vec<Contact>>> {
    let found = state
        .db
        .read(move |conn| {
            let contact = visible_contact(conn, &auth.user, &ContactId(id))?;
            let dir = conn.directory()?;
            Ok(conn
                .contacts()?
                .into_iter()
                .filter(|c| parley_domain::contact_fields::looks_like_duplicate(&contact, c))
                .filter(|c| {
                    parley_domain::visibility::can_see_contact(&dir, &auth.user, c.assignee.as_ref(), c.blocked)
                })
                .collect())
        })
        .await?;
    Ok(Json(found))
}

#[utoipa::path(post, path = "/contacts/{id}/merge", tag = "contacts", params(("id" = String, Path, description = "The contact")), request_body = Merge,
    responses((status = 200, description = "The primary contact after the merge", body = Contact)))]
/// Merges another contact into this one (both must be visible to the caller).
pub async fn merge(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<parley_domain::wire::Merge>,
) -> ApiResult<Json<Contact>> {
    let now = state.now();
    let contact = state
        .change(move |tx| {
            let primary = visible_contact(tx, &auth.user, &ContactId(id))?;
            let secondary = visible_contact(tx, &auth.user, &req.secondary)?;
            ops::merge_contacts(tx, &ops::actor_of(&auth.user), &primary.id, &secondary.id, now)
        })
        .await?;
    Ok(Json(contact))
}

#[utoipa::path(get, path = "/contacts/{id}/activities", tag = "contacts", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "Notes and audit trail, each newest first", body = ContactActivities)))]
/// The contact's notes and audit trail across its conversations, newest first.
pub async fn activities(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<parley_domain::wire::ContactActivities>> {
    let found = state
        .db
        .read(move |conn| {
            let contact = visible_contact(conn, &auth.user, &ContactId(id))?;
            let mut all = parley_domain::wire::ContactActivities::default();
            for id in conn.conversations_of(&contact.id)? {
                all.notes.extend(conn.notes(&id)?);
                all.activities.extend(
                    conn.activities(&id)?.into_iter().filter(|a| crate::access::may_see_activity(&auth.user, &a.kind)),
                );
            }
            all.notes.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
            all.activities.sort_by(|a, b| (b.at, &b.id).cmp(&(a.at, &a.id)));
            Ok(all)
        })
        .await?;
    Ok(Json(found))
}
