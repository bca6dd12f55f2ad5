//! The live connection's side of the store: opening the socket and applying its
//! frames, each batch as one update of each signal it touches.

use leptos::prelude::*;
use parley_domain::wire::{Event, ServerFrame};

use super::apply::{Viewer, ack_target, apply_to_list, apply_to_open};
use super::state::Store;
use super::words::describe;
use crate::api::{ApiError, AuthorizedApi, Socket, SocketEvent};

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
