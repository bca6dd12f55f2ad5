//! Changes to the workspace. Each runs inside the caller's write transaction, applies the
//! domain rules, and records the events it causes; it returns the last sequence number
//! it used so the caller can wake the sockets after commit.

use parley_domain::text::{MAX_TEXT_CHARS, TextProblem, check_text};
use parley_domain::wire::{Activity, ActivityKind, Actor, ConversationSummary, EventKind};
use parley_domain::{Assignee, ContactId, ConversationId, User};

use crate::error::{ApiError, ApiResult};
use crate::storage::Store;

pub mod assignment;
pub mod calls;
pub mod contacts;
pub mod lifecycle;
pub mod messages;
pub mod notes;
pub mod rules;
pub mod simulator;

pub use assignment::*;
pub use contacts::*;
pub use lifecycle::*;
pub use messages::*;
pub use notes::*;
pub use rules::*;
pub use simulator::*;

/// A message's text as stored (`empty_ok` when files go with it), by the domain's rule.
pub fn validate_text(text: &str, empty_ok: bool) -> ApiResult<&str> {
    check_text(text, empty_ok).map_err(|problem| text_refused("message text", problem))
}

/// Why a text is refused: `what` names it ("message text", "the note").
pub fn text_refused(what: &str, problem: TextProblem) -> ApiError {
    ApiError::BadRequest(match problem {
        TextProblem::Empty => format!("{what} is empty"),
        TextProblem::TooLong(_) => format!("{what} is longer than {MAX_TEXT_CHARS} characters"),
    })
}

/// Where a contact's history is written: the conversation in progress, or the latest.
pub(crate) fn history_target(tx: &dyn Store, contact_id: &ContactId) -> ApiResult<Option<ConversationId>> {
    match tx.open_conversation_of(contact_id)? {
        Some(open) => Ok(Some(open)),
        None => tx.latest_conversation_of(contact_id),
    }
}

/// The actor an activity names for something a user did.
pub fn actor_of(user: &User) -> Actor {
    Actor { id: Some(user.id.clone()), name: user.name.clone() }
}

/// The actor for what the server does by itself (the snooze scheduler).
pub fn system_actor() -> Actor {
    Actor { id: None, name: "Parley".to_owned() }
}

/// Appends a line to a conversation's audit trail and its event; returns its seq.
pub fn add_activity(
    tx: &dyn Store,
    conversation: &ConversationId,
    actor: &Actor,
    kind: ActivityKind,
    now: i64,
    audience: &[Option<Assignee>],
) -> ApiResult<u64> {
    let seq = tx.next_seq()?;
    let activity = Activity {
        id: parley_domain::ActivityId(format!("a-{seq}")),
        conversation: conversation.clone(),
        actor: actor.clone(),
        at: parley_domain::Timestamp(now),
        kind,
    };
    tx.insert_activity(&activity)?;
    tx.record(seq, now, audience, &EventKind::ActivityCreated { activity })?;
    Ok(seq)
}

/// Gives a conversation the caller just changed a new version and tells whoever may see
/// it (its assignee's viewers) what it looks like now. Returns it and the seq used.
pub(crate) fn announce_conversation(
    tx: &dyn Store,
    id: &ConversationId,
    now: i64,
) -> ApiResult<(ConversationSummary, u64)> {
    let seq = tx.next_seq()?;
    tx.set_version(id, seq)?;
    let summary = tx.summary_required(id)?;
    tx.record(seq, now, &[summary.assigned()], &EventKind::ConversationUpdated { conversation: summary.clone() })?;
    Ok((summary, seq))
}

/// Re-announces a contact and all its conversations after the contact changed (lists
/// show its name and assignee). `audience` overrides who may see the events — a
/// reassignment tells the previous assignee's viewers too. Returns the last seq.
pub(crate) fn announce_contact(
    tx: &dyn Store,
    contact_id: &ContactId,
    now: i64,
    audience: Option<&[Option<Assignee>]>,
) -> ApiResult<u64> {
    let contact = tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let own = [contact.assigned()];
    let audience = audience.unwrap_or(&own);
    let mut last = tx.next_seq()?;
    tx.record(last, now, audience, &EventKind::ContactUpdated { contact })?;
    for id in tx.conversations_of(contact_id)? {
        last = tx.next_seq()?;
        tx.set_version(&id, last)?;
        let conversation = tx.summary_required(&id)?;
        tx.record(last, now, audience, &EventKind::ConversationUpdated { conversation })?;
    }
    Ok(last)
}
