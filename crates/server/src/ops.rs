//! Changes to the workspace. Each runs inside the caller's write transaction, applies the
//! domain rules, and records the events it causes; it returns the last sequence number
//! it used so the caller can wake the sockets after commit.

use parley_domain::contact_fields::{merge_attributes, merge_tags};
use parley_domain::lifecycle::{Transition, transition};
use parley_domain::variables;
use parley_domain::window::service_window;
use parley_domain::wire::{Activity, ActivityKind, Actor, ConversationSummary, EventKind, Note};
use parley_domain::{
    Availability, ChannelId, Contact, ContactId, ConversationId, DeliveryState, Direction, Message, MessageId, Role,
    SenderKind, Status, Timestamp, User, UserId,
};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{ApiError, ApiResult};
use crate::events::{next_seq, record};
use crate::repo::{self, enum_str};

pub mod calls;

/// Longest message text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

pub fn validate_text(text: &str) -> ApiResult<&str> {
    let text = text.trim_end();
    if text.trim().is_empty() {
        return Err(ApiError::BadRequest("message text is empty".into()));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::BadRequest(format!("message text is longer than {MAX_TEXT_CHARS} characters")));
    }
    Ok(text)
}

fn insert_message(tx: &Connection, m: &Message) -> ApiResult<()> {
    tx.execute(
        "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery, client_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            m.id.as_str(),
            m.conversation.as_str(),
            m.channel.as_str(),
            enum_str(&m.direction),
            enum_str(&m.sender.kind),
            m.sender.id,
            m.sender.name,
            m.text,
            m.at.0,
            enum_str(&m.delivery),
            m.client_id,
        ],
    )?;
    Ok(())
}

fn open_conversation_of(tx: &Connection, contact: &ContactId) -> ApiResult<Option<ConversationId>> {
    Ok(tx
        .query_row(
            "SELECT id FROM conversations WHERE contact_id = ?1 AND status != 'closed'",
            [contact.as_str()],
            |r| r.get::<_, String>(0),
        )
        .optional()?
        .map(ConversationId))
}

/// Records an incoming message exactly as a channel webhook would: into the contact's
/// open conversation, or a new one opened for it.
pub fn record_incoming(
    tx: &Connection,
    contact_id: &ContactId,
    channel_id: &ChannelId,
    text: &str,
    now: i64,
) -> ApiResult<(Message, u64)> {
    let text = validate_text(text)?;
    let contact = repo::contact(tx, contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let channel_exists: bool =
        tx.query_row("SELECT EXISTS(SELECT 1 FROM channels WHERE id = ?1)", [channel_id.as_str()], |r| r.get(0))?;
    if !channel_exists {
        return Err(ApiError::not_found("channel", channel_id));
    }
    if !contact.channels.contains(channel_id) {
        return Err(ApiError::BadRequest(format!("contact {contact_id} is not connected to channel {channel_id}")));
    }
    let seq = next_seq(tx)?;
    let mut opened = None;
    let conversation = match open_conversation_of(tx, contact_id)? {
        Some(id) => {
            let status: String =
                tx.query_row("SELECT status FROM conversations WHERE id = ?1", [id.as_str()], |r| r.get(0))?;
            let status = repo::parse_enum::<Status>(&status)?.after_incoming();
            tx.execute(
                "UPDATE conversations SET status = ?2, channel_id = ?3, last_activity_at = ?4, last_incoming_seq = ?5,
                 unread = unread + 1, version = ?5, awaiting_since = COALESCE(awaiting_since, ?4),
                 snoozed_until = CASE WHEN ?2 = 'snoozed' THEN snoozed_until END
                 WHERE id = ?1",
                params![id.as_str(), enum_str(&status), channel_id.as_str(), now, seq as i64],
            )?;
            id
        }
        None => {
            let id = ConversationId(format!("cv-{seq}"));
            tx.execute(
                "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at, last_activity_at, last_incoming_seq, unread, version, awaiting_since)
                 VALUES (?1, ?2, ?3, 'new', ?4, ?4, ?5, 1, ?5, ?4)",
                params![id.as_str(), contact_id.as_str(), channel_id.as_str(), now, seq as i64],
            )?;
            opened = Some(id.clone());
            id
        }
    };
    let message = Message {
        id: MessageId(format!("m-{seq}")),
        conversation: conversation.clone(),
        channel: channel_id.clone(),
        direction: Direction::Incoming,
        sender: parley_domain::Sender {
            kind: SenderKind::Contact,
            id: Some(contact_id.to_string()),
            name: contact.name,
        },
        text: text.to_owned(),
        at: parley_domain::Timestamp(now),
        delivery: DeliveryState::Delivered,
        client_id: None,
        attachments: Vec::new(),
    };
    insert_message(tx, &message)?;
    let summary = repo::summary_required(tx, &conversation)?;
    let audience = [contact.assignee.clone()];
    record(tx, seq, now, &audience, &EventKind::MessageCreated { conversation: summary, message: message.clone() })?;
    let mut last = seq;
    if let Some(id) = opened {
        let actor = Actor { id: None, name: message.sender.name.clone() };
        last = add_activity(tx, &id, &actor, ActivityKind::Opened, now, &audience)?;
        if contact.assignee.is_none()
            && let Some(seq) = auto_assign(tx, now)?
        {
            last = seq;
        }
    }
    Ok((message, last))
}

/// Outcome of a send: the message, whether it is new, and the last seq used (if any).
pub struct Sent {
    pub message: Message,
    pub created: bool,
    pub seq: Option<u64>,
}

/// Sends `text` from `user` into a conversation `user` may see (checked by the caller).
/// Idempotent on `client_id`; replying to an unassigned contact assigns it to `user`.
pub fn send_outgoing(
    tx: &Connection,
    user: &User,
    conversation: &ConversationSummary,
    client_id: &str,
    text: &str,
    attachments: &[String],
    channel: Option<&ChannelId>,
    now: i64,
) -> ApiResult<Sent> {
    let client_id = client_id.trim();
    if client_id.is_empty() || client_id.len() > 100 {
        return Err(ApiError::BadRequest("client_id must be 1 to 100 characters".into()));
    }
    if let Some(message) = repo::message_by_client_id(tx, &conversation.id, client_id)? {
        return Ok(Sent { message, created: false, seq: None });
    }
    let text = if attachments.is_empty() { validate_text(text)? } else { text.trim_end() };
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::BadRequest(format!("message text is longer than {MAX_TEXT_CHARS} characters")));
    }
    for id in attachments {
        match repo::attachment(tx, id)? {
            Some((_, conv, uploader, None)) if conv == conversation.id && uploader == user.id => {}
            Some((_, _, _, Some(_))) => {
                return Err(ApiError::Conflict(format!("attachment {id:?} was already sent")));
            }
            _ => {
                return Err(ApiError::BadRequest(format!("no attachment {id:?} uploaded by you to this conversation")));
            }
        }
    }
    if !conversation.status.is_open() {
        return Err(ApiError::Conflict("the conversation is closed; reopen it to reply".into()));
    }
    let contact = repo::contact(tx, &conversation.contact.id)?
        .ok_or_else(|| ApiError::not_found("contact", &conversation.contact.id))?;
    // The reply channel: one the contact is connected to (default: the conversation's).
    let channel = match channel {
        Some(c) if c == &conversation.channel.id => conversation.channel.id.clone(),
        Some(c) if contact.channels.contains(c) => c.clone(),
        Some(c) => {
            return Err(ApiError::BadRequest(format!("the contact is not connected to channel {:?}", c.as_str())));
        }
        None => conversation.channel.id.clone(),
    };
    let kind: parley_domain::ChannelKind =
        repo::parse_enum(
            &tx.query_row("SELECT kind FROM channels WHERE id = ?1", [channel.as_str()], |r| r.get::<_, String>(0))?,
        )?;
    let last_incoming: Option<i64> = tx.query_row(
        "SELECT MAX(m.at) FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.contact_id = ?1 AND m.channel_id = ?2 AND m.direction = 'incoming'",
        params![contact.id.as_str(), channel.as_str()],
        |r| r.get(0),
    )?;
    let window = service_window(kind, last_incoming.map(Timestamp), Timestamp(now), false);
    if !window.allows_free_form() {
        return Err(ApiError::Conflict(format!(
            "the 24-hour {} customer-service window has closed: the contact must write first",
            kind.label()
        )));
    }
    let text = variables::fill(
        text,
        &variables::Values {
            contact_name: &contact.name,
            contact_email: contact.email.as_deref(),
            contact_phone: contact.phone.as_deref(),
            agent_name: &user.name,
        },
    );
    let text = text.as_str();
    if conversation.assignee.is_none() {
        set_assignee(tx, &actor_of(user), &conversation.contact.id, Some(&user.id), now)?;
    }
    let seq = next_seq(tx)?;
    let message = Message {
        id: MessageId(format!("m-{seq}")),
        conversation: conversation.id.clone(),
        channel,
        direction: Direction::Outgoing,
        sender: parley_domain::Sender {
            kind: SenderKind::User,
            id: Some(user.id.to_string()),
            name: user.name.clone(),
        },
        text: text.to_owned(),
        at: parley_domain::Timestamp(now),
        delivery: DeliveryState::Sent,
        client_id: Some(client_id.to_owned()),
        attachments: Vec::new(),
    };
    insert_message(tx, &message)?;
    for id in attachments {
        tx.execute("UPDATE attachments SET message_id = ?2 WHERE id = ?1", params![id, message.id.as_str()])?;
    }
    let mut message = message;
    repo::fill_attachments(tx, std::slice::from_mut(&mut message))?;
    tx.execute(
        "UPDATE conversations SET last_activity_at = ?2, version = ?3, awaiting_since = NULL, replied_before = 1 WHERE id = ?1",
        params![conversation.id.as_str(), now, seq as i64],
    )?;
    let summary = repo::summary_required(tx, &conversation.id)?;
    record(
        tx,
        seq,
        now,
        &[summary.assignee.clone()],
        &EventKind::MessageCreated { conversation: summary, message: message.clone() },
    )?;
    Ok(Sent { message, created: true, seq: Some(seq) })
}

/// Assigns (or unassigns) a contact; every conversation of the contact follows, since
/// assignment belongs to the contact. Returns the contact and the last seq used.
pub fn set_assignee(
    tx: &Connection,
    actor: &Actor,
    contact_id: &ContactId,
    assignee: Option<&UserId>,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    let before = repo::contact(tx, contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let assignee_user = match assignee {
        Some(a) => Some(
            repo::user(tx, a)?.ok_or_else(|| ApiError::BadRequest(format!("no user {:?} to assign", a.as_str())))?,
        ),
        None => None,
    };
    let audience = [before.assignee.clone(), assignee.cloned()];
    tx.execute(
        "UPDATE contacts SET assignee = ?2 WHERE id = ?1",
        params![contact_id.as_str(), assignee.map(UserId::as_str)],
    )?;
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
    Ok((repo::contact(tx, contact_id)?.expect("just updated"), last))
}

/// Where a contact's history is written: the conversation in progress, or the latest.
fn history_target(tx: &Connection, contact_id: &ContactId) -> ApiResult<Option<ConversationId>> {
    match open_conversation_of(tx, contact_id)? {
        Some(open) => Ok(Some(open)),
        None => Ok(tx
            .query_row(
                "SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at DESC LIMIT 1",
                [contact_id.as_str()],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(ConversationId)),
    }
}

/// The channel reports a sent message's delivery (the simulator here): delivered, read or
/// failed. Only outgoing messages have a delivery to report, and it never goes back.
pub fn set_delivery(tx: &Connection, id: &MessageId, delivery: DeliveryState, now: i64) -> ApiResult<(Message, u64)> {
    let mut message = repo::message_by_id(tx, id)?;
    let rank = |d: DeliveryState| match d {
        DeliveryState::Sending => 0,
        DeliveryState::Sent => 1,
        DeliveryState::Delivered => 2,
        DeliveryState::Read => 3,
        DeliveryState::Failed => 4,
    };
    if message.direction != Direction::Outgoing {
        return Err(ApiError::Conflict("only sent messages have a delivery state to report".into()));
    }
    if rank(delivery) <= rank(message.delivery) || message.delivery == DeliveryState::Failed {
        return Err(ApiError::Conflict(format!(
            "the message is already {}; delivery never goes back",
            enum_str(&message.delivery)
        )));
    }
    tx.execute("UPDATE messages SET delivery = ?2 WHERE id = ?1", params![id.as_str(), enum_str(&delivery)])?;
    message.delivery = delivery;
    let summary = repo::summary_required(tx, &message.conversation)?;
    let seq = next_seq(tx)?;
    record(tx, seq, now, &[summary.assignee], &EventKind::MessageUpdated { message: message.clone() })?;
    Ok((message, seq))
}

/// Marks a conversation read for everyone.
pub fn mark_read(
    tx: &Connection,
    conversation: &ConversationSummary,
    now: i64,
) -> ApiResult<(ConversationSummary, Option<u64>)> {
    if conversation.unread == 0 {
        return Ok((conversation.clone(), None));
    }
    tx.execute("UPDATE conversations SET unread = 0 WHERE id = ?1", [conversation.id.as_str()])?;
    let (summary, seq) = announce_conversation(tx, &conversation.id, now)?;
    Ok((summary, Some(seq)))
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
    tx: &Connection,
    conversation: &ConversationId,
    actor: &Actor,
    kind: ActivityKind,
    now: i64,
    audience: &[Option<UserId>],
) -> ApiResult<u64> {
    let seq = next_seq(tx)?;
    let activity = Activity {
        id: format!("a-{seq}"),
        conversation: conversation.clone(),
        actor: actor.clone(),
        at: parley_domain::Timestamp(now),
        kind,
    };
    let detail = serde_json::to_string(&activity.kind).expect("serialisable");
    tx.execute(
        "INSERT INTO activities (id, conversation_id, actor_id, actor_name, at, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![activity.id, conversation.as_str(), actor.id.as_ref().map(UserId::as_str), actor.name, now, detail],
    )?;
    record(tx, seq, now, audience, &EventKind::ActivityCreated { activity })?;
    Ok(seq)
}

/// Moves a conversation through its lifecycle (pending, snooze, close, reopen) per the
/// domain rules, recording the activity. Returns the new summary and the last seq.
pub fn change_status(
    tx: &Connection,
    actor: &Actor,
    conversation: &ConversationSummary,
    t: &Transition,
    now: i64,
) -> ApiResult<(ConversationSummary, u64)> {
    let status = transition(conversation.status, t, parley_domain::Timestamp(now))
        .map_err(|e| ApiError::Conflict(e.to_string()))?;
    let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
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
        && let Some(open) = open_conversation_of(tx, &conversation.contact.id)?
    {
        return Err(ApiError::Conflict(format!(
            "the contact already has an open conversation ({open}); a contact has one open conversation at a time"
        )));
    }
    tx.execute(
        "UPDATE conversations SET status = ?2, snoozed_until = ?3, snooze_note = ?4 WHERE id = ?1",
        params![conversation.id.as_str(), enum_str(&status), until, snooze_note],
    )?;
    let (summary, _) = announce_conversation(tx, &conversation.id, now)?;
    let audience = [summary.assignee.clone()];
    let mut last = add_activity(tx, &conversation.id, actor, kind, now, &audience)?;
    if status == Status::Closed && summary.assignee.is_some() && repo::settings(tx)?.unassign_on_close {
        last = set_assignee(tx, actor, &summary.contact.id, None, now)?.1;
    }
    Ok((repo::summary_required(tx, &conversation.id)?, last))
}

/// Wakes every snoozed conversation whose time has come (the boomerang), with the
/// reminder note in the trail. Returns the last seq used, if any.
pub fn wake_due(tx: &Connection, now: i64) -> ApiResult<Option<u64>> {
    let due: Vec<(String, Option<String>)> = tx
        .prepare("SELECT id, snooze_note FROM conversations WHERE status = 'snoozed' AND snoozed_until <= ?1 ORDER BY snoozed_until")?
        .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut last = None;
    for (id, note) in due {
        let id = ConversationId(id);
        tx.execute(
            "UPDATE conversations SET status = 'new', snoozed_until = NULL, snooze_note = NULL WHERE id = ?1",
            [id.as_str()],
        )?;
        let (summary, _) = announce_conversation(tx, &id, now)?;
        let audience = [summary.assignee.clone()];
        last = Some(add_activity(tx, &id, &system_actor(), ActivityKind::Woken { note }, now, &audience)?);
    }
    Ok(last)
}

fn validate_note(text: &str) -> ApiResult<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ApiError::BadRequest("the note is empty".into()));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::BadRequest(format!("the note is longer than {MAX_TEXT_CHARS} characters")));
    }
    Ok(text)
}

pub fn add_note(
    tx: &Connection,
    user: &User,
    conversation: &ConversationSummary,
    text: &str,
    now: i64,
) -> ApiResult<(Note, u64)> {
    let text = validate_note(text)?;
    let seq = next_seq(tx)?;
    let id = format!("n-{seq}");
    tx.execute(
        "INSERT INTO notes (id, conversation_id, author, text, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, conversation.id.as_str(), user.id.as_str(), text, now],
    )?;
    let note = repo::note(tx, &id)?.expect("just inserted");
    record(tx, seq, now, &[conversation.assignee.clone()], &EventKind::NoteCreated { note: note.clone() })?;
    Ok((note, seq))
}

/// A note the user may change: theirs, in a conversation they may see.
fn own_note(tx: &Connection, user: &User, id: &str) -> ApiResult<(Note, ConversationSummary)> {
    let note = repo::note(tx, id)?.ok_or_else(|| ApiError::not_found("note", id))?;
    let conversation = crate::routes::visible_conversation(tx, user, &note.conversation)
        .map_err(|_| ApiError::not_found("note", id))?;
    if note.author != user.id {
        return Err(ApiError::Forbidden("only the author can change or delete a note".into()));
    }
    Ok((note, conversation))
}

pub fn edit_note(tx: &Connection, user: &User, id: &str, text: &str, now: i64) -> ApiResult<(Note, u64)> {
    let text = validate_note(text)?;
    let (_, conversation) = own_note(tx, user, id)?;
    let seq = next_seq(tx)?;
    tx.execute("UPDATE notes SET text = ?2, edited_at = ?3 WHERE id = ?1", params![id, text, now])?;
    let note = repo::note(tx, id)?.expect("exists");
    record(tx, seq, now, &[conversation.assignee.clone()], &EventKind::NoteUpdated { note: note.clone() })?;
    Ok((note, seq))
}

pub fn delete_note(tx: &Connection, user: &User, id: &str, now: i64) -> ApiResult<u64> {
    let (note, conversation) = own_note(tx, user, id)?;
    let seq = next_seq(tx)?;
    tx.execute("DELETE FROM notes WHERE id = ?1", [id])?;
    record(
        tx,
        seq,
        now,
        &[conversation.assignee.clone()],
        &EventKind::NoteDeleted { conversation: conversation.id.clone(), note: note.id },
    )?;
    Ok(seq)
}

/// Automatic assignment (workspace setting): while unassigned new conversations wait and
/// agents are available, the oldest waiting one goes to the next available agent in turn
/// (round robin). Returns the last seq used, if anything was assigned.
pub fn auto_assign(tx: &Connection, now: i64) -> ApiResult<Option<u64>> {
    if !repo::settings(tx)?.auto_assign {
        return Ok(None);
    }
    let agents: Vec<User> = repo::users(tx)?
        .into_iter()
        .filter(|u| u.role == Role::Agent && u.availability == Availability::Available)
        .collect();
    if agents.is_empty() {
        return Ok(None);
    }
    let mut ids: Vec<&UserId> = agents.iter().map(|u| &u.id).collect();
    ids.sort();
    let waiting: Vec<String> = tx
        .prepare(
            "SELECT k.id FROM conversations c JOIN contacts k ON k.id = c.contact_id
             WHERE c.status = 'new' AND k.assignee IS NULL AND k.blocked = 0 ORDER BY c.opened_at, c.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut last_agent = repo::meta(tx, "auto_assign_last")?;
    let mut last = None;
    for contact in waiting {
        // The agent after the last one served, wrapping around.
        let next = ids
            .iter()
            .find(|id| last_agent.as_deref().is_none_or(|l| id.as_str() > l))
            .or(ids.first())
            .map(|id| (*id).clone())
            .expect("agents is not empty");
        last = Some(set_assignee(tx, &system_actor(), &ContactId(contact), Some(&next), now)?.1);
        repo::set_meta(tx, "auto_assign_last", next.as_str())?;
        last_agent = Some(next.0);
    }
    Ok(last)
}

/// Closes every conversation of `ids` (already filtered by the caller), recording the
/// bulk resolve in each trail. Returns how many closed and the last seq.
pub fn bulk_resolve(
    tx: &Connection,
    user: &User,
    ids: &[ConversationId],
    older_than_days: u32,
    reason: Option<String>,
    now: i64,
) -> ApiResult<(u32, Option<u64>)> {
    let mut last = None;
    let mut closed = 0;
    let actor = actor_of(user);
    for id in ids {
        tx.execute("UPDATE conversations SET status = 'closed', snoozed_until = NULL WHERE id = ?1", [id.as_str()])?;
        let (summary, _) = announce_conversation(tx, id, now)?;
        let audience = [summary.assignee.clone()];
        let kind = ActivityKind::BulkResolved { reason: reason.clone(), older_than_days };
        last = Some(add_activity(tx, id, &actor, kind, now, &audience)?);
        closed += 1;
    }
    Ok((closed, last))
}

/// A web-chat visitor arrived on or left the page: the contact and its conversations
/// change (the list shows an online dot; the composer picks the reply channel).
pub fn set_online(tx: &Connection, contact_id: &ContactId, online: bool, now: i64) -> ApiResult<u64> {
    repo::contact(tx, contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    tx.execute("UPDATE contacts SET online = ?2 WHERE id = ?1", params![contact_id.as_str(), online])?;
    announce_contact(tx, contact_id, now, None)
}

/// Gives a conversation the caller just changed a new version and tells whoever may see
/// it (its assignee's viewers) what it looks like now. Returns it and the seq used.
fn announce_conversation(tx: &Connection, id: &ConversationId, now: i64) -> ApiResult<(ConversationSummary, u64)> {
    let seq = next_seq(tx)?;
    tx.execute("UPDATE conversations SET version = ?2 WHERE id = ?1", params![id.as_str(), seq as i64])?;
    let summary = repo::summary_required(tx, id)?;
    record(
        tx,
        seq,
        now,
        &[summary.assignee.clone()],
        &EventKind::ConversationUpdated { conversation: summary.clone() },
    )?;
    Ok((summary, seq))
}

/// Re-announces a contact and all its conversations after the contact changed (lists
/// show its name and assignee). `audience` overrides who may see the events — a
/// reassignment tells the previous assignee's viewers too. Returns the last seq.
fn announce_contact(
    tx: &Connection,
    contact_id: &ContactId,
    now: i64,
    audience: Option<&[Option<UserId>]>,
) -> ApiResult<u64> {
    let contact = repo::contact(tx, contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    let own = [contact.assignee.clone()];
    let audience = audience.unwrap_or(&own);
    let mut last = next_seq(tx)?;
    record(tx, last, now, audience, &EventKind::ContactUpdated { contact })?;
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM conversations WHERE contact_id = ?1 ORDER BY last_activity_at")?
        .query_map([contact_id.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in ids {
        let id = ConversationId(id);
        last = next_seq(tx)?;
        tx.execute("UPDATE conversations SET version = ?2 WHERE id = ?1", params![id.as_str(), last as i64])?;
        let conversation = repo::summary_required(tx, &id)?;
        record(tx, last, now, audience, &EventKind::ConversationUpdated { conversation })?;
    }
    Ok(last)
}

/// Edits a contact's details; every field is validated before anything is written, and
/// the error names the field.
pub fn edit_contact(
    tx: &Connection,
    contact_id: &ContactId,
    patch: &parley_domain::wire::ContactPatch,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    use parley_domain::contact_fields as f;
    type Check = fn(&str) -> Result<String, f::FieldError>;
    let optional = |raw: &Option<String>, check: Check, field: &str| {
        raw.as_deref()
            .map(|v| if v.trim().is_empty() { Ok(None) } else { check(v).map(Some) })
            .transpose()
            .map_err(|e| ApiError::BadRequest(format!("{field}: {e}")))
    };
    let name = patch
        .name
        .as_deref()
        .map(f::normalize_name)
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("name: {e}")))?;
    let phone = optional(&patch.phone, f::normalize_phone, "phone")?;
    let email = optional(&patch.email, f::normalize_email, "email")?;
    let country = optional(&patch.country, f::normalize_country, "country")?;
    let language = optional(&patch.language, f::normalize_language, "language")?;
    let tags = patch
        .tags
        .as_deref()
        .map(f::normalize_tags)
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("tags: {e}")))?;
    let attributes = patch
        .attributes
        .as_ref()
        .map(|a| f::normalize_attributes(a.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
        .transpose()
        .map_err(|e| ApiError::BadRequest(format!("attributes: {e}")))?;
    if let Some(name) = name {
        tx.execute("UPDATE contacts SET name = ?2 WHERE id = ?1", params![contact_id.as_str(), name])?;
    }
    // Column names are fixed here, never from the request.
    let tags = tags.map(|t| Some(serde_json::to_string(&t).expect("serialisable")));
    let attributes = attributes.map(|a| Some(serde_json::to_string(&a).expect("serialisable")));
    for (column, value) in [
        ("phone", phone),
        ("email", email),
        ("country", country),
        ("language", language),
        ("tags", tags),
        ("attributes", attributes),
    ] {
        if let Some(value) = value {
            tx.execute(
                &format!("UPDATE contacts SET {column} = ?2 WHERE id = ?1"),
                params![contact_id.as_str(), value],
            )?;
        }
    }
    let seq = announce_contact(tx, contact_id, now, None)?;
    Ok((repo::contact(tx, contact_id)?.expect("exists"), seq))
}

/// Blocks or unblocks a contact: its conversations leave (or return to) the standard and
/// team inboxes.
pub fn set_blocked(tx: &Connection, contact_id: &ContactId, blocked: bool, now: i64) -> ApiResult<(Contact, u64)> {
    tx.execute("UPDATE contacts SET blocked = ?2 WHERE id = ?1", params![contact_id.as_str(), blocked])?;
    let seq = announce_contact(tx, contact_id, now, None)?;
    Ok((repo::contact(tx, contact_id)?.expect("exists"), seq))
}

/// Merges `secondary` into `primary`: the primary keeps its id and fields (filling the
/// ones it lacks, gaining the secondary's tags and the attributes it lacks), the secondary's open conversation closes with a note saying where it
/// went, its whole history moves to the primary, and the secondary is removed — all in
/// one transaction. Returns the primary and the last seq.
pub fn merge_contacts(
    tx: &Connection,
    actor: &Actor,
    primary_id: &ContactId,
    secondary_id: &ContactId,
    now: i64,
) -> ApiResult<(Contact, u64)> {
    if primary_id == secondary_id {
        return Err(ApiError::BadRequest("a contact cannot be merged into itself".into()));
    }
    let primary = repo::contact(tx, primary_id)?.ok_or_else(|| ApiError::not_found("contact", primary_id))?;
    let secondary = repo::contact(tx, secondary_id)?.ok_or_else(|| ApiError::not_found("contact", secondary_id))?;
    if let Some(open) = open_conversation_of(tx, secondary_id)? {
        let summary = repo::summary_required(tx, &open)?;
        let close = Transition::Close {
            note: Some(format!("Merged into {} ({})", primary.name, primary.id)),
            reason: Some("merged".into()),
        };
        change_status(tx, actor, &summary, &close, now)?;
    }
    let mut channels = primary.channels.clone();
    channels.extend(secondary.channels.iter().filter(|c| !primary.channels.contains(c)).cloned());
    tx.execute(
        "UPDATE contacts SET phone = COALESCE(phone, ?2), email = COALESCE(email, ?3), country = COALESCE(country, ?4),
         language = COALESCE(language, ?5), assignee = COALESCE(assignee, ?6), channels = ?7, tags = ?8,
         attributes = ?9 WHERE id = ?1",
        params![
            primary_id.as_str(),
            secondary.phone,
            secondary.email,
            secondary.country,
            secondary.language,
            secondary.assignee.as_ref().map(UserId::as_str),
            serde_json::to_string(&channels).expect("serialisable"),
            serde_json::to_string(&merge_tags(&primary.tags, &secondary.tags)).expect("serialisable"),
            serde_json::to_string(&merge_attributes(&primary.attributes, &secondary.attributes)).expect("serialisable"),
        ],
    )?;
    tx.execute(
        "UPDATE conversations SET contact_id = ?1 WHERE contact_id = ?2",
        params![primary_id.as_str(), secondary_id.as_str()],
    )?;
    tx.execute("DELETE FROM contacts WHERE id = ?1", [secondary_id.as_str()])?;
    tracing::info!(primary = %primary_id, secondary = %secondary_id, by = %actor.name, "contacts merged");
    let seq = announce_contact(tx, primary_id, now, None)?;
    Ok((repo::contact(tx, primary_id)?.expect("exists"), seq))
}

/// The simulator's bulk import: `count` new contacts ("Visitor 1" newest … "Visitor N",
/// a second apart) each with one new conversation holding one incoming message, on
/// `channel` (default: the workspace's first). Rows only, with no event per conversation
/// (20 000 events would flood every socket and the log): connected apps see them after
/// a reload. Returns how many were created and the seq that marks them unseen.
pub fn bulk_inbound(tx: &Connection, count: u32, channel: Option<&ChannelId>, now: i64) -> ApiResult<(u32, u64)> {
    if !(1..=50_000).contains(&count) {
        return Err(ApiError::BadRequest("count must be between 1 and 50000".into()));
    }
    let channel: String = match channel {
        Some(c) => tx
            .query_row("SELECT id FROM channels WHERE id = ?1", [c.as_str()], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ApiError::not_found("channel", c))?,
        None => tx
            .query_row("SELECT id FROM channels ORDER BY position LIMIT 1", [], |r| r.get(0))
            .optional()?
            .ok_or_else(|| ApiError::BadRequest("the workspace has no channel".into()))?,
    };
    let seq = next_seq(tx)?;
    let channels = serde_json::to_string(&[&channel]).expect("serialisable");
    let mut contact = tx.prepare_cached("INSERT INTO contacts (id, name, channels) VALUES (?1, ?2, ?3)")?;
    let mut conversation = tx.prepare_cached(
        "INSERT INTO conversations (id, contact_id, channel_id, status, opened_at, last_activity_at, last_incoming_seq, unread, version, awaiting_since)
         VALUES (?1, ?2, ?3, 'new', ?4, ?4, ?5, 1, ?5, ?4)",
    )?;
    let mut message = tx.prepare_cached(
        "INSERT INTO messages (id, conversation_id, channel_id, direction, sender_kind, sender_id, sender_name, text, at, delivery)
         VALUES (?1, ?2, ?3, 'incoming', 'contact', ?4, ?5, ?6, ?7, 'delivered')",
    )?;
    for n in 1..=count {
        let (contact_id, conversation_id) = (format!("k-bulk-{seq}-{n}"), format!("cv-bulk-{seq}-{n}"));
        let name = format!("Visitor {n}");
        let at = now - i64::from(n) * 1000;
        contact.execute(params![contact_id, name, channels])?;
        conversation.execute(params![conversation_id, contact_id, channel, at, seq as i64])?;
        let text = format!("Hello, this is visitor {n}");
        message.execute(params![format!("m-bulk-{seq}-{n}"), conversation_id, channel, contact_id, name, text, at])?;
    }
    tracing::info!(count, "simulator: bulk inbound");
    Ok((count, seq))
}

/// Deletes the rows of uploads never attached to a message and created before `cutoff`;
/// returns their ids so the caller removes the files after commit.
pub fn forget_orphan_uploads(tx: &Connection, cutoff: i64) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = tx
        .prepare_cached("SELECT id FROM attachments WHERE message_id IS NULL AND created_at < ?1")?
        .query_map([cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &ids {
        tx.execute("DELETE FROM attachments WHERE id = ?1", [id])?;
    }
    Ok(ids)
}
