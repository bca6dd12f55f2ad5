//! Custom inboxes: saved filter views, private or shared, edited by their creator only.
//! Their lists are computed on request (the app refreshes them on demand), through the
//! same visibility rule as everything else.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::custom_inbox::{AssigneeFilter, ContactField, CustomInbox, CustomInboxInput, Scope, Sharing};
use parley_domain::wire::{ConversationSummary, ErrorBody, Page};
use parley_domain::{CustomInboxId, Status, Timestamp, User};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

/// One the user may open; anything else is not found.
fn visible(conn: &dyn Store, user: &User, id: &CustomInboxId) -> ApiResult<CustomInbox> {
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
    if let Some(field) = &input.filter.contact_field
        && field.contains.chars().count() > parley_domain::custom_inbox::MAX_FILTER_TEXT
    {
        return Err(ApiError::BadRequest(format!(
            "the contact field filter must be at most {} characters",
            parley_domain::custom_inbox::MAX_FILTER_TEXT
        )));
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// `all` (default), `mine` (created by me) or `others` (shared with me by others).
    scope: Option<String>,
}

#[utoipa::path(get, path = "/custom-inboxes", operation_id = "list_custom_inboxes", tag = "custom-inboxes", params(ScopeQuery),
    responses((status = 200, description = "The custom inboxes the user created or that are shared with them", body = Vec<CustomInbox>)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    Query(q): Query<ScopeQuery>,
) -> ApiResult<Json<Vec<CustomInbox>>> {
    let scope = match q.scope.as_deref() {
        None => Scope::All,
        Some(name) => Scope::from_wire_name(name)
            .ok_or_else(|| ApiError::BadRequest(format!("unknown scope {name:?}; use all, mine or others")))?,
    };
    let inboxes = state
        .db
        .read(move |conn| {
            Ok(conn
                .custom_inboxes()?
                .into_iter()
                .filter(|i| i.visible_to(&auth.user))
                .filter(|i| scope.includes(i, &auth.user.id))
                .collect())
        })
        .await?;
    Ok(Json(inboxes))
}

#[utoipa::path(post, path = "/custom-inboxes", operation_id = "create_custom_inbox", tag = "custom-inboxes", request_body = CustomInboxInput,
    responses((status = 201, description = "The new custom inbox", body = CustomInbox)))]
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

#[utoipa::path(put, path = "/custom-inboxes/{id}", operation_id = "update_custom_inbox", tag = "custom-inboxes", params(("id" = String, Path, description = "The custom inbox")), request_body = CustomInboxInput,
    responses(
        (status = 200, description = "The custom inbox after the change", body = CustomInbox),
        (status = 403, description = "Only its creator changes a custom inbox", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<CustomInboxId>,
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

#[utoipa::path(delete, path = "/custom-inboxes/{id}", operation_id = "delete_custom_inbox", tag = "custom-inboxes", params(("id" = String, Path, description = "The custom inbox")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Only its creator deletes a custom inbox", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<CustomInboxId>,
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// The previous page's `next`, opaque.
    cursor: Option<String>,
    /// 1–200, default 50.
    limit: Option<usize>,
}

fn contact_column(field: ContactField) -> &'static str {
    match field {
        ContactField::Name => "name",
        ContactField::Phone => "phone",
        ContactField::Email => "email",
        ContactField::Country => "country",
        ContactField::Language => "language",
    }
}

/// Candidates read per query while filling a page.
const BATCH: usize = 200;

#[utoipa::path(get, path = "/custom-inboxes/{id}/conversations", operation_id = "custom_inbox_conversations",
    summary = "The custom inbox's conversations, computed now, newest activity first", tag = "custom-inboxes", params(("id" = String, Path, description = "The custom inbox"), PageQuery),
    responses((status = 200, description = "One page of the view's conversations, computed now", body = Page<ConversationSummary>)))]
/// The view's conversations now, newest activity first. The database narrows by what it
/// can decide exactly (visibility, status, channel, assignee, team, activity range, tag),
/// a keyset page at a time; the domain's `SavedFilter::matches` decides every item, so the
/// rule stays the domain's (a contact-field search is case-folded there, not in SQL).
pub async fn conversations(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<CustomInboxId>,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<Page<ConversationSummary>>> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be between 1 and 200".into()));
    }
    let mut cursor = q.cursor.as_deref().map(super::inboxes::parse_cursor).transpose()?;
    let now = Timestamp(state.now());
    let page = state
        .db
        .read(move |conn| {
            let inbox = visible(conn, &auth.user, &id)?;
            let dir = conn.directory()?;
            let f = &inbox.filter;
            let Ok(status) = f.status_filter() else { return Ok(Page { items: Vec::new(), next: None }) };
            let mut scope = parley_domain::inbox::scope(&dir, &auth.user, &parley_domain::InboxId::All);
            if let Some(team) = &f.team {
                // Its members' contacts and the team's own, as its inbox holds them.
                let held = parley_domain::inbox::scope(&dir, &auth.user, &parley_domain::InboxId::Team(team.clone()));
                scope.assignees = scope.assignees.intersect(held.assignees);
            }
            let day = 86_400_000;
            let filter = crate::storage::ListFilter {
                channel: f.channel.clone(),
                active_from: f.active_within_days.map(|d| now.0 - i64::from(d) * day),
                active_until: f.inactive_for_days.map(|d| now.0 - i64::from(d) * day),
                tag: f.tag.as_ref().map(|t| t.trim().to_lowercase()),
                // SQLite's LIKE folds ASCII case only: with other letters in the search,
                // every row goes to the domain's full case folding instead.
                contact_contains: f
                    .contact_field
                    .as_ref()
                    .filter(|c| c.contains.is_ascii())
                    .map(|c| (contact_column(c.field), c.contains.clone())),
                ..crate::storage::ListFilter::new(
                    scope,
                    Status::ALL.into_iter().filter(|s| status.matches(*s)).collect(),
                    f.assignee.as_ref().map(|a| match a {
                        AssigneeFilter::Unassigned => None,
                        AssigneeFilter::User(u) => Some(u.clone()),
                    }),
                )
            };
            // One more than a page, to know whether another follows.
            let mut items: Vec<ConversationSummary> = Vec::with_capacity(limit + 1);
            while items.len() <= limit {
                let (batch, next) = conn.conversation_page(&filter, true, cursor.clone(), BATCH)?;
                let ids: Vec<_> = batch.iter().map(|c| c.contact.id.clone()).collect();
                let contacts: std::collections::HashMap<_, _> =
                    conn.contacts_by_ids(&ids)?.into_iter().map(|c| (c.id.clone(), c)).collect();
                for summary in batch {
                    cursor = Some((summary.last_activity_at, summary.id.0.clone()));
                    let keep = contacts
                        .get(&summary.contact.id)
                        .is_some_and(|contact| f.matches(&dir, &auth.user, &summary, contact, now));
                    if keep {
                        items.push(summary);
                        if items.len() > limit {
                            break;
                        }
                    }
                }
                if next.is_none() {
                    break;
                }
            }
            let next = (items.len() > limit).then(|| {
                items.truncate(limit);
                let last = items.last().expect("limit is at least 1");
                format!("{}.{}", last.last_activity_at.0, last.id)
            });
            Ok(Page { items, next })
        })
        .await?;
    Ok(Json(page))
}
