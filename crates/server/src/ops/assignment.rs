//! Assignment belongs to the contact: assigning (to a user or a team), unassigning, and the round-robin
//! automatic assignment of unassigned contacts to available agents.

use crate::error::{ApiError, ApiResult};
use parley_domain::wire::{ActivityKind, Actor};
use parley_domain::{Assignee, Availability, Contact, ContactId, Role, UserId};

use super::*;
use crate::storage::Store;

/// Assigns a contact to a user, a team or nobody; every conversation of the contact
/// follows, since assignment belongs to the contact. Returns the contact and the last seq
/// used. An unknown user or team is a bad request.
pub fn set_assignee(
    tx: &dyn Store,
    actor: &Actor,
    contact_id: &ContactId,
    assignee: Option<&Assignee>,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    let before = tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let kind = match assignee {
        Some(Assignee::User(a)) => {
            let u = tx.user(a)?.ok_or_else(|| ApiError::BadRequest(format!("no user {:?} to assign", a.as_str())))?;
            ActivityKind::Assigned { assignee: u.id, assignee_name: u.name }
        }
        Some(Assignee::Team(t)) => {
            let dir = tx.directory()?;
            let team =
                dir.team(t).ok_or_else(|| ApiError::BadRequest(format!("no team {:?} to assign", t.as_str())))?;
            ActivityKind::AssignedTeam { team: team.id.clone(), team_name: team.name.clone() }
        }
        None => ActivityKind::Unassigned,
    };
    let audience = [before.assigned(), assignee.cloned()];
    tx.set_contact_assignee(contact_id, assignee)?;
    let mut last = announce_contact(tx, contact_id, now, Some(&audience))?;
    if let Some(target) = history_target(tx, contact_id)?
        && before.assigned().as_ref() != assignee
    {
        last = add_activity(tx, &target, actor, kind, now, &audience)?;
    }
    Ok((tx.contact(contact_id)?.expect("just updated"), last))
}

/// Automatic assignment when the built-in rule `auto_assign` is on (an agent became
/// available): see [`auto_assign_waiting`].
pub fn auto_assign(tx: &dyn Store, now: i64) -> ApiResult<Option<u64>> {
    if !super::rules::builtin_on(tx, parley_domain::rules::AUTO_ASSIGN)? {
        return Ok(None);
    }
    auto_assign_waiting(tx, now)
}

/// The built-in rule's action: while unassigned new conversations wait and agents are
/// available, the oldest waiting one goes to the next available agent in turn (round
/// robin). Returns the last seq used, if anything was assigned.
pub fn auto_assign_waiting(tx: &dyn Store, now: i64) -> ApiResult<Option<u64>> {
    let agents: Vec<User> = tx
        .users()?
        .into_iter()
        .filter(|u| u.role == Role::Agent && u.availability == Availability::Available)
        .collect();
    if agents.is_empty() {
        return Ok(None);
    }
    let ids: Vec<UserId> = agents.into_iter().map(|u| u.id).collect();
    let waiting = tx.waiting_for_assignment()?;
    let mut last_agent = tx.meta("auto_assign_last")?;
    let mut last = None;
    for contact in waiting {
        // The agent after the last one served, wrapping around.
        let next =
            parley_domain::rules::round_robin(&ids, last_agent.as_deref()).cloned().expect("agents is not empty");
        last = Some(set_assignee(tx, &system_actor(), &contact, Some(&Assignee::User(next.clone())), now)?.1);
        tx.set_meta("auto_assign_last", next.as_str())?;
        last_agent = Some(next.0);
    }
    Ok(last)
}
