//! Custom inboxes: saved filter views, private or shared, edited by their creator only.
//! Their lists are computed on request (the app refreshes them on demand), through the
//! same visibility rule as everything else.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::custom_inbox::{CustomInbox, CustomInboxInput, Sharing};
use parley_domain::wire::{ConversationSummary, Page};
use parley_domain::{Timestamp, User};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

/// One the user may open; anything else is not found.
fn visible(conn: &dyn Store, user: &User, id: &str) -> ApiResult<CustomInbox> {
    match conn.custom_inbox(id)? {
        Some(inbox) if inbox.visible_to(user) => Ok(inbox),
        _ => Err(ApiError::not_found("custom inbox", id)),
    }
}

/// Checks the input, and normalises its tag filter the way contacts' tags are.
fn validate(conn: &dyn Store, input: &mut CustomInboxInput) -> ApiResult<()> {
    if let Some(tag) = &mut input.filter.tag {
        *tag =
            parley_domain::contact_fields::normalize_tag(tag).map_err(|e| ApiError::BadRequest(format!("tag: {e}")))?;
    }
    let n = input.name.trim().chars().count();
    if n == 0 || n > 100 {
        return Err(ApiError::BadRequest("the name must be 1 to 100 characters".into()));
    }
    input.filter.status_filter().map_err(ApiError::BadRequest)?;
    input.filter.check_activity_range().map_err(ApiError::BadRequest)?;
    let exists = |table: &str, id: &str| conn.exists(table, id);
    if let Some(c) = &input.filter.channel
        && !exists("channels", c.as_str())?
    {
        return Err(ApiError::BadRequest(format!("no channel {:?}", c.as_str())));
    }
    if let Some(t) = &input.filter.team
        && !exists("teams", t.as_str())?
    {
        return Err(ApiError::BadRequest(format!("no team {:?}", t.as_str())));
    }
    if let Sharing::Users(users) = &input.sharing {
        for u in users {
            if !exists("users", u.as_str())? {
                return Err(ApiError::BadRequest(format!("no user {:?} to share with", u.as_str())));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScopeQuery {
    /// `all` (default), `mine` (created by me) or `others` (shared with me by others).
    scope: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ScopeQuery>,
) -> ApiResult<Json<Vec<CustomInbox>>> {
    let scope = q.scope.unwrap_or_else(|| "all".into());
    if !matches!(scope.as_str(), "all" | "mine" | "others") {
        return Err(ApiError::BadRequest(format!("unknown scope {scope:?}; use all, mine or others")));
    }
    let inboxes = state
        .db
        .read(move |conn| {
            Ok(conn
                .custom_inboxes()?
                .into_iter()
                .filter(|i| i.visible_to(&auth.user))
                .filter(|i| match scope.as_str() {
                    "mine" => i.owner == auth.user.id,
                    "others" => i.owner != auth.user.id,
                    _ => true,
                })
                .collect())
        })
        .await?;
    Ok(Json(inboxes))
}

pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(mut input): Body<CustomInboxInput>,
) -> ApiResult<(StatusCode, Json<CustomInbox>)> {
    let inbox = state
        .db
        .write(move |tx| {
            validate(tx, &mut input)?;
            let id = tx.create_custom_inbox(&auth.user.id, &input)?;
            Ok(tx.custom_inbox(&id)?.expect("just created"))
        })
        .await?;
    Ok((StatusCode::CREATED, Json(inbox)))
}

pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Body(mut input): Body<CustomInboxInput>,
) -> ApiResult<Json<CustomInbox>> {
    let inbox = state
        .db
        .write(move |tx| {
            let inbox = visible(tx, &auth.user, &id)?;
            if !inbox.editable_by(&auth.user) {
                return Err(ApiError::Forbidden("only the creator of a custom inbox changes its settings".into()));
            }
            validate(tx, &mut input)?;
            tx.update_custom_inbox(&id, &input)?;
            Ok(tx.custom_inbox(&id)?.expect("exists"))
        })
        .await?;
    Ok(Json(inbox))
}

pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<StatusCode> {
    state
        .db
        .write(move |tx| {
            let inbox = visible(tx, &auth.user, &id)?;
            if !inbox.editable_by(&auth.user) {
                return Err(ApiError::Forbidden("only the creator of a custom inbox deletes it".into()));
            }
            tx.delete_custom_inbox(&id)?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    cursor: Option<usize>,
    limit: Option<usize>,
}

/// The view's conversations now, newest activity first.
pub async fn conversations(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<ConversationSummary>>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be between 1 and 200".into()));
    }
    let start = q.cursor.unwrap_or(0);
    let now = Timestamp(state.now());
    let page = state
        .db
        .read(move |conn| {
            let inbox = visible(conn, &auth.user, &id)?;
            let dir = conn.directory()?;
            // Two queries whatever the number of conversations: summaries, then contacts.
            let contacts: std::collections::HashMap<_, _> =
                conn.contacts()?.into_iter().map(|c| (c.id.clone(), c)).collect();
            let matching: Vec<ConversationSummary> = conn
                .all_summaries()?
                .into_iter()
                .filter(|summary| {
                    contacts
                        .get(&summary.contact.id)
                        .is_some_and(|contact| inbox.filter.matches(&dir, &auth.user, summary, contact, now))
                })
                .collect();
            let next = (matching.len() > start + limit).then(|| (start + limit).to_string());
            Ok(Page { items: matching.into_iter().skip(start).take(limit).collect(), next })
        })
        .await?;
    Ok(Json(page))
}
