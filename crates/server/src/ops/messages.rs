//! Messages: a contact writes in (opening a conversation when none is open), an agent
//! replies (idempotent on the client id), the channel reports delivery, read marks.

use crate::error::{ApiError, ApiResult};
use crate::storage::enum_str;
use parley_domain::variables;
use parley_domain::window::service_window;
use parley_domain::wire::{ActivityKind, Actor, ConversationSummary, EventKind};
use parley_domain::{
    ChannelId, ContactId, ConversationId, DeliveryState, Direction, Message, MessageId, SenderKind, Timestamp, User,
};

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
            tx.open_conversation(&id, contact_id, channel_id, now, seq)?;
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
    };
    tx.insert_message(&message)?;
    let summary = tx.summary_required(&conversation)?;
    let audience = [contact.assigned()];
    tx.record(seq, now, &audience, &EventKind::MessageCreated { conversation: summary, message: message.clone() })?;
    let mut last = seq;
    if let Some(id) = opened {
        let actor = Actor { id: None, name: message.sender.name.clone() };
        last = add_activity(tx, &id, &actor, ActivityKind::Opened, now, &audience)?;
        if contact.assigned().is_none()
            && let Some(seq) = auto_assign(tx, now)?
        {
            last = seq;
        }
    }
    Ok((message, last))
}

/// Outcome of a send: the message and whether it is new.
pub struct Sent {
    pub message: Message,
    pub created: bool,
}

/// Sends `text` from `user` into a conversation `user` may see (checked by the caller).
/// Idempotent on `client_id`; replying to an unassigned contact assigns it to `user`.
pub fn send_outgoing(
    tx: &dyn Store,
    user: &User,
    conversation: &ConversationSummary,
    client_id: &str,
    text: &str,
    attachments: &[parley_domain::AttachmentId],
    channel: Option<&ChannelId>,
    now: i64,
) -> ApiResult<Sent> {
    let client_id = client_id.trim();
    if client_id.is_empty() || client_id.len() > 100 {
        return Err(ApiError::BadRequest("client_id must be 1 to 100 characters".into()));
    }
    if let Some(message) = tx.message_by_client_id(&conversation.id, client_id)? {
        return Ok(Sent { message, created: false });
    }
    let text = validate_text(text, !attachments.is_empty())?;
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
    let last_incoming = tx.last_incoming_at(&contact.id, &channel)?;
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
