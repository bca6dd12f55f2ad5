//! Calls: ringing, answering, declining, recording, ending. Every change is one
//! `call_updated` event (to users with the calls permission who may see the contact) and,
//! when the contact has a conversation, a line in its timeline.

use parley_domain::call::{self, Call, CallAction, CallState};
use parley_domain::wire::{ActivityKind, Actor, EventKind};
use parley_domain::{Assignee, ChannelId, ChannelKind, ContactId, Direction, Timestamp, User};

use super::{actor_of, add_activity, history_target, set_assignee};
use crate::error::{ApiError, ApiResult};
use crate::storage::Store;
use crate::storage::{self};

fn live_call_of(tx: &dyn Store, contact: &ContactId) -> ApiResult<Option<Call>> {
    Ok(tx.calls(storage::Calls::LiveOfContact(contact), 1)?.pop())
}

/// The channel a call uses (and its kind): the one asked for, or the contact's first that
/// carries calls.
fn call_channel(
    tx: &dyn Store,
    contact: &parley_domain::Contact,
    wanted: Option<&ChannelId>,
) -> ApiResult<(ChannelId, ChannelKind)> {
    let channels = tx.channels()?;
    let carries = |id: &ChannelId| channels.iter().find(|c| &c.id == id).map(|c| (c.kind.supports_calls(), c));
    match wanted {
        Some(id) if !contact.channels.contains(id) => {
            Err(ApiError::BadRequest(format!("{} is not connected to channel {:?}", contact.name, id.as_str())))
        }
        Some(id) => match carries(id) {
            None => Err(ApiError::not_found("channel", id)),
            Some((false, c)) => Err(ApiError::BadRequest(format!("{} does not carry calls", c.kind.label()))),
            Some((true, c)) => Ok((id.clone(), c.kind)),
        },
        None => contact
            .channels
            .iter()
            .find_map(|id| carries(id).filter(|(ok, _)| *ok).map(|(_, c)| (id.clone(), c.kind)))
            .ok_or_else(|| ApiError::BadRequest(format!("{} has no channel that carries calls", contact.name))),
    }
}

/// Records the call's current row as an event, and its state in the timeline when the
/// state changed. Returns the call as seen now and the last seq.
fn announce(
    tx: &dyn Store,
    id: &parley_domain::CallId,
    actor: &Actor,
    state_changed: bool,
    now: i64,
) -> ApiResult<(Call, u64)> {
    let call = tx.call(id.as_str())?.ok_or_else(|| ApiError::not_found("call", id))?;
    // Who sees the contact now (a team, if it is assigned to one), as for its conversations.
    let contact = tx.contact(&call.contact)?;
    let audience = [contact.map_or_else(|| call.assigned(), |c| c.assigned())];
    let mut last = tx.next_seq()?;
    tx.record(last, now, &audience, &EventKind::CallUpdated { call: call.clone() })?;
    if state_changed
        && call.state != CallState::Ringing
        && let Some(conversation) = history_target(tx, &call.contact)?
    {
        let kind = ActivityKind::Call {
            call: call.id.clone(),
            state: call.state,
            direction: call.direction,
            duration_ms: call.ended_at.map(|t| call.duration_ms(t)),
        };
        last = add_activity(tx, &conversation, actor, kind, now, &audience)?;
    }
    Ok((call, last))
}

/// Answering or placing a call for an unassigned contact makes it the agent's.
fn claim(tx: &dyn Store, user: &User, contact: &ContactId, now: i64) -> ApiResult<Option<u64>> {
    let current = tx.contact(contact)?.ok_or_else(|| ApiError::not_found("contact", contact))?;
    if current.assigned().is_some() {
        return Ok(None);
    }
    Ok(Some(set_assignee(tx, &actor_of(user), contact, Some(&Assignee::User(user.id.clone())), now)?.1))
}

/// The contact calls in (simulator / channel webhook).
pub fn ring(tx: &dyn Store, contact_id: &ContactId, channel: Option<&ChannelId>, now: i64) -> ApiResult<(Call, u64)> {
    let contact = tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let (channel, channel_kind) = call_channel(tx, &contact, channel)?;
    if live_call_of(tx, contact_id)?.is_some() {
        return Err(ApiError::Conflict(format!("{} is already on a call", contact.name)));
    }
    let call = Call {
        id: tx.next_call_id()?,
        contact: contact.id.clone(),
        contact_name: contact.name.clone(),
        assignee: contact.assignee.clone(),
        assigned_team: contact.assigned_team.clone(),
        channel,
        channel_kind,
        direction: Direction::Incoming,
        state: CallState::Ringing,
        agent: None,
        phone: None,
        started_at: Timestamp(now),
        answered_at: None,
        ended_at: None,
        recording: false,
    };
    tx.insert_call(&call)?;
    announce(tx, &call.id, &Actor { id: None, name: contact.name }, true, now)
}

/// The contact hangs up their live call: a ringing call is missed, an ongoing one ends.
pub fn hang_up(tx: &dyn Store, contact_id: &ContactId, now: i64) -> ApiResult<(Call, u64)> {
    let live = live_call_of(tx, contact_id)?
        .ok_or_else(|| ApiError::Conflict(format!("contact {:?} is not on a call", contact_id.as_str())))?;
    change(tx, None, &live, CallAction::Hangup, now)
}

/// An agent acts on a call they may see.
pub fn act(tx: &dyn Store, user: &User, call: &Call, action: CallAction, now: i64) -> ApiResult<(Call, u64)> {
    if action == CallAction::Hangup {
        return Err(ApiError::BadRequest("agents end calls with `end`; `hangup` is the contact's side".into()));
    }
    change(tx, Some(user), call, action, now)
}

fn change(tx: &dyn Store, user: Option<&User>, call: &Call, action: CallAction, now: i64) -> ApiResult<(Call, u64)> {
    let next = call::apply(call, action, user.map(|u| &u.id), Timestamp(now))
        .map_err(|e| ApiError::Conflict(e.message().into()))?;
    tx.update_call(&next)?;
    if let (Some(user), CallAction::Accept) = (user, action) {
        claim(tx, user, &call.contact, now)?;
    }
    let actor = match user {
        Some(u) => actor_of(u),
        None => Actor { id: None, name: call.contact_name.clone() },
    };
    announce(tx, &call.id, &actor, next.state != call.state, now)
}

/// An agent calls the contact out. The reference server has no telephony: the simulated
/// contact picks up at once, so the call starts ongoing.
pub fn place(
    tx: &dyn Store,
    user: &User,
    contact: &parley_domain::Contact,
    channel: Option<&ChannelId>,
    now: i64,
) -> ApiResult<(Call, u64)> {
    let (channel, channel_kind) = call_channel(tx, contact, channel)?;
    if live_call_of(tx, &contact.id)?.is_some() {
        return Err(ApiError::Conflict(format!("{} is already on a call", contact.name)));
    }
    claim(tx, user, &contact.id, now)?;
    let call = Call {
        id: tx.next_call_id()?,
        contact: contact.id.clone(),
        contact_name: contact.name.clone(),
        assignee: None,
        assigned_team: None,
        channel,
        channel_kind,
        direction: Direction::Outgoing,
        state: CallState::Ongoing,
        agent: Some(user.id.clone()),
        phone: None,
        started_at: Timestamp(now),
        answered_at: Some(Timestamp(now)),
        ended_at: None,
        recording: false,
    };
    tx.insert_call(&call)?;
    announce(tx, &call.id, &actor_of(user), true, now)
}
