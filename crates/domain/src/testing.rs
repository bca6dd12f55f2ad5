//! Minimal values for tests (this crate's and the app's, through the `testing` feature):
//! one place to build a contact, a conversation or a message, so that a new field means
//! one edit here, not one per test file. Tests override what they exercise with struct
//! update syntax: `ConversationSummary { status, ..testing::conversation("c1") }`.

use crate::model::{
    Assignee, ChannelKind, Contact, DeliveryState, Direction, Message, Sender, SenderKind, Status, Timestamp,
};
use crate::wire::{ChannelRef, ContactRef, ConversationSummary};

/// A contact named after its id, with no details, channels or assignee.
pub fn contact(id: &str) -> Contact {
    Contact {
        id: id.into(),
        name: id.into(),
        phone: None,
        email: None,
        country: None,
        language: None,
        assignee: None,
        assigned_team: None,
        blocked: false,
        channels: vec![],
        online: false,
        tags: Vec::new(),
        attributes: Default::default(),
    }
}

/// A new, unassigned SMS conversation with contact `k-<id>` (named `id`), no messages,
/// version 1, last active at 0.
pub fn conversation(id: &str) -> ConversationSummary {
    ConversationSummary {
        id: id.into(),
        contact: ContactRef { id: format!("k-{id}").as_str().into(), name: id.into(), blocked: false, online: false },
        channel: ChannelRef { id: "ch".into(), kind: ChannelKind::Sms, name: "SMS".into() },
        status: Status::New,
        assignee: None,
        assigned_team: None,
        last_message: None,
        last_activity_at: Timestamp(0),
        unread: 0,
        version: 1,
        snoozed_until: None,
        sla: Default::default(),
    }
}

/// An assignee written as in rule tables: `team:<id>` is a team, anything else a user.
pub fn assignee(s: &str) -> Assignee {
    match s.strip_prefix("team:") {
        Some(team) => Assignee::Team(team.into()),
        None => Assignee::User(s.into()),
    }
}

/// An incoming message from "Alice" in conversation `c1`, its text its id.
pub fn message(id: &str, at: i64) -> Message {
    Message {
        id: id.into(),
        conversation: "c1".into(),
        channel: "ch".into(),
        direction: Direction::Incoming,
        sender: Sender { kind: SenderKind::Contact, id: None, name: "Alice".into() },
        text: id.into(),
        at: Timestamp(at),
        delivery: DeliveryState::Sent,
        client_id: None,
        attachments: Vec::new(),
        template: None,
    }
}
