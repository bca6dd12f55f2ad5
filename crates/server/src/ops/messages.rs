//! Messages: a contact writes in (opening a conversation when none is open), an agent
//! replies (idempotent on the client id), the channel reports delivery, read marks.

use crate::error::{ApiError, ApiResult};
use crate::storage::enum_str;
use parley_domain::rules::Event;
use parley_domain::window::{service_window, window_hours};
use parley_domain::wire::{ActivityKind, Actor, ConversationSummary, EventKind, MessageTag, SendMessage};
use parley_domain::{
    ChannelId, ChannelKind, ContactId, ConversationId, DeliveryState, Direction, Message, MessageId, SenderKind,
    Timestamp, User,
};
use parley_domain::{template, variables};

use super::*;
use crate::storage::Store;

/// Records an incoming message exactly as a channel webhook would: into the contact's
/// open conversation, or a new one opened for it.
pub fn record_incoming(
    tx: &dyn Store,
    contact_id: &ContactId,
    channel_id: &ChannelId,
    text: &str,
    now: i64,
) -> ApiResult<(Message, u64)> {
    let text = validate_text(text, false)?;
    let contact = tx.contact(contact_id)?.ok_or_else(|| ApiError::not_found("contact", contact_id))?;
    if !tx.exists("channels", channel_id.as_str())? {
        return Err(ApiError::not_found("channel", channel_id));
    }
    if !contact.channels.contains(channel_id) {
        return Err(ApiError::BadRequest(format!("contact {contact_id} is not connected to channel {channel_id}")));
    }
    let seq = tx.next_seq()?;
    let mut opened = None;
    let conversation = match tx.open_conversation_of(contact_id)? {
        Some(id) => {
            let status = tx.status_of(&id)?.after_incoming();
            tx.note_incoming(&id, status, channel_id, now, seq)?;
            id
        }
        None => {
            let id = ConversationId(format!("cv-{seq}"));
            tx.open_conversation(&id, contact_id, channel_id, now, seq, false)?;
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
            name: contact.name.clone(),
        },
        text: text.to_owned(),
        at: parley_domain::Timestamp(now),
        delivery: DeliveryState::Delivered,
        client_id: None,
        attachments: Vec::new(),
        template: None,
    };
    tx.insert_message(&message)?;
    let summary = tx.summary_required(&conversation)?;
    let audience = [contact.assigned()];
    tx.record(seq, now, &audience, &EventKind::MessageCreated { conversation: summary, message: message.clone() })?;
    let mut last = seq;
    if let Some(id) = opened {
        let actor = Actor { id: None, name: message.sender.name.clone() };
        last = add_activity(tx, &id, &actor, ActivityKind::Opened, now, &audience)?;
        last = run_rules(tx, &id, Event::Opened, now)?.unwrap_or(last);
    }
    last = run_rules(tx, &conversation, Event::MessageReceived, now)?.unwrap_or(last);
    Ok((message, last))
}

/// An agent starts a conversation with a contact they may see (checked by the caller) on
/// one of the contact's channels: the contact's open conversation if there is one (a
/// contact has one at most; the reply then goes out on `channel`), else a new one,
/// pending (the contact owes the answer). Starting it with an unassigned contact assigns
/// the contact to `user`, audited like any assignment. Returns the conversation, whether it
/// is new, and the last seq used.
pub fn start_conversation(
    tx: &dyn Store,
    user: &User,
    contact: &parley_domain::Contact,
    channel: &ChannelId,
    now: i64,
) -> ApiResult<(ConversationSummary, bool, Option<u64>)> {
    if !contact.channels.contains(channel) {
        return Err(ApiError::BadRequest(format!("the contact is not connected to channel {:?}", channel.as_str())));
    }
    if contact.blocked {
        return Err(ApiError::Conflict("the contact is blocked; unblock them to write".into()));
    }
    let (id, created, mut last) = match tx.open_conversation_of(&contact.id)? {
        Some(id) => (id, false, None),
        None => {
            let seq = tx.next_seq()?;
            let id = ConversationId(format!("cv-{seq}"));
            tx.open_conversation(&id, &contact.id, channel, now, seq, true)?;
            let (_, seq) = announce_conversation(tx, &id, now)?;
            let audience = [contact.assigned()];
            let opened = add_activity(tx, &id, &actor_of(user), ActivityKind::Opened, now, &audience)?;
            (id, true, Some(opened.max(seq)))
        }
    };
    // Assigned to nobody: a team's contact stays with its team.
    if contact.assigned().is_none() {
        let me = Assignee::User(user.id.clone());
        let (_, seq) = set_assignee(tx, &actor_of(user), &contact.id, Some(&me), now)?;
        last = Some(seq);
    }
    // After the agent took the contact: the rules may still send it elsewhere.
    if created && let Some(seq) = run_rules(tx, &id, Event::Opened, now)? {
        last = Some(seq);
    }
    Ok((tx.summary_required(&id)?, created, last))
}

/// Outcome of a send: the message and whether it is new.
pub struct Sent {
    pub message: Message,
    pub created: bool,
}

/// Sends a reply (`req`) from `user` into a conversation `user` may see (checked by the
/// caller). Idempotent on `client_id`; replying to an unassigned contact assigns it to
/// `user`. Free text goes out only within the channel's service window (Messenger's
/// `human_agent` tag makes it 7 days); an approved template, filled with `req.values`,
/// goes out at any time.
pub fn send_outgoing(
    tx: &dyn Store,
    user: &User,
    conversation: &ConversationSummary,
    req: &SendMessage,
    now: i64,
) -> ApiResult<Sent> {
    let SendMessage { client_id, text, channel, attachments, template_id, values, tag } = req;
    let channel = channel.as_ref();
    let client_id = client_id.trim();
    if client_id.is_empty() || client_id.len() > 100 {
        return Err(ApiError::BadRequest("client_id must be 1 to 100 characters".into()));
    }
    if let Some(message) = tx.message_by_client_id(&conversation.id, client_id)? {
        return Ok(Sent { message, created: false });
    }
    let template = match template_id {
        None if !values.is_empty() => return Err(ApiError::BadRequest("values go with a template_id".into())),
        None => None,
        Some(_) if !text.is_empty() || !attachments.is_empty() => {
            return Err(ApiError::BadRequest("a template is sent alone: no text and no attachments".into()));
        }
        Some(id) => {
            let t = tx.templates()?.into_iter().find(|t| &t.id == id).filter(|t| t.approved);
            let t = t.ok_or_else(|| ApiError::BadRequest(format!("no approved template {:?}", id.as_str())))?;
            let filled = template::fill(&t.body, values).map_err(|e| ApiError::BadRequest(e.to_string()))?;
            Some((t.id, filled))
        }
    };
    let text = match &template {
        Some((_, filled)) => validate_text(filled, false)?,
        None => validate_text(text, !attachments.is_empty())?,
    };
    for id in attachments {
        match tx.attachment(id)? {
            Some((_, conv, uploader, None)) if conv == conversation.id && uploader == user.id => {}
            Some((_, _, _, Some(_))) => {
                return Err(ApiError::Conflict(format!("attachment {:?} was already sent", id.as_str())));
            }
            _ => {
                return Err(ApiError::BadRequest(format!(
                    "no attachment {:?} uploaded by you to this conversation",
                    id.as_str()
                )));
            }
        }
    }
    if !conversation.status.is_open() {
        return Err(ApiError::Conflict("the conversation is closed; reopen it to reply".into()));
    }
    let contact = tx
        .contact(&conversation.contact.id)?
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
    let kind = tx.channel_kind(&channel)?;
    let tagged = *tag == Some(MessageTag::HumanAgent);
    if tagged && kind != ChannelKind::Messenger {
        return Err(ApiError::BadRequest(format!(
            "the human_agent tag is Messenger's; this reply goes out on {}",
            kind.label()
        )));
    }
    let last_incoming = tx.last_incoming_at(&contact.id, &channel)?;
    let window = service_window(kind, last_incoming.map(Timestamp), Timestamp(now), tagged);
    if !window.allows_free_form() && template.is_none() {
        let hours = window_hours(kind, tagged).unwrap_or(24);
        return Err(ApiError::WindowClosed(format!(
            "the {hours}-hour {} customer-service window has closed: the contact must write first, or send an approved template",
            kind.label()
        )));
    }
    // A template's values are the agent's own words: no variables filled in them.
    let text = match &template {
        Some((_, filled)) => filled.clone(),
        None => variables::fill(
            text,
            &variables::Values {
                contact_name: &contact.name,
                contact_email: contact.email.as_deref(),
                contact_phone: contact.phone.as_deref(),
                agent_name: &user.name,
            },
        ),
    };
    let text = text.as_str();
    // Only a contact assigned to nobody: a team's contact stays the team's.
    if conversation.assigned().is_none() {
        set_assignee(tx, &actor_of(user), &conversation.contact.id, Some(&Assignee::User(user.id.clone())), now)?;
    }
    let seq = tx.next_seq()?;
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
        template: template.map(|(id, _)| id),
    };
    tx.insert_message(&message)?;
    for id in attachments {
        tx.attach(id, &message.id)?;
    }
    let mut message = message;
    tx.fill_attachments(std::slice::from_mut(&mut message))?;
    tx.note_reply(&conversation.id, now, seq)?;
    let summary = tx.summary_required(&conversation.id)?;
    tx.record(
        seq,
        now,
        &[summary.assigned()],
        &EventKind::MessageCreated { conversation: summary, message: message.clone() },
    )?;
    Ok(Sent { message, created: true })
}

/// The channel reports a sent message's delivery (the simulator here): delivered, read or
/// failed. Only outgoing messages have a delivery to report, and it never goes back.
pub fn set_delivery(tx: &dyn Store, id: &MessageId, delivery: DeliveryState, now: i64) -> ApiResult<(Message, u64)> {
    let mut message = tx.message_by_id(id)?;
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
    tx.set_delivery(id, delivery)?;
    message.delivery = delivery;
    let summary = tx.summary_required(&message.conversation)?;
    let seq = tx.next_seq()?;
    tx.record(seq, now, &[summary.assigned()], &EventKind::MessageUpdated { message: message.clone() })?;
    Ok((message, seq))
}

/// Marks a conversation read for everyone.
pub fn mark_read(
    tx: &dyn Store,
    conversation: &ConversationSummary,
    now: i64,
) -> ApiResult<(ConversationSummary, Option<u64>)> {
    if conversation.unread == 0 {
        return Ok((conversation.clone(), None));
    }
    tx.clear_unread(&conversation.id)?;
    let (summary, seq) = announce_conversation(tx, &conversation.id, now)?;
    Ok((summary, Some(seq)))
}
