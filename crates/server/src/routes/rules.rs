//! Workflow rules and the business-hours schedule (issue 15, item 3): owners and managers
//! keep them; nobody else reads them (403).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use parley_domain::RuleId;
use parley_domain::rules::{self, Action, BusinessHours, Rule, RuleInput, RuleOrder};
use parley_domain::wire::ErrorBody;

use super::{Body, PathParam};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

fn allowed(auth: &Auth) -> ApiResult<()> {
    if auth.user.role.is_supervisor() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("only owners and managers keep the workflow rules".into()))
    }
}

fn refused(e: rules::RuleError) -> ApiError {
    ApiError::BadRequest(e.to_string())
}

/// The domain's checks, then what only the database knows: the users, teams and templates
/// the actions name (a template without placeholders: nobody is there to fill them).
fn checked(tx: &dyn Store, input: &RuleInput) -> ApiResult<RuleInput> {
    let input = rules::validate(input).map_err(refused)?;
    let dir = tx.directory()?;
    for action in &input.actions {
        let missing = match action {
            Action::AssignUser(u) if tx.user(u)?.is_none() => Some(format!("no user {:?}", u.as_str())),
            Action::AssignTeam(t) | Action::RoundRobin(t) if dir.team(t).is_none() => {
                Some(format!("no team {:?}", t.as_str()))
            }
            Action::SendTemplate(id) => {
                let t = tx.templates()?.into_iter().find(|t| &t.id == id && t.approved);
                match t.map(|t| parley_domain::template::placeholders(&t.body)) {
                    None => Some(format!("no approved template {:?}", id.as_str())),
                    Some(Ok(0)) => None,
                    Some(_) => Some(format!("template {:?} has placeholders a rule cannot fill", id.as_str())),
                }
            }
            _ => None,
        };
        if let Some(why) = missing {
            return Err(ApiError::BadRequest(format!("actions: {why}")));
        }
    }
    Ok(input)
}

#[utoipa::path(get, path = "/rules", operation_id = "rules", tag = "rules",
    responses(
        (status = 200, description = "Every rule, the built-in ones included, in the order they run", body = Vec<Rule>),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<Rule>>> {
    allowed(&auth)?;
    Ok(Json(state.db.read(|conn| conn.rules()).await?))
}

#[utoipa::path(post, path = "/rules", operation_id = "create_rule", tag = "rules",
    request_body = RuleInput,
    responses(
        (status = 201, description = "The new rule, last to run", body = Rule),
        (status = 400, description = "A refusal naming the field: `name`, `trigger`, `conditions` or `actions`", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Body(input): Body<RuleInput>,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    allowed(&auth)?;
    let rule = state.db.write(move |tx| tx.create_rule(&checked(tx, &input)?)).await?;
    Ok((StatusCode::CREATED, Json(rule)))
}

#[utoipa::path(put, path = "/rules/{id}", operation_id = "update_rule", tag = "rules",
    params(("id" = String, Path, description = "The rule")), request_body = RuleInput,
    description = "Changes a rule. A built-in rule (`builtin`) changes only `enabled`; the rest of the body must be what it is.",
    responses(
        (status = 200, description = "The rule after the change", body = Rule),
        (status = 400, description = "A refusal naming the field (`builtin` for a built-in rule's other fields)", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
        (status = 404, description = "No such rule", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<RuleId>,
    Body(input): Body<RuleInput>,
) -> ApiResult<Json<Rule>> {
    allowed(&auth)?;
    let rule = state
        .db
        .write(move |tx| {
            let existing = tx.rules()?.into_iter().find(|r| r.id == id);
            let existing = existing.ok_or_else(|| ApiError::not_found("rule", &id))?;
            let input = match existing.builtin {
                true => RuleInput { enabled: rules::builtin_change(&existing, &input).map_err(refused)?, ..input },
                false => checked(tx, &input)?,
            };
            tx.update_rule(&id, &input)?;
            let rule = tx.rules()?.into_iter().find(|r| r.id == id);
            Ok(rule.expect("just updated"))
        })
        .await?;
    Ok(Json(rule))
}

#[utoipa::path(delete, path = "/rules/{id}", operation_id = "delete_rule", tag = "rules",
    params(("id" = String, Path, description = "The rule")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
        (status = 404, description = "No such rule", body = ErrorBody),
        (status = 409, description = "A built-in rule: switch it off instead", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<RuleId>,
) -> ApiResult<StatusCode> {
    allowed(&auth)?;
    state
        .db
        .write(move |tx| match tx.rules()?.into_iter().find(|r| r.id == id) {
            None => Err(ApiError::not_found("rule", &id)),
            Some(r) if r.builtin => {
                Err(ApiError::Conflict("builtin: a built-in rule is switched off, not deleted".into()))
            }
            Some(_) => tx.delete_rule(&id).map(drop),
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/rules/order", operation_id = "reorder_rules", tag = "rules",
    request_body = RuleOrder,
    responses(
        (status = 200, description = "The rules in their new order", body = Vec<Rule>),
        (status = 400, description = "`ids`: not every rule exactly once", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn reorder(
    State(state): State<AppState>,
    auth: Auth,
    Body(order): Body<RuleOrder>,
) -> ApiResult<Json<Vec<Rule>>> {
    allowed(&auth)?;
    let list = state
        .db
        .write(move |tx| {
            let list = tx.rules()?;
            if !rules::every_once(&order.ids, &list.iter().map(|r| &r.id).collect::<Vec<_>>()) {
                return Err(ApiError::BadRequest("ids: must list every rule exactly once".into()));
            }
            tx.reorder_rules(&order.ids)?;
            tx.rules()
        })
        .await?;
    Ok(Json(list))
}

#[utoipa::path(get, path = "/business-hours", operation_id = "business_hours", tag = "rules",
    responses(
        (status = 200, description = "The weekly schedule (none set: every day empty, always outside)", body = BusinessHours),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn hours(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<BusinessHours>> {
    allowed(&auth)?;
    Ok(Json(state.db.read(|conn| conn.business_hours()).await?))
}

#[utoipa::path(put, path = "/business-hours", operation_id = "set_business_hours", tag = "rules",
    request_body = BusinessHours,
    responses(
        (status = 200, description = "The schedule as saved", body = BusinessHours),
        (status = 400, description = "A refusal naming the field: `time_zone` (an IANA name) or `days`", body = ErrorBody),
        (status = 403, description = "Not an owner or a manager", body = ErrorBody),
    ))]
pub async fn set_hours(
    State(state): State<AppState>,
    auth: Auth,
    Body(hours): Body<BusinessHours>,
) -> ApiResult<Json<BusinessHours>> {
    allowed(&auth)?;
    hours.validate().map_err(refused)?;
    let hours = BusinessHours { time_zone: hours.time_zone.trim().to_owned(), ..hours };
    if jiff::tz::TimeZone::get(&hours.time_zone).is_err() {
        return Err(refused(rules::RuleError::BadTimeZone));
    }
    let saved = state.db.write(move |tx| tx.set_business_hours(&hours).and_then(|()| tx.business_hours())).await?;
    Ok(Json(saved))
}
