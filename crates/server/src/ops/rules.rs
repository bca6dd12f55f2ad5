//! Workflow rules at work (issue 15, item 3): inside the transaction of the change that
//! triggered them, the domain's `rules::plan` says which rules fire and in what order, and
//! each action is carried out here with the rule, by name, as its actor and a
//! `rule_applied` line in the trail (the built-in rules keep the lines they wrote as
//! settings). An action that fails fails the whole change: nothing of it is kept.

use parley_domain::lifecycle::Transition;
use parley_domain::rules::{self, Action, BusinessHours, Event, Facts};
use parley_domain::wire::{ActivityKind, Actor, EventKind};
use parley_domain::{
    Assignee, Availability, ContactId, ConversationId, DeliveryState, Direction, Message, MessageId, RuleId,
    SenderKind, Timestamp,
};

use super::*;
use crate::error::{ApiError, ApiResult};
use crate::storage::{ContactEdit, Store, index_contact};

/// Whether `now` (ms since the epoch) is inside the business hours, in their time zone;
/// an unknown zone (it was checked when set) counts as outside.
pub fn inside_hours(hours: &BusinessHours, now: i64) -> bool {
    let (Ok(tz), Ok(at)) = (jiff::tz::TimeZone::get(&hours.time_zone), jiff::Timestamp::from_millisecond(now)) else {
        return false;
    };
    let local = tz.to_datetime(at);
    let minute = local.hour() as u16 * 60 + local.minute() as u16;
    hours.inside(local.weekday().to_monday_zero_offset() as usize, minute)
}

/// Whether the built-in rule `id` (the former setting) is switched on.
pub fn builtin_on(tx: &dyn Store, id: &str) -> ApiResult<bool> {
    Ok(tx.rules()?.iter().any(|r| r.builtin && r.enabled && r.id.as_str() == id))
}

/// Runs the rules for `event` on `conversation`. Returns the last seq used, if any.
pub fn run_rules(tx: &dyn Store, conversation: &ConversationId, event: Event, now: i64) -> ApiResult<Option<u64>> {
    let all = tx.rules()?;
    if !all.iter().any(|r| r.enabled && r.trigger.matches(event)) {
        return Ok(None);
    }
    let summary = tx.summary_required(conversation)?;
    let contact =
        tx.contact(&summary.contact.id)?.ok_or_else(|| ApiError::not_found("contact", &summary.contact.id))?;
    let facts = Facts {
        channel: summary.channel.kind,
        status: summary.status,
        tags: contact.tags.clone(),
        inside_hours: inside_hours(&tx.business_hours()?, now),
    };
    let already = match event {
        Event::NoReply { .. } => tx.rules_run(conversation)?,
        _ => Vec::new(),
    };
    let mut last = None;
    for firing in rules::plan(&all, event, &facts, &already) {
        let builtin = all.iter().any(|r| r.id == firing.rule && r.builtin);
        let actor = Actor { id: None, name: firing.name.clone() };
        for action in &firing.actions {
            let seq = apply(tx, &actor, conversation, &contact.id, action, now)?;
            last = seq.or(last);
            if !builtin {
                let summary = tx.summary_required(conversation)?;
                let kind = ActivityKind::RuleApplied { rule: firing.rule.clone(), action: action.clone() };
                last = Some(add_activity(tx, conversation, &actor, kind, now, &[summary.assigned()])?);
            }
        }
    }
    Ok(last)
}

/// Carries out one action; the seq it used, if it changed anything.
fn apply(
    tx: &dyn Store,
    actor: &Actor,
    conversation: &ConversationId,
    contact_id: &ContactId,
    action: &Action,
    now: i64,
) -> ApiResult<Option<u64>> {
    let assign = |to: Assignee| set_assignee(tx, actor, contact_id, Some(&to), now).map(|(_, seq)| Some(seq));
    match action {
        Action::AssignUser(u) => assign(Assignee::User(u.clone())),
        Action::AssignTeam(t) => assign(Assignee::Team(t.clone())),
        Action::RoundRobin(team) => {
            let available: Vec<_> = tx
                .users()?
                .into_iter()
                .filter(|u| u.teams.contains(team) && u.availability == Availability::Available)
                .map(|u| u.id)
                .collect();
            let key = format!("round_robin_last:{team}");
            let last = tx.meta(&key)?;
            // Nobody of the team available: the contact stays as it is.
            let Some(next) = rules::round_robin(&available, last.as_deref()).cloned() else { return Ok(None) };
            tx.set_meta(&key, next.as_str())?;
            assign(Assignee::User(next))
        }
        Action::AddTag(tag) | Action::RemoveTag(tag) => {
            let mut tags = tx.contact(contact_id)?.map(|c| c.tags).unwrap_or_default();
            let before = tags.len();
            match action {
                Action::AddTag(_) if !tags.contains(tag) => tags.push(tag.clone()),
                _ => tags.retain(|t| t != tag),
            }
            if tags.len() == before {
                return Ok(None);
            }
            tx.edit_contact(contact_id, ContactEdit { tags: Some(tags), ..ContactEdit::default() })?;
            index_contact(tx, contact_id)?;
            Ok(Some(announce_contact(tx, contact_id, now, None)?))
        }
        Action::AutoReply(text) => send_as_rule(tx, actor, conversation, text.clone(), None, now),
        Action::SendTemplate(id) => {
            let template = tx.templates()?.into_iter().find(|t| &t.id == id && t.approved);
            let template = template
                .ok_or_else(|| ApiError::BadRequest(format!("rule: no approved template {:?}", id.as_str())))?;
            let body = parley_domain::template::fill(&template.body, &[])
                .map_err(|e| ApiError::BadRequest(format!("rule: template {:?}: {e}", id.as_str())))?;
            send_as_rule(tx, actor, conversation, body, Some(template.id), now)
        }
        Action::Close | Action::Snooze(_) => {
            let summary = tx.summary_required(conversation)?;
            if !summary.status.is_open() {
                return Ok(None);
            }
            let t = match action {
                Action::Snooze(minutes) => {
                    Transition::Snooze { until: Timestamp(now + i64::from(*minutes) * 60_000), note: None }
                }
                _ => Transition::Close { note: None, reason: None },
            };
            // Without the rules: what this close triggers is already in the plan.
            Ok(Some(record_status_only(tx, actor, &summary, &t, now)?.1))
        }
        Action::AutoAssign => {
            let unassigned = tx.contact(contact_id)?.is_some_and(|c| c.assigned().is_none());
            if unassigned { auto_assign_waiting(tx, now) } else { Ok(None) }
        }
        Action::Unassign => {
            let assigned = tx.contact(contact_id)?.is_some_and(|c| c.assigned().is_some());
            if assigned { Ok(Some(set_assignee(tx, actor, contact_id, None, now)?.1)) } else { Ok(None) }
        }
    }
}

/// A message the rule sends to the contact on the conversation's channel (a bot's: it
/// answers nobody's SLA and leaves the status as it is).
fn send_as_rule(
    tx: &dyn Store,
    actor: &Actor,
    conversation: &ConversationId,
    text: String,
    template: Option<parley_domain::TemplateId>,
    now: i64,
) -> ApiResult<Option<u64>> {
    let summary = tx.summary_required(conversation)?;
    let seq = tx.next_seq()?;
    let message = Message {
        id: MessageId(format!("m-{seq}")),
        conversation: conversation.clone(),
        channel: summary.channel.id.clone(),
        direction: Direction::Outgoing,
        sender: parley_domain::Sender { kind: SenderKind::Bot, id: None, name: actor.name.clone() },
        text,
        at: Timestamp(now),
        delivery: DeliveryState::Sent,
        client_id: None,
        attachments: Vec::new(),
        template,
    };
    tx.insert_message(&message)?;
    tx.record(seq, now, &[summary.assigned()], &EventKind::MessageCreated { conversation: summary, message })?;
    Ok(Some(seq))
}

/// The scheduler's "no reply for N minutes": every new conversation whose last message is
/// the contact's and has waited at least as long as an enabled no-reply rule asks runs
/// those rules, once per conversation and rule (fired or not, the moment passed). Returns
/// the last seq used, if any.
pub fn run_no_reply(tx: &dyn Store, now: i64) -> ApiResult<Option<u64>> {
    let waits: Vec<(RuleId, u32)> = tx
        .rules()?
        .into_iter()
        .filter_map(|r| match r.trigger {
            rules::Trigger::NoReply(n) if r.enabled => Some((r.id, n)),
            _ => None,
        })
        .collect();
    let Some(shortest) = waits.iter().map(|(_, n)| *n).min() else { return Ok(None) };
    let mut last = None;
    for (conversation, at) in tx.unanswered_since(now - i64::from(shortest) * 60_000)? {
        let minutes = ((now - at) / 60_000).clamp(0, i64::from(u32::MAX)) as u32;
        let done = tx.rules_run(&conversation)?;
        let due: Vec<&RuleId> =
            waits.iter().filter(|(id, n)| *n <= minutes && !done.contains(id)).map(|(id, _)| id).collect();
        if due.is_empty() {
            continue;
        }
        last = run_rules(tx, &conversation, Event::NoReply { minutes }, now)?.or(last);
        for id in due {
            tx.note_rule_run(&conversation, id, now)?;
        }
    }
    Ok(last)
}
