//! Replies go out through the outbox (`parley_domain::outbox`): written to localStorage
//! (`parley.outbox.<user id>`) before the POST, removed when the server answers for them.
//! While the live connection is down nothing is posted: the replies show as waiting,
//! survive a reload, and go out in order, each with its own `client_id`, at the next
//! welcome — the server deduplicates, so one whose earlier POST committed is not doubled.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use parley_domain::outbox::{self, Attempt, Outbox};
use parley_domain::{ConversationId, DeliveryState, Message};

use super::apply::merge_message;
use super::storage::local_storage;
use super::thread::Thread;
use crate::api::{ApiError, ConnectionState};

/// After an attempt without a verdict on a connection that looks up (a 503, a POST cut
/// short), the next one; a reconnection flushes anyway.
const RETRY_AFTER: Duration = Duration::from_secs(3);

fn key(user: &str) -> String {
    format!("parley.outbox.{user}")
}

/// A stored outbox (the waiting replies as messages) this version cannot read counts as
/// empty rather than breaking sends.
pub(super) fn parse(json: Option<&str>) -> Outbox {
    json.and_then(|j| serde_json::from_str::<Vec<Message>>(j).ok()).map(Outbox::from).unwrap_or_default()
}

/// What an error says about the reply, as `outbox::attempt` reads it: `None` when no
/// answer came. A 2xx whose body we cannot read was still received.
fn status_of(error: &ApiError) -> Option<u16> {
    match error {
        ApiError::Http { status, .. } => Some(*status),
        ApiError::Unauthorized => Some(401),
        ApiError::Network(_) => None,
        ApiError::Decode(_) => Some(200),
    }
}

impl Thread {
    /// Reads the signed-in user's outbox from storage (at sign-in and session restore);
    /// it goes out at the first welcome.
    pub(super) fn load_outbox(self) {
        let Some(user) = self.session.user_id().map(|id| id.to_string()) else { return };
        let stored = local_storage().and_then(|s| s.get_item(&key(&user)).ok().flatten());
        self.outbox.set(parse(stored.as_deref()));
    }

    /// Sign-out: the user's waiting replies are dropped, here and in storage.
    pub(super) fn clear_outbox(self) {
        if let (Some(user), Some(storage)) = (self.session.user_id().map(|id| id.to_string()), local_storage()) {
            let _ = storage.remove_item(&key(&user));
        }
        self.outbox.set(Outbox::default());
    }

    /// Queues a reply (saved first), then sends what may be sent.
    pub(super) fn queue(self, reply: Message) {
        self.change_outbox(|o| {
            o.push(reply);
            true
        });
        self.flush();
    }

    /// Sends the outbox in order while the connection is live (unless a flush is under
    /// way); stops at the first reply without a verdict (the rest keep their order and
    /// wait with it).
    pub(super) fn flush(self) {
        if !self.flushing.get_value() {
            self.flush_anew();
        }
    }

    /// At a welcome: a flush still waiting for an answer on a connection that died
    /// silently would hold the outbox up, so a new one starts and the old one stops at
    /// its answer (a reply posted by both is still one message: same client id).
    pub(super) fn flush_anew(self) {
        let Some(api) = self.session.api() else { return };
        let generation = self.flush_generation.get_value() + 1;
        self.flush_generation.set_value(generation);
        self.flushing.set_value(true);
        let current = move || self.flush_generation.get_value() == generation;
        spawn_local(async move {
            loop {
                if !current()
                    || self.session.connection().get_untracked() != ConnectionState::Open
                    || self.session.api().as_ref() != Some(&api)
                {
                    break;
                }
                let Some(next) = self.outbox.with_untracked(|o| o.first().cloned()) else { break };
                let client_id = next.client_id.clone().unwrap_or_default();
                self.sending.set(Some(client_id.clone()));
                let result = api.send_message(&next.conversation, &outbox::request(&next)).await;
                if current() {
                    self.sending.set(None);
                }
                if let Some(e) = self.answered(&next, result) {
                    if e == ApiError::Unauthorized {
                        self.session.fail(e);
                    } else if current() {
                        set_timeout(move || self.flush(), RETRY_AFTER);
                    }
                    break;
                }
            }
            if current() {
                self.flushing.set_value(false);
            }
        });
    }

    /// The server's answer to posting `reply`: sent (the server's copy replaces the
    /// optimistic one), refused (it stays as "failed", with Retry), or no verdict yet —
    /// then it stays queued and the error comes back for the caller to wait on.
    pub(super) fn answered(self, reply: &Message, result: Result<Message, ApiError>) -> Option<ApiError> {
        let client_id = reply.client_id.clone().unwrap_or_default();
        let verdict = result.as_ref().map_or_else(|e| outbox::attempt(status_of(e)), |_| Attempt::Sent);
        if verdict != Attempt::Wait {
            self.change_outbox(|o| o.remove(&client_id));
        }
        match (verdict, result) {
            (_, Ok(message)) => {
                self.update_open(&reply.conversation, |open| merge_message(&mut open.messages, message))
            }
            (Attempt::Sent, Err(e)) => self.session.fail(e),
            (Attempt::Refused, Err(e)) => {
                self.update_open(&reply.conversation, |open| {
                    // The socket may already have brought the server's copy.
                    if let Some(m) = open
                        .messages
                        .iter_mut()
                        .find(|m| m.client_id.as_deref() == Some(&client_id) && m.delivery == DeliveryState::Sending)
                    {
                        m.delivery = DeliveryState::Failed;
                    }
                });
                self.session.fail(e);
            }
            (Attempt::Wait, Err(e)) => return Some(e),
        }
        None
    }

    /// The server's copies (from events or a reload) answer for replies still queued.
    pub(super) fn outbox_confirmed<'a>(self, messages: impl IntoIterator<Item = &'a Message>) {
        if self.outbox.with_untracked(|o| !o.is_empty()) {
            self.change_outbox(|o| o.confirmed(messages));
        }
    }

    /// The replies waiting in `conversation`, as the timeline shows them.
    pub(super) fn queued_messages(self, conversation: &ConversationId) -> Vec<Message> {
        self.outbox.with_untracked(|o| o.of(conversation).cloned().collect())
    }

    /// The `client_id`s of replies queued and not being posted right now.
    pub fn waiting(&self) -> Signal<Vec<String>> {
        let (outbox, sending) = (self.outbox, self.sending);
        Signal::derive(move || {
            sending.with(|now| {
                outbox.with(|o| {
                    o.entries().iter().filter_map(|m| m.client_id.clone()).filter(|c| now.as_ref() != Some(c)).collect()
                })
            })
        })
    }

    /// Changes the outbox and, when `change` says it changed, saves it.
    fn change_outbox(self, change: impl FnOnce(&mut Outbox) -> bool) {
        let mut changed = false;
        self.outbox.maybe_update(|o| {
            changed = change(o);
            changed
        });
        if !changed {
            return;
        }
        let Some(user) = self.session.user_id().map(|id| id.to_string()) else { return };
        let Some(storage) = local_storage() else { return };
        let _ = self.outbox.with_untracked(|o| match o.is_empty() {
            true => storage.remove_item(&key(&user)),
            false => serde_json::to_string(o.entries()).map_or(Ok(()), |json| storage.set_item(&key(&user), &json)),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_store_is_an_empty_outbox() {
        assert!(parse(None).is_empty());
        assert!(parse(Some("not json")).is_empty());
        assert!(parse(Some(r#"{"an": "object"}"#)).is_empty());
        let reply = Message { client_id: Some("k".into()), ..parley_domain::testing::message("local-k", 5) };
        let stored = serde_json::to_string(std::slice::from_ref(&reply)).unwrap();
        assert_eq!(parse(Some(&stored)).entries(), [reply]);
    }

    #[test]
    fn errors_mean_what_the_outbox_expects() {
        let http = |status| ApiError::Http { status, code: None, message: String::new() };
        assert_eq!(outbox::attempt(status_of(&ApiError::Network("reset".into()))), Attempt::Wait);
        assert_eq!(outbox::attempt(status_of(&ApiError::Unauthorized)), Attempt::Wait);
        assert_eq!(outbox::attempt(status_of(&http(409))), Attempt::Refused);
        assert_eq!(outbox::attempt(status_of(&http(503))), Attempt::Wait);
        assert_eq!(outbox::attempt(status_of(&ApiError::Decode("eof".into()))), Attempt::Sent);
    }
}
