//! The outbox: replies an agent wrote that the server has not acknowledged yet. The app
//! keeps it in the browser's storage, so a reply written while the connection is down
//! survives a reload and goes out once it is back; each entry keeps its `client_id`, on
//! which the server deduplicates, so a reply whose first attempt did commit is not
//! doubled by the next one. Sent in the order written, oldest first.

use serde::{Deserialize, Serialize};

use crate::ids::{ChannelId, ConversationId, MessageId};
use crate::model::{Attachment, DeliveryState, Direction, Message, Sender, Timestamp};
use crate::wire::SendMessage;

/// One reply waiting for the server's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outgoing {
    pub conversation: ConversationId,
    pub client_id: String,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub channel: ChannelId,
    /// When the agent sent it: where it sits in the timeline until the server's copy replaces it.
    pub at: Timestamp,
}

impl Outgoing {
    /// The body of `POST /conversations/{id}/messages`.
    pub fn request(&self) -> SendMessage {
        SendMessage {
            client_id: self.client_id.clone(),
            text: self.text.clone(),
            channel: Some(self.channel.clone()),
            attachments: self.attachments.iter().map(|a| a.id.clone()).collect(),
        }
    }

    /// The message the timeline shows until the server's copy (same `client_id`) replaces it.
    pub fn message(&self, sender: Sender, delivery: DeliveryState) -> Message {
        Message {
            id: MessageId::new(format!("local-{}", self.client_id)),
            conversation: self.conversation.clone(),
            channel: self.channel.clone(),
            direction: Direction::Outgoing,
            sender,
            text: self.text.clone(),
            at: self.at,
            delivery,
            client_id: Some(self.client_id.clone()),
            attachments: self.attachments.clone(),
        }
    }
}

/// The waiting replies, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Outbox(Vec<Outgoing>);

impl Outbox {
    pub fn entries(&self) -> &[Outgoing] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next reply to send.
    pub fn first(&self) -> Option<&Outgoing> {
        self.0.first()
    }

    /// Adds a reply at the end; one already there (same `client_id`) keeps its place,
    /// so retrying a reply does not reorder what was written.
    pub fn push(&mut self, outgoing: Outgoing) {
        match self.0.iter_mut().find(|o| o.client_id == outgoing.client_id) {
            Some(existing) => *existing = outgoing,
            None => self.0.push(outgoing),
        }
    }

    /// Removes a reply (the server answered for it); returns whether it was there.
    pub fn remove(&mut self, client_id: &str) -> bool {
        let before = self.0.len();
        self.0.retain(|o| o.client_id != client_id);
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
    pub fn of<'a>(&'a self, conversation: &'a ConversationId) -> impl Iterator<Item = &'a Outgoing> + 'a {
        self.0.iter().filter(move |o| &o.conversation == conversation)
    }

    pub fn contains(&self, client_id: &str) -> bool {
        self.0.iter().any(|o| o.client_id == client_id)
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
    use crate::model::SenderKind;
    use crate::testing;

    fn outgoing(conversation: &str, client_id: &str, at: i64) -> Outgoing {
        Outgoing {
            conversation: conversation.into(),
            client_id: client_id.into(),
            text: format!("text {client_id}"),
            attachments: vec![],
            channel: "ch".into(),
            at: Timestamp(at),
        }
    }

    fn ids(outbox: &Outbox) -> Vec<&str> {
        outbox.entries().iter().map(|o| o.client_id.as_str()).collect()
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
        outbox.push(outgoing("c1", "a", 1));
        outbox.push(outgoing("c2", "b", 2));
        outbox.push(outgoing("c1", "c", 3));
        outbox.push(Outgoing { text: "edited".into(), ..outgoing("c1", "a", 1) });
        assert_eq!(ids(&outbox), ["a", "b", "c"]);
        assert_eq!(outbox.first().map(|o| o.text.as_str()), Some("edited"));
        let c1: ConversationId = "c1".into();
        assert_eq!(outbox.of(&c1).map(|o| o.client_id.as_str()).collect::<Vec<_>>(), ["a", "c"]);
        assert!(outbox.remove("b"));
        assert!(!outbox.remove("b"));
        assert_eq!(ids(&outbox), ["a", "c"]);
    }

    #[test]
    fn the_servers_copy_confirms_only_our_outgoing_replies() {
        let mut outbox = Outbox::default();
        outbox.push(outgoing("c1", "a", 1));
        outbox.push(outgoing("c1", "b", 2));
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
    fn shows_as_the_optimistic_copy_and_sends_its_attachment_ids() {
        let mut o = outgoing("c1", "k", 42);
        o.attachments = vec![Attachment {
            id: "at-1".into(),
            filename: "a.png".into(),
            content_type: "image/png".into(),
            size: 1,
            kind: crate::model::AttachmentKind::File,
            duration_ms: None,
        }];
        let me = Sender { kind: SenderKind::User, id: Some("u".into()), name: "Me".into() };
        let m = o.message(me, DeliveryState::Sending);
        assert_eq!(
            (m.id.as_str(), m.client_id.as_deref(), m.at, m.direction),
            ("local-k", Some("k"), Timestamp(42), Direction::Outgoing)
        );
        let body = o.request();
        assert_eq!((body.client_id.as_str(), body.attachments), ("k", vec!["at-1".to_owned()]));
        assert_eq!(body.channel, Some("ch".into()));
    }

    #[test]
    fn round_trips_through_json() {
        let mut outbox = Outbox::default();
        outbox.push(outgoing("c1", "a", 1));
        outbox.push(outgoing("c2", "b", 2));
        let json = serde_json::to_string(&outbox).unwrap();
        assert!(json.starts_with('['), "stored as a plain list: {json}");
        assert_eq!(serde_json::from_str::<Outbox>(&json).unwrap(), outbox);
    }
}
