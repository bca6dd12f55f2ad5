//! Pending, snooze, close, reopen; snoozes waking on time; bulk resolve.

use crate::error::{ApiError, ApiResult};
use parley_domain::lifecycle::{Transition, transition};
use parley_domain::wire::{ActivityKind, Actor, ConversationSummary};
use parley_domain::{ConversationId, Status, User};

use super::*;
use crate::storage::Store;

/// Moves a conversation through its lifecycle (pending, snooze, close, reopen) as an agent
/// asks: a close's reason must be one of the workspace's list (see [`record_status`]).
pub fn change_status(
    tx: &dyn Store,
    actor: &Actor,
    conversation: &ConversationSummary,
    t: &Transition,
    now: i64,
) -> ApiResult<(ConversationSummary, u64)> {
    if let Transition::Close { note, reason } = t {
        let listed = Transition::Close { note: note.clone(), reason: listed_reason(tx, clean(reason))? };
        return record_status(tx, actor, conversation, &listed, now);
    }
    record_status(tx, actor, conversation, t, now)
}

/// A free text as recorded: trimmed, `None` when blank.
fn clean(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// Moves a conversation through its lifecycle per the domain rules, recording the
/// activity; the reason is taken as given (a merge closes with its own, `merged`). A
/// close runs the workflow rules (the built-in `unassign_on_close` among them).
/// Returns the new summary and the last seq.
pub fn record_status(
    tx: &dyn Store,
    actor: &Actor,
    conversation: &ConversationSummary,
    t: &Transition,
    now: i64,
) -> ApiResult<(ConversationSummary, u64)> {
    let (summary, mut last) = record_status_only(tx, actor, conversation, t, now)?;
    if summary.status == Status::Closed
        && let Some(seq) = super::rules::run_rules(tx, &conversation.id, parley_domain::rules::Event::Closed, now)?
    {
        last = seq;
    }
    Ok((tx.summary_required(&conversation.id)?, last))
}

/// [`record_status`] without the rules (a rule's own close: what it triggers is planned).
pub fn record_status_only(
    tx: &dyn Store,
    actor: &Actor,
    conversation: &ConversationSummary,
    t: &Transition,
    now: i64,
) -> ApiResult<(ConversationSummary, u64)> {
    let status = transition(conversation.status, t, parley_domain::Timestamp(now))
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let (until, snooze_note, kind) = match t {
        Transition::Pending => (None, None, ActivityKind::Pending),
        Transition::Snooze { until, note } => {
            (Some(until.0), clean(note), ActivityKind::Snoozed { until: *until, note: clean(note) })
        }
        Transition::Close { note, reason } => {
            (None, None, ActivityKind::Closed { note: clean(note), reason: clean(reason) })
        }
        Transition::Reopen => (None, None, ActivityKind::Reopened),
    };
    if *t == Transition::Reopen
        && conversation.status == Status::Closed
        && let Some(open) = tx.open_conversation_of(&conversation.contact.id)?
    {
        return Err(ApiError::Conflict(format!(
            "the contact already has an open conversation ({open}); a contact has one open conversation at a time"
        )));
    }
    tx.set_status(&conversation.id, status, until, snooze_note.as_deref())?;
    let (summary, _) = announce_conversation(tx, &conversation.id, now)?;
    let audience = [summary.assigned()];
    let last = add_activity(tx, &conversation.id, actor, kind, now, &audience)?;
    Ok((summary, last))
}

/// A closing reason an agent gave, as the workspace's list spells it; one not in the list
/// is refused (reports group conversations by these names).
pub fn listed_reason(tx: &dyn Store, given: Option<String>) -> ApiResult<Option<String>> {
    let Some(given) = given else { return Ok(None) };
    match parley_domain::lifecycle::listed_reason(&tx.closing_reasons()?, &given) {
        Some(reason) => Ok(Some(reason.name.clone())),
        None => Err(ApiError::BadRequest(format!("the closing reason {given:?} is not in the workspace's list"))),
    }
}

/// Wakes every snoozed conversation whose time has come (the boomerang), with the
/// reminder note in the trail. Returns the last seq used, if any.
pub fn wake_due(tx: &dyn Store, now: i64) -> ApiResult<Option<u64>> {
    let mut last = None;
    for (id, note) in tx.snoozes_due(now)? {
        tx.set_status(&id, Status::New, None, None)?;
        let (summary, _) = announce_conversation(tx, &id, now)?;
        let audience = [summary.assigned()];
        last = Some(add_activity(tx, &id, &system_actor(), ActivityKind::Woken { note }, now, &audience)?);
    }
    Ok(last)
}

/// Closes every conversation of `ids` (already filtered by the caller), recording the
/// bulk resolve in each trail. Returns how many closed and the last seq.
pub fn bulk_resolve(
    tx: &dyn Store,
    user: &User,
    ids: &[ConversationId],
    older_than_days: u32,
    reason: Option<String>,
    now: i64,
) -> ApiResult<(u32, Option<u64>)> {
    let reason = listed_reason(tx, reason)?;
    let mut last = None;
    let mut closed = 0;
    let actor = actor_of(user);
    for id in ids {
        tx.set_status(id, Status::Closed, None, None)?;
        let (summary, _) = announce_conversation(tx, id, now)?;
        let audience = [summary.assigned()];
        let kind = ActivityKind::BulkResolved { reason: reason.clone(), older_than_days };
        last = Some(add_activity(tx, id, &actor, kind, now, &audience)?);
        closed += 1;
    }
    Ok((closed, last))
}
