//! Contacts: the contacts page's search, details, history and assignment.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::contact_search::{self, MAX_PAGE_LIMIT, PAGE_LIMIT};
use parley_domain::visibility::can_see_contact;
use parley_domain::wire::{
    Assign, ContactActivities, ContactConversation, ContactPatch, ConversationSummary, ErrorBody, Merge, Page,
    SetBlocked, StartConversation,
};
use parley_domain::{Assignee, Contact, ContactId, Permission};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::access::visible_contact;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::ContactSearch;
use crate::{AppState, ops};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A name (from any of its words), an email address, a phone number (any run of its
    /// digits; spaces, `+`, dashes and a national 0 do not matter) or a tag, or the start of
    /// one; case- and accent-blind. Empty or absent: every contact. At most 100 characters.
    q: Option<String>,
    /// The previous page's `next`, opaque.
    cursor: Option<String>,
    /// 1–200, default 50.
    limit: Option<usize>,
}

/// The cursor after a contact: its sort key and id, in hex (opaque, URL-safe).
fn cursor_of(sort_name: &str, id: &ContactId) -> String {
    format!("{sort_name}\n{id}").bytes().map(|b| format!("{b:02x}")).collect()
}

fn parse_cursor(raw: &str) -> ApiResult<(String, ContactId)> {
    let bad = || ApiError::BadRequest(format!("invalid cursor {raw:?}"));
    let bytes = (0..raw.len())
        .step_by(2)
        .map(|i| raw.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (sort_name, id) = text.split_once('\n').ok_or_else(bad)?;
    Ok((sort_name.to_owned(), ContactId(id.to_owned())))
}

#[utoipa::path(get, path = "/contacts", operation_id = "contacts", tag = "contacts", params(SearchQuery),
    summary = "The contacts page: search contacts by name, phone, email or tag",
    responses((status = 200, description = "One page of the contacts the caller may see that match, by name then id", body = Page<Contact>)))]
/// `GET /contacts?q=…&cursor=…&limit=…`: the contacts the caller may see with a search term
/// starting with `q` (`parley_domain::contact_search`), ordered by folded name then id, in
/// keyset pages.
pub async fn search(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Page<Contact>>> {
    let key = contact_search::query_key(q.q.as_deref().unwrap_or_default()).map_err(ApiError::BadRequest)?;
    let limit = q.limit.unwrap_or(PAGE_LIMIT);
    if !(1..=MAX_PAGE_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit must be between 1 and {MAX_PAGE_LIMIT}")));
    }
    let after = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let page = state
        .db
        .read(move |conn| {
            let dir = conn.directory()?;
            let user = &auth.user;
            let search = ContactSearch {
                visible: parley_domain::inbox::visible_assignees(&dir, user),
                with_blocked: user.has(Permission::ViewBlocked),
                key,
                after,
                limit,
            };
            let mut rows = conn.search_contacts(&search)?;
            let next = (rows.len() > limit).then(|| {
                rows.truncate(limit);
                let (sort_name, last) = rows.last().expect("limit is at least 1");
                cursor_of(sort_name, &last.id)
            });
            // The same rule as every other contact route, on what is returned.
            let items = rows
                .into_iter()
                .map(|(_, c)| c)
                .filter(|c| can_see_contact(&dir, user, c.assigned().as_ref(), c.blocked))
                .collect();
            Ok(Page { items, next })
        })
        .await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/contacts/{id}/conversations", tag = "contacts", params(("id" = String, Path, description = "The contact")),
    responses((status = 200, description = "Every conversation of the contact, past and current, most recently active first", body = Vec<ContactConversation>)))]
/// The contact's conversations, the closed ones with their closing reason.
pub async fn conversations(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<Vec<ContactConversation>>> {
    let found = state
        .db
        .read(move |conn| {
            let contact = visible_contact(conn, &auth.user, &ContactId(id))?;
            let mut ids = conn.conversations_of(&contact.id)?;
            ids.reverse();
            let mut out = Vec::with_capacity(ids.len());
            for conversation in conn.summaries(&ids)? {
                let closing_reason = if conversation.status == parley_domain::Status::Closed {
                    parley_domain::lifecycle::closing_reason(conversation.status, &conn.activities(&conversation.id)?)
                } else {
                    None
                };
                out.push(ContactConversation { conversation, closing_reason });
            }
            Ok(out)
        })
        .await?;
    Ok(Json(found))
}

#[utoipa::path(post, path = "/contacts/{id}/conversations", operation_id = "start_conversation", tag = "contacts",
    params(("id" = String, Path, description = "The contact")), request_body = StartConversation,
    description = "New conversation: opens a pending conversation with the contact on one of their channels, or answers the contact's open conversation (a contact has one at most). An unassigned contact is assigned to the caller, as a reply would.",
    responses(
        (status = 201, description = "A new conversation", body = ConversationSummary),
        (status = 200, description = "The contact's open conversation", body = ConversationSummary),
        (status = 400, description = "The contact is not connected to that channel", body = ErrorBody),
        (status = 404, description = "No such contact, or not one the caller may see", body = ErrorBody),
        (status = 409, description = "The contact is blocked", body = ErrorBody),
    ))]
pub async fn start(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(req): Body<StartConversation>,
) -> ApiResult<(StatusCode, Json<ConversationSummary>)> {
    let now = state.now();
    let (summary, created, _) = state
        .db
        .write(move |tx| {
            let contact = visible_contact(tx, &auth.user, &ContactId(id))?;
            ops::start_conversation(tx, &auth.user, &contact, &req.channel, now)
        })
        .await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(summary)))
}

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

/// Assigns the contact to a user (`{"assignee": id}`), a team (`{"team": id}`) or nobody
/// (`{"assignee": null}`); an unknown user or team, or both at once, is a 400.
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
            let assignee = match (req.assignee, req.team) {
                (Some(_), Some(_)) => return Err(ApiError::BadRequest("assign a user or a team, not both".into())),
                (user, team) => Assignee::of(user.as_ref(), team.as_ref()),
            };
            ops::set_assignee(tx, &ops::actor_of(&auth.user), &contact.id, assignee.as_ref(), now)
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
                    parley_domain::visibility::can_see_contact(&dir, &auth.user, c.assigned().as_ref(), c.blocked)
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
