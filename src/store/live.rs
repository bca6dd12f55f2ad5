//! The live connection's side of the store: opening the socket, applying its frames
//! (each batch as one update of each signal it touches), and sending presence.

use std::time::Duration;

use leptos::prelude::*;
use parley_domain::ConversationId;
use parley_domain::wire::{ClientFrame, Event, EventKind, PresenceActivity, ServerFrame};

use super::apply::{Viewer, ack_target, apply_to_list, apply_to_open};
use super::presence;
use super::state::Store;
use super::words::describe;
use crate::api::{ApiError, AuthorizedApi, Socket, SocketEvent};
use crate::format::now_millis;

/// How often `viewing` is repeated while a conversation stays open.
const HEARTBEAT: Duration = Duration::from_secs(10);
/// The least time between two `typing` frames.
const TYPING_EVERY_MS: i64 = 3_000;

impl Store {
    pub(super) fn connect(self, api: &AuthorizedApi) {
        let seq = self.seq;
        let socket = Socket::connect(
            api.token().to_owned(),
            move || seq.try_get_value().flatten(),
            move |event| self.on_socket(event),
        );
        self.socket.set_value(Some(socket));
    }

    fn on_socket(self, event: SocketEvent) {
        match event {
            SocketEvent::State(state) => self.connection.set(state),
            SocketEvent::Frame(ServerFrame::Welcome { seq }) => {
                // Without REST counts to resume from, start from here.
                if self.seq.get_value().is_none() {
                    self.seq.set_value(Some(seq));
                }
                // Others forget us 25 s after our last `viewing`: say it again at once
                // after a reconnection rather than at the next heartbeat.
                if let Some(id) = self.wanted.get_untracked() {
                    self.send_presence(id, PresenceActivity::Viewing);
                }
                // Live again: what was written meanwhile goes out now.
                self.flush_anew();
            }
            SocketEvent::Frame(ServerFrame::Clock { now }) => {
                self.clock_offset.set(now.millis() - now_millis());
            }
            SocketEvent::Frame(ServerFrame::Presence { conversation, user, name, activity }) => {
                if self.me.with_untracked(|m| m.as_ref().is_some_and(|m| m.user.id == user)) {
                    return;
                }
                let mut expiry = None;
                self.presence.update(|all| {
                    expiry = presence::apply(all, conversation, user, name, activity, now_millis());
                });
                if let Some(ms) = expiry {
                    // A little after the expiry, so that the entry has lapsed by then.
                    set_timeout(move || self.prune_presence(), Duration::from_millis(ms as u64 + 50));
                }
            }
            SocketEvent::Frame(ServerFrame::Batch { events, inboxes }) => {
                let applied = self.seq.get_value();
                // The server never repeats an event on one connection, but a replay after
                // a reconnection may overlap what was applied; drop those.
                let fresh: Vec<Event> = events.into_iter().filter(|e| applied.is_none_or(|s| e.seq > s)).collect();
                if let Some(last) = fresh.iter().map(|e| e.seq).max() {
                    self.seq.set_value(Some(last));
                }
                self.apply_events(&fresh);
                self.alert(&fresh);
                if let Some(inboxes) = inboxes {
                    self.inboxes.set(inboxes);
                }
            }
            SocketEvent::Frame(ServerFrame::Resync { seq }) => {
                self.seq.set_value(Some(seq));
                self.reload();
            }
            SocketEvent::Frame(ServerFrame::Error { error }) => {
                if error.code == "unauthorized" {
                    self.fail(ApiError::Unauthorized);
                } else {
                    self.fail(ApiError::Http { status: 0, code: error.code, message: error.message });
                }
            }
            SocketEvent::Invalid(reason) => self.error.set(Some(describe(&ApiError::Decode(reason)))),
        }
    }

    /// Applies events to the selected list and the open conversation (one update each,
    /// and none when nothing changed), then asks the server to acknowledge or mark read
    /// what the user is looking at.
    pub(super) fn apply_events(self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        for event in events {
            if let EventKind::CallUpdated { call } = &event.kind {
                self.apply_call(call);
            }
        }
        if events.iter().any(|e| e.kind.conversation().is_some()) {
            self.schedule_assignee_counts();
        }
        self.outbox_confirmed(events.iter().filter_map(|e| match &e.kind {
            EventKind::MessageCreated { message, .. } => Some(message),
            _ => None,
        }));
        let mut ack = None;
        self.me.with_untracked(|me| {
            self.directory.with_untracked(|dir| {
                self.selection.with_untracked(|selection| {
                    let (Some(me), Some(dir), Some(selection)) = (me, dir, selection) else { return };
                    let viewer = Viewer { user: &me.user, dir, selection };
                    self.list.maybe_update(|list| apply_to_list(&viewer, list, events));
                    ack = ack_target(Some(&viewer), events);
                })
            })
        });
        let mut read = None;
        self.open.maybe_update(|open| {
            let Some(open) = open else { return false };
            let outcome = apply_to_open(open, events);
            if outcome.incoming {
                read = Some(open.summary.id.clone());
            }
            outcome.changed
        });
        if let Some(inbox) = ack {
            self.ack(inbox);
        }
        // The user has the conversation in front of them: new messages are read.
        if let Some(id) = read {
            self.mark_read(id);
        }
    }
}

impl Store {
    /// Tells the others that the user views, types in or left `conversation`.
    pub(super) fn send_presence(self, conversation: ConversationId, activity: PresenceActivity) {
        if let Some(socket) = self.socket.get_value() {
            socket.send(&ClientFrame::Presence { conversation, activity });
        }
    }

    /// Presence follows the open conversation: `left` for the one closed, `viewing` for
    /// the one opened, repeated every 10 s while it stays open.
    pub(super) fn presence_moved(self, from: Option<ConversationId>, to: Option<ConversationId>) {
        if let Some(handle) = self.heartbeat.get_value() {
            handle.clear();
        }
        self.heartbeat.set_value(None);
        self.typing_sent.set_value(0);
        if let Some(from) = from {
            self.send_presence(from, PresenceActivity::Left);
        }
        let Some(to) = to else { return };
        self.send_presence(to, PresenceActivity::Viewing);
        let handle = set_interval_with_handle(
            move || {
                if let Some(id) = self.wanted.try_get_untracked().flatten() {
                    self.send_presence(id, PresenceActivity::Viewing);
                }
            },
            HEARTBEAT,
        );
        self.heartbeat.set_value(handle.ok());
    }

    /// The user typed in the composer: `typing`, at most every 3 s.
    pub fn typing(self) {
        let Some(id) = self.wanted.get_untracked() else { return };
        let now = now_millis();
        if now - self.typing_sent.get_value() >= TYPING_EVERY_MS {
            self.typing_sent.set_value(now);
            self.send_presence(id, PresenceActivity::Typing);
        }
    }

    fn prune_presence(self) {
        self.presence.try_maybe_update(|all| (presence::prune(all, now_millis()), ()));
    }
}
