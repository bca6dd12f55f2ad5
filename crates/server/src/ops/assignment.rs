//! Assignment belongs to the contact: assigning, unassigning, and the round-robin
//! automatic assignment of unassigned contacts to available agents.

use crate::error::{ApiError, ApiResult};
use parley_domain::wire::{ActivityKind, Actor};
use parley_domain::{Availability, Contact, ContactId, Role, User, UserId};

use super::*;
use crate::storage::Store;

/// Assigns (or unassigns) a contact; every conversation of the contact follows, since
/// assignment belongs to the contact. Returns the contact and the last seq used.
pub fn set_assignee(
    tx: &dyn Store,
    actor: &Actor,
    contact_id: &ContactId,
    assignee: Option<&UserId>,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    let before = tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let assignee_user = match assignee {
        Some(a) => {
            Some(tx.user(a)?.ok_or_else(|| ApiError::BadRequest(format!("no user {:?} to assign", a.as_str())))?)
        }
        None => None,
    };
    let audience = [before.assignee.clone(), assignee.cloned()];
    tx.set_contact_assignee(contact_id, assignee)?;
    let mut last = announce_contact(tx, contact_id, now, Some(&audience))?;
    if let Some(target) = history_target(tx, contact_id)?
        && before.assignee.as_ref() != assignee
    {
        let kind = match assignee_user {
            Some(u) => ActivityKind::Assigned { assignee: u.id, assignee_name: u.name },
            None => ActivityKind::Unassigned,
        };
        last = add_activity(tx, &target, actor, kind, now, &audience)?;
    }
    Ok((tx.contact(contact_id)?.expect("just updated"), last))
}

/// Automatic assignment (workspace setting): while unassigned new conversations wait and
/// agents are available, the oldest waiting one goes to the next available agent in turn
/// (round robin). Returns the last seq used, if anything was assigned.
pub fn auto_assign(tx: &dyn Store, now: i64) -> ApiResult<Option<u64>> {
    if !tx.settings()?.auto_assign {
        return Ok(None);
    }
    let agents: Vec<User> = tx
        .users()?
        .into_iter()
        .filter(|u| u.role == Role::Agent && u.availability == Availability::Available)
        .collect();
    if agents.is_empty() {
        return Ok(None);
    }
    let mut ids: Vec<&UserId> = agents.iter().map(|u| &u.id).collect();
    ids.sort();
    let waiting = tx.waiting_for_assignment()?;
    let mut last_agent = tx.meta("auto_assign_last")?;
    let mut last = None;
    for contact in waiting {
        // The agent after the last one served, wrapping around.
        let next = ids
            .iter()
            .find(|id| last_agent.as_deref().is_none_or(|l| id.as_str() > l))
            .or(ids.first())
            .map(|id| (*id).clone())
            .expect("agents is not empty");
        last = Some(set_assignee(tx, &system_actor(), &contact, Some(&next), now)?.1);
        tx.set_meta("auto_assign_last", next.as_str())?;
        last_agent = Some(next.0);
    }
    Ok(last)
}
