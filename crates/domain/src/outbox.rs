//! The outbox: replies an agent wrote that the server has not acknowledged yet. The app
//! keeps it in the browser's storage, so a reply written while the connection is down
//! survives a reload and goes out once it is back; each entry keeps its `client_id`, on
//! which the server deduplicates, so a reply whose first attempt did commit is not
//! doubled by the next one. Sent in the order written, oldest first.

use crate::ids::ConversationId;
use crate::model::{Direction, Message};
use crate::wire::SendMessage;

/// The body of `POST /conversations/{id}/messages` that sends `reply` (one of ours: its
/// `client_id` is set).
pub fn request(reply: &Message) -> SendMessage {
    SendMessage {
        client_id: reply.client_id.clone().unwrap_or_default(),
        text: reply.text.clone(),
        channel: Some(reply.channel.clone()),
        attachments: reply.attachments.iter().map(|a| a.id.clone()).collect(),
        template_id: None,
        values: Vec::new(),
        tag: None,
    }
}

/// The waiting replies, oldest first, each as the optimistic copy the timeline shows (so
/// a reload shows them as they were, and storing them reuses the message's wire form).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox(Vec<Message>);

impl From<Vec<Message>> for Outbox {
    /// Keeps the replies with a client id, first copy of each.
    fn from(stored: Vec<Message>) -> Self {
        let mut outbox = Outbox::default();
        for m in stored {
            if !outbox.contains(m.client_id.as_deref().unwrap_or_default()) {
                outbox.push(m);
            }
        }
        outbox
    }
}

impl Outbox {
    pub fn entries(&self) -> &[Message] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next reply to send.
    pub fn first(&self) -> Option<&Message> {
        self.0.first()
    }

    /// Adds a reply at the end; one already there (same `client_id`) keeps its place, so
    /// retrying a reply does not reorder what was written. Without a client id a reply
    /// could not be sent idempotently: it is not queued.
    pub fn push(&mut self, reply: Message) {
        let Some(client_id) = reply.client_id.as_deref() else { return };
        match self.0.iter_mut().find(|m| m.client_id.as_deref() == Some(client_id)) {
            Some(existing) => *existing = reply,
            None => self.0.push(reply),
        }
    }

    /// Removes a reply (the server answered for it); returns whether it was there.
    pub fn remove(&mut self, client_id: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|m| m.client_id.as_deref() != Some(client_id));
        self.0.len() != before
    }

    /// Removes the replies that `messages` (the server's copies, e.g. from socket events)
    /// show as received; returns whether any went.
    pub fn confirmed<'a>(&mut self, messages: impl IntoIterator<Item = &'a Message>) -> bool {
        let mut changed = false;
        for m in messages {
            if let Some(client_id) = m.client_id.as_deref().filter(|_| m.direction == Direction::Outgoing) {
                changed |= self.remove(client_id);
            }
        }
        changed
    }

    /// The replies waiting in `conversation`, oldest first.
    pub fn of<'a>(&'a self, conversation: &'a ConversationId) -> impl Iterator<Item = &'a Message> + 'a {
        self.0.iter().filter(move |m| &m.conversation == conversation)
    }

    pub fn contains(&self, client_id: &str) -> bool {
        self.0.iter().any(|m| m.client_id.as_deref() == Some(client_id))
    }
}

/// What a send attempt's answer means for the reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The server has it (new, or already received under this `client_id`): it leaves the outbox.
    Sent,
    /// The server refused it for good (closed conversation, bad channel…): it leaves the
    /// outbox and shows as failed, with Retry.
    Refused,
    /// No verdict (no answer, a gateway or overload status, or the session expired): it
    /// stays and goes again later with the same `client_id`.
    Wait,
}

/// Classifies an answer: `None` when none came (network down, server gone), else the
/// HTTP status.
pub fn attempt(status: Option<u16>) -> Attempt {
    match status {
        None => Attempt::Wait,
        Some(200..=299) => Attempt::Sent,
        // Unauthorized: the agent signs in again and the reply goes then. Timeouts, rate
        // limits and gateways say nothing about the reply itself.
        Some(401 | 408 | 429 | 502 | 503 | 504) => Attempt::Wait,
        Some(_) => Attempt::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attachment, AttachmentKind, DeliveryState};
    use crate::testing;

    fn reply(conversation: &str, client_id: &str, at: i64) -> Message {
        Message {
            conversation: conversation.into(),
            direction: Direction::Outgoing,
            delivery: DeliveryState::Sending,
            client_id: Some(client_id.into()),
            ..testing::message(&format!("local-{client_id}"), at)
        }
    }

    fn ids(outbox: &Outbox) -> Vec<&str> {
        outbox.entries().iter().filter_map(|m| m.client_id.as_deref()).collect()
    }

    #[test]
    fn answers() {
        use Attempt::*;
        let rows: &[(Option<u16>, Attempt)] = &[
            (None, Wait),
            (Some(200), Sent),
            (Some(201), Sent),
            (Some(400), Refused),
            (Some(401), Wait),
            (Some(403), Refused),
            (Some(404), Refused),
            (Some(408), Wait),
            (Some(409), Refused),
            (Some(429), Wait),
            (Some(500), Refused),
            (Some(502), Wait),
            (Some(503), Wait),
            (Some(504), Wait),
        ];
        for (status, expected) in rows {
            assert_eq!(attempt(*status), *expected, "{status:?}");
        }
    }

    #[test]
    fn keeps_the_order_written_and_a_retry_keeps_its_place() {
        let mut outbox = Outbox::default();
        outbox.push(reply("c1", "a", 1));
        outbox.push(reply("c2", "b", 2));
        outbox.push(reply("c1", "c", 3));
        outbox.push(Message { text: "edited".into(), ..reply("c1", "a", 1) });
        outbox.push(Message { client_id: None, ..reply("c1", "x", 4) });
        assert_eq!(ids(&outbox), ["a", "b", "c"]);
        assert_eq!(outbox.first().map(|m| m.text.as_str()), Some("edited"));
        let c1: ConversationId = "c1".into();
        assert_eq!(outbox.of(&c1).filter_map(|m| m.client_id.as_deref()).collect::<Vec<_>>(), ["a", "c"]);
        assert!(outbox.remove("b"));
        assert!(!outbox.remove("b"));
        assert_eq!(ids(&outbox), ["a", "c"]);
    }

    #[test]
    fn a_stored_list_keeps_one_copy_of_each_reply_with_a_client_id() {
        let stored = vec![reply("c1", "a", 1), Message { client_id: None, ..reply("c1", "x", 2) }, reply("c1", "a", 3)];
        let outbox = Outbox::from(stored);
        assert_eq!(ids(&outbox), ["a"]);
        assert_eq!(outbox.first().map(|m| m.at.0), Some(1));
    }

    #[test]
    fn the_servers_copy_confirms_only_our_outgoing_replies() {
        let mut outbox = Outbox::default();
        outbox.push(reply("c1", "a", 1));
        outbox.push(reply("c1", "b", 2));
        let with = |client_id: Option<&str>, direction| Message {
            client_id: client_id.map(Into::into),
            direction,
            ..testing::message("m", 5)
        };
        let unrelated = [with(None, Direction::Outgoing), with(Some("z"), Direction::Outgoing)];
        assert!(!outbox.confirmed(&unrelated));
        // An incoming message cannot carry our client id; ignore one that does.
        assert!(!outbox.confirmed(&[with(Some("a"), Direction::Incoming)]));
        assert!(outbox.confirmed(&[with(Some("b"), Direction::Outgoing)]));
        assert_eq!(ids(&outbox), ["a"]);
    }

    #[test]
    fn the_request_carries_the_client_id_channel_and_attachment_ids() {
        let mut m = reply("c1", "k", 42);
        m.attachments = vec![Attachment {
            id: "at-1".into(),
            filename: "a.png".into(),
            content_type: "image/png".into(),
            size: 1,
            kind: AttachmentKind::File,
            duration_ms: None,
        }];
        let body = request(&m);
        assert_eq!((body.client_id.as_str(), body.attachments), ("k", vec!["at-1".into()]));
        assert_eq!((body.text.as_str(), body.channel), ("local-k", Some("ch".into())));
    }
}
