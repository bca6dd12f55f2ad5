//! Side-panel inboxes: counts, acknowledgement (the blue dot) and their conversation lists.

use axum::Json;
use axum::extract::State;
use parley_domain::filter::StatusFilter;
use parley_domain::inbox::{self, InboxId};
use parley_domain::list::SortOrder;
use parley_domain::wire::{AssigneeCount, BulkResolve, BulkResolved, ErrorBody};
use parley_domain::wire::{ConversationSummary, Inboxes, Page};
use parley_domain::{Directory, Permission, Status, Timestamp, User, UserId};
use serde::Deserialize;

use super::{Body, PathParam, Query};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use crate::{AppState, storage};

/// Parses `{inbox}` and checks the user sees it in their side panel.
fn visible_inbox(dir: &Directory, user: &User, raw: &str) -> ApiResult<InboxId> {
    let id: InboxId = raw.parse().map_err(|_| ApiError::not_found("inbox", raw))?;
    if inbox::may_open(dir, user, &id) { Ok(id) } else { Err(ApiError::not_found("inbox", raw)) }
}

#[utoipa::path(get, path = "/inboxes", operation_id = "inboxes", tag = "inboxes",
    responses((status = 200, description = "The user's side-panel inboxes with their counts", body = Inboxes)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Inboxes>> {
    let (inboxes, seq) = state.hub.counts(auth.user).await?;
    Ok(Json(Inboxes { inboxes, seq }))
}

#[utoipa::path(post, path = "/inboxes/{inbox}/ack", tag = "inboxes", params(("inbox" = String, Path, description = "`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`")),
    responses((status = 200, description = "The counts after the acknowledgement", body = Inboxes)))]
/// The user opened an inbox: everything whose unseen messages light its dot is seen.
pub async fn acknowledge(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(raw): PathParam<String>,
) -> ApiResult<Json<Inboxes>> {
    let id: InboxId = raw.parse().map_err(|_| ApiError::not_found("inbox", &raw))?;
    let acks = state.hub.opening(auth.user.clone(), id).await?.ok_or_else(|| ApiError::not_found("inbox", &raw))?;
    if acks.is_empty() {
        return list(State(state), auth).await;
    }
    let user = auth.user.id.clone();
    let seq = state
        .db
        .write(move |tx| {
            let seq = tx.next_seq()?;
            tx.record_acks(seq, &user, &acks)?;
            Ok(seq)
        })
        .await?;
    // Every instance's fan-out applies it from the log (the user's devices on any of them
    // redraw their dots); the answer waits for this one's to have.
    let (inboxes, seq) = state.hub.counts_after(auth.user, seq).await?;
    Ok(Json(Inboxes { inboxes, seq }))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `open` (default: new, pending and snoozed), `new`, `pending`, `snoozed`, `closed` or `all`.
    status: Option<String>,
    /// `newest` (default; latest activity first) or `oldest`.
    order: Option<String>,
    /// The previous page's `next`, opaque.
    cursor: Option<String>,
    /// 1–200, default 50.
    limit: Option<usize>,
    /// A user id, or `none` for unassigned conversations.
    assignee: Option<String>,
}

/// The `assignee=` filter: `None` keeps everyone, `Some(None)` the unassigned.
fn assignee_filter(raw: Option<&str>) -> Option<Option<UserId>> {
    raw.map(|a| if a == "none" { None } else { Some(UserId::from(a)) })
}

/// The `status=` filter, parsed by the domain so server pages and the app's live updates
/// keep the same conversations.
fn status_filter(raw: Option<&str>) -> ApiResult<StatusFilter> {
    match raw {
        None => Ok(StatusFilter::default()),
        Some(s) => StatusFilter::parse(s).ok_or_else(|| {
            ApiError::BadRequest(format!("unknown status {s:?}; use open, new, pending, snoozed, closed or all"))
        }),
    }
}

/// Cursor: `<last activity ms>.<conversation id>` of the last item of the previous page.
pub(super) fn parse_cursor(raw: &str) -> ApiResult<(Timestamp, String)> {
    let bad = || ApiError::BadRequest(format!("invalid cursor {raw:?}"));
    let (at, id) = raw.split_once('.').ok_or_else(bad)?;
    Ok((Timestamp(at.parse().map_err(|_| bad())?), id.to_owned()))
}

#[utoipa::path(get, path = "/inboxes/{inbox}/conversations", operation_id = "inbox_conversations", tag = "inboxes", params(("inbox" = String, Path, description = "`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`"), ListQuery),
    responses((status = 200, description = "One page of the inbox's conversations", body = Page<ConversationSummary>)))]
pub async fn conversations(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(raw): PathParam<String>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Page<ConversationSummary>>> {
    let keep = status_filter(q.status.as_deref())?;
    let newest_first = match q.order.as_deref().map(SortOrder::from_wire_name) {
        None | Some(Some(SortOrder::NewestFirst)) => true,
        Some(Some(SortOrder::OldestFirst)) => false,
        Some(None) => {
            let other = q.order.as_deref().unwrap_or_default();
            return Err(ApiError::BadRequest(format!("unknown order {other:?}; use newest or oldest")));
        }
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::BadRequest("limit must be between 1 and 200".into()));
    }
    let cursor = q.cursor.as_deref().map(parse_cursor).transpose()?;
    let assignee = assignee_filter(q.assignee.as_deref());
    let page = state
        .db
        .read(move |conn| {
            let filter = list_filter(conn, &auth.user, &raw, keep, assignee)?;
            let (items, next) = conn.conversation_page(&filter, newest_first, cursor, limit)?;
            Ok(Page { items, next: next.map(|(at, id)| format!("{}.{}", at.0, id)) })
        })
        .await?;
    Ok(Json(page))
}

/// The list of `{inbox}` (which the user must see) with its filters, as a condition.
fn list_filter(
    conn: &dyn Store,
    user: &User,
    raw: &str,
    keep: StatusFilter,
    assignee: Option<Option<UserId>>,
) -> ApiResult<storage::ListFilter> {
    let dir = conn.directory()?;
    let id = visible_inbox(&dir, user, raw)?;
    let statuses = Status::ALL.into_iter().filter(|s| keep.matches(*s)).collect();
    Ok(storage::ListFilter::new(inbox::scope(&dir, user, &id), statuses, assignee))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// As on the conversation list (default `open`).
    status: Option<String>,
}

#[utoipa::path(get, path = "/inboxes/{inbox}/assignees", tag = "inboxes", params(("inbox" = String, Path, description = "`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`"), StatusQuery),
    responses((status = 200, description = "Conversations per assignee (`null`: unassigned), most first", body = Vec<AssigneeCount>)))]
/// Conversations of the list per assignee, for the assignee filter (each with its count,
/// Unassigned included), most first.
pub async fn assignees(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(raw): PathParam<String>,
    Query(q): Query<StatusQuery>,
) -> ApiResult<Json<Vec<AssigneeCount>>> {
    let keep = status_filter(q.status.as_deref())?;
    let counts = state
        .db
        .read(move |conn| {
            let filter = list_filter(conn, &auth.user, &raw, keep, None)?;
            let mut counts: Vec<AssigneeCount> = conn
                .assignee_counts(&filter)?
                .into_iter()
                .map(|(assignee, count)| AssigneeCount { assignee, count })
                .collect();
            counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.assignee.cmp(&b.assignee)));
            Ok(counts)
        })
        .await?;
    Ok(Json(counts))
}

#[utoipa::path(post, path = "/inboxes/{inbox}/bulk-resolve", tag = "inboxes", params(("inbox" = String, Path, description = "`all`, `mine`, `unassigned`, `blocked` or `team-<team id>`")), request_body = BulkResolve,
    responses(
        (status = 200, description = "How many conversations were closed", body = BulkResolved),
        (status = 403, description = "The user lacks the `bulk_resolve` permission", body = ErrorBody),
    ))]
/// Closes every open conversation of the inbox matching the filter whose latest activity
/// is older than N days (users with the bulk-resolve permission only).
pub async fn bulk_resolve(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(raw): PathParam<String>,
    Body(req): Body<BulkResolve>,
) -> ApiResult<Json<BulkResolved>> {
    if !auth.user.has(Permission::BulkResolve) {
        return Err(ApiError::Forbidden("bulk resolve needs the bulk-resolve permission".into()));
    }
    if req.older_than_days == 0 {
        return Err(ApiError::BadRequest("older_than_days must be at least 1".into()));
    }
    let keep = status_filter(req.status.as_deref())?;
    let assignee = assignee_filter(req.assignee.as_deref());
    let now = state.now();
    let cutoff = now - i64::from(req.older_than_days) * 86_400_000;
    let reason = req.reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    let limit = parley_domain::lifecycle::MAX_NOTE_CHARS;
    if reason.as_ref().is_some_and(|r| r.chars().count() > limit) {
        return Err(ApiError::BadRequest(format!("the reason must be at most {limit} characters")));
    }
    let closed = state
        .change(move |tx| {
            let user = &auth.user;
            let mut filter = list_filter(tx, user, &raw, keep, assignee)?;
            filter.statuses.retain(|s| s.is_open());
            let ids = tx.quiet_conversations(&filter, cutoff)?;
            crate::ops::bulk_resolve(tx, user, &ids, req.older_than_days, reason, now)
        })
        .await?;
    Ok(Json(BulkResolved { closed }))
}
