//! The live connection's side of the store: opening the socket and applying its frames,
//! each batch as one update of each slice it touches.

use leptos::prelude::*;
use parley_domain::wire::{ErrorCode, Event, EventKind, ServerFrame};

use super::Store;
use super::words::describe;
use crate::api::{ApiError, AuthorizedApi, Socket, SocketEvent};

impl Store {
    pub(super) fn connect(self, api: &AuthorizedApi) {
        let socket =
            Socket::connect(api.token().to_owned(), self.session.seq_source(), move |event| self.on_socket(event));
        self.session.set_socket(Some(socket));
    }

    pub(super) fn on_socket(self, event: SocketEvent) {
        match event {
            SocketEvent::State(state) => self.session.set_connection(state),
            SocketEvent::Frame(frame) => self.on_frame(frame),
            SocketEvent::Invalid(reason) => self.session.report(describe(&ApiError::Decode(reason))),
        }
    }

    pub(super) fn on_frame(self, frame: ServerFrame) {
        match frame {
            ServerFrame::Welcome { seq } => {
                // Without REST counts to resume from, start from here.
                if self.session.seq().is_none() {
                    self.session.set_seq(Some(seq));
                }
                // Live again: presence is said again, and what was written meanwhile
                // goes out now.
                self.thread.welcome();
            }
            ServerFrame::Clock { now } => self.session.set_clock(now.millis()),
            frame @ ServerFrame::Presence { .. } => self.thread.apply_presence(frame),
            ServerFrame::Batch { events, inboxes } => {
                let applied = self.session.seq();
                // The server never repeats an event on one connection, but a replay after
                // a reconnection may overlap what was applied; drop those.
                let fresh: Vec<Event> = events.into_iter().filter(|e| applied.is_none_or(|s| e.seq > s)).collect();
                if let Some(last) = fresh.iter().map(|e| e.seq).max() {
                    self.session.set_seq(Some(last));
                }
                self.apply_events(&fresh);
                let thread = self.thread;
                let open = Callback::new(move |id| thread.request_open(id));
                self.preferences.alert(&fresh, self.thread.wanted().get_untracked(), open);
                if let Some(inboxes) = inboxes {
                    self.inboxes.set(inboxes);
                }
            }
            ServerFrame::Resync { seq } => {
                self.session.set_seq(Some(seq));
                self.reload();
            }
            ServerFrame::Error { error } => match error.code {
                ErrorCode::Unauthorized => self.session.fail(ApiError::Unauthorized),
                code => self.session.fail(ApiError::Http { status: 0, code: Some(code), message: error.message }),
            },
        }
    }

    /// Applies events to every slice that holds what they change (one update each, and
    /// none when nothing changed), then acknowledges the inbox the user is looking at
    /// when an incoming message lit it.
    pub(super) fn apply_events(self, events: &[Event]) {
        if events.is_empty() {
            return;
        }
        for event in events {
            if let EventKind::CallUpdated { call } = &event.kind {
                self.calls.apply(call);
            }
        }
        let ack = self.list.apply(events);
        self.thread.apply(events);
        if let Some(inbox) = ack {
            self.inboxes.ack(inbox);
        }
    }

    /// Everything the last resync invalidated, loaded again over REST (the list is
    /// emptied at once: what it held may be gone).
    fn reload(self) {
        let inboxes = self.inboxes;
        leptos::task::spawn_local(async move {
            inboxes.load().await;
        });
        self.list.reload();
        self.thread.reload();
        self.calls.load_live_calls();
    }
}
